// What Plan and Apply of a change file share: reading the file as the editor holds it (unsaved
// edits included: what the person sees is what is planned), the organization for lines that name
// none, and the plan itself under a cancellable progress notification.
import path from 'node:path';
import * as vscode from 'vscode';
import type { WorkMailServices } from '../../services';
import { parseChangeFile, type ChangeFile } from '../../workmail/changes/changeFile';
import { planChanges, type ChangePlan } from '../../workmail/changes/plan';
import { escapeMarkdown } from '../audit/accessDocument';
import { bindSession, type BoundSession } from '../permissions/apply';
import type { CommandUi } from '../ui/commandUi';
import { chooseOrganization } from '../ui/pickers';
import type { ReportDocuments } from '../ui/reportDocuments';
import { InvalidChoiceError } from '../ui/pickers';

/** What the change-file commands accept besides the file: for scripts and keybindings. */
export interface ChangeFileCommandOptions {
  /** The organization of lines that name none (ID or alias); asked otherwise. */
  readonly organization?: string;
  /** Open the plan or result report (default true). */
  readonly open?: boolean;
}

export interface ChangeFileContext {
  readonly services: WorkMailServices;
  readonly ui: CommandUi;
  readonly reports: ReportDocuments;
}

/** The file a command was invoked on: the CodeLens's URI, else the active editor's document. */
export async function changeFileDocument(target: unknown): Promise<vscode.TextDocument> {
  const uri = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    throw new InvalidChoiceError(vscode.l10n.t('Open a change file (.csv or .json) first, or use the Plan lens at its top.'));
  }
  return vscode.workspace.openTextDocument(uri);
}

export function fileLabel(document: vscode.TextDocument): string {
  return path.basename(document.uri.fsPath || document.uri.path);
}

export function readChangeFile(document: vscode.TextDocument): ChangeFile {
  return parseChangeFile(document.getText(), fileLabel(document));
}

/** Asks for the organization only when some line names none. */
async function defaultOrganization(ctx: ChangeFileContext, file: ChangeFile, given: string | undefined): Promise<string | undefined> {
  if (file.organization || file.lines.every((line) => line.organization)) {
    return given;
  }
  const org = await chooseOrganization(ctx.services, ctx.ui, { title: vscode.l10n.t('Which organization is {0} about?', file.file) }, given);
  return org.organizationId;
}

export async function planChangeFileWithProgress(ctx: ChangeFileContext, file: ChangeFile, options: ChangeFileCommandOptions, bound: BoundSession = bindSession(ctx.services)): Promise<ChangePlan> {
  const organization = await defaultOrganization(ctx, file, options.organization);
  return ctx.ui.withProgress(vscode.l10n.t('Planning {0}: reading the current permissions…', file.file), (_progress, signal) =>
    planChanges(bound.session, file, {
      organization,
      regions: ctx.services.regions(),
      signal,
      readRights: (org, mailboxId, granteeId, s, route) => bound.writer.readRights(org, mailboxId, granteeId, s, route),
      delegatesBeingRemoved: (org, resourceId, delegateIds) => bound.writer.delegatesBeingRemoved(org, resourceId, delegateIds),
    }),
  );
}

/** Markdown with every value from the file or the directory made inert. */
export function escapeCell(value: string): string {
  return escapeMarkdown(value, 300);
}
