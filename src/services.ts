// What the commands need from the running extension, passed explicitly instead of imported
// globals, so each command file can be read (and tested) on its own.
import type * as vscode from 'vscode';
import type { DirectoryCache } from './workmail/directory';
import type { PermissionWriter } from './workmail/permissions';
import type { WorkMailSession } from './workmail/session';
import type { OrgRef, Right } from './workmail/types';

export interface WorkMailServices {
  /** The session for the active profile; replaced when the profile or endpoint changes. */
  session(): WorkMailSession;
  /** The safe write path bound to the current session. */
  writer(): PermissionWriter;
  /** The per-organization directory cache shared with the tree. */
  directory(org: OrgRef): DirectoryCache;
  /** The "WorkMail" log channel. */
  readonly log: vscode.LogOutputChannel;
  /** `workmail.pageSize`, clamped to 1..100. */
  pageSize(): number;
  /** `workmail.regions`. */
  regions(): string[];
  /**
   * Tell the tree a change was written: it refreshes only that mailbox node and shows `rights`
   * for the grantee at once (empty = gone), even while ListMailboxPermissions still lags.
   */
  permissionsChanged(org: OrgRef, mailboxId: string, granteeId: string, granteeType: 'USER' | 'GROUP', rights: readonly Right[]): void;
  /** Reload one mailbox's grantees where the tree shows them (to mark a grantee whose write is in doubt). */
  refreshMailbox(org: OrgRef, mailboxId: string): void;
  /** Fires after `permissionsChanged`, so caches of whole-organization reads (scans) can drop what is now stale. */
  readonly onDidChangePermissions: vscode.Event<OrgRef>;
}
