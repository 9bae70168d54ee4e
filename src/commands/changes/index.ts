// Registers the change-file commands (Plan, Apply…) and their CodeLenses. Each command takes the
// file's URI (the lens passes it; else the active editor) and a trailing ChangeFileCommandOptions.
import * as vscode from 'vscode';
import type { WorkMailServices } from '../../services';
import type { ChangeHistory } from '../permissions/history';
import { registerCommand, type CommandPolicy } from '../registerCommand';
import { PermissionDialogs } from '../ui/dialogs';
import { REPORT_SCHEME, ReportDocuments } from '../ui/reportDocuments';
import { APPLY_CHANGE_FILE_COMMAND, applyChangeFile } from './applyChangeFile';
import { CHANGE_FILE_SELECTOR, ChangeFileLensProvider } from './changeFileLens';
import type { ChangeFileCommandOptions } from './changeFileRun';
import { PLAN_CHANGE_FILE_COMMAND, planChangeFile } from './planChangeFile';

export type { ChangeFileApplyResult } from './applyChangeFile';
export type { ChangeFilePlanResult } from './planChangeFile';

/** (uri?, options?): the lens passes the file's URI, a script may add options, the palette passes nothing. */
function changeFileArgs(raw: readonly unknown[]): { target: unknown; options: ChangeFileCommandOptions } {
  const [first, second] = raw;
  if (first instanceof vscode.Uri) {
    return { target: first, options: (typeof second === 'object' && second !== null ? second : {}) as ChangeFileCommandOptions };
  }
  return { target: undefined, options: (typeof first === 'object' && first !== null ? first : {}) as ChangeFileCommandOptions };
}

export function registerChangeFileCommands(context: vscode.ExtensionContext, services: WorkMailServices, history: ChangeHistory, policy: CommandPolicy): void {
  const reports = new ReportDocuments();
  context.subscriptions.push(reports, vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports));
  context.subscriptions.push(vscode.languages.registerCodeLensProvider(CHANGE_FILE_SELECTOR, new ChangeFileLensProvider()));
  registerCommand(context, policy, PLAN_CHANGE_FILE_COMMAND, (run, ...raw: unknown[]) => {
    const { target, options } = changeFileArgs(raw);
    return planChangeFile({ services, dialogs: new PermissionDialogs(run.answers), reports }, target, options);
  });
  registerCommand(context, policy, APPLY_CHANGE_FILE_COMMAND, (run, ...raw: unknown[]) => {
    const { target, options } = changeFileArgs(raw);
    return applyChangeFile({ services, dialogs: new PermissionDialogs(run.answers), reports, history }, target, options);
  });
}
