// Wiring only: settings → session → tree and commands. Activation does no network I/O; the tree
// loads organizations when the view is first shown.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerFoundationCommands } from './commands';
import { registerAuditCommands } from './commands/audit';
import { registerPermissionCommands } from './commands/permissions';
import { ChangeHistory } from './commands/permissions/history';
import { createLog, logCall } from './log';
import type { WorkMailServices } from './services';
import { readEndpoint, readPageSize, readProfile, readRegions, readSettleMs, readShowSystemUsers, REQUEST_TIMEOUT_MS } from './settings';
import { WorkMailExplorer } from './tree/explorer';
import { PageRetention } from './tree/pageRetention';
import { DirectoryCache } from './workmail/directory';
import type { PermissionWriter } from './workmail/permissions';
import type { WorkMailSession } from './workmail/session';
import { loadWorkMail } from './workmailLoader';
import type { OrgRef, Right } from './workmail/types';

/** What activate returns: used by the extension-host tests and nothing else. */
export interface WorkMailExtensionApi {
  readonly explorer: WorkMailExplorer;
  readonly treeView: vscode.TreeView<unknown>;
  readonly services: WorkMailRuntime;
  readonly retention: PageRetention;
}

/**
 * The running extension's state behind the WorkMailServices interface: one session for the
 * active profile and endpoint, its writer, and one DirectoryCache per organization.
 */
export class WorkMailRuntime implements WorkMailServices, vscode.Disposable {
  private current: { session: WorkMailSession; writer: PermissionWriter; key: string } | undefined;
  private readonly directories = new Map<string, DirectoryCache>();
  private regionsInUse = readRegions().join(',');
  private sessionKeyInUse = this.sessionKey();
  /** Set once the tree exists; permission changes are forwarded to it. */
  explorer: WorkMailExplorer | undefined;

  /**
   * @param pendingWritesDirectory where writes that are in doubt or not listed yet are kept: in the
   * extension's global storage, so a new session, a reloaded window and every other window see them.
   */
  constructor(
    readonly log: vscode.LogOutputChannel,
    private readonly pendingWritesDirectory: string,
  ) {}

  session(): WorkMailSession {
    return this.ensure().session;
  }

  writer(): PermissionWriter {
    return this.ensure().writer;
  }

  directory(org: OrgRef): DirectoryCache {
    const key = `${org.region}/${org.organizationId}`;
    let cache = this.directories.get(key);
    if (!cache) {
      cache = new DirectoryCache(this.session(), org);
      this.directories.set(key, cache);
    }
    return cache;
  }

  clearDirectories(): void {
    this.directories.forEach((cache) => cache.clear());
    this.directories.clear();
  }

  pageSize(): number {
    return readPageSize();
  }

  regions(): string[] {
    return readRegions();
  }

  profile(): string | undefined {
    return readProfile();
  }

  private readonly permissionsChangedEmitter = new vscode.EventEmitter<OrgRef>();
  readonly onDidChangePermissions = this.permissionsChangedEmitter.event;

  permissionsChanged(org: OrgRef, mailboxId: string, granteeId: string, granteeType: 'USER' | 'GROUP', rights: readonly Right[]): void {
    this.explorer?.permissionsChanged(org, mailboxId, granteeId, granteeType, rights);
    this.permissionsChangedEmitter.fire(org);
  }

  refreshMailbox(org: OrgRef, mailboxId: string): void {
    for (const node of this.explorer?.mailboxNodes(org, mailboxId) ?? []) {
      node.refresh();
    }
  }

  /**
   * Bring the session in line with the settings. Returns true when anything that decides what the
   * tree shows (profile, endpoint, regions) changed; the caller then refreshes the view.
   * Idempotent, so both a command and the configuration listener may call it.
   */
  applySettings(): boolean {
    const regions = readRegions().join(',');
    const regionsChanged = regions !== this.regionsInUse;
    this.regionsInUse = regions;
    const sessionKey = this.sessionKey();
    const sessionChanged = sessionKey !== this.sessionKeyInUse;
    this.sessionKeyInUse = sessionKey;
    if (this.current && this.current.key !== sessionKey) {
      this.current.session.dispose();
      this.current = undefined;
      this.clearDirectories();
    }
    return sessionChanged || regionsChanged;
  }

  dispose(): void {
    this.permissionsChangedEmitter.dispose();
    this.current?.session.dispose();
    this.current = undefined;
    this.clearDirectories();
  }

  private sessionKey(): string {
    return JSON.stringify([readProfile() ?? '', readEndpoint() ?? '']);
  }

  private ensure(): { session: WorkMailSession; writer: PermissionWriter; key: string } {
    const key = this.sessionKey();
    if (this.current && this.current.key !== key) {
      this.current.session.dispose();
      this.current = undefined;
      this.clearDirectories();
    }
    if (!this.current) {
      const profile = readProfile();
      const endpoint = readEndpoint();
      const { WorkMailSession, PermissionWriter, PendingWriteStore } = loadWorkMail();
      const session = new WorkMailSession({ profile, endpoint, requestTimeoutMs: REQUEST_TIMEOUT_MS, onCall: (record) => logCall(this.log, record) });
      this.log.info(
        `Using ${profile ? `profile "${profile}"` : 'the default credential chain'}${endpoint ? ` with endpoint ${endpoint}` : ''}`,
      );
      const store = new PendingWriteStore(this.pendingWritesDirectory);
      this.current = { session, writer: new PermissionWriter(session, { store, settleMs: readSettleMs(), listLagMs: readSettleMs() }), key };
    }
    return this.current;
  }
}

function viewDescription(profile: string | undefined): string {
  return profile ?? vscode.l10n.t('default credentials');
}

export function activate(context: vscode.ExtensionContext): WorkMailExtensionApi {
  const log = createLog();
  context.subscriptions.push(log);
  const services = new WorkMailRuntime(log, path.join(context.globalStorageUri.fsPath, 'pending-writes'));
  context.subscriptions.push(services);

  const explorer = new WorkMailExplorer({
    session: () => services.session(),
    directory: (org) => services.directory(org),
    clearDirectories: () => services.clearDirectories(),
    pageSize: () => services.pageSize(),
    regions: () => services.regions(),
    showSystemUsers: readShowSystemUsers,
    pendingWrites: () => services.writer().pendingWrites(),
    log,
  });
  services.explorer = explorer;
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
  );

  /** Called after any settings change, by the listener and by the commands that write settings. */
  const applySettings = (): void => {
    treeView.description = viewDescription(services.profile());
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
  const policy = { log, profile: () => services.profile() };
  const history = new ChangeHistory();
  registerFoundationCommands(context, { explorer, services, log, applySettings }, policy);
  registerPermissionCommands(context, services, history, policy);
  registerAuditCommands(context, services, history, policy);

  return { explorer, treeView: treeView as vscode.TreeView<unknown>, services, retention };
}

export function deactivate(): void {}
