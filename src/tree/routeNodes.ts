// The other routes into a mailbox in the tree: under a resource, its booking delegates (with its
// booking options in words); under an organization, its Access rules (each rule in words, the
// default marked), and the rows its Applications share with them (applicationNodes.ts holds the
// impersonation roles). Shown, read only: roles and rules are not changed from here (a wrong rule
// locks everyone out).
import * as vscode from 'vscode';
import { isAllowEverything, type AccessRule } from '../workmail/routes/accessRules';
import type { BookingDelegate } from '../workmail/routes/whoCanOpen';
import { accessRuleInWords, bookingOptionsInWords, type BookingOptions } from '../workmail/routes/words';
import { entityName } from '../workmail/names';
import type { PendingWrite } from '../workmail/pendingWrites';
import type { DirectoryEntity, Organization } from '../workmail/types';
import { displayText, safeTooltip, stateMarker } from './display';
import { ExplorerNode, type TreeContext } from './explorerNode';
import { loadMembers, type GroupGranteeRow } from './groupMemberNode';
import { LoadedListNode } from './loadedListNode';

export function leaf(node: ExplorerNode, label: string, description: string | undefined, icon: vscode.ThemeIcon, collapsible = vscode.TreeItemCollapsibleState.None): vscode.TreeItem {
  const item = new vscode.TreeItem(displayText(label), collapsible);
  item.id = node.id;
  item.contextValue = node.contextValue;
  item.description = description === undefined ? undefined : displayText(description);
  item.iconPath = icon;
  return item;
}

/** A person's name as a rule shows it, marked when WorkMail keeps them but they can no longer sign in. */
export function personName(entity: DirectoryEntity): string {
  const { word } = stateMarker(entity.state);
  return word ? `${entityName(entity)} ${word}` : entityName(entity);
}

/**
 * Names for the users a rule names (by ID, name or email), looked up through the directory cache:
 * undefined for one WorkMail does not know (shown as given, marked unknown), the identifier itself
 * for one whose look-up failed (shown as given), a deleted or disabled one marked so.
 */
export async function userNames(context: TreeContext, org: Organization, identifiers: readonly string[], signal: AbortSignal): Promise<(id: string) => string | undefined> {
  const unique = [...new Set(identifiers)];
  const found = await context.directory(org).resolve(unique.map((id) => ({ granteeId: id, granteeType: 'USER' as const })), signal);
  return (id) => {
    const entity = found.get(id);
    return entity === null ? undefined : entity ? personName(entity) : id;
  };
}

// ---- Booking delegates of a resource

interface BookingRead {
  readonly delegates: readonly { readonly delegate: BookingDelegate; readonly entity: DirectoryEntity | null | undefined; readonly inDoubt?: PendingWrite }[];
  readonly options: BookingOptions | undefined;
  /** What WorkMail lists (the rows may add delegates whose add is in doubt). */
  readonly listedCount: number;
}

export class BookingDelegatesNode extends LoadedListNode<BookingRead> {
  readonly kind = 'bookingDelegates';
  readonly contextValue = 'bookingDelegates';
  readonly id: string;

  constructor(
    parent: ExplorerNode,
    context: TreeContext,
    readonly org: Organization,
    readonly resource: DirectoryEntity,
  ) {
    super(parent, context);
    this.id = `${parent.id}/bookingDelegates`;
  }

  protected async read(signal: AbortSignal): Promise<BookingRead[]> {
    const routes = this.context.session().routes;
    const [listed, options, doubts] = await Promise.all([routes.listAllResourceDelegates(this.org, this.resource.id, signal), routes.bookingOptions(this.org, this.resource.id, signal), this.loadDoubts()]);
    // A delegate whose add is in doubt is shown though WorkMail does not list it: the add may still
    // land. One whose removal is in doubt and is not listed is gone for certain: a late copy of the
    // request can only remove it again.
    const listedIds = new Set(listed.map((delegate) => delegate.id));
    const pendingAdds = [...doubts.values()].filter((write) => write.requested.length > 0 && !listedIds.has(write.key.granteeId)).map((write): BookingDelegate => ({ id: write.key.granteeId, type: 'USER' }));
    const delegates: BookingDelegate[] = [...listed, ...pendingAdds];
    const names = await this.context.directory(this.org).resolve(delegates.map((d) => ({ granteeId: d.id, granteeType: d.type })), signal);
    return [
      {
        delegates: delegates.map((listedOrDoubt) => {
          const entity = names.get(listedOrDoubt.id);
          const delegate = listedIds.has(listedOrDoubt.id) || entity?.kind !== 'group' ? listedOrDoubt : { ...listedOrDoubt, type: 'GROUP' as const };
          return { delegate, entity, inDoubt: doubts.get(delegate.id) };
        }),
        options,
        listedCount: listed.length,
      },
    ];
  }

  /** This resource's delegations with a write whose outcome is not known yet, from the machine's record. */
  private async loadDoubts(): Promise<Map<string, PendingWrite>> {
    const doubts = new Map<string, PendingWrite>();
    try {
      const now = Date.now();
      for (const write of await this.context.pendingWrites()) {
        const { key } = write;
        if (key.route === 'booking-delegate' && write.state !== 'unlisted' && (write.settleAt ?? 0) > now && key.region === this.org.region && key.organizationId === this.org.organizationId && key.mailboxId === this.resource.id) {
          doubts.set(key.granteeId, write);
        }
      }
    } catch (err) {
      this.context.log.warn(`Could not read the record of pending writes: ${err instanceof Error ? err.message : String(err)}`);
    }
    return doubts;
  }

  getTreeItem(): vscode.TreeItem {
    const read = this.loaded?.[0];
    const description = read ? `${read.listedCount} · ${bookingOptionsInWords(read.options)}` : undefined;
    return leaf(this, vscode.l10n.t('Booking delegates'), description, new vscode.ThemeIcon('calendar'), vscode.TreeItemCollapsibleState.Collapsed);
  }

  protected render(items: readonly BookingRead[]): ExplorerNode[] {
    return (items[0]?.delegates ?? []).map(({ delegate, entity, inDoubt }) => new BookingDelegateNode(this, this.context, this.org, this.resource, delegate, entity, inDoubt));
  }

  protected emptyLabel(): string {
    const options = this.loaded?.[0]?.options;
    return options?.autoAcceptRequests === false
      ? vscode.l10n.t('No booking delegate, and requests wait for one: no one can approve them')
      : vscode.l10n.t('No booking delegates');
  }

  protected subject(): string {
    return vscode.l10n.t('the booking delegates of {0}', entityName(this.resource));
  }
}

export class BookingDelegateNode extends ExplorerNode implements GroupGranteeRow {
  readonly kind = 'bookingDelegate';
  readonly id: string;

  constructor(
    parent: ExplorerNode,
    private readonly context: TreeContext,
    readonly org: Organization,
    readonly resource: DirectoryEntity,
    readonly delegate: BookingDelegate,
    readonly grantee: DirectoryEntity | null | undefined,
    /** A write to this delegation whose outcome is not known yet: it may still land until its time. */
    readonly inDoubt?: PendingWrite,
  ) {
    super(parent);
    this.id = `${parent.id}/${delegate.id}`;
  }

  get contextValue(): string {
    return this.delegate.type === 'GROUP' ? 'bookingDelegate-group' : 'bookingDelegate-user';
  }

  getTreeItem(): vscode.TreeItem {
    const name = this.grantee ? entityName(this.grantee) : this.delegate.id;
    // A disabled or deleted delegate is listed all the same, and answers no request: marked as the grantees are.
    const marker = stateMarker(this.grantee?.state);
    const doubt = this.inDoubt ? vscode.l10n.t('in doubt until {0}', new Date(this.inDoubt.settleAt ?? 0).toLocaleTimeString()) : undefined;
    const description = [doubt, this.grantee === null ? vscode.l10n.t('unknown or deleted') : marker.word, this.grantee?.email].filter(Boolean).join(' · ') || undefined;
    const icon = this.inDoubt
      ? new vscode.ThemeIcon('question', new vscode.ThemeColor('list.warningForeground'))
      : new vscode.ThemeIcon(this.delegate.type === 'GROUP' ? 'organization' : 'person', marker.colour);
    return leaf(this, vscode.l10n.t('Booking delegate — {0}', name), description, icon, this.delegate.type === 'GROUP' && this.grantee ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  }

  override tooltip(): vscode.MarkdownString {
    return safeTooltip([
      [vscode.l10n.t('Booking delegate'), this.grantee ? entityName(this.grantee) : this.delegate.id],
      [vscode.l10n.t('ID'), this.delegate.id],
      [vscode.l10n.t('What it gives'), vscode.l10n.t('Receives every booking request and has full access to the calendar')],
      [vscode.l10n.t('State'), this.grantee?.state],
      [
        vscode.l10n.t('In doubt'),
        this.inDoubt
          ? vscode.l10n.t(
              'It is not known whether WorkMail {0} this delegate; it may still do so until {1}. Refresh after that to see where it ended; no other change to this delegation is made before.',
              this.inDoubt.requested.length > 0 ? vscode.l10n.t('added') : vscode.l10n.t('removed'),
              new Date(this.inDoubt.settleAt ?? 0).toLocaleTimeString(),
            )
          : undefined,
      ],
    ]);
  }

  override getChildren(): Promise<ExplorerNode[]> {
    return this.delegate.type === 'GROUP' && this.grantee ? loadMembers(this, this.context) : Promise.resolve([]);
  }
}

// ---- The organization's lists of the other routes

/** A list of the organization beside its Users, Groups and Resources: its label, icon and count. */
export abstract class OrganizationRouteList<T> extends LoadedListNode<T> {
  abstract override readonly contextValue: string;
  readonly id: string;

  constructor(
    parent: ExplorerNode,
    context: TreeContext,
    readonly org: Organization,
    private readonly row: { readonly idPart: string; readonly label: string; readonly icon: string; readonly explanation: string },
  ) {
    super(parent, context);
    this.id = `${parent.id}/${row.idPart}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = leaf(this, this.row.label, this.loaded ? String(this.loaded.length) : undefined, new vscode.ThemeIcon(this.row.icon), vscode.TreeItemCollapsibleState.Collapsed);
    // Markdown, not a plain string: VS Code reads a plain-string tooltip out as the row's accessible
    // label instead of its name and count.
    item.tooltip = safeTooltip([[this.row.label, this.row.explanation]]);
    return item;
  }

  protected orgName(): string {
    return this.org.alias ?? this.org.organizationId;
  }
}

/** One rule in words, green for ALLOW and red for DENY. */
export class RuleNode extends ExplorerNode {
  readonly kind = 'rule';
  readonly contextValue = 'rule';

  constructor(
    parent: ExplorerNode,
    readonly id: string,
    readonly label: string,
    readonly words: string,
    readonly effect: 'ALLOW' | 'DENY',
    private readonly hover: vscode.MarkdownString,
  ) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const icon = this.effect === 'ALLOW' ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')) : new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('errorForeground'));
    const item = leaf(this, this.label, this.words, icon);
    item.tooltip = this.hover;
    return item;
  }
}

// ---- Access rules

export class AccessRulesNode extends OrganizationRouteList<AccessRule> {
  private nameOf: (id: string) => string | undefined = (id) => id;
  readonly kind = 'accessRules';
  readonly contextValue = 'accessRules';

  constructor(parent: ExplorerNode, context: TreeContext, org: Organization) {
    super(parent, context, org, {
      idPart: 'accessRules',
      label: vscode.l10n.t('Access rules'),
      icon: 'shield',
      explanation: vscode.l10n.t('Who may reach the mailboxes over which protocol, from which addresses, in addition to mailbox permissions.'),
    });
  }

  protected async read(signal: AbortSignal): Promise<AccessRule[]> {
    const routes = this.context.session().routes;
    const { rules } = await routes.listAccessControlRules(this.org, signal);
    const users = await userNames(this.context, this.org, rules.flatMap((rule) => [...(rule.userIds ?? []), ...(rule.notUserIds ?? [])]), signal);
    const namesRoles = rules.some((rule) => (rule.impersonationRoleIds?.length ?? 0) + (rule.notImpersonationRoleIds?.length ?? 0) > 0);
    const roles = new Map(namesRoles ? (await routes.listImpersonationRoles(this.org, signal)).map((role) => [role.id, role.name]) : []);
    this.nameOf = (id) => (namesRoles && roles.has(id) ? roles.get(id) : users(id));
    return rules;
  }

  protected render(rules: readonly AccessRule[]): ExplorerNode[] {
    const nameOf = this.nameOf;
    // In the order WorkMail lists them; how ALLOW and DENY combine is WorkMail's to say.
    return rules.map(
      (rule) =>
        new RuleNode(
          this,
          `${this.id}/${rule.name}`,
          isAllowEverything(rule) ? vscode.l10n.t('{0} (default)', rule.name) : rule.name,
          accessRuleInWords(rule, nameOf),
          rule.effect,
          safeTooltip([
            [vscode.l10n.t('Access rule'), rule.name],
            [vscode.l10n.t('Effect'), rule.effect],
            [vscode.l10n.t('Description'), rule.description],
          ]),
        ),
    );
  }

  protected emptyLabel(): string {
    return vscode.l10n.t('No access rules: WorkMail blocks every mailbox of this organization');
  }

  protected subject(): string {
    return vscode.l10n.t('the access rules of {0}', this.orgName());
  }
}
