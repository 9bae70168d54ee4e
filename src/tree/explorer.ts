// The `workmail.explorer` tree: organizations of every selected region at the root, then each
// node loads its own children lazily. Also the place permission commands tell about writes.
import * as vscode from 'vscode';
import type { PermissionsChange, WorkMailServices } from '../services';
import { isCancellation, toWorkMailError, type WorkMailError } from '../workmail/errors';
import { prepareNameOrder } from '../workmail/names';
import { WORKMAIL_REGIONS, type Organization, type OrgRef } from '../workmail/types';
import { ExplorerNode, isRefreshable, type TreeContext } from './explorerNode';
import { MailboxNode } from './mailboxNode';
import { ErrorNode, LoadMoreNode, PlaceholderNode } from './messageNodes';
import { OrganizationNode } from './organizationNode';
import { PaginatedNode } from './paginatedNode';
import { mailboxKey, PendingRights } from './pendingRights';
import { TreeSync } from './treeSync';

/** What the tree needs from the running extension: the one services interface every part uses. */
export type ExplorerDependencies = Pick<WorkMailServices, 'session' | 'directory' | 'clearDirectories' | 'pageSize' | 'regions' | 'showSystemUsers' | 'pendingWrites' | 'log'>;

/** Context keys that drive the view's welcome content. */
export const CONTEXT_NO_CREDENTIALS = 'workmail.noCredentials';
export const CONTEXT_NO_ORGANIZATIONS = 'workmail.noOrganizations';

/** Credential failures that mean "set up credentials first" rather than "this call failed". */
const MISSING_CREDENTIALS = new Set(['NoCredentials', 'ProfileNotFound']);

interface RootState {
  organizations: OrganizationNode[];
  errors: ErrorNode[];
}

const REGION_ORDER: readonly string[] = WORKMAIL_REGIONS;

export class WorkMailExplorer implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  /** Every change event, the changes nodes announce, and whether a read was overtaken (treeSync.ts). */
  readonly sync = new TreeSync<ExplorerNode>();
  readonly onDidChangeTreeData = this.sync.onDidChange;
  readonly pending = new PendingRights();
  private readonly context: TreeContext;
  private readonly mailboxes = new Map<string, Set<MailboxNode>>();
  private root: RootState | undefined;
  private rootLoad: Promise<RootState> | undefined;
  /** The root load under way; aborted by a full refresh, so its late answer is dropped. */
  private rootAbort: AbortController | undefined;
  private welcomeState: 'noCredentials' | 'noOrganizations' | undefined;

  constructor(private readonly deps: ExplorerDependencies) {
    this.context = {
      session: () => deps.session(),
      directory: (org) => deps.directory(org),
      pageSize: () => deps.pageSize(),
      showSystemUsers: () => deps.showSystemUsers(),
      pendingWrites: () => deps.pendingWrites(),
      log: deps.log,
      pending: this.pending,
      changed: (node) => this.sync.fire(node),
      announce: (node) => this.sync.announce(node),
      track: (node) => {
        if (!(node instanceof MailboxNode)) {
          return;
        }
        const key = mailboxKey(node.org, node.entity.id);
        let nodes = this.mailboxes.get(key);
        if (!nodes) {
          nodes = new Set();
          this.mailboxes.set(key, nodes);
        }
        nodes.add(node);
      },
      untrack: (node) => {
        if (node instanceof MailboxNode) {
          this.mailboxes.get(mailboxKey(node.org, node.entity.id))?.delete(node);
        }
      },
    };
  }

  /** Which welcome content the empty view shows, if any (mirrors the context keys). */
  get welcome(): 'noCredentials' | 'noOrganizations' | undefined {
    return this.welcomeState;
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  /**
   * What getTreeItem left out, asked for by VS Code when the person hovers a row (or selects one):
   * the tooltips of the rows that come a page at a time. Building them for every row of a page,
   * and VS Code parsing each as markdown before the page is shown, was work for rows never hovered.
   */
  resolveTreeItem(item: vscode.TreeItem, node: ExplorerNode): vscode.TreeItem {
    if (item.tooltip === undefined) {
      item.tooltip = node.tooltip();
    }
    return item;
  }

  /**
   * A change of this node or of one above it while its rows were read means VS Code has replaced the
   * entry it is reading for (VS Code 1.100 would file the rows under the replaced entry, and the next
   * read of them fails: "Element with id … is already registered", an empty mailbox). Such a read
   * answers nothing; the change makes VS Code read every open row below it again.
   */
  getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (node) {
      this.childrenRead.fire(node);
    }
    return this.sync.read(node, () => (node ? node.getChildren() : this.rootChildren()));
  }

  private readonly childrenRead = new vscode.EventEmitter<ExplorerNode>();
  /**
   * VS Code read a node's rows: it is open. Said apart from onDidExpandElement because VS Code drops
   * an expand (or collapse) event for a row whose parent's change it has not applied yet (1.100,
   * ExtHostTreeView.setExpanded); the read that follows is never dropped.
   */
  readonly onDidReadChildren = this.childrenRead.event;

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return node.parent;
  }

  /**
   * Restart one node at its first page, or (without a node) the whole view. A refresh asked for by
   * the person shows what WorkMail lists, so rights shown ahead of a lagging list are dropped (the
   * writer still remembers them and refuses a change that would undo them).
   */
  refresh(node?: ExplorerNode): void {
    if (node instanceof LoadMoreNode) {
      node = node.owner;
    }
    if (node instanceof MailboxNode) {
      this.pending.forget(node.org, node.entity.id);
    }
    if (node && isRefreshable(node)) {
      node.refresh();
      return;
    }
    this.pending.clear();
    this.sync.forgetAnnouncements();
    this.rootAbort?.abort();
    this.rootAbort = undefined;
    this.root = undefined;
    this.rootLoad = undefined;
    this.mailboxes.clear();
    this.deps.clearDirectories();
    this.sync.fire(undefined);
  }

  /** The person expanded `node` in the view (not called for children VS Code or a test asks for). */
  expanded(node: ExplorerNode): void {
    if (node instanceof OrganizationNode) {
      node.opened();
    }
  }

  /** Fetch exactly the next page of a node ("Load more…", or retrying a failed page). */
  async loadMore(node: ExplorerNode): Promise<void> {
    const owner = node instanceof LoadMoreNode ? node.owner : node;
    if (owner instanceof PaginatedNode) {
      await owner.loadMoreAndShow();
    }
  }

  /** Re-render without reloading (e.g. after `workmail.showSystemUsers` changed). */
  rerender(): void {
    this.sync.fire(undefined);
  }

  /** The organization nodes currently at the root (loaded on demand). */
  async organizations(): Promise<OrganizationNode[]> {
    return (await this.loadRoot()).organizations;
  }

  /** Mailbox nodes currently in the tree for one mailbox (one per listing it appears in). */
  mailboxNodes(org: OrgRef, mailboxId: string): MailboxNode[] {
    return [...(this.mailboxes.get(mailboxKey(org, mailboxId)) ?? [])];
  }

  /** A write was made (or may have been): show its rights at once, and reload only that mailbox. */
  permissionsChanged({ org, mailboxId, granteeId, granteeType, rights, route }: PermissionsChange): void {
    // A delegation is not a grantee row: the resource's delegate list is read again with it.
    if (rights !== undefined && route !== 'booking-delegate') {
      this.pending.record(org, mailboxId, granteeId, granteeType, rights);
    }
    for (const node of this.mailboxNodes(org, mailboxId)) {
      node.refresh();
    }
  }

  dispose(): void {
    this.childrenRead.dispose();
    this.rootAbort?.abort();
    this.sync.dispose();
  }

  private async rootChildren(): Promise<ExplorerNode[]> {
    if (this.deps.regions().length === 0) {
      const selectRegions = { title: vscode.l10n.t('Select Regions…'), command: 'workmail.selectRegions' };
      return [new PlaceholderNode(undefined, vscode.l10n.t('No WorkMail region selected'), 'globe', selectRegions)];
    }
    const root = await this.loadRoot();
    return [...root.organizations, ...root.errors];
  }

  private loadRoot(): Promise<RootState> {
    if (this.root) {
      return Promise.resolve(this.root);
    }
    if (!this.rootLoad) {
      const abort = new AbortController();
      this.rootAbort = abort;
      this.rootLoad = this.listOrganizations(abort.signal).then((state) => {
        if (!abort.signal.aborted) {
          this.root = state;
          this.rootLoad = undefined;
        }
        // After VS Code has the organizations: the next thing opened is a list sorted by name.
        setTimeout(prepareNameOrder, 0);
        return state;
      });
    }
    return this.rootLoad;
  }

  private async listOrganizations(signal: AbortSignal): Promise<RootState> {
    const regions = this.deps.regions();
    const session = this.deps.session();
    const results = await Promise.allSettled(regions.map((region) => session.listOrganizations(region, signal)));
    const organizations: Organization[] = [];
    const failures: Array<{ region: string; error: WorkMailError }> = [];
    results.forEach((result, index) => {
      const region = regions[index];
      if (result.status === 'fulfilled') {
        organizations.push(...result.value);
      } else if (!isCancellation(result.reason)) {
        const error = toWorkMailError(result.reason, { profile: session.profile, region, subject: vscode.l10n.t('The organizations in {0}', region) });
        this.deps.log.error(`ListOrganizations ${region}: ${error.message}${error.detail ? ` (${error.detail})` : ''}`);
        failures.push({ region, error });
      }
    });
    organizations.sort(
      (a, b) =>
        REGION_ORDER.indexOf(a.region) - REGION_ORDER.indexOf(b.region) ||
        (a.alias ?? a.organizationId).localeCompare(b.alias ?? b.organizationId),
    );
    const noCredentials = failures.length > 0 && failures.length === regions.length && failures.every((f) => MISSING_CREDENTIALS.has(f.error.code));
    const noOrganizations = failures.length === 0 && organizations.length === 0;
    this.welcomeState = noCredentials ? 'noCredentials' : noOrganizations ? 'noOrganizations' : undefined;
    await Promise.all([
      vscode.commands.executeCommand('setContext', CONTEXT_NO_CREDENTIALS, noCredentials),
      vscode.commands.executeCommand('setContext', CONTEXT_NO_ORGANIZATIONS, noOrganizations),
    ]);
    if (noCredentials) {
      // An empty root lets the view show its "no credentials" welcome instead.
      return { organizations: [], errors: [] };
    }
    const retry: vscode.Command = { title: vscode.l10n.t('Retry'), command: 'workmail.refresh' };
    return {
      organizations: organizations.map((org) => new OrganizationNode(this.context, org)),
      errors: failures.map(
        ({ region, error }) => new ErrorNode(undefined, `region/${region}`, `${region}: ${error.message}`, error.detail, retry),
      ),
    };
  }
}
