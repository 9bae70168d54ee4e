// The commands the first view does not need (DEFERRED_COMMANDS in extension.ts): grant, edit,
// revoke and undo, audit and export, migration, and permissions as a file with its CodeLenses. They
// are three quarters of the extension's code, so they are built into a bundle of their own,
// dist/deferred.js (scripts/build.mjs), which is read and compiled only when they are first needed
// (a second after activation at the latest); compiling them at activation cost more than the rest
// of activation. Every module they share with the rest of the extension (the tree's nodes,
// the session, the command pipeline) is the one dist/extension.js already loaded, not a copy.
import * as vscode from 'vscode';
import type { WorkMailServices } from '../services';
import { registerAuditCommands } from './audit';
import { registerChangeFileCommands } from './changes';
import { registerDelegateCommands } from './delegates';
import { registerMigrationCommands } from './migration';
import { registerPermissionCommands } from './permissions';
import type { ChangeHistory } from './permissions/history';
import type { CommandPolicy } from './registerCommand';
import { ScanCache } from '../workmail/scan';
import { ACCESS_SCHEME } from './audit/accessDocument';
import { ReportDocuments } from './ui/reportDocuments';

export function registerDeferredCommands(context: vscode.ExtensionContext, services: WorkMailServices, history: ChangeHistory, policy: CommandPolicy): void {
  // One cache of whole-organization scans for the audit and migration commands, keyed by profile,
  // endpoint and organization; a change made through the extension makes that organization's
  // scan wrong, so it is forgotten.
  const scans = new ScanCache();
  context.subscriptions.push(services.onDidChangePermissions((change) => scans.invalidate(services.session(), change.org)));
  // Show Access of…, Review Stale Grants… and Verify Migration… reports, rendered (the change-file commands have their own).
  const documents = new ReportDocuments(ACCESS_SCHEME);
  context.subscriptions.push(documents, vscode.workspace.registerTextDocumentContentProvider(ACCESS_SCHEME, documents));
  registerPermissionCommands(context, services, history, policy);
  registerDelegateCommands(context, services, history, policy);
  registerAuditCommands(context, services, history, policy, scans, documents);
  registerChangeFileCommands(context, services, history, policy);
  registerMigrationCommands(context, services, history, policy, scans, documents);
}
