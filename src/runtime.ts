// The running extension's state behind the WorkMailServices interface (./services): one session for
// the active profile and endpoint, its writer, one DirectoryCache per organization, and the event
// that tells the tree and the scan cache about changes. `activate` (./extension) only wires it.
import * as vscode from 'vscode';
import { logCall } from './log';
import type { PermissionsChange, WorkMailServices } from './services';
import { readEndpoint, readPageSize, readProfile, readRegions, readSettleMs, readShowSystemUsers, REQUEST_TIMEOUT_MS } from './settings';
import { DirectoryCache } from './workmail/directory';
import type { PendingWrite } from './workmail/pendingWrites';
import type { PermissionWriter } from './workmail/permissions';
import type { WorkMailSession } from './workmail/session';
import type { OrgRef, Right } from './workmail/types';
import { loadWorkMail } from './workmailLoader';

/**
 * The running extension's state behind the WorkMailServices interface: one session for the
 * active profile and endpoint, its writer, and one DirectoryCache per organization.
 */
export class WorkMailRuntime implements WorkMailServices, vscode.Disposable {
  private current: { session: WorkMailSession; writer: PermissionWriter; key: string } | undefined;
  private readonly directories = new Map<string, DirectoryCache>();
  private regionsInUse = readRegions().join(',');
  private sessionKeyInUse = this.sessionKey();

  /**
   * @param pendingWritesDirectory where writes in flight, in doubt or not listed yet are kept: one
   * folder per machine user (pendingLocation.ts), so every window, VS Code profile and the
   * command-line tool see the same per-pair locks and in-doubt holds.
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

  shownRights(org: OrgRef, mailboxId: string, granteeId: string): Promise<Right[]> {
    return this.writer().readRights(org, mailboxId, granteeId);
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

  pendingWrites(): Promise<readonly PendingWrite[]> {
    return this.writer().pendingWrites();
  }

  showSystemUsers(): boolean {
    return readShowSystemUsers();
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

  private readonly accountReadEmitter = new vscode.EventEmitter<{ session: WorkMailSession; org: OrgRef }>();
  /** A session read the account that owns an organization (`session.accountOf(org)` now answers without a call). */
  readonly onDidReadAccount = this.accountReadEmitter.event;

  private readonly permissionsChangedEmitter = new vscode.EventEmitter<PermissionsChange>();
  readonly onDidChangePermissions = this.permissionsChangedEmitter.event;

  permissionsChanged(change: PermissionsChange): void {
    this.permissionsChangedEmitter.fire(change);
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
    this.accountReadEmitter.dispose();
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
      const session: WorkMailSession = new WorkMailSession({
        profile,
        endpoint,
        requestTimeoutMs: REQUEST_TIMEOUT_MS,
        onCall: (record) => {
          logCall(this.log, record);
          // DescribeOrganization is how a session learns an organization's account (accountOf).
          if (record.operation === 'DescribeOrganization' && record.outcome === 'ok' && record.organizationId) {
            const org = { region: record.region, organizationId: record.organizationId };
            this.accountReadEmitter.fire({ session, org });
          }
        },
      });
      this.log.info(
        `Using ${profile ? `profile "${profile}"` : 'the default credential chain'}${endpoint ? ` with endpoint ${endpoint}` : ''}`,
      );
      const store = new PendingWriteStore(this.pendingWritesDirectory);
      this.current = { session, writer: new PermissionWriter(session, { store, settleMs: readSettleMs(), listLagMs: readSettleMs() }), key };
    }
    return this.current;
  }
}

