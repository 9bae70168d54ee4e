// The command UI the extension-host tests give a run (src/commands/ui/commandUi.ts): VS Code's own
// UI (vscodeUi.ts: real notifications, real quick picks the tests drive through the workbench),
// except that the questions a test answered ahead are answered without a dialog, progress can be
// cancelled by the test's signal, and everything shown is told to the test's observer.
import * as vscode from 'vscode';
import type { Answered, PickChoice, PickerHost, Question, QuestionKind, UiEvent } from '../../src/commands/ui/commandUi';
import { withCancellableProgress, type ProgressReporter } from '../../src/commands/ui/progress';
import { VsCodeCommandUi, type ResultLog } from '../../src/commands/ui/vscodeUi';

/** A picker event as a test sees it: it can type into the picker, as a person would. */
export type ScriptedUiEvent =
  | (Extract<UiEvent, { type: 'picker' }> & { readonly typeText: (value: string) => void })
  | Exclude<UiEvent, { type: 'picker' }>;

/**
 * What a test answers ahead. Every answer skips only its own question; the write still goes
 * through the same fresh read, concurrent-change check, merge and verification as a person
 * clicking through.
 */
export interface ScriptedAnswers {
  /** The confirmation of a write (revoke, edit to nothing, multi-selection, undo, stale clean-up, change file). */
  readonly confirm?: boolean;
  /**
   * Someone else changed the rights since the dialog opened: true = "Apply My Change", 'exact' =
   * "Set Exactly What I Chose" (when offered), false = write nothing. Unset = ask.
   */
  readonly acceptConcurrentChange?: boolean | 'exact';
  /** WorkMail does not list the last write yet: true = "Use What WorkMail Lists". Unset = ask. */
  readonly acceptListed?: boolean;
  /** Removing the last booking delegate of a resource that does not accept automatically: true = "Remove Last Delegate". Unset = ask. */
  readonly leaveUnattended?: boolean;
  /** An interrupted scan can be resumed: true = "Resume", false = "Start Over". Unset = ask. */
  readonly resumeScan?: boolean;
  /** Review Stale Grants: the stale grants to clean up (`mailboxId/granteeId`), instead of checking them in the picker. */
  readonly select?: readonly string[];
  /** Cancels the run's progress, as its notification's Cancel would. */
  readonly signal?: AbortSignal;
  /** Sees what the command shows. */
  readonly observe?: (event: ScriptedUiEvent) => void;
}

export const SCRIPTED_ANSWER_KEYS: readonly (keyof ScriptedAnswers)[] = ['confirm', 'acceptConcurrentChange', 'acceptListed', 'leaveUnattended', 'resumeScan', 'select', 'signal', 'observe'];

const LABELS: Partial<Record<QuestionKind, (answer: ScriptedAnswers) => string | null | undefined>> = {
  confirm: (a) => (a.confirm === undefined ? undefined : a.confirm ? '' : null),
  concurrentChange: (a) => (a.acceptConcurrentChange === undefined ? undefined : a.acceptConcurrentChange === false ? null : a.acceptConcurrentChange === 'exact' ? 'Set Exactly What I Chose' : 'Apply My Change'),
  listedBehind: (a) => (a.acceptListed === undefined ? undefined : a.acceptListed ? 'Use What WorkMail Lists' : null),
  leavesUnattended: (a) => (a.leaveUnattended === undefined ? undefined : a.leaveUnattended ? 'Remove Last Delegate' : null),
  resumeScan: (a) => (a.resumeScan === undefined ? undefined : a.resumeScan ? 'Resume' : 'Start Over'),
};

interface StaleGrantLike {
  readonly record: { readonly mailbox: { readonly id: string }; readonly granteeId: string };
}

function isStaleGrant(value: unknown): value is StaleGrantLike {
  const record = (value as Partial<StaleGrantLike> | undefined)?.record;
  return typeof record?.granteeId === 'string' && typeof record.mailbox?.id === 'string';
}

export class ScriptedUi extends VsCodeCommandUi {
  private picker: vscode.QuickPick<vscode.QuickPickItem> | undefined;

  constructor(
    private readonly answers: ScriptedAnswers,
    log?: ResultLog,
  ) {
    super(log);
  }

  override shown(event: UiEvent): void {
    const picker = this.picker;
    const seen: ScriptedUiEvent = event.type === 'picker' ? { ...event, typeText: (value) => picker && (picker.value = value) } : event;
    try {
      this.answers.observe?.(seen);
    } catch {
      // An observer's own failure must never change what is written.
    }
  }

  override createQuickPick<T extends vscode.QuickPickItem>(): vscode.QuickPick<T> {
    const picker = super.createQuickPick<T>();
    this.picker = picker as unknown as vscode.QuickPick<vscode.QuickPickItem>;
    return picker;
  }

  override async ask<T extends string>(question: Question<T>): Promise<Answered<T>> {
    const label = LABELS[question.kind]?.(this.answers);
    if (label === undefined) {
      return super.ask(question);
    }
    const { kind, text, detail, choices } = question;
    this.shown({ type: 'question', kind, text, detail, choices, answeredBy: 'script' });
    // '' is "the accepting answer", the first offered; an answer not offered declines, as Escape would.
    const choice = label === null ? undefined : label === '' ? choices[0] : choices.find((offered) => offered === label) ?? (kind === 'concurrentChange' ? choices[0] : undefined);
    return { choice, refused: false };
  }

  override pick<T>(step: { readonly title: string; readonly canSelectMany?: boolean; readonly items?: readonly PickChoice<T>[] }, show: (host: PickerHost) => Promise<T[]>): Promise<T[]> {
    const { select } = this.answers;
    const values: unknown[] = (step.items ?? []).map((item) => item.value);
    if (select !== undefined && step.canSelectMany && values.length > 0 && values.every(isStaleGrant)) {
      const byId = new Map(values.filter(isStaleGrant).map((value) => [`${value.record.mailbox.id}/${value.record.granteeId}`, value as T]));
      const unknown = select.filter((id) => !byId.has(id));
      if (unknown.length > 0) {
        return Promise.reject(new Error(`the script selects what the picker does not offer: ${unknown.join(', ')}`));
      }
      return Promise.resolve([...new Set(select)].map((id) => byId.get(id) as T));
    }
    return super.pick(step, show);
  }

  override withProgress<R>(title: string, work: (progress: ProgressReporter, signal: AbortSignal) => Promise<R>): Thenable<R> {
    return withCancellableProgress({ title, outer: this.answers.signal }, work);
  }
}
