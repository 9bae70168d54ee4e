// Runs a command as the tests do: a trailing object may mix the command's own arguments
// (organization, mailbox, rights, path...) with answers to its questions (confirm, observe...).
// The answers go through the extension's answer seam, never inside the arguments, because the
// commands no longer read answers from their arguments (see src/commands/ui/answers.ts).
import * as vscode from 'vscode';
import { ANSWER_KEYS, type CommandAnswers } from '../../src/commands/ui/answers';
import { extensionApi } from '../tree/support';

function isOptions(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !('kind' in value);
}

export async function runCommand<T>(command: string, ...args: unknown[]): Promise<T> {
  const last = args.length > 0 ? args[args.length - 1] : undefined;
  if (isOptions(last)) {
    const answers: Record<string, unknown> = {};
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(last)) {
      ((ANSWER_KEYS as readonly string[]).includes(key) ? answers : rest)[key] = value;
    }
    if (Object.keys(answers).length > 0) {
      const api = await extensionApi();
      api.answers.answerNext(command, answers as CommandAnswers);
    }
    args = [...args.slice(0, -1), rest];
  }
  return vscode.commands.executeCommand<T>(command, ...args) as Promise<T>;
}
