// The one way a command is registered. Whatever a command does, one policy applies to what escapes
// it: a cancellation or a dismissed dialog ends quietly; anything else is logged and shown once,
// as a message that says what could not be done and what to do next. Commands with their own
// per-item reporting (grant, revoke, audits) still return their results through here.
//
// Each run gets the UI it talks to the person through (ui/commandUi.ts): VS Code's, or in the
// extension's own tests one they scripted for that run. It reaches the handler beside its
// arguments, never inside them, so no caller of a command can answer its questions.
import * as vscode from 'vscode';
import { toWorkMailError } from '../workmail/errors';
import { isDismissal, type CommandUi } from './ui/commandUi';
import { saveLocationFor, type SaveLocation } from './ui/saveDialog';

export interface CommandPolicy {
  readonly log: vscode.LogOutputChannel;
  /** The active profile, for credential advice in a failure message. */
  profile(): string | undefined;
  /** The UI of one run of the command `commandId`. */
  uiFor(commandId: string): CommandUi;
}

/** What a run knows besides the arguments VS Code or the caller passed. */
export interface CommandRun {
  readonly ui: CommandUi;
  /** The command's save dialog, which remembers the folder it last saved in. */
  readonly saveLocation: SaveLocation;
}

export function registerCommand<A extends unknown[]>(
  context: vscode.ExtensionContext,
  policy: CommandPolicy,
  id: string,
  handler: (run: CommandRun, ...args: A) => unknown,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      const run: CommandRun = { ui: policy.uiFor(id), saveLocation: saveLocationFor(context, id) };
      try {
        return await handler(run, ...(args as A));
      } catch (err) {
        // Cancelled progress, Escape on a picker or a question: what the person did on purpose.
        if (isDismissal(err)) {
          return undefined;
        }
        const problem = toWorkMailError(err, { profile: policy.profile() });
        policy.log.error(`${id}: ${problem.code}: ${problem.message}${problem.detail ? ` (${problem.detail})` : ''}`);
        void vscode.window.showErrorMessage(problem.message);
        return undefined;
      }
    }),
  );
}
