// One grantee's rights on one mailbox.
import * as vscode from 'vscode';
import { compareByName, entityName } from '../workmail/names';
import { rightsLabel } from '../workmail/rights';
import type { PendingWrite } from '../workmail/pendingWrites';
import type { DirectoryEntity, Grant, Organization } from '../workmail/types';
import { displayText, safeTooltip, stateMarker } from './display';
import { ExplorerNode, type TreeContext } from './explorerNode';
import { loadMembers } from './groupMemberNode';
import { ErrorNode } from './messageNodes';


/** Grantees by name; IDs the directory does not know (or did not answer for) after them, by ID. */
export function compareGrantees(a: GranteeNode, b: GranteeNode): number {
  const x = a.grantee ?? undefined;
  const y = b.grantee ?? undefined;
  if (x && y) {
    return compareByName(x, y);
  }
  return x ? -1 : y ? 1 : a.grant.granteeId < b.grant.granteeId ? -1 : a.grant.granteeId > b.grant.granteeId ? 1 : 0;
}

export class GranteeNode extends ExplorerNode {
  readonly kind = 'grantee';
  readonly contextValue = 'grantee';
  readonly id: string;

  constructor(
    parent: ExplorerNode,
    readonly org: Organization,
    readonly mailbox: DirectoryEntity,
    readonly grant: Grant,
    /** null: the directory does not know this ID (deleted, or never existed); undefined: not looked up. */
    readonly grantee: DirectoryEntity | null | undefined,
    /** The rights shown were written here but WorkMail's list does not show them yet. */
    readonly notYetListed = false,
    /** A write to this grantee whose outcome is not known yet: WorkMail may still carry it out. */
    readonly inDoubt?: PendingWrite,
    /** For expanding a group grantee to its members. */
    private readonly context?: TreeContext,
  ) {
    super(parent);
    this.id = `${parent.id}/grantee/${grant.granteeId}`;
  }

  /**
   * A group grantee expands to everyone the grant reaches. Loaded once per node (a refresh of the
   * mailbox makes new grantee nodes, and so a new expansion); a failed load is tried again on the
   * next expansion.
   */
  override getChildren(): Promise<ExplorerNode[]> {
    if (this.grantee?.kind !== 'group' || !this.context) {
      return Promise.resolve([]);
    }
    if (!this.members) {
      const loading = loadMembers(this, this.context);
      this.members = loading;
      loading.then(
        (nodes) => {
          if (nodes.some((child) => child instanceof ErrorNode) && this.members === loading) {
            this.members = undefined;
          }
        },
        () => {
          this.members = undefined;
        },
      );
    }
    return this.members;
  }

  private members: Promise<ExplorerNode[]> | undefined;

  getTreeItem(): vscode.TreeItem {
    const known = this.grantee ?? undefined;
    // A group expands to its members (see groupMemberNode.ts): who the grant really reaches.
    const collapsible = known?.kind === 'group' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
    const name = displayText(known ? entityName(known) : this.grant.granteeId) || this.grant.granteeId;
    // What matters first: the rights, then who holds them. At a narrow side bar the end of the row is
    // cut, so the address and the notes go to the description and everything is in the tooltip.
    // Shortened as a whole: a long name must not push the row past the label limit.
    const item = new vscode.TreeItem(displayText(vscode.l10n.t('{0} — {1}', rightsLabel(this.grant.rights), name)), collapsible);
    item.id = this.id;
    item.contextValue = this.contextValue;
    const note = this.note();
    if (this.grantee === null) {
      item.description = [vscode.l10n.t('unknown or deleted'), note].filter(Boolean).join(' · ');
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    } else {
      // A grant held by a disabled or deleted grantee is stale: mark it as the mailbox list does.
      const marker = stateMarker(known?.state);
      item.description = displayText([note, marker.word, displayText(known?.email)].filter(Boolean).join(' · '));
      item.iconPath = new vscode.ThemeIcon(this.grant.granteeType === 'GROUP' ? 'organization' : 'person', marker.colour);
    }
    if (this.inDoubt) {
      item.iconPath = new vscode.ThemeIcon('question', new vscode.ThemeColor('list.warningForeground'));
    }
    // The tooltip is built on hover (tooltip(), through the explorer's resolveTreeItem).
    return item;
  }

  /** Honest about a lagging list: the rights shown are what was written, not (yet) what WorkMail lists. */
  private note(): string | undefined {
    return this.inDoubt
      ? vscode.l10n.t('in doubt until {0}', new Date(this.inDoubt.settleAt ?? 0).toLocaleTimeString())
      : this.notYetListed
        ? vscode.l10n.t('not yet listed by WorkMail')
        : undefined;
  }

  override tooltip(): vscode.MarkdownString {
    const note = this.note();
    const rights = note ? `${rightsLabel(this.grant.rights)} · ${note}` : rightsLabel(this.grant.rights);
    // Names come from the directory and may hold markdown, HTML or control characters.
    return safeTooltip([
      [vscode.l10n.t('Grantee'), this.grantee ? entityName(this.grantee) : this.grantee === null ? vscode.l10n.t('unknown or deleted') : undefined],
      [vscode.l10n.t('Email'), this.grantee?.email],
      [vscode.l10n.t('State'), this.grantee?.state],
      [vscode.l10n.t('Rights'), rights],
      [
        vscode.l10n.t('In doubt'),
        this.inDoubt
          ? vscode.l10n.t(
              'It is not known whether WorkMail carried out the change from {0} to {1}; it may still do so until {2}. Refresh after that to see where it ended; no other change to this grantee is made before.',
              rightsLabel(this.inDoubt.before),
              rightsLabel(this.inDoubt.requested),
              new Date(this.inDoubt.settleAt ?? 0).toLocaleTimeString(),
            )
          : undefined,
      ],
      [vscode.l10n.t('Grantee ID'), this.grantee?.id ?? this.grant.granteeId],
      // WorkMail may list a grantee under the name or email a change was made by (variant grantee-id-form).
      [vscode.l10n.t('Listed by WorkMail as'), this.grantee && this.grantee.id !== this.grant.granteeId ? this.grant.granteeId : undefined],
      [vscode.l10n.t('Grantee type'), this.grant.granteeType === 'GROUP' ? vscode.l10n.t('group') : vscode.l10n.t('user')],
      [vscode.l10n.t('Mailbox'), entityName(this.mailbox)],
      [vscode.l10n.t('Mailbox ID'), this.mailbox.id],
    ]);
  }
}
