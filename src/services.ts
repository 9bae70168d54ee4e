// What the commands need from the running extension, passed explicitly instead of imported
// globals, so each command file can be read (and tested) on its own.
import type * as vscode from 'vscode';
import type { DirectoryCache } from './workmail/directory';
import type { PendingWrite } from './workmail/pendingWrites';
import type { PermissionWriter } from './workmail/permissions';
import type { WorkMailSession } from './workmail/session';
import type { OrgRef, Right } from './workmail/types';

/** A write to one grantee on one mailbox. */
export interface PermissionsChange {
  readonly org: OrgRef;
  readonly mailboxId: string;
  readonly granteeId: string;
  readonly granteeType: 'USER' | 'GROUP';
  /** A booking delegation of the resource `mailboxId` rather than mailbox permissions. */
  readonly route?: 'permission' | 'booking-delegate';
  /**
   * What was written (empty = gone): the tree shows it at once, even while ListMailboxPermissions
   * still lags. Undefined when the write is in doubt: the tree reloads the mailbox and marks it.
   */
  readonly rights?: readonly Right[];
}

export interface WorkMailServices {
  /** The session for the active profile; replaced when the profile or endpoint changes. */
  session(): WorkMailSession;
  /** The safe write path bound to the current session. */
  writer(): PermissionWriter;
  /**
   * The rights a dialog shows the person, read fresh from WorkMail: what the write then compares
   * with, to know whether someone else changed them meanwhile. (A reader of its own, put here by
   * the extension's tests, stages such a change.)
   */
  shownRights(org: OrgRef, mailboxId: string, granteeId: string): Promise<Right[]>;
  /** The per-organization directory cache shared with the tree. */
  directory(org: OrgRef): DirectoryCache;
  /** Forget every cached directory entry (a full refresh starts from a clean slate). */
  clearDirectories(): void;
  /** Writes on this machine whose outcome is unknown yet (any window, any profile), to mark them. */
  pendingWrites(): Promise<readonly PendingWrite[]>;
  /** `workmail.showSystemUsers`. */
  showSystemUsers(): boolean;
  /** The "WorkMail" log channel. */
  readonly log: vscode.LogOutputChannel;
  /** `workmail.pageSize`, clamped to 1..100. */
  pageSize(): number;
  /** `workmail.regions`. */
  regions(): string[];
  /** Tell the tree and the scan cache that a change was written (or may have been). */
  permissionsChanged(change: PermissionsChange): void;
  /** Fires for every `permissionsChanged`: the tree and the caches of whole-organization reads listen. */
  readonly onDidChangePermissions: vscode.Event<PermissionsChange>;
}
