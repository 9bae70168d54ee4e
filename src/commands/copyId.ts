/** Copy ID: the WorkMail ID of the selected organizations, mailboxes or grantees, one per line. */
import * as vscode from 'vscode';
import { GranteeNode } from '../tree/granteeNode';
import { MailboxNode } from '../tree/mailboxNode';
import { OrganizationNode } from '../tree/organizationNode';
import type { ExplorerNode } from '../tree/explorerNode';
import { targetNodes } from './selection';

function idOf(node: ExplorerNode): string | undefined {
  if (node instanceof OrganizationNode) {
    return node.org.organizationId;
  }
  if (node instanceof MailboxNode) {
    return node.entity.id;
  }
  if (node instanceof GranteeNode) {
    // The entity's own ID, even where WorkMail lists the name or email a change was made by.
    return node.grantee?.id ?? node.grant.granteeId;
  }
  return undefined;
}

export function copyIdCommand() {
  return async (node?: unknown, selection?: unknown): Promise<void> => {
    const ids = targetNodes(node, selection)
      .map(idOf)
      .filter((id): id is string => id !== undefined);
    if (ids.length === 0) {
      return;
    }
    await vscode.env.clipboard.writeText(ids.join('\n'));
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', ids.length === 1 ? ids[0] : vscode.l10n.t('{0} IDs', ids.length)), 3000);
  };
}
