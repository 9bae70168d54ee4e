// The common shape of every node in the WorkMail explorer, and the services nodes share.
import type * as vscode from 'vscode';
import type { DirectoryCache } from '../workmail/directory';
import type { PendingWrite } from '../workmail/pendingWrites';
import type { WorkMailSession } from '../workmail/session';
import type { OrgRef } from '../workmail/types';
import type { PendingRights } from './pendingRights';

/** What nodes need from the explorer that owns them; passed down instead of imported globals. */
export interface TreeContext {
  session(): WorkMailSession;
  directory(org: OrgRef): DirectoryCache;
  pageSize(): number;
  showSystemUsers(): boolean;
  /** Writes on this machine whose outcome is unknown yet, to mark those grantees. */
  pendingWrites(): Promise<readonly PendingWrite[]>;
  readonly log: vscode.LogOutputChannel;
  /** Rights written by this window that the service's listing may not show yet. */
  readonly pending: PendingRights;
  /** Re-render one node (or the whole view with undefined). */
  changed(node: ExplorerNode | undefined): void;
  /**
   * A node changed by itself, not at the person's request (a list's count once its first page is
   * in): told to VS Code at the next quiet moment, never while VS Code is fetching rows (announcer.ts).
   */
  announce(node: ExplorerNode): void;
  /** Remember a mailbox node so a permission change can refresh exactly it. */
  track(node: ExplorerNode & { readonly org: OrgRef; readonly entity: { readonly id: string } }): void;
  untrack(node: ExplorerNode): void;
}

export abstract class ExplorerNode {
  /** Unique within the tree, so VS Code keeps expansion and selection across refreshes. */
  abstract readonly id: string;
  abstract readonly contextValue: string;

  constructor(readonly parent: ExplorerNode | undefined) {}

  abstract getTreeItem(): vscode.TreeItem;

  /**
   * The row's tooltip when getTreeItem leaves it out: built only when VS Code asks for it (the
   * person hovers the row, or selects it), through the explorer's resolveTreeItem. Rows that come a
   * page at a hundred build theirs here, so a page is not a hundred tooltips nobody looks at.
   */
  tooltip(): vscode.MarkdownString | undefined {
    return undefined;
  }

  getChildren(): Promise<ExplorerNode[]> {
    return Promise.resolve([]);
  }
}

/** A node that can be reloaded from its first page. */
export interface Refreshable {
  refresh(): void;
}

export function isRefreshable(node: unknown): node is ExplorerNode & Refreshable {
  return node instanceof ExplorerNode && typeof (node as Partial<Refreshable>).refresh === 'function';
}
