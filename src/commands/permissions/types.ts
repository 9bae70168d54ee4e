// The shapes the permission commands accept and return. The tree nodes they accept are in ../nodes.
import type { BatchOutcome, BatchStatus } from '../../workmail/batch';
import type { DirectoryEntity, EntityKind, Organization, Right } from '../../workmail/types';

export { isGranteeNode, isMailboxNode, isOrganizationNode, type GranteeNodeLike, type MailboxNodeLike, type OrganizationNodeLike } from '../nodes';

/**
 * What a caller (a script, a keybinding with args) can name in advance: which organization,
 * mailbox and grantee, and which rights. Each skips only its own picker. Answers to questions
 * (confirmations, what to do about a concurrent change) are never taken from here: every question
 * that guards a write goes through the run's UI (../ui/commandUi.ts) and is seen by a person.
 */
export interface PermissionCommandOptions {
  /** Organization ID or alias (palette flows, or to override the node's). */
  readonly organization?: string;
  /** Mailbox owner: name, email or ID (palette flows). */
  readonly mailbox?: string;
  /** Grantee: name, email or ID. */
  readonly grantee?: string;
  /**
   * Grant: the rights to ADD (never removes one). Edit: the exact set the grantee should end with.
   */
  readonly rights?: readonly Right[];
}

export type { UiEvent as PermissionUiEvent, PickerItemSnapshot } from '../ui/commandUi';

/** The batch engine's vocabulary (src/workmail/batch.ts), the same on the command line. */
export type ItemStatus = BatchStatus;

/**
 * What happened to one grantee on one mailbox: the batch engine's outcome (src/workmail/batch.ts)
 * as a command returns it, with the pair named by ID and label and errors as their messages.
 */
export interface PermissionItemOutcome extends Omit<BatchOutcome, 'item' | 'verifyError' | 'error'> {
  readonly organizationId: string;
  readonly mailboxId: string;
  readonly mailbox: string;
  readonly granteeId: string;
  readonly grantee: string;
  /** A booking delegation (the mailbox is the resource), rather than mailbox permissions. */
  readonly route?: 'permission' | 'booking-delegate';
  /** Set when the write went through but reading it back failed, so what WorkMail holds is unconfirmed. */
  readonly verifyError?: string;
}

export interface PermissionCommandResult {
  /** cancelled: a dialog was dismissed or declined before anything was written. */
  readonly outcome: 'done' | 'cancelled' | 'nothing-to-do' | 'failed' | 'partial';
  readonly items: readonly PermissionItemOutcome[];
  /** Why the command stopped before any write (an invalid choice, a failed read). */
  readonly reason?: string;
}

/** The mailbox side of a change: enough to address it, name it, and know which rights fit. */
export interface MailboxTarget {
  readonly org: Organization;
  readonly entity: DirectoryEntity;
}

export interface GranteeTarget {
  readonly id: string;
  readonly type: 'USER' | 'GROUP';
  readonly entity?: DirectoryEntity;
}

export function granteeTypeOf(kind: EntityKind): 'USER' | 'GROUP' | undefined {
  return kind === 'user' ? 'USER' : kind === 'group' ? 'GROUP' : undefined;
}
