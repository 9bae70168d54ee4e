// The one way a command talks to the person: results, questions, quick picks and progress. The
// extension gives every run the VS Code implementation (vscodeUi.ts); the extension-host tests give
// a scripted one that answers some questions and records what was shown. Commands never know which,
// so nothing in a command reads a test's answer (the shape of vscode-azuretools' IActionContext.ui).
//
// A question nobody could see (the workbench refusing modal dialogs, or the person dismissing it)
// always counts as "no": the safe answer is to write nothing.
import type * as vscode from 'vscode';
import { CancelledError, isCancellation } from '../../workmail/errors';
import type { ProgressReporter } from './progress';

/** The person dismissed a dialog. Stops a flow quietly: nothing written, no error shown. */
export class DialogDismissedError extends CancelledError {
  constructor() {
    super('Dismissed');
  }
}

export function isDismissal(err: unknown): boolean {
  return isCancellation(err) || (err as { code?: unknown } | null)?.code === 'Cancelled';
}

/**
 * What a question is about, so that a script can answer the one it means: the confirmation of a
 * write, whether a grant also removes the rights the person unchecked, what to do when someone else
 * changed the rights meanwhile, going on when WorkMail does not list the person's last write yet,
 * and resuming an interrupted scan.
 */
export type QuestionKind = 'confirm' | 'removeUnchecked' | 'concurrentChange' | 'listedBehind' | 'leavesUnattended' | 'resumeScan';

export interface Question<T extends string> {
  readonly kind: QuestionKind;
  readonly text: string;
  readonly detail?: string;
  /** The answers offered, in the order shown: the first is the suggested one (the default button). */
  readonly choices: readonly T[];
}

export interface Answered<T extends string> {
  /** Undefined when declined or dismissed. */
  readonly choice: T | undefined;
  /** Nobody could see the question (the host refuses modal dialogs), as against a dismissal. */
  readonly refused: boolean;
}

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
    }
  | { readonly type: 'message'; readonly severity: 'info' | 'warning' | 'error'; readonly text: string }
  | {
      readonly type: 'question';
      readonly kind: QuestionKind;
      readonly text: string;
      readonly detail?: string;
      readonly choices: readonly string[];
      /** Who gave the answer: the person in a dialog, or a script. */
      readonly answeredBy: 'person' | 'script';
    };

/** The choices of a quick pick step (quickPick.ts builds on it). */
export interface PickChoice<T> extends vscode.QuickPickItem {
  readonly value?: T;
}

/** What a quick pick step needs from the UI it is shown in. */
export interface PickerHost {
  createQuickPick<T extends vscode.QuickPickItem>(): vscode.QuickPick<T>;
  /** Told of everything shown (a picker's phases, messages, questions). */
  shown(event: UiEvent): void;
}

export abstract class CommandUi implements PickerHost {
  /** A result: shown, and kept where "Show details" finds it after the notification is gone. */
  abstract info(text: string): void;
  abstract warn(text: string, ...actions: string[]): Thenable<string | undefined>;
  abstract error(text: string): void;
  /** A message offering actions of its own (no "Show details"); resolves to the one chosen. */
  abstract offer(severity: 'info' | 'warning', text: string, ...actions: string[]): Thenable<string | undefined>;
  /** A modal question. */
  abstract ask<T extends string>(question: Question<T>): Promise<Answered<T>>;
  abstract createQuickPick<T extends vscode.QuickPickItem>(): vscode.QuickPick<T>;
  abstract shown(event: UiEvent): void;
  /**
   * One quick pick step: the values of the accepted items (one for a single choice). Runs the step
   * given, which builds the picker on this host; a script may answer instead.
   */
  abstract pick<T>(step: { readonly title: string; readonly canSelectMany?: boolean; readonly items?: readonly PickChoice<T>[] }, show: (host: PickerHost) => Promise<T[]>): Promise<T[]>;
  /** Long work under a notification with Cancel, seen by the work as an AbortSignal. */
  abstract withProgress<R>(title: string, work: (progress: ProgressReporter, signal: AbortSignal) => Promise<R>): Thenable<R>;

  /** A modal yes/no: whether the person chose `acceptLabel`. */
  async confirm(text: string, detail: string | undefined, acceptLabel: string): Promise<boolean> {
    return (await this.choose('confirm', text, detail, [acceptLabel])) === acceptLabel;
  }

  /** A modal with several answers; undefined when declined, dismissed or unseen. */
  async choose<T extends string>(kind: QuestionKind, text: string, detail: string | undefined, choices: readonly T[]): Promise<T | undefined> {
    return (await this.ask({ kind, text, detail, choices })).choice;
  }
}
