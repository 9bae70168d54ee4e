// Placeholder until the grant/edit/revoke commands land: registers nothing.
import type * as vscode from 'vscode';
import type { WorkMailServices } from '../../services';

export function registerPermissionCommands(_context: vscode.ExtensionContext, _services: WorkMailServices): void {}
