// Wiring only: settings → session → tree and commands. Activation does no network I/O; the tree
// loads organizations when the view is first shown.
import * as vscode from 'vscode';
import { registerFoundationCommands } from './commands';
import type * as DeferredCommands from './commands/deferred';
import { ChangeHistory } from './commands/permissions/history';
import { createLog } from './log';
import { ProfileStatus } from './profileStatus';
import { watchSettings } from './settings';
import { WorkMailRuntime } from './runtime';
import { pendingWritesDirectory } from './workmail/pendingLocation';
import { VsCodeCommandUi } from './commands/ui/vscodeUi';
import { NextRunUis, type WorkMailExtensionApi } from './testHandle';
import { registerDeferred } from './deferredCommands';
import { WorkMailExplorer } from './tree/explorer';
import { MailboxNode } from './tree/mailboxNode';
import { PageRetention } from './tree/pageRetention';

export type { WorkMailExtensionApi } from './testHandle';

/**
 * Commands the first view does not need: grant, edit, revoke and undo, the audit and export
 * commands, the migration commands and permissions as a file (with its CodeLenses). Their modules
 * are three quarters of the extension and are built into dist/deferred.js
 * (src/commands/deferred.ts), loaded only when first needed: when one of these commands runs, when
 * a change file or JSON document is open (their CodeLenses), or a moment after activation,
 * whichever comes first. Until then each of these command IDs has a stand-in that loads them and
 * runs the real command. (The IDs are written out: importing their constants would put the
 * modules back into dist/extension.js; scripts/check-commands.mjs holds the two lists together.)
 */
const DEFERRED_COMMANDS = [
  'workmail.grantPermissions',
  'workmail.editPermissions',
  'workmail.revokePermissions',
  'workmail.undoLastChange',
  'workmail.addBookingDelegate',
  'workmail.removeBookingDelegate',
  'workmail.showAccessOf',
  'workmail.whoCanOpen',
  'workmail.exportPermissions',
  'workmail.exportMigrationScript',
  'workmail.verifyMigration',
  'workmail.reviewStaleGrants',
  'workmail.planChangeFile',
  'workmail.applyChangeFile',
  'workmail.compareWithSnapshot',
  'workmail.saveMigrationSnapshot',
  'workmail.draftAddressMapping',
  'workmail.planMigrationWaves',
] as const;

/** Long enough for the first view to be served first, short enough that nobody reaches a command before. */
const DEFERRED_LOAD_DELAY_MS = 1000;

function viewDescription(profile: string | undefined): string {
  return profile ?? vscode.l10n.t('default credentials');
}

export function activate(context: vscode.ExtensionContext): WorkMailExtensionApi | undefined {
  // Before anything reads a setting or listens for changes to them (see watchSettings).
  context.subscriptions.push(watchSettings());
  const log = createLog();
  context.subscriptions.push(log);
  // Machine-wide, not the extension's global storage: the command-line tool and every window and
  // VS Code profile must see the same per-pair locks and in-doubt holds.
  const services = new WorkMailRuntime(log, pendingWritesDirectory());
  context.subscriptions.push(services);

  const explorer = new WorkMailExplorer(services);
  const profileStatus = new ProfileStatus(services);
  context.subscriptions.push(profileStatus);

  // The tree follows changes written by any command: shows the written rights at once, or reloads a
  // mailbox whose write is in doubt.
  context.subscriptions.push(services.onDidChangePermissions((change) => explorer.permissionsChanged(change)));
  context.subscriptions.push(explorer);

  const treeView = vscode.window.createTreeView('workmail.explorer', {
    treeDataProvider: explorer,
    canSelectMany: true,
    showCollapseAll: true,
  });
  treeView.description = viewDescription(services.profile());
  context.subscriptions.push(treeView);

  // Pages of lists the person has closed are dropped past a bound, so browsing a large
  // organization mailbox after mailbox does not grow memory without limit.
  const retention = new PageRetention();
  context.subscriptions.push(
    treeView.onDidCollapseElement((event) => retention.onCollapsed(event.element)),
    treeView.onDidExpandElement((event) => retention.onExpanded(event.element)),
    // An expand event can be dropped (explorer.onDidReadChildren says when); a read of the rows cannot.
    explorer.onDidReadChildren((node) => retention.onExpanded(node)),
    treeView.onDidExpandElement((event) => explorer.expanded(event.element)),
    // Completes the walkthrough's "Browse a mailbox" step (its completion event is this context key).
    treeView.onDidExpandElement((event) => {
      if (event.element instanceof MailboxNode) {
        void vscode.commands.executeCommand('setContext', 'workmail.mailboxBrowsed', true);
      }
    }),
  );

  /** Called after any settings change, by the listener and by the commands that write settings. */
  const applySettings = (): void => {
    treeView.description = viewDescription(services.profile());
    profileStatus.settingsChanged();
    if (services.applySettings()) {
      retention.clear();
      explorer.refresh();
    }
  };

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (['workmail.profile', 'workmail.endpoint', 'workmail.regions'].some((key) => event.affectsConfiguration(key))) {
        applySettings();
      }
      if (event.affectsConfiguration('workmail.showSystemUsers')) {
        // Filtering system users happens when rendering, so no call is needed.
        explorer.rerender();
      }
    }),
  );

  // Every command goes through one registration with one failure policy (commands/registerCommand.ts),
  // and every command that writes records in one undo history.
  // Only VS Code running the extension's own tests lets a test script the UI of a run.
  const testing = context.extensionMode === vscode.ExtensionMode.Test;
  const nextRunUis = testing ? new NextRunUis() : undefined;
  const policy = { log, profile: () => services.profile(), uiFor: (commandId: string) => nextRunUis?.take(commandId) ?? new VsCodeCommandUi(log) };
  const history = new ChangeHistory();
  registerFoundationCommands(context, { explorer, services, log, applySettings }, policy);
  registerDeferred(
    context,
    DEFERRED_COMMANDS,
    DEFERRED_LOAD_DELAY_MS,
    () => {
      // scripts/build.mjs makes this require('./deferred.js'), the bundle of its own.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, on purpose
      (require('./commands/deferred') as typeof DeferredCommands).registerDeferredCommands(context, services, history, policy);
    },
    log,
  );

  return nextRunUis ? { explorer, treeView: treeView as vscode.TreeView<unknown>, services, retention, nextRunUis, globalStorage: context.globalStorageUri.fsPath } : undefined;
}

export function deactivate(): void {}
