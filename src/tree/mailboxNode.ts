// A user, group or resource mailbox; expands to the grantees of ListMailboxPermissions.
import * as vscode from 'vscode';
import { normalizeRights } from '../workmail/rights';
import type { DirectoryEntity, Grant, Organization, Page } from '../workmail/types';
import { displayText, safeTooltip, stateMarker } from './display';
import type { ExplorerNode, TreeContext } from './explorerNode';
import { entityLabel, GranteeNode } from './granteeNode';
import { PaginatedNode } from './paginatedNode';

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

  constructor(
    parent: ExplorerNode,
    context: TreeContext,
    readonly org: Organization,
    readonly entity: DirectoryEntity,
  ) {
    super(parent, context);
    this.id = `${parent.id}/mailbox/${entity.id}`;
    this.contextValue = `mailbox-${entity.kind}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(displayText(entityLabel(this.entity)) || this.entity.id, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = this.contextValue;
    const state = this.entity.state;
    const marker = stateMarker(state);
    item.description = [displayText(this.entity.email), marker.word].filter(Boolean).join(' ');
    item.iconPath = new vscode.ThemeIcon(mailboxIcon(this.entity), marker.colour);
    item.tooltip = safeTooltip([
      [vscode.l10n.t('Mailbox'), entityLabel(this.entity)],
      [vscode.l10n.t('Email'), this.entity.email],
      [vscode.l10n.t('ID'), this.entity.id],
      [vscode.l10n.t('State'), state],
    ]);
    return item;
  }

  protected async fetchPage(nextToken: string | undefined, signal: AbortSignal): Promise<Page<Grant>> {
    const page = await this.context
      .session()
      .listGrantsPage(this.org, this.entity.id, { maxResults: this.context.pageSize(), nextToken }, signal);
    const toResolve = [...page.items, ...this.context.pending.grantees(this.org, this.entity.id)].filter(
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
    return this.context.pending
      .apply(this.org, this.entity.id, grants, complete)
      .map(
        (grant) =>
          new GranteeNode(this, this.org, this.entity, grant, this.names.get(grant.granteeId), this.context.pending.isPending(this.org, this.entity.id, grant.granteeId)),
      );
  }

  protected override onRefresh(): void {
    // Names may have changed too (renamed or deleted grantees); the cache was or will be cleared.
    this.names.clear();
  }

  protected emptyLabel(): string {
    return vscode.l10n.t('No delegated permissions');
  }

  protected subject(): string {
    return vscode.l10n.t('permissions on {0}', entityLabel(this.entity));
  }
}
