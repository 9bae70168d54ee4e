// One grantee's rights on one mailbox.
import * as vscode from 'vscode';
import { rightsLabel } from '../workmail/rights';
import type { DirectoryEntity, Grant, Organization } from '../workmail/types';
import { ExplorerNode } from './explorerNode';

export function entityLabel(entity: DirectoryEntity): string {
  return entity.displayName || entity.name || entity.email || entity.id;
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
  ) {
    super(parent);
    this.id = `${parent.id}/grantee/${grant.granteeId}`;
  }

  getTreeItem(): vscode.TreeItem {
    const known = this.grantee ?? undefined;
    const item = new vscode.TreeItem(known ? entityLabel(known) : this.grant.granteeId, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = this.contextValue;
    const rights = rightsLabel(this.grant.rights);
    if (this.grantee === null) {
      item.description = `${vscode.l10n.t('unknown or deleted')} · ${rights}`;
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    } else {
      item.description = rights;
      item.iconPath = new vscode.ThemeIcon(this.grant.granteeType === 'GROUP' ? 'organization' : 'person');
    }
    item.tooltip = this.tooltip(rights);
    return item;
  }

  private tooltip(rights: string): vscode.MarkdownString {
    // Names come from the directory and may contain markdown; appendText escapes them.
    const tooltip = new vscode.MarkdownString(undefined, false);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    const line = (label: string, value: string) => {
      tooltip.appendMarkdown(`**${label}:** `);
      tooltip.appendText(value);
      tooltip.appendMarkdown('  \n');
    };
    if (this.grantee) {
      line(vscode.l10n.t('Grantee'), entityLabel(this.grantee));
      if (this.grantee.email) {
        line(vscode.l10n.t('Email'), this.grantee.email);
      }
    } else if (this.grantee === null) {
      line(vscode.l10n.t('Grantee'), vscode.l10n.t('unknown or deleted'));
    }
    line(vscode.l10n.t('Rights'), rights);
    line(vscode.l10n.t('Grantee ID'), this.grant.granteeId);
    line(vscode.l10n.t('Grantee type'), this.grant.granteeType === 'GROUP' ? vscode.l10n.t('group') : vscode.l10n.t('user'));
    line(vscode.l10n.t('Mailbox'), entityLabel(this.mailbox));
    line(vscode.l10n.t('Mailbox ID'), this.mailbox.id);
    return tooltip;
  }
}
