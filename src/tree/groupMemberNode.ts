// The members of a group grantee: everyone the grant reaches, nested groups included, listed flat
// with the chain of groups that makes each one a member. A grant to a group is only as narrow as
// the group's whole membership, so the tree shows that membership, not just the first level.
//
// Membership comes from ListGroupMembers (every page, each group once, through groups.ts); a group
// that contains a group above it is shown as a cycle item and not followed again.
import * as vscode from 'vscode';
import { isCancellation, toWorkMailError } from '../workmail/errors';
import { expandGroup, type ExpandedMember, type GroupExpansion } from '../workmail/groups';
import { entityName } from '../workmail/names';
import type { DirectoryEntity, Organization } from '../workmail/types';
import { displayText, safeTooltip } from './display';
import { ExplorerNode, isRefreshable, type TreeContext } from './explorerNode';
import { ErrorNode, PlaceholderNode } from './messageNodes';

export class GroupMemberNode extends ExplorerNode {
  readonly kind = 'groupMember';
  readonly id: string;
  readonly contextValue: string;

  constructor(
    parent: ExplorerNode,
    readonly org: Organization,
    /** The group whose grant this member receives. */
    readonly group: DirectoryEntity,
    readonly member: ExpandedMember,
    /** What the directory cache knows about the member (display name, email), if anything. */
    readonly entity: DirectoryEntity,
    /** Names of the groups on `member.path`, in order; the first is `group`. */
    readonly pathNames: readonly string[],
  ) {
    super(parent);
    this.id = `${parent.id}/member/${member.id}`;
    this.contextValue = `groupMember-${member.kind}`;
  }

  /** The groups between the expanded group and this member ("" for a direct member). */
  get nestedPath(): string {
    return this.pathNames.slice(1).join(' → ');
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(displayText(entityName(this.entity)) || this.member.id, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = this.contextValue;
    const state = this.entity.state;
    const marker = state === 'DISABLED' ? vscode.l10n.t('(disabled)') : state === 'DELETED' ? vscode.l10n.t('(deleted)') : undefined;
    const via = this.nestedPath ? vscode.l10n.t('via {0}', displayText(this.nestedPath)) : undefined;
    item.description = [marker, via].filter(Boolean).join(' · ');
    const colour =
      state === 'DISABLED' ? new vscode.ThemeColor('disabledForeground') : state === 'DELETED' ? new vscode.ThemeColor('list.errorForeground') : undefined;
    item.iconPath = new vscode.ThemeIcon(this.member.kind === 'group' ? 'organization' : 'person', colour);
    // The tooltip is built on hover (tooltip(), through the explorer's resolveTreeItem).
    return item;
  }

  override tooltip(): vscode.MarkdownString {
    return safeTooltip([
      [this.member.kind === 'group' ? vscode.l10n.t('Member group') : vscode.l10n.t('Member'), entityName(this.entity)],
      [vscode.l10n.t('Email'), this.entity.email],
      [vscode.l10n.t('State'), this.entity.state],
      [vscode.l10n.t('Member of'), this.pathNames.join(' → ')],
      [vscode.l10n.t('ID'), this.member.id],
    ]);
  }
}

/** A membership that leads back to a group already on the way down: shown, not followed. */
export class GroupCycleNode extends ExplorerNode {
  readonly kind = 'groupCycle';
  readonly contextValue = 'groupCycle';
  readonly id: string;

  constructor(
    parent: ExplorerNode,
    cycle: { readonly group: string; readonly memberGroup: string },
    /** Names of the group that holds the membership and of the group it points back to. */
    readonly containing: string,
    readonly contained: string,
  ) {
    super(parent);
    this.id = `${parent.id}/cycle/${cycle.group}/${cycle.memberGroup}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(
      displayText(vscode.l10n.t('Cycle: {0} contains {1}, which already contains it', this.containing, this.contained)),
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    item.contextValue = this.contextValue;
    item.description = vscode.l10n.t('not expanded again');
    item.iconPath = new vscode.ThemeIcon('sync', new vscode.ThemeColor('list.warningForeground'));
    item.tooltip = safeTooltip([
      [vscode.l10n.t('Group'), this.containing],
      [vscode.l10n.t('Contains'), this.contained],
      [vscode.l10n.t('Why'), vscode.l10n.t('Group memberships form a loop here; everyone in the loop is already listed once.')],
    ]);
    return item;
  }
}

/** What the expansion needs of a group grantee's row (granteeNode.ts), without importing it back. */
export interface GroupGranteeRow extends ExplorerNode {
  readonly grantee: DirectoryEntity | null | undefined;
  readonly org: Organization;
}

/** Every member of a group grantee, nested ones with their path; an error item when they cannot be read. */
export async function loadMembers(node: GroupGranteeRow, context: TreeContext): Promise<ExplorerNode[]> {
  const group = node.grantee as DirectoryEntity;
  const session = context.session();
  // Retrying reloads the mailbox's grantees, which starts this expansion afresh.
  const retry: vscode.Command = { title: vscode.l10n.t('Retry'), command: 'workmail.refresh', arguments: isRefreshable(node.parent) ? [node.parent] : [] };
  let expansion: GroupExpansion;
  try {
    expansion = await expandGroup(session, node.org, group.id, { pageSize: context.pageSize() });
  } catch (err) {
    if (isCancellation(err)) {
      return [];
    }
    const problem = toWorkMailError(err, { profile: session.profile, subject: vscode.l10n.t('the members of {0}', entityName(group)) });
    context.log.error(`ListGroupMembers ${group.id}: ${problem.message}${problem.detail ? ` (${problem.detail})` : ''}`);
    return [new ErrorNode(node, `${node.id}/members`, problem.message, problem.detail, retry)];
  }

  const cache = context.directory(node.org);
  const names = new Map<string, string>([[group.id, entityName(group)]]);
  for (const member of expansion.members) {
    if (member.kind === 'group') {
      const known = cache.get(member.id);
      names.set(member.id, known ? entityName(known) : member.name || member.id);
    }
  }
  const nameOf = (id: string): string => names.get(id) ?? cache.get(id)?.name ?? id;

  const members = [...expansion.members].sort(
    (a, b) => a.path.length - b.path.length || (a.name ?? a.id).localeCompare(b.name ?? b.id),
  );
  const nodes: ExplorerNode[] = members.map((member) => {
    const known = cache.get(member.id);
    const entity: DirectoryEntity = known
      ? { ...known, state: member.state ?? known.state }
      : { id: member.id, kind: member.kind, name: member.name, state: member.state };
    return new GroupMemberNode(node, node.org, group, member, entity, member.path.map(nameOf));
  });
  for (const cycle of expansion.cycles) {
    nodes.push(new GroupCycleNode(node, cycle, nameOf(cycle.group), nameOf(cycle.memberGroup)));
  }
  for (const failure of expansion.failures) {
    const message = vscode.l10n.t('Could not read the members of {0}: {1}', nameOf(failure.groupId), failure.error.message);
    context.log.error(`ListGroupMembers ${failure.groupId}: ${failure.error.message}`);
    nodes.push(new ErrorNode(node, `${node.id}/members/${failure.groupId}`, message, failure.error.detail, retry));
  }
  if (nodes.length === 0) {
    nodes.push(new PlaceholderNode(node, vscode.l10n.t('No members')));
  }
  return nodes;
}
