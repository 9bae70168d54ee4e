// Registers grant, edit, revoke and undo. Each command takes the tree's (node, selection) and,
// for scripts and tests, a trailing options object (see PermissionCommandOptions); each returns a
// PermissionCommandResult describing what was written.
import * as vscode from 'vscode';
import type { WorkMailServices } from '../../services';
import type { CommandContext } from './apply';
import { PermissionDialogs } from './dialogs';
import { editPermissions } from './edit';
import { parseArgs, type CommandArgs } from './flow';
import { grantPermissions } from './grant';
import { ChangeHistory } from './history';
import { revokePermissions } from './revoke';
import type { PermissionCommandResult } from './types';
import { undoLastChange } from './undo';

export type { ChangeHistory, RecordedChange } from './history';
export type { PermissionCommandOptions, PermissionCommandResult, PermissionItemOutcome, PermissionUiEvent } from './types';

export const PERMISSION_COMMANDS = {
  grant: 'workmail.grantPermissions',
  edit: 'workmail.editPermissions',
  revoke: 'workmail.revokePermissions',
  undo: 'workmail.undoLastChange',
} as const;

const histories = new WeakMap<vscode.ExtensionContext, ChangeHistory>();

/**
 * The one undo history of this extension instance. Other commands that write through the safe
 * path (the stale-grant clean-up) record there too, so "Undo Last Change" means the last change.
 */
export function changeHistory(context: vscode.ExtensionContext): ChangeHistory {
  let history = histories.get(context);
  if (!history) {
    history = new ChangeHistory();
    histories.set(context, history);
  }
  return history;
}

export function registerPermissionCommands(context: vscode.ExtensionContext, services: WorkMailServices): void {
  const history = changeHistory(context);
  const register = (id: string, run: (ctx: CommandContext, args: CommandArgs) => Promise<PermissionCommandResult>): void => {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, (...raw: unknown[]) => {
        const args = parseArgs(raw);
        return run({ services, history, dialogs: new PermissionDialogs(args.options) }, args);
      }),
    );
  };
  register(PERMISSION_COMMANDS.grant, grantPermissions);
  register(PERMISSION_COMMANDS.edit, editPermissions);
  register(PERMISSION_COMMANDS.revoke, revokePermissions);
  register(PERMISSION_COMMANDS.undo, (ctx) => undoLastChange(ctx));
}
