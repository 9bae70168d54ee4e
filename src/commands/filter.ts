/**
 * Filter a Users/Groups/Resources list: pick the field (name, display name, email), type the
 * prefix, and the list reloads with the API's own Filters (server-side, so it works on lists far
 * longer than one page). Automation may pass `(node, { field, prefix })` to skip both prompts.
 */
import * as vscode from 'vscode';
import { CategoryNode, describeFilter, FILTER_FIELDS, filterFieldLabel } from '../tree/categoryNode';
import type { DirectoryFilter } from '../workmail/types';
import type { FoundationCommandDeps } from './foundationDeps';

/** The API caps filter strings at 256 characters. */
const MAX_PREFIX_LENGTH = 256;

function isFilterArgument(value: unknown): value is DirectoryFilter {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'field' in value && 'prefix' in value;
}

async function askForFilter(node: CategoryNode): Promise<DirectoryFilter | undefined> {
  const fields = FILTER_FIELDS[node.entityKind];
  const picked = await vscode.window.showQuickPick(
    fields.map((field) => ({ label: filterFieldLabel(field), field, picked: node.filter?.field === field })),
    { title: vscode.l10n.t('Filter {0}', node.label), placeHolder: vscode.l10n.t('Which field should start with the text you type?') },
  );
  if (!picked) {
    return undefined;
  }
  const prefix = await vscode.window.showInputBox({
    title: vscode.l10n.t('Filter {0} by {1}', node.label, picked.label),
    prompt: vscode.l10n.t('Show only entries whose {0} starts with this text', picked.label),
    value: node.filter?.field === picked.field ? node.filter.prefix : '',
    validateInput: (value) => validatePrefix(value),
  });
  return prefix === undefined ? undefined : { field: picked.field, prefix: prefix.trim() };
}

function validatePrefix(value: string): string | undefined {
  if (value.trim() === '') {
    return vscode.l10n.t('Type the beginning of the text to look for');
  }
  if (value.trim().length > MAX_PREFIX_LENGTH) {
    return vscode.l10n.t('At most {0} characters', MAX_PREFIX_LENGTH);
  }
  return undefined;
}

export function filterCommand(deps: FoundationCommandDeps) {
  return async (node?: unknown, options?: unknown): Promise<void> => {
    if (!(node instanceof CategoryNode)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Choose Users, Groups or Resources of an organization to filter.'));
      return;
    }
    const filter = isFilterArgument(options) ? { field: options.field, prefix: String(options.prefix).trim() } : await askForFilter(node);
    if (!filter) {
      return;
    }
    if (!FILTER_FIELDS[node.entityKind].includes(filter.field)) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('{0} cannot be filtered by {1}; use one of: {2}', node.label, String(filter.field), FILTER_FIELDS[node.entityKind].join(', ')),
      );
      return;
    }
    const problem = validatePrefix(filter.prefix);
    if (problem) {
      void vscode.window.showErrorMessage(problem);
      return;
    }
    node.setFilter(filter);
    deps.log.info(`Filter on ${node.label} of ${node.org.alias ?? node.org.organizationId}: ${describeFilter(filter)}`);
  };
}
