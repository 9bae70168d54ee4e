// Runs a command as the tests do: a trailing object may mix the command's own arguments
// (organization, mailbox, rights, path...) with answers to its questions (confirm, observe...).
// The answers become the run's scripted UI (scriptedUi.ts), given to the extension through its
// test handle for the next run of that command, never inside the arguments: the commands take no
// answers from their arguments. `expectedBefore` stages a change made while the dialog was open:
// the dialog is shown those rights instead of what WorkMail holds (a reader of the test's own,
// put in the services for that run).
import * as vscode from 'vscode';
import type { Right } from '../../src/workmail/types';
import { extensionApi } from '../tree/support';
import { SCRIPTED_ANSWER_KEYS, ScriptedUi, type ScriptedAnswers } from './scriptedUi';

function isOptions(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !('kind' in value);
}

export async function runCommand<T>(command: string, ...args: unknown[]): Promise<T> {
  const last = args.length > 0 ? args[args.length - 1] : undefined;
  const answers: Record<string, unknown> = {};
  let expectedBefore: readonly Right[] | undefined;
  if (isOptions(last)) {
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(last)) {
      if (key === 'expectedBefore') {
        expectedBefore = value as readonly Right[];
      } else {
        ((SCRIPTED_ANSWER_KEYS as readonly string[]).includes(key) ? answers : rest)[key] = value;
      }
    }
    args = [...args.slice(0, -1), rest];
  }
  const api = await extensionApi();
  api.nextRunUis.give(command, new ScriptedUi(answers as ScriptedAnswers, api.services.log));
  if (expectedBefore === undefined) {
    return vscode.commands.executeCommand<T>(command, ...args) as Promise<T>;
  }
  const shown = [...expectedBefore];
  const services = api.services as { shownRights: typeof api.services.shownRights };
  services.shownRights = () => Promise.resolve([...shown]);
  try {
    return (await vscode.commands.executeCommand<T>(command, ...args)) as T;
  } finally {
    delete (services as Partial<typeof services>).shownRights;
  }
}
