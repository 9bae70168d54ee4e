// Registers the audit commands: Show Access of…, Export Permissions… and Review Stale Grants….
// They share one scan cache with the migration commands (so "as of 14:02" means the same scan
// everywhere), the `workmail-access:` report documents, and the undo history of the permission
// commands. Each takes the tree's (node, selection) and a trailing options object
// (AuditCommandOptions) and returns a result object describing what it found or wrote.
import type * as vscode from 'vscode';
import type { WorkMailServices } from '../../services';
import type { ScanCache } from '../../workmail/scan';
import type { ChangeHistory } from '../permissions/history';
import { registerCommand, type CommandPolicy } from '../registerCommand';
import type { ReportDocuments } from '../ui/reportDocuments';
import { EXPORT_PERMISSIONS_COMMAND, exportPermissions } from './exportPermissions';
import { parseAuditArgs, scanCheckpointFolder, type AuditArgs, type AuditContext } from '../scanCommand';
import { REVIEW_STALE_COMMAND, reviewStaleGrants } from './reviewStaleGrants';
import { SHOW_ACCESS_COMMAND, showAccessOf } from './showAccessOf';
import { WHO_CAN_OPEN_COMMAND, whoCanOpenMailbox } from './whoCanOpen';

export type * from './types';

export const AUDIT_COMMANDS = {
  showAccessOf: SHOW_ACCESS_COMMAND,
  exportPermissions: EXPORT_PERMISSIONS_COMMAND,
  reviewStaleGrants: REVIEW_STALE_COMMAND,
  whoCanOpen: WHO_CAN_OPEN_COMMAND,
} as const;

export function registerAuditCommands(context: vscode.ExtensionContext, services: WorkMailServices, history: ChangeHistory, policy: CommandPolicy, scans: ScanCache, documents: ReportDocuments): void {
  const checkpoints = scanCheckpointFolder(context);

  const register = (id: string, run: (ctx: AuditContext, args: AuditArgs) => Promise<unknown>): void => {
    registerCommand(context, policy, id, (call, ...raw: unknown[]) => {
      const args = parseAuditArgs(raw);
      return run({ services, ui: call.ui, options: args.options, scans, history, checkpoints, saveLocation: call.saveLocation }, args);
    });
  };
  register(SHOW_ACCESS_COMMAND, (ctx, args) => showAccessOf(ctx, args, documents));
  register(WHO_CAN_OPEN_COMMAND, (ctx, args) => whoCanOpenMailbox(ctx, args, documents));
  register(EXPORT_PERMISSIONS_COMMAND, exportPermissions);
  register(REVIEW_STALE_COMMAND, (ctx, args) => reviewStaleGrants(ctx, args, documents));
}
