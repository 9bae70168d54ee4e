// What the explorer's own commands (refresh, profile, regions, filter, …) are given: kept apart from
// their registration in ./index so the commands and the file that registers them do not import
// each other.
import type * as vscode from 'vscode';
import type { WorkMailServices } from '../services';
import type { WorkMailExplorer } from '../tree/explorer';

export interface FoundationCommandDeps {
  readonly explorer: WorkMailExplorer;
  readonly services: WorkMailServices;
  readonly log: vscode.LogOutputChannel;
  /** Re-read profile, endpoint and regions and refresh the tree if they changed. */
  applySettings(): void;
}
