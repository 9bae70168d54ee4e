// An organization's Applications in the tree: each impersonation role with its type, its rules in
// words and how many mailboxes it reaches. Opening Applications reads the roles (one call, and one
// per role for its rules); the reach is counted over the organization's users with the engine's
// reading of the documented rule semantics (ownersReached, the same mailboxes Who Can Open lists the
// role on as the owner), from the Users list the tree holds when it holds them all, else from one
// read of the users in the background, the rows saying "(counting)" until it is in. Nothing here
// reads a mailbox: what the role reaches through those users' own permissions needs every
// mailbox's permissions, so the count is "at least" and the row's hover says why.
import * as vscode from 'vscode';
import { mapConcurrent } from '../workmail/concurrency';
import { CancelledError, isCancellation, toWorkMailError, type WorkMailError } from '../workmail/errors';
import type { ImpersonationRoleSummary } from '../workmail/routeReads';
import { namesUser, type ImpersonationRole, type ImpersonationRule } from '../workmail/routes/impersonation';
import { ownersReached } from '../workmail/routes/whoCanOpen';
import { impersonationRuleInWords, type NameOf } from '../workmail/routes/words';
import type { DirectoryEntity, Organization } from '../workmail/types';
import { safeTooltip } from './display';
import type { ExplorerNode, TreeContext } from './explorerNode';
import { LoadedListNode } from './loadedListNode';
import type { OrganizationUsers } from './organizationUsers';
import { leaf, OrganizationRouteList, personName, RuleNode, userNames } from './routeNodes';

/** Roles whose rules are read at once when Applications opens. */
const ROLE_READS = 4;

function count(value: number): string {
  return value.toLocaleString(vscode.env.language);
}

function rulesCount(rules: number): string {
  return rules === 1 ? vscode.l10n.t('1 rule') : vscode.l10n.t('{0} rules', count(rules));
}

function targetsOf(role: ImpersonationRole): string[] {
  return [...new Set(role.rules.flatMap((rule) => [...(rule.targetUsers ?? []), ...(rule.notTargetUsers ?? [])]))];
}

export class ApplicationsNode extends OrganizationRouteList<ApplicationNode> {
  readonly kind = 'applications';
  readonly contextValue = 'applications';
  private counting: Promise<void> = Promise.resolve();

  constructor(
    parent: ExplorerNode,
    context: TreeContext,
    org: Organization,
    private readonly users: OrganizationUsers,
  ) {
    super(parent, context, org, {
      idPart: 'applications',
      label: vscode.l10n.t('Applications'),
      icon: 'plug',
      explanation: vscode.l10n.t('Impersonation roles: applications that act as users over EWS, and reach every mailbox those users can open.'),
    });
  }

  /** Settles once the rows shown have their reach counted (or know why it could not be). */
  whenCounted(): Promise<void> {
    return this.counting;
  }

  protected async read(signal: AbortSignal): Promise<ApplicationNode[]> {
    const routes = this.context.session().routes;
    const summaries = [...(await routes.listImpersonationRoles(this.org, signal))].sort((a, b) => a.name.localeCompare(b.name));
    const nodes = await mapConcurrent(summaries, ROLE_READS, async (summary) => {
      try {
        return new ApplicationNode(this, this.context, this.org, summary, this.users, await routes.getImpersonationRole(this.org, summary.id, signal));
      } catch (err) {
        if (signal.aborted || isCancellation(err)) throw new CancelledError();
        // The row says its rules were not read; opening it reads them again and shows why.
        const failure = toWorkMailError(err, { profile: this.context.session().profile, subject: vscode.l10n.t('the rules of the impersonation role {0}', summary.name) });
        this.context.log.warn(`${failure.message}${failure.detail ? ` (${failure.detail})` : ''}`);
        return new ApplicationNode(this, this.context, this.org, summary, this.users, undefined);
      }
    });
    if (!this.users.known()) {
      // The rows say "(counting)" until every user is in, then show their count.
      this.counting = this.users.all().then(
        () => this.announceAll(nodes, signal),
        () => this.announceAll(nodes, signal),
      );
    }
    return nodes;
  }

  private announceAll(nodes: readonly ApplicationNode[], signal: AbortSignal): void {
    // Rows replaced meanwhile (the list was refreshed) are not VS Code's any more.
    if (signal.aborted || (this.loaded !== undefined && this.loaded !== nodes)) return;
    nodes.forEach((node) => this.context.announce(node));
  }

  protected render(nodes: readonly ApplicationNode[]): ExplorerNode[] {
    return [...nodes];
  }

  override reset(): void {
    super.reset();
    this.users.reset();
    this.counting = Promise.resolve();
  }

  protected emptyLabel(): string {
    return vscode.l10n.t('No impersonation roles');
  }

  protected subject(): string {
    return vscode.l10n.t('the applications of {0}', this.orgName());
  }
}

/** The users a role's rules name that the directory does not know, or knows as deleted. */
function gone(role: ImpersonationRole, users: readonly DirectoryEntity[], nameOf: NameOf): string[] {
  return targetsOf(role).flatMap((identifier) => {
    const user = users.find((candidate) => namesUser(identifier, candidate));
    return !user ? [vscode.l10n.t('{0} (unknown)', identifier)] : user.state === 'DELETED' ? [nameOf(identifier) ?? personName(user)] : [];
  });
}

export class ApplicationNode extends LoadedListNode<ImpersonationRole> {
  readonly kind = 'application';
  readonly contextValue = 'application';
  readonly id: string;
  private nameOf: NameOf = (id) => id;
  /** The role as last read (its rules decide the reach); undefined when its read failed. */
  private role: ImpersonationRole | undefined;
  /** Read with the others when Applications opened: the first expansion shows it without a call. */
  private preloaded: ImpersonationRole | undefined;
  private reached: { readonly role: ImpersonationRole; readonly users: readonly DirectoryEntity[]; readonly mailboxes: number } | undefined;

  constructor(
    parent: ApplicationsNode,
    context: TreeContext,
    readonly org: Organization,
    readonly summary: ImpersonationRoleSummary,
    private readonly users: OrganizationUsers,
    role: ImpersonationRole | undefined,
  ) {
    super(parent, context);
    this.id = `${parent.id}/${summary.id}`;
    this.role = role;
    this.preloaded = role;
  }

  protected async read(signal: AbortSignal): Promise<ImpersonationRole[]> {
    const role = this.preloaded ?? (await this.context.session().routes.getImpersonationRole(this.org, this.summary.id, signal));
    this.preloaded = undefined;
    if (role) {
      this.role = role;
      this.nameOf = await this.names(role, signal);
    }
    return role ? [role] : [];
  }

  /** Names for the users the rules name: from every user when the tree has them, else looked up. */
  private async names(role: ImpersonationRole, signal: AbortSignal): Promise<NameOf> {
    const everyone = this.users.known();
    if (!everyone) return userNames(this.context, this.org, targetsOf(role), signal);
    return (identifier) => {
      const user = everyone.find((candidate) => namesUser(identifier, candidate));
      return user ? personName(user) : undefined;
    };
  }

  /** How many mailboxes the role reaches as their owner, once every user is known. */
  private ownerMailboxes(): number | undefined {
    const users = this.users.known();
    if (!this.role || !users) return undefined;
    if (this.reached?.role !== this.role || this.reached.users !== users) {
      this.reached = { role: this.role, users, mailboxes: ownersReached(this.role, users).length };
    }
    return this.reached.mailboxes;
  }

  private reachWords(): string | undefined {
    if (!this.role) return undefined;
    const mailboxes = this.ownerMailboxes();
    if (mailboxes === undefined) return this.users.failure ? vscode.l10n.t('reach not counted') : vscode.l10n.t('reaches … (counting)');
    // Acting as no one, it opens nothing; acting as someone, it also opens what they can.
    return mailboxes === 0 ? vscode.l10n.t('reaches no mailbox') : vscode.l10n.t('reaches {0}+ mailboxes', count(mailboxes));
  }

  getTreeItem(): vscode.TreeItem {
    const type = this.summary.type === 'FULL_ACCESS' ? vscode.l10n.t('reads and changes mail') : vscode.l10n.t('reads mail');
    const rules = this.role ? rulesCount(this.role.rules.length) : vscode.l10n.t('rules not read');
    const description = [type, rules, this.reachWords()].filter(Boolean).join(' · ');
    return leaf(this, this.summary.name, description, new vscode.ThemeIcon('plug'), vscode.TreeItemCollapsibleState.Collapsed);
  }

  override tooltip(): vscode.MarkdownString {
    const mailboxes = this.ownerMailboxes();
    const failure: WorkMailError | undefined = this.users.failure;
    const users = this.users.known();
    const reach =
      mailboxes === undefined
        ? failure
          ? vscode.l10n.t('Not counted: {0}', failure.message)
          : this.role
            ? vscode.l10n.t('Counting: reading the users of the organization…')
            : undefined
        : vscode.l10n.t(
            'As the owner: the {0} mailboxes of the users it may act as. Through them: every mailbox they can open (Full access, booking delegations), which only every mailbox\'s permissions tell; Who Can Open This Mailbox… lists the applications of one mailbox.',
            count(mailboxes),
          );
    const missing = this.role && users ? gone(this.role, users, this.nameOf) : [];
    return safeTooltip([
      [vscode.l10n.t('Impersonation role'), this.summary.name],
      [vscode.l10n.t('ID'), this.summary.id],
      [vscode.l10n.t('Type'), this.summary.type === 'FULL_ACCESS' ? vscode.l10n.t('FULL_ACCESS: reads and changes mail over EWS') : vscode.l10n.t('READ_ONLY: reads mail over EWS')],
      [vscode.l10n.t('Reach'), reach],
      [vscode.l10n.t('Names users no longer there'), missing.length > 0 ? missing.join(', ') : undefined],
    ]);
  }

  protected render(roles: readonly ImpersonationRole[]): ExplorerNode[] {
    return (roles[0]?.rules ?? []).map((rule) => new RuleNode(this, `${this.id}/${rule.id}`, rule.name ?? rule.id, impersonationRuleInWords(rule, this.nameOf), rule.effect, ruleTooltip(rule)));
  }

  protected emptyLabel(): string {
    return vscode.l10n.t('No rules: this role may act as no one');
  }

  protected subject(): string {
    return vscode.l10n.t('the rules of the impersonation role {0}', this.summary.name);
  }
}

function ruleTooltip(rule: ImpersonationRule): vscode.MarkdownString {
  return safeTooltip([
    [vscode.l10n.t('Rule'), rule.name ?? rule.id],
    [vscode.l10n.t('Effect'), rule.effect],
    [vscode.l10n.t('Description'), rule.description],
  ]);
}
