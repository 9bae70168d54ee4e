// Registers the migration commands: Save Migration Snapshot…, Draft Address Mapping…, Plan
// Migration Waves…, Export Migration Script… and Verify Migration…. They take the tree's (node, selection) and a trailing options object
// (MigrationCommandOptions), run through the audit commands' flow (cancellable scans, files written
// whole, one way of ending), and return a result object describing what they wrote.
import type * as vscode from 'vscode';
import type { WorkMailServices } from '../../services';
import type { ScanCache } from '../../workmail/scan';
import { parseAuditArgs, scanCheckpointFolder, type AuditArgs, type AuditContext } from '../scanCommand';
import type { ReportDocuments } from '../ui/reportDocuments';
import { EXPORT_MIGRATION_COMMAND, exportMigrationScript } from './exportMigrationScript';
import { VERIFY_MIGRATION_COMMAND, verifyMigrationCommand } from './verifyMigration';
import type { ChangeHistory } from '../permissions/history';
import { registerCommand, type CommandPolicy } from '../registerCommand';
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
  exportMigrationScript: EXPORT_MIGRATION_COMMAND,
  verifyMigration: VERIFY_MIGRATION_COMMAND,
} as const;

export function registerMigrationCommands(context: vscode.ExtensionContext, services: WorkMailServices, history: ChangeHistory, policy: CommandPolicy, scans: ScanCache, documents: ReportDocuments): void {
  // Snapshots and waves always scan afresh (a record must say what WorkMail holds now): they put
  // their scans into the shared cache, for the audit commands, but never take one from it.
  const checkpoints = scanCheckpointFolder(context);
  const register = (id: string, run: (ctx: MigrationContext, node: unknown) => Promise<unknown>): void => {
    registerCommand(context, policy, id, (call, ...raw: unknown[]) => {
      const args = parseAuditArgs(raw);
      const options = args.options as MigrationCommandOptions;
      return run({ services, ui: call.ui, options, scans, history, checkpoints, saveLocation: call.saveLocation }, args.node);
    });
  };
  register(SAVE_SNAPSHOT_COMMAND, saveMigrationSnapshot);
  register(DRAFT_MAPPING_COMMAND, (ctx) => draftAddressMapping(ctx));
  register(PLAN_WAVES_COMMAND, planMigrationWaves);
  // The script and its verification take the audit commands' arguments (node, selection, options).
  const registerWithArgs = (id: string, run: (ctx: AuditContext, args: AuditArgs) => Promise<unknown>): void => {
    registerCommand(context, policy, id, (call, ...raw: unknown[]) => {
      const args = parseAuditArgs(raw);
      return run({ services, ui: call.ui, options: args.options, scans, history, checkpoints, saveLocation: call.saveLocation }, args);
    });
  };
  registerWithArgs(EXPORT_MIGRATION_COMMAND, exportMigrationScript);
  registerWithArgs(VERIFY_MIGRATION_COMMAND, (ctx, args) => verifyMigrationCommand(ctx, args, documents));
}
