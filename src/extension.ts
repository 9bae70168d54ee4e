// Wiring only: settings → session → tree and commands. Activation does no network I/O; the tree
// loads organizations when the view is first shown.
import * as vscode from 'vscode';
import { registerFoundationCommands } from './commands';
import { registerAuditCommands } from './commands/audit';
import { registerChangeFileCommands } from './commands/changes';
import { registerMigrationCommands } from './commands/migration';
import { registerPermissionCommands } from './commands/permissions';
import { ChangeHistory } from './commands/permissions/history';
import { createLog } from './log';
import { ProfileStatus } from './profileStatus';
import { WorkMailRuntime } from './runtime';
import { pendingWritesDirectory } from './workmail/pendingLocation';
import { CommandAnswerSeam } from './commands/ui/answers';
import { WorkMailExplorer } from './tree/explorer';
import { MailboxNode } from './tree/mailboxNode';
import { PageRetention } from './tree/pageRetention';

/** What activate returns: used by the extension-host tests and nothing else. */
export interface WorkMailExtensionApi {
  readonly explorer: WorkMailExplorer;
  readonly treeView: vscode.TreeView<unknown>;
  readonly services: WorkMailRuntime;
  readonly retention: PageRetention;
  /** Answers for the next run of a command (confirmations, observers): the tests' only way to answer. */
  readonly answers: CommandAnswerSeam;
}

function viewDescription(profile: string | undefined): string {
  return profile ?? vscode.l10n.t('default credentials');
}

export function activate(context: vscode.ExtensionContext): WorkMailExtensionApi {
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
  const answers = new CommandAnswerSeam();
  const policy = { log, profile: () => services.profile(), answers };
  const history = new ChangeHistory();
  registerFoundationCommands(context, { explorer, services, log, applySettings }, policy);
  registerPermissionCommands(context, services, history, policy);
  registerAuditCommands(context, services, history, policy);
  registerChangeFileCommands(context, services, history, policy);
  registerMigrationCommands(context, services, history, policy);

  return { explorer, treeView: treeView as vscode.TreeView<unknown>, services, retention, answers };
}

export function deactivate(): void {}
