// How a command body ends when something escapes it, for the commands that report their own
// outcome: a dismissal or a cancellation ends quietly ('cancelled'), anything else is logged and
// shown as one message naming what could not be done ('failed', with the reason).
import * as vscode from 'vscode';
import { toWorkMailError } from '../../workmail/errors';
import { isDismissal, type CommandUi } from './commandUi';
import { InvalidChoiceError } from './pickers';

export interface ReportedRun {
  readonly log: vscode.LogOutputChannel;
  readonly ui: CommandUi;
  /** The active profile, for credential advice. */
  readonly profile: string | undefined;
  /** The log line's prefix: "grant", "export". */
  readonly verb: string;
  /** What the person reads, around the reason: "Could not grant permissions on Ana: …". */
  failureText(reason: string): string;
}

export type ReportedVerb = 'grant' | 'edit' | 'revoke' | 'delegate' | 'undelegate' | 'undo' | 'apply' | 'plan' | 'compare' | 'snapshot' | 'address mapping' | 'waves' | 'show access' | 'export' | 'migration script' | 'verify' | 'stale review';

// One literal per message (not a template built from the verb), so each is one translatable string.
const FAILURE_TEXT: Record<ReportedVerb, (subject: string, reason: string) => string> = {
  grant: (subject, reason) => vscode.l10n.t('Could not grant permissions on {0}: {1}', subject, reason),
  edit: (subject, reason) => vscode.l10n.t('Could not change permissions on {0}: {1}', subject, reason),
  revoke: (subject, reason) => vscode.l10n.t('Could not revoke permissions on {0}: {1}', subject, reason),
  delegate: (subject, reason) => vscode.l10n.t('Could not add a booking delegate to {0}: {1}', subject, reason),
  undelegate: (subject, reason) => vscode.l10n.t('Could not remove the booking delegate of {0}: {1}', subject, reason),
  undo: (subject, reason) => vscode.l10n.t('Could not undo the change on {0}: {1}', subject, reason),
  apply: (subject, reason) => vscode.l10n.t('Could not apply {0}: {1}', subject, reason),
  plan: (subject, reason) => vscode.l10n.t('Could not plan {0}: {1}', subject, reason),
  snapshot: (subject, reason) => vscode.l10n.t('Could not save the migration snapshot of {0}: {1}', subject, reason),
  'address mapping': (subject, reason) => vscode.l10n.t('Could not draft the address mapping of {0}: {1}', subject, reason),
  waves: (subject, reason) => vscode.l10n.t('Could not plan the migration waves of {0}: {1}', subject, reason),
  compare: (subject, reason) => vscode.l10n.t('Could not compare {0} with WorkMail: {1}', subject, reason),
  'show access': (subject, reason) => vscode.l10n.t('Could not show the access of {0}: {1}', subject, reason),
  export: (subject, reason) => vscode.l10n.t('Could not export the permissions of {0}: {1}', subject, reason),
  'migration script': (subject, reason) => vscode.l10n.t('Could not write the migration script for {0}: {1}', subject, reason),
  verify: (subject, reason) => vscode.l10n.t('Could not verify the migration of {0}: {1}', subject, reason),
  'stale review': (subject, reason) => vscode.l10n.t('Could not review the stale grants of {0}: {1}', subject, reason),
};

/** What could not be done, as the person reads it, for every command that reports its own outcome. */
export function failurePrefix(verb: ReportedVerb, subject: string, reason: string): string {
  return FAILURE_TEXT[verb](subject, reason);
}

export type Ended = { readonly outcome: 'cancelled' } | { readonly outcome: 'failed'; readonly reason: string };

export async function runReported<R>(run: ReportedRun, body: () => Promise<R>): Promise<R | Ended> {
  try {
    return await body();
  } catch (err) {
    if (isDismissal(err)) {
      run.log.info(`${run.verb}: cancelled`);
      return { outcome: 'cancelled' };
    }
    const reason = err instanceof InvalidChoiceError ? err.message : toWorkMailError(err, { profile: run.profile }).message;
    run.log.error(`${run.verb}: ${reason}`);
    run.ui.error(run.failureText(reason));
    return { outcome: 'failed', reason };
  }
}
