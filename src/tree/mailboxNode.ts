// A user, group or resource mailbox; expands to the grantees of ListMailboxPermissions.
import * as vscode from 'vscode';
import type { PendingWrite } from '../workmail/pendingWrites';
import { hasNoMailbox, isNoMailboxRefusal } from '../workmail/mailboxes';
import { entityName } from '../workmail/names';
import { normalizeRights } from '../workmail/rights';
import type { DirectoryEntity, Grant, Organization, Page } from '../workmail/types';
import { displayText, safeTooltip, stateMarker } from './display';
import type { ExplorerNode, TreeContext } from './explorerNode';
import { compareGrantees, GranteeNode } from './granteeNode';
import { PaginatedNode } from './paginatedNode';
import { BookingDelegatesNode } from './routeNodes';

function mailboxIcon(entity: DirectoryEntity): string {
  switch (entity.kind) {
    case 'user':
      return 'person';
    case 'group':
      return 'organization';
    default:
      return entity.resourceType === 'EQUIPMENT' ? 'tools' : 'location';
  }
}

export class MailboxNode extends PaginatedNode<Grant> {
  readonly kind = 'mailbox';
  readonly id: string;
  readonly contextValue: string;
  /** Grantee names resolved for the loaded pages; null = unknown or deleted. */
  private readonly names = new Map<string, DirectoryEntity | null>();
  /** Grantees with a write whose outcome is not known yet, read with the first page. */
  private readonly doubts = new Map<string, PendingWrite>();
  /** A resource's booking delegates, shown above its grantees: another route into it. */
  readonly bookingDelegates: BookingDelegatesNode | undefined;

  constructor(
    parent: ExplorerNode,
    context: TreeContext,
    readonly org: Organization,
    readonly entity: DirectoryEntity,
  ) {
    super(parent, context);
    this.id = `${parent.id}/mailbox/${entity.id}`;
    this.contextValue = `mailbox-${entity.kind}`;
    this.bookingDelegates = entity.kind === 'resource' ? new BookingDelegatesNode(this, context, org, entity) : undefined;
  }

  override async getChildren(): Promise<ExplorerNode[]> {
    const rows = await super.getChildren();
    return this.bookingDelegates ? [this.bookingDelegates, ...rows] : rows;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(displayText(entityName(this.entity)) || this.entity.id, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = this.contextValue;
    const state = this.entity.state;
    const marker = stateMarker(state);
    // The state first: at a narrow side bar the address is what gets cut, not "(disabled)".
    item.description = displayText([marker.word, displayText(this.entity.email)].filter(Boolean).join(' '));
    item.iconPath = new vscode.ThemeIcon(mailboxIcon(this.entity), marker.colour);
    // The tooltip is built on hover (tooltip(), through the explorer's resolveTreeItem).
    return item;
  }

  override tooltip(): vscode.MarkdownString {
    return safeTooltip([
      [vscode.l10n.t('Mailbox'), entityName(this.entity)],
      [vscode.l10n.t('Email'), this.entity.email],
      [vscode.l10n.t('ID'), this.entity.id],
      [vscode.l10n.t('State'), this.entity.state],
    ]);
  }

  protected async fetchPage(nextToken: string | undefined, signal: AbortSignal): Promise<Page<Grant>> {
    let page: Page<Grant>;
    try {
      page = await this.context.session().listGrantsPage(this.org, this.entity.id, { maxResults: this.context.pageSize(), nextToken }, signal);
    } catch (err) {
      if (isNoMailboxRefusal(err, this.entity)) {
        // A user without a mailbox: nothing to list, and nothing failed (see emptyLabel).
        return { items: [] };
      }
      throw err;
    }
    if (nextToken === undefined) {
      await this.loadDoubts();
    }
    const toResolve = [...page.items, ...this.context.pending.grantees(this.org, this.entity.id), ...[...this.doubts.values()].map((d) => ({ granteeId: d.key.granteeId, granteeType: 'USER' as const }))].filter(
      (grant) => !this.names.has(grant.granteeId),
    );
    if (toResolve.length > 0) {
      try {
        const resolved = await this.context.directory(this.org).resolve(toResolve, signal);
        for (const [id, entity] of resolved) {
          this.names.set(id, entity);
        }
      } catch (err) {
        // The grants are still worth showing by ID when names cannot be looked up.
        this.context.log.warn(`Could not resolve grantee names for ${this.entity.id}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return page;
  }

  protected keyOf(grant: Grant): string {
    return grant.granteeId;
  }

  /** A grantee listed in two rows holds the rights of both, as the writer reads them. */
  protected override mergeRepeat(first: Grant, repeat: Grant): Grant {
    return { ...first, rights: normalizeRights([...first.rights, ...repeat.rights]) };
  }

  protected render(grants: readonly Grant[], complete: boolean): ExplorerNode[] {
    const shown = this.context.pending.apply(this.org, this.entity.id, grants, complete);
    // A grantee whose write is in doubt is shown even when WorkMail lists nothing for it: the
    // write may still land.
    const listed = new Set(shown.map((grant) => grant.granteeId));
    const unlisted = complete ? [...this.doubts.values()].filter((d) => !listed.has(d.key.granteeId)).map((d): Grant => ({ granteeId: d.key.granteeId, granteeType: this.names.get(d.key.granteeId)?.kind === 'group' ? 'GROUP' : 'USER', rights: [] })) : [];
    // By grantee name, as the Users list is; grantees the directory does not know come last, by ID.
    return [...shown, ...unlisted]
      .map(
        (grant) =>
          new GranteeNode(this, this.org, this.entity, grant, this.names.get(grant.granteeId), this.context.pending.isPending(this.org, this.entity.id, grant.granteeId), this.doubts.get(grant.granteeId), this.context),
      )
      .sort(compareGrantees);
  }

  /** This mailbox's grantees with a write whose outcome is not known yet, from the machine's record. */
  private async loadDoubts(): Promise<void> {
    this.doubts.clear();
    try {
      const now = Date.now();
      for (const write of await this.context.pendingWrites()) {
        const { key } = write;
        if (!key.route && write.state !== 'unlisted' && (write.settleAt ?? 0) > now && key.region === this.org.region && key.organizationId === this.org.organizationId && key.mailboxId === this.entity.id) {
          this.doubts.set(key.granteeId, write);
        }
      }
    } catch (err) {
      this.context.log.warn(`Could not read the record of pending writes: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  protected override onRefresh(): void {
    // Names may have changed too (renamed or deleted grantees); the cache was or will be cleared.
    this.names.clear();
    this.bookingDelegates?.reset();
  }

  protected emptyLabel(): string {
    if (hasNoMailbox(this.entity)) {
      return vscode.l10n.t('No mailbox (this user is not registered for mail)');
    }
    return vscode.l10n.t('No delegated permissions');
  }

  protected subject(): string {
    return vscode.l10n.t('permissions on {0}', entityName(this.entity));
  }
}
