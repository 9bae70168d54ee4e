// Messages and questions, answered by the person or, in the extension's tests, by the answers
// queued for the command (answers.ts). A question nobody could see (the workbench refusing modal dialogs, or the
// person dismissing it) always counts as "no": the safe answer is to write nothing.
import * as vscode from 'vscode';
import { CancelledError, isCancellation } from '../../workmail/errors';
import type { CommandAnswers, UiEvent } from './answers';

/** The person dismissed a dialog. Stops a flow quietly: nothing written, no error shown. */
export class DialogDismissedError extends CancelledError {
  constructor() {
    super('Dismissed');
  }
}

export function isDismissal(err: unknown): boolean {
  return err instanceof DialogDismissedError || isCancellation(err) || (err as { code?: unknown } | null)?.code === 'Cancelled';
}

export class PermissionDialogs {
  constructor(readonly answers: CommandAnswers) {}

  emit(event: UiEvent): void {
    try {
      this.answers.observe?.(event);
    } catch {
      // An observer's own failure must never change what is written.
    }
  }

  info(text: string): void {
    this.emit({ type: 'message', severity: 'info', text });
    // Not awaited: the promise settles only when the notification is dismissed.
    void vscode.window.showInformationMessage(text);
  }

  warn(text: string, ...actions: string[]): Thenable<string | undefined> {
    this.emit({ type: 'message', severity: 'warning', text });
    return vscode.window.showWarningMessage(text, ...actions);
  }

  error(text: string): void {
    this.emit({ type: 'message', severity: 'error', text });
    void vscode.window.showErrorMessage(text);
  }

  /** A modal yes/no. `answer` (from the queued answers) skips the dialog. */
  async confirm(text: string, detail: string | undefined, acceptLabel: string, answer: boolean | undefined = this.answers.confirm): Promise<boolean> {
    const choice = await this.choose(text, detail, [acceptLabel], answer === undefined ? undefined : answer ? acceptLabel : null);
    return choice === acceptLabel;
  }

  /**
   * A modal with several answers. `answer`: a label skips the dialog with that choice, `null`
   * skips it as declined, `undefined` asks. Resolves `undefined` when declined or dismissed.
   */
  async choose<T extends string>(text: string, detail: string | undefined, choices: readonly T[], answer?: T | null): Promise<T | undefined> {
    return (await this.ask(text, detail, choices, answer)).choice;
  }

  /**
   * `choose`, telling a question nobody could see (`refused`: the host refuses modal dialogs) from
   * one a person dismissed, for questions where the two call for different defaults.
   */
  async ask<T extends string>(text: string, detail: string | undefined, choices: readonly T[], answer?: T | null): Promise<{ choice: T | undefined; refused: boolean }> {
    if (answer !== undefined) {
      this.emit({ type: 'question', text, detail, answeredBy: 'answers' });
      return { choice: answer ?? undefined, refused: false };
    }
    this.emit({ type: 'question', text, detail, answeredBy: 'person' });
    try {
      return { choice: await vscode.window.showWarningMessage(text, { modal: true, detail }, ...choices), refused: false };
    } catch {
      // Test and automation hosts refuse modal dialogs; an unseen question is a "no".
      return { choice: undefined, refused: true };
    }
  }
}
