// "Users", "Groups" or "Resources" of one organization: the paginated, optionally filtered
// directory listing. Every page loaded also feeds the organization's DirectoryCache, so grantee
// names found here cost no Describe call later.
//
// Order: WorkMail lists entities in ID order, which reads as no order at all. Everything loaded so
// far is shown sorted by name, and each page that arrives is merged into that order ("Load more…"
// stays last). So a partly loaded list is the alphabetical list of what has been read, not a prefix
// of the whole alphabet; the count says so ("100+"), and Filter… finds a name not loaded yet.
import * as vscode from 'vscode';
import { compareByName } from '../workmail/names';
import type { DirectoryEntity, DirectoryFilter, EntityKind, Organization, Page } from '../workmail/types';
import { displayText, safeTooltip } from './display';
import type { ExplorerNode, TreeContext } from './explorerNode';
import { MailboxNode } from './mailboxNode';
import { PaginatedNode } from './paginatedNode';

const CATEGORY_WORD: Record<EntityKind, string> = { user: 'users', group: 'groups', resource: 'resources' };

/** The filter fields each List operation accepts (ListGroups/ListResources have no display-name filter). */
export const FILTER_FIELDS: Record<EntityKind, ReadonlyArray<DirectoryFilter['field']>> = {
  user: ['name', 'displayName', 'email'],
  group: ['name', 'email'],
  resource: ['name', 'email'],
};

export function filterFieldLabel(field: DirectoryFilter['field']): string {
  switch (field) {
    case 'name':
      return vscode.l10n.t('name');
    case 'displayName':
      return vscode.l10n.t('display name');
    case 'email':
      return vscode.l10n.t('email');
  }
}

export function describeFilter(filter: DirectoryFilter): string {
  return vscode.l10n.t("{0} starts with '{1}'", filterFieldLabel(filter.field), filter.prefix);
}

export class CategoryNode extends PaginatedNode<MailboxNode> {
  readonly kind = 'category';
  readonly id: string;
  private activeFilter: DirectoryFilter | undefined;

  constructor(
    parent: ExplorerNode,
    context: TreeContext,
    readonly org: Organization,
    readonly entityKind: EntityKind,
  ) {
    super(parent, context);
    this.id = `${parent.id}/${CATEGORY_WORD[entityKind]}`;
  }

  get filter(): DirectoryFilter | undefined {
    return this.activeFilter;
  }

  get contextValue(): string {
    return `category-${CATEGORY_WORD[this.entityKind]}${this.activeFilter ? '-filtered' : ''}`;
  }

  get label(): string {
    switch (this.entityKind) {
      case 'user':
        return vscode.l10n.t('Users');
      case 'group':
        return vscode.l10n.t('Groups');
      case 'resource':
        return vscode.l10n.t('Resources');
    }
  }

  /** Apply (or with undefined, clear) a server-side prefix filter and reload from the first page. */
  setFilter(filter: DirectoryFilter | undefined): void {
    this.activeFilter = filter;
    this.refresh();
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = this.contextValue;
    const counts = this.counts();
    item.description = [this.activeFilter ? displayText(describeFilter(this.activeFilter)) : undefined, counts?.short].filter(Boolean).join(' · ') || undefined;
    item.tooltip = counts ? safeTooltip([[this.label, counts.long]]) : undefined;
    item.iconPath = new vscode.ThemeIcon(this.activeFilter ? 'filter-filled' : this.entityKind === 'resource' ? 'location' : this.entityKind === 'group' ? 'organization' : 'person');
    return item;
  }

  protected async fetchPage(nextToken: string | undefined, signal: AbortSignal): Promise<Page<MailboxNode>> {
    const page = await this.context.session().listEntitiesPage(
      this.org,
      this.entityKind,
      { maxResults: this.context.pageSize(), nextToken, filter: this.activeFilter },
      signal,
    );
    this.context.directory(this.org).remember(page.items);
    const nodes = page.items.map((entity: DirectoryEntity) => new MailboxNode(this, this.context, this.org, entity));
    nodes.forEach((node) => this.context.track(node));
    return { items: nodes, nextToken: page.nextToken };
  }

  protected keyOf(node: MailboxNode): string {
    return node.entity.id;
  }

  protected render(nodes: readonly MailboxNode[]): ExplorerNode[] {
    return this.shown(nodes).sort((a, b) => compareByName(a.entity, b.entity));
  }

  private shown(nodes: readonly MailboxNode[]): MailboxNode[] {
    const showSystemUsers = this.context.showSystemUsers();
    return nodes.filter((node) => showSystemUsers || node.entity.userRole !== 'SYSTEM_USER');
  }

  /**
   * How many entries the list holds, once its first page is in: "259" when every page is loaded,
   * "100+" while more remain (WorkMail gives no total), and the system users left out.
   */
  counts(): { readonly short: string; readonly long: string } | undefined {
    if (!this.isLoaded) {
      return undefined;
    }
    const shown = this.shown(this.loadedItems).length;
    const hidden = this.loadedItems.length - shown;
    const number = this.hasMore ? vscode.l10n.t('{0}+', shown) : String(shown);
    const hiddenText = hidden === 0 ? undefined : hidden === 1 ? vscode.l10n.t('1 system user hidden') : vscode.l10n.t('{0} system users hidden', hidden);
    const loaded = this.hasMore
      ? vscode.l10n.t('{0} shown of the pages loaded so far; Load more… at the end of the list reads the next page.', shown)
      : vscode.l10n.t('{0} in all.', shown);
    return {
      short: [number, hiddenText].filter(Boolean).join(' · '),
      long: [loaded, hiddenText ? vscode.l10n.t('{0} (setting workmail.showSystemUsers).', hiddenText) : undefined].filter(Boolean).join(' '),
    };
  }

  protected override firstPageListed(): void {
    // The count in this row's description changed. Told when the tree is quiet, never while VS Code
    // takes in rows (announcer.ts); the workbench then asks for the rows again and gets them from memory.
    this.context.announce(this);
  }

  protected override discard(nodes: readonly MailboxNode[]): void {
    nodes.forEach((node) => this.context.untrack(node));
  }

  protected emptyLabel(): string {
    if (this.activeFilter) {
      return vscode.l10n.t('Nothing matches {0}', describeFilter(this.activeFilter));
    }
    switch (this.entityKind) {
      case 'user':
        return vscode.l10n.t('No users');
      case 'group':
        return vscode.l10n.t('No groups');
      case 'resource':
        return vscode.l10n.t('No resources');
    }
  }

  protected subject(): string {
    return `${this.label} (${this.org.alias ?? this.org.organizationId})`;
  }
}
