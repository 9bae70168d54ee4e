// Registers Add Booking Delegate… and Remove Booking Delegate. Like the permission commands, each
// takes the tree's (node, selection) and a trailing options object (organization, mailbox = the
// resource, grantee = the delegate), writes through the one batch engine, and returns a
// PermissionCommandResult; Undo Last Change undoes them like any change.
import type * as vscode from 'vscode';
import type { WorkMailServices } from '../../services';
import type { ChangeHistory } from '../permissions/history';
import { parseArgs } from '../permissions/permissionRun';
import { registerCommand, type CommandPolicy } from '../registerCommand';
import { addBookingDelegate } from './addBookingDelegate';
import { removeBookingDelegate } from './removeBookingDelegate';

export const ADD_DELEGATE_COMMAND = 'workmail.addBookingDelegate';
export const REMOVE_DELEGATE_COMMAND = 'workmail.removeBookingDelegate';

export function registerDelegateCommands(context: vscode.ExtensionContext, services: WorkMailServices, history: ChangeHistory, policy: CommandPolicy): void {
  registerCommand(context, policy, ADD_DELEGATE_COMMAND, (call, ...raw: unknown[]) => addBookingDelegate({ services, history, ui: call.ui }, parseArgs(raw)));
  registerCommand(context, policy, REMOVE_DELEGATE_COMMAND, (call, ...raw: unknown[]) => removeBookingDelegate({ services, history, ui: call.ui }, parseArgs(raw)));
}
