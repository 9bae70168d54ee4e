// Registers grant, edit, revoke and undo. Each command takes the tree's (node, selection) and,
// for scripts and keybindings, a trailing options object naming what to change (see
// PermissionCommandOptions); each returns a PermissionCommandResult describing what was written.
import * as vscode from 'vscode';
import type { WorkMailServices } from '../../services';
import type { CommandContext } from './apply';
import { editPermissions } from './edit';
import { parseArgs, type CommandArgs } from './permissionRun';
import { grantPermissions } from './grant';
import type { ChangeHistory } from './history';
import { registerCommand, type CommandPolicy } from '../registerCommand';
import { revokePermissions } from './revoke';
import type { PermissionCommandResult } from './types';
import { undoLastChange } from './undo';

export type { ChangeHistory, RecordedChange } from './history';
export type { PermissionCommandOptions, PermissionCommandResult, PermissionItemOutcome, PermissionUiEvent } from './types';

export const GRANT_COMMAND = 'workmail.grantPermissions';
export const EDIT_COMMAND = 'workmail.editPermissions';
export const REVOKE_COMMAND = 'workmail.revokePermissions';
export const UNDO_COMMAND = 'workmail.undoLastChange';

export const PERMISSION_COMMANDS = { grant: GRANT_COMMAND, edit: EDIT_COMMAND, revoke: REVOKE_COMMAND, undo: UNDO_COMMAND } as const;

/**
 * @param history the one undo history of this extension instance, made in `activate`: the
 * stale-grant clean-up records there too, so "Undo Last Change" means the last change.
 */
export function registerPermissionCommands(context: vscode.ExtensionContext, services: WorkMailServices, history: ChangeHistory, policy: CommandPolicy): void {
  const register = (id: string, run: (ctx: CommandContext, args: CommandArgs) => Promise<PermissionCommandResult>): void => {
    registerCommand(context, policy, id, (call, ...raw: unknown[]) => {
      const args = parseArgs(raw);
      return run({ services, history, ui: call.ui }, args);
    });
  };
  register(PERMISSION_COMMANDS.grant, grantPermissions);
  register(PERMISSION_COMMANDS.edit, editPermissions);
  register(PERMISSION_COMMANDS.revoke, revokePermissions);
  register(PERMISSION_COMMANDS.undo, (ctx) => undoLastChange(ctx));
}
