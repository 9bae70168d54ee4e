// One WorkMail organization; expands to its Users, Groups and Resources.
import * as vscode from 'vscode';
import type { DirectoryEntity, EntityKind, Organization } from '../workmail/types';
import { CategoryNode } from './categoryNode';
import type { MailboxNode } from './mailboxNode';
import { displayText, safeTooltip } from './display';
import { ExplorerNode, type Refreshable, type TreeContext } from './explorerNode';
import { PlaceholderNode } from './messageNodes';
import { listToReadAhead } from './readAhead';
import { ApplicationsNode } from './applicationNodes';
import { OrganizationUsers } from './organizationUsers';
import { AccessRulesNode } from './routeNodes';
import { isOrganizationUsable } from '../workmail/organizations';

const KINDS: readonly EntityKind[] = ['user', 'group', 'resource'];

export class OrganizationNode extends ExplorerNode implements Refreshable {
  readonly kind = 'organization';
  readonly id: string;
  readonly categories: readonly CategoryNode[];
  /** The other routes into the organization's mailboxes: impersonation roles and access rules. */
  readonly applications: ApplicationsNode;
  readonly accessRules: AccessRulesNode;
  private listedUsers: { readonly nodes: readonly MailboxNode[]; readonly length: number; readonly users: readonly DirectoryEntity[] } | undefined;

  constructor(
    private readonly context: TreeContext,
    readonly org: Organization,
  ) {
    super(undefined);
    this.id = `org/${org.region}/${org.organizationId}`;
    this.categories = KINDS.map((kind) => new CategoryNode(this, context, org, kind));
    this.applications = new ApplicationsNode(this, context, org, new OrganizationUsers(context, org, () => this.usersListed()));
    this.accessRules = new AccessRulesNode(this, context, org);
  }

  /** Every user, for the applications' reach: the Users list's, when it holds them all unfiltered. */
  private usersListed(): readonly DirectoryEntity[] | undefined {
    const users = this.categories[0];
    if (!users || !users.isLoaded || users.hasMore || users.isLoading || users.filter) return undefined;
    const nodes = users.loadedItems;
    // The same array while the list is whole, so a count made from it holds until the list changes.
    if (this.listedUsers?.nodes !== nodes || this.listedUsers.length !== nodes.length) {
      this.listedUsers = { nodes, length: nodes.length, users: nodes.map((node) => node.entity) };
    }
    return this.listedUsers.users;
  }

  /** Only Active (or Synchronizing) organizations answer directory and permission calls. */
  get isActive(): boolean {
    return isOrganizationUsable(this.org);
  }

  get contextValue(): string {
    return this.isActive ? 'organization' : 'organization-inactive';
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(displayText(this.org.alias) || this.org.organizationId, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = this.contextValue;
    item.description = displayText([this.org.region, this.org.state].filter(Boolean).join(' · '));
    item.iconPath = this.isActive
      ? new vscode.ThemeIcon('mail')
      : new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
    item.tooltip = safeTooltip([
      [vscode.l10n.t('Organization'), this.org.alias || this.org.organizationId],
      [vscode.l10n.t('ID'), this.org.organizationId],
      [vscode.l10n.t('Region'), this.org.region],
      [vscode.l10n.t('State'), this.org.state],
      [vscode.l10n.t('Default mail domain'), this.org.defaultMailDomain],
    ]);
    return item;
  }

  override async getChildren(): Promise<ExplorerNode[]> {
    if (!this.isActive) {
      return [
        new PlaceholderNode(
          this,
          vscode.l10n.t('This organization is {0}: its mailboxes and permissions can only be read while it is Active.', this.org.state ?? ''),
          'circle-slash',
        ),
      ];
    }
    return [...this.categories, this.applications, this.accessRules];
  }

  /**
   * The person opened this organization: read the first page of Users now, while they look at its
   * three rows. Users is what is opened next nearly every time, and this way it opens without a wait
   * for WorkMail (one ListUsers call, the one opening Users would make anyway).
   */
  opened(): void {
    if (this.isActive) {
      listToReadAhead(this.categories)?.prefetchFirstPage();
    }
  }

  /** The lists start over without a change of their own: this row's change covers them, as one. */
  refresh(): void {
    this.categories.forEach((category) => category.reset());
    this.applications.reset();
    this.accessRules.reset();
    this.context.changed(this);
  }
}
