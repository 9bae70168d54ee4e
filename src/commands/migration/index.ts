// Registers the migration commands: Save Migration Snapshot…, Draft Address Mapping… and Plan
// Migration Waves…. They take the tree's (node, selection) and a trailing options object
// (MigrationCommandOptions), run through the audit commands' flow (cancellable scans, files written
// whole, one way of ending), and return a result object describing what they wrote.
import type * as vscode from 'vscode';
import type { WorkMailServices } from '../../services';
import type { ScanCache } from '../../workmail/scan';
import { scanCheckpointFolder } from '../audit/auditRun';
import { parseAuditArgs } from '../audit/auditRun';
import type { ChangeHistory } from '../permissions/history';
import { registerCommand, type CommandPolicy } from '../registerCommand';
import { PermissionDialogs } from '../ui/dialogs';
import { DRAFT_MAPPING_COMMAND, draftAddressMapping } from './draftMapping';
import type { MigrationContext } from './flow';
import { PLAN_WAVES_COMMAND, planMigrationWaves } from './planWaves';
import { SAVE_SNAPSHOT_COMMAND, saveMigrationSnapshot } from './saveSnapshot';
import type { MigrationCommandOptions } from './types';

export type * from './types';

export const MIGRATION_COMMANDS = {
  saveMigrationSnapshot: SAVE_SNAPSHOT_COMMAND,
  draftAddressMapping: DRAFT_MAPPING_COMMAND,
  planMigrationWaves: PLAN_WAVES_COMMAND,
} as const;

export function registerMigrationCommands(context: vscode.ExtensionContext, services: WorkMailServices, history: ChangeHistory, policy: CommandPolicy, scans: ScanCache): void {
  // Snapshots and waves always scan afresh (a record must say what WorkMail holds now): they put
  // their scans into the shared cache, for the audit commands, but never take one from it.
  const checkpoints = scanCheckpointFolder(context);
  const register = (id: string, run: (ctx: MigrationContext, node: unknown) => Promise<unknown>): void => {
    registerCommand(context, policy, id, (call, ...raw: unknown[]) => {
      const args = parseAuditArgs(raw);
      const options = args.options as MigrationCommandOptions;
      const dialogs = new PermissionDialogs(call.answers, services.log);
      return run({ services, dialogs, options, scans, history, checkpoints, saveLocation: call.saveLocation }, args.node);
    });
  };
  register(SAVE_SNAPSHOT_COMMAND, saveMigrationSnapshot);
  register(DRAFT_MAPPING_COMMAND, (ctx) => draftAddressMapping(ctx));
  register(PLAN_WAVES_COMMAND, planMigrationWaves);
}
