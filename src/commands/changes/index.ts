// Registers the permissions-as-a-file commands: Plan and Apply… of a change file, Compare with
// Snapshot…, and their CodeLenses. Each command takes the
// file's URI (the lens passes it; else the active editor) and a trailing ChangeFileCommandOptions.
import * as vscode from 'vscode';
import type { WorkMailServices } from '../../services';
import type { ChangeHistory } from '../permissions/history';
import { registerCommand, type CommandPolicy } from '../registerCommand';
import { REPORT_SCHEME, ReportDocuments } from '../ui/reportDocuments';
import { APPLY_CHANGE_FILE_COMMAND, applyChangeFile } from './applyChangeFile';
import { CHANGE_FILE_SELECTOR, ChangeFileLensProvider, SNAPSHOT_SELECTOR, SnapshotLensProvider } from './changeFileLens';
import { COMPARE_WITH_SNAPSHOT_COMMAND, compareWithSnapshot, type CompareOptions } from './compareWithSnapshot';
import type { ChangeFileCommandOptions } from './changeFileRun';
import { PLAN_CHANGE_FILE_COMMAND, planChangeFile } from './planChangeFile';

export type { ChangeFileApplyResult } from './applyChangeFile';
export type { ChangeFilePlanResult } from './planChangeFile';
export type { CompareResult } from './compareWithSnapshot';

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
  context.subscriptions.push(vscode.languages.registerCodeLensProvider(SNAPSHOT_SELECTOR, new SnapshotLensProvider()));
  registerCommand(context, policy, COMPARE_WITH_SNAPSHOT_COMMAND, (run, ...raw: unknown[]) => {
    // (uri) from the lens, (node) from the tree, (options) or (node, options) from a script.
    const last = raw[raw.length - 1];
    const options = (typeof last === 'object' && last !== null && !(last instanceof vscode.Uri) && !('kind' in last) ? last : {}) as CompareOptions;
    return compareWithSnapshot({ services, ui: run.ui, reports }, raw[0] === options ? undefined : raw[0], options);
  });
  registerCommand(context, policy, PLAN_CHANGE_FILE_COMMAND, (run, ...raw: unknown[]) => {
    const { target, options } = changeFileArgs(raw);
    return planChangeFile({ services, ui: run.ui, reports }, target, options);
  });
  registerCommand(context, policy, APPLY_CHANGE_FILE_COMMAND, (run, ...raw: unknown[]) => {
    const { target, options } = changeFileArgs(raw);
    return applyChangeFile({ services, ui: run.ui, reports, history }, target, options);
  });
}
