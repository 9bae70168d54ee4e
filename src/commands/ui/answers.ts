// Answers given ahead of time, and a window on what a command shows: for the extension's own
// tests and nothing else. They are deliberately not part of any command's arguments: a
// keybinding, a task or another extension calling `workmail.revokePermissions` cannot answer its
// confirmation, so every question that guards a write is seen by a person. Tests reach the seam
// through the object `activate` returns (WorkMailExtensionApi.answers).
import type { Right } from '../../workmail/types';

export interface PickerItemSnapshot {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly picked: boolean;
  readonly separator: boolean;
}

/** What a command showed: pickers, messages and questions. */
export type UiEvent =
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
  | {
      readonly type: 'question';
      readonly text: string;
      readonly detail?: string;
      /** The answers offered, in the order shown: the first is the suggested one (the dialog's default button). */
      readonly choices: readonly string[];
      readonly answeredBy: 'answers' | 'person';
    };

/**
 * Every answer skips only its own question; the write still goes through the same fresh read,
 * concurrent-change check, merge and verification as a person clicking through.
 */
export interface CommandAnswers {
  /** The answer to the confirmation (revoke, edit to nothing, multi-selection, undo, stale clean-up). */
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
   * given here, a change made after that moment is detected exactly as if it had happened while a
   * dialog was open.
   */
  readonly expectedBefore?: readonly Right[];
  /** Review Stale Grants: which stale grants to clean up (`mailboxId/granteeId`), instead of the preview. */
  readonly select?: readonly string[];
  /**
   * The answer when an interrupted scan of the organization can be resumed: true = "Resume" (read
   * only what it had not read), false = "Start Over". Unset = ask; a dismissed question cancels.
   */
  readonly resumeScan?: boolean;
  /** Stops the command's scan or batch (before its next write), like the progress notification's Cancel. */
  readonly signal?: AbortSignal;
  /** Sees what the command shows. */
  readonly observe?: (event: UiEvent) => void;
}

export const ANSWER_KEYS: readonly (keyof CommandAnswers)[] = ['confirm', 'acceptConcurrentChange', 'acceptListed', 'expectedBefore', 'select', 'resumeScan', 'signal', 'observe'];

/** Answers queued per command ID; each run of that command takes the oldest (or none). */
export class CommandAnswerSeam {
  private readonly queued = new Map<string, CommandAnswers[]>();

  /** The next run of `commandId` is answered with `answers`. */
  answerNext(commandId: string, answers: CommandAnswers): void {
    const queue = this.queued.get(commandId) ?? [];
    queue.push(answers);
    this.queued.set(commandId, queue);
  }

  /** Called as a command starts: its answers, or none (the person answers everything). */
  take(commandId: string): CommandAnswers {
    const queue = this.queued.get(commandId);
    const answers = queue?.shift();
    if (queue && queue.length === 0) {
      this.queued.delete(commandId);
    }
    return answers ?? {};
  }
}
