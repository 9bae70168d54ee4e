// The commands the first view does not need (DEFERRED_COMMANDS in extension.ts): grant, edit,
// revoke and undo, audit and export, migration, and permissions as a file with its CodeLenses. They
// are three quarters of the extension's code, so they are built into a bundle of their own,
// dist/deferred.js (scripts/build.mjs), which is read and compiled only when they are first needed
// (a second after activation at the latest); compiling them at activation cost more than the rest
// of activation. Every module they share with the rest of the extension (the tree's nodes,
// the session, the command pipeline) is the one dist/extension.js already loaded, not a copy.
import type * as vscode from 'vscode';
import type { WorkMailServices } from '../services';
import { registerAuditCommands } from './audit';
import { registerChangeFileCommands } from './changes';
import { registerMigrationCommands } from './migration';
import { registerPermissionCommands } from './permissions';
import type { ChangeHistory } from './permissions/history';
import type { CommandPolicy } from './registerCommand';
import { ScanCache } from '../workmail/scan';

export function registerDeferredCommands(context: vscode.ExtensionContext, services: WorkMailServices, history: ChangeHistory, policy: CommandPolicy): void {
  // One cache of whole-organization scans for the audit and migration commands, keyed by profile,
  // endpoint and organization; a change made through the extension makes that organization's
  // scan wrong, so it is forgotten.
  const scans = new ScanCache();
  context.subscriptions.push(services.onDidChangePermissions((change) => scans.invalidate(services.session(), change.org)));
  registerPermissionCommands(context, services, history, policy);
  registerAuditCommands(context, services, history, policy, scans);
  registerChangeFileCommands(context, services, history, policy);
  registerMigrationCommands(context, services, history, policy, scans);
}
