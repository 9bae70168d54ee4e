// The shapes the permission commands accept and return. The tree nodes they accept are in ../nodes.
import type { DirectoryEntity, EntityKind, Organization, Right } from '../../workmail/types';

export { isGranteeNode, isMailboxNode, isOrganizationNode, type GranteeNodeLike, type MailboxNodeLike, type OrganizationNodeLike } from '../nodes';

/**
 * What a caller (a script, a test, a keybinding with args) can answer in advance. Every answer
 * given here skips only its own dialog; the write still goes through the same fresh read,
 * concurrent-change check, merge and verification as a person clicking through.
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
  /** The answer to the confirmation (revoke, edit to nothing, multi-selection, undo). */
  readonly confirm?: boolean;
  /**
   * The answer when someone else changed the rights since the dialog opened. Unset = ask; true =
   * "Apply My Change" (the person's own additions and removals on top of the other change); 'exact'
   * = "Set Exactly What I Chose" (may undo the other change); false = write nothing.
   */
  readonly acceptConcurrentChange?: boolean | 'exact';
  /**
   * The answer when WorkMail does not list the person's previous write to the grantee yet: true goes
   * on from what WorkMail lists (the earlier write may be lost). Unset = ask; a refused question is no.
   */
  readonly acceptListed?: boolean;
  /**
   * The rights the person saw when the dialog opened. Normally read fresh as the dialog opens;
   * given here, a change made after that moment is detected exactly as if it had happened
   * while a dialog was open.
   */
  readonly expectedBefore?: readonly Right[];
  /** Sees what the commands show (pickers, messages, questions); for automation and tests. */
  readonly observe?: (event: PermissionUiEvent) => void;
}

export type PermissionUiEvent =
  | {
      readonly type: 'picker';
      /** 'shown' once, 'items' whenever the list grows, 'loaded' when background loading ended. */
      readonly phase: 'shown' | 'items' | 'loaded';
      readonly title: string;
      readonly step?: number;
      readonly totalSteps?: number;
      readonly placeholder?: string;
      readonly canSelectMany: boolean;
      readonly items: readonly PickerItemSnapshot[];
      /**
       * Puts text in the picker's input, as typing would (same filter, same change event), for
       * automation that cannot reach the keyboard.
       */
      readonly typeText: (value: string) => void;
    }
  | { readonly type: 'message'; readonly severity: 'info' | 'warning' | 'error'; readonly text: string }
  | { readonly type: 'question'; readonly text: string; readonly detail?: string; readonly answeredBy: 'options' | 'person' };

export interface PickerItemSnapshot {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly picked: boolean;
  readonly separator: boolean;
}

export type ItemStatus = 'changed' | 'unchanged' | 'failed' | 'declined' | 'skipped';

/** What happened to one grantee on one mailbox. */
export interface PermissionItemOutcome {
  readonly organizationId: string;
  readonly mailboxId: string;
  readonly mailbox: string;
  readonly granteeId: string;
  readonly grantee: string;
  readonly status: ItemStatus;
  readonly before?: readonly Right[];
  readonly requested?: readonly Right[];
  readonly after?: readonly Right[];
  readonly verified?: boolean;
  /** Set when the write went through but reading it back failed, so what WorkMail holds is unconfirmed. */
  readonly verifyError?: string;
  /**
   * Set when WorkMail's answer to the write was lost although it lists the change: until then no
   * other change to this grantee is made, in case a late copy of the request still arrives.
   */
  readonly heldUntil?: number;
  /** Set when someone else had changed the rights after the dialog opened. */
  readonly concurrent?: { readonly expected: readonly Right[]; readonly actual: readonly Right[] };
  /** For people: why it failed or was skipped. */
  readonly reason?: string;
  readonly errorCode?: string;
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
