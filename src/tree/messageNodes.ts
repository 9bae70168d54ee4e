// Leaf nodes that are not WorkMail objects: "Load more…", error items and empty-list placeholders.
import * as vscode from 'vscode';
import { appendInert, displayText, TOOLTIP_VALUE_MAX } from './display';
import { ExplorerNode } from './explorerNode';

export class LoadMoreNode extends ExplorerNode {
  readonly kind = 'loadMore';
  readonly contextValue = 'loadMore';
  readonly id: string;

  constructor(readonly owner: ExplorerNode) {
    super(owner);
    this.id = `${owner.id}/loadMore`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = this.contextValue;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.command = { title: vscode.l10n.t('Load more…'), command: 'workmail.loadMore', arguments: [this] };
    return item;
  }
}

export class ErrorNode extends ExplorerNode {
  readonly kind = 'error';
  readonly contextValue = 'error';
  readonly id: string;

  constructor(
    parent: ExplorerNode | undefined,
    idPrefix: string,
    readonly message: string,
    readonly detail: string | undefined,
    readonly retry: vscode.Command,
  ) {
    super(parent);
    this.id = `${idPrefix}/error`;
  }

  getTreeItem(): vscode.TreeItem {
    // Messages quote names from the directory and text from the service.
    const item = new vscode.TreeItem(displayText(this.message), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = this.contextValue;
    item.description = vscode.l10n.t('click to retry');
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    const tooltip = new vscode.MarkdownString(undefined, false);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    appendInert(tooltip, displayText(this.message, TOOLTIP_VALUE_MAX));
    if (this.detail && this.detail !== this.message) {
      tooltip.appendMarkdown('\n\n');
      appendInert(tooltip, displayText(this.detail, TOOLTIP_VALUE_MAX));
    }
    item.tooltip = tooltip;
    item.command = this.retry;
    return item;
  }
}

export class PlaceholderNode extends ExplorerNode {
  readonly kind = 'placeholder';
  readonly contextValue = 'placeholder';
  readonly id: string;

  constructor(
    parent: ExplorerNode | undefined,
    readonly label: string,
    readonly icon = 'info',
    readonly command?: vscode.Command,
  ) {
    super(parent);
    this.id = `${parent?.id ?? 'root'}/placeholder`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(displayText(this.label), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = this.contextValue;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.command = this.command;
    return item;
  }
}
