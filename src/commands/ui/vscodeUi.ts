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

/** Where results are kept after their notification is gone: the WorkMail output channel. */
export interface ResultLog {
  info(message: string): void;
  warn(message: string): void;
  show(preserveFocus?: boolean): void;
}

export class PermissionDialogs {
  constructor(
    readonly answers: CommandAnswers,
    /** Results are written here too, and "Show details" on their message opens it. */
    private readonly log?: ResultLog,
  ) {}

  /** Adds "Show details" (the log) to a result message; other actions are passed through. */
  private withDetails(shown: Thenable<string | undefined>, showDetails: string | undefined): Thenable<string | undefined> {
    if (!showDetails) {
      return shown;
    }
    return shown.then((choice) => {
      if (choice === showDetails) {
        this.log?.show(true);
      }
      return choice;
    });
  }

  emit(event: UiEvent): void {
    try {
      this.answers.observe?.(event);
    } catch {
      // An observer's own failure must never change what is written.
    }
  }

  /** A result: shown, and kept in the log where "Show details" finds it after the notification is gone. */
  info(text: string): void {
    this.emit({ type: 'message', severity: 'info', text });
    this.log?.info(`result: ${text}`);
    const details = this.log ? vscode.l10n.t('Show details') : undefined;
    // Not awaited: the promise settles only when the notification is dismissed.
    void this.withDetails(details ? vscode.window.showInformationMessage(text, details) : vscode.window.showInformationMessage(text), details);
  }

  warn(text: string, ...actions: string[]): Thenable<string | undefined> {
    this.emit({ type: 'message', severity: 'warning', text });
    this.log?.warn(`result: ${text}`);
    const details = this.log ? vscode.l10n.t('Show details') : undefined;
    return this.withDetails(vscode.window.showWarningMessage(text, ...actions, ...(details ? [details] : [])), details);
  }

  /** Failures are logged where they are caught (runReported, registerCommand); this only offers the log. */
  error(text: string): void {
    this.emit({ type: 'message', severity: 'error', text });
    const details = this.log ? vscode.l10n.t('Show details') : undefined;
    void this.withDetails(details ? vscode.window.showErrorMessage(text, details) : vscode.window.showErrorMessage(text), details);
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
      this.emit({ type: 'question', text, detail, choices, answeredBy: 'answers' });
      return { choice: answer ?? undefined, refused: false };
    }
    this.emit({ type: 'question', text, detail, choices, answeredBy: 'person' });
    try {
      return { choice: await vscode.window.showWarningMessage(text, { modal: true, detail }, ...choices), refused: false };
    } catch {
      // Test and automation hosts refuse modal dialogs; an unseen question is a "no".
      return { choice: undefined, refused: true };
    }
  }
}
