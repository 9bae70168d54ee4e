// The command UI as VS Code shows it (commandUi.ts): notifications whose "Show details" opens the
// log, modal questions, quick picks and cancellable progress. Every command run in the extension
// gets one.
import * as vscode from 'vscode';
import { CommandUi, type Answered, type PickChoice, type PickerHost, type Question, type UiEvent } from './commandUi';
import { withCancellableProgress, type ProgressReporter } from './progress';

/** Where results are kept after their notification is gone: the WorkMail output channel. */
export interface ResultLog {
  info(message: string): void;
  warn(message: string): void;
  show(preserveFocus?: boolean): void;
}

export class VsCodeCommandUi extends CommandUi {
  constructor(
    /** Results are written here too, and "Show details" on their message opens it. */
    private readonly log?: ResultLog,
  ) {
    super();
  }

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

  shown(_event: UiEvent): void {}

  createQuickPick<T extends vscode.QuickPickItem>(): vscode.QuickPick<T> {
    return vscode.window.createQuickPick<T>();
  }

  pick<T>(_step: { readonly title: string; readonly items?: readonly PickChoice<T>[] }, show: (host: PickerHost) => Promise<T[]>): Promise<T[]> {
    return show(this);
  }

  withProgress<R>(title: string, work: (progress: ProgressReporter, signal: AbortSignal) => Promise<R>): Thenable<R> {
    return withCancellableProgress({ title }, work);
  }

  info(text: string): void {
    this.shown({ type: 'message', severity: 'info', text });
    this.log?.info(`result: ${text}`);
    const details = this.log ? vscode.l10n.t('Show details') : undefined;
    // Not awaited: the promise settles only when the notification is dismissed.
    void this.withDetails(details ? vscode.window.showInformationMessage(text, details) : vscode.window.showInformationMessage(text), details);
  }

  warn(text: string, ...actions: string[]): Thenable<string | undefined> {
    this.shown({ type: 'message', severity: 'warning', text });
    this.log?.warn(`result: ${text}`);
    const details = this.log ? vscode.l10n.t('Show details') : undefined;
    return this.withDetails(vscode.window.showWarningMessage(text, ...actions, ...(details ? [details] : [])), details);
  }

  offer(severity: 'info' | 'warning', text: string, ...actions: string[]): Thenable<string | undefined> {
    this.shown({ type: 'message', severity, text });
    return severity === 'warning' ? vscode.window.showWarningMessage(text, ...actions) : vscode.window.showInformationMessage(text, ...actions);
  }

  /** Failures are logged where they are caught (runReported, registerCommand); this only offers the log. */
  error(text: string): void {
    this.shown({ type: 'message', severity: 'error', text });
    const details = this.log ? vscode.l10n.t('Show details') : undefined;
    void this.withDetails(details ? vscode.window.showErrorMessage(text, details) : vscode.window.showErrorMessage(text), details);
  }

  async ask<T extends string>(question: Question<T>): Promise<Answered<T>> {
    const { kind, text, detail, choices } = question;
    this.shown({ type: 'question', kind, text, detail, choices, answeredBy: 'person' });
    try {
      return { choice: await vscode.window.showWarningMessage(text, { modal: true, detail }, ...choices), refused: false };
    } catch {
      // Test and automation hosts refuse modal dialogs; an unseen question is a "no".
      return { choice: undefined, refused: true };
    }
  }
}
