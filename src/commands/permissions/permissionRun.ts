// What every run of a permission command shares: reading its arguments, reading the rights the
// person is about to see, and telling them what happened (questions with Back are in ../ui/wizard.ts).
import * as vscode from 'vscode';
import type { CommandUi } from '../ui/commandUi';
import { failurePrefix, type CommandContext, type Verb } from './apply';
import { countsSummary, entityLabel, rightsWords } from '../ui/labels';
import { InvalidChoiceError } from '../ui/pickers';
import { parseCommandArgs, type CommandArgs as CommandArgsOf } from '../ui/args';
import { runReported } from '../ui/reported';
import { ALL_RIGHTS, type DirectoryEntity, type MailboxRight, type Organization, type Right } from '../../workmail/types';
import type { PermissionCommandOptions, PermissionCommandResult, PermissionItemOutcome } from './types';

export type CommandArgs = CommandArgsOf<PermissionCommandOptions>;

export function parseArgs(args: readonly unknown[]): CommandArgs {
  return parseCommandArgs<PermissionCommandOptions>(args);
}

/** The selected nodes of one kind, when the command was invoked on a multi-selection of them. */
export function multiSelection<T>(args: CommandArgs, accept: (value: unknown) => value is T): T[] {
  const chosen = args.selection.filter(accept);
  if (chosen.length < 2) {
    return [];
  }
  // VS Code passes the clicked node first; a click outside the selection acts on that node only.
  if (args.node !== undefined && !args.selection.includes(args.node)) {
    return [];
  }
  return chosen;
}

export function checkRights(rights: readonly unknown[]): Right[] {
  const unknown = rights.filter((right) => !ALL_RIGHTS.includes(right as MailboxRight));
  if (unknown.length > 0) {
    throw new InvalidChoiceError(vscode.l10n.t('Unknown right {0}; use {1}.', unknown.map(String).join(', '), ALL_RIGHTS.join(', ')));
  }
  return [...(rights as Right[])];
}

/**
 * The rights the person is about to see (and which the write will compare against): given by the
 * caller, or read fresh from WorkMail right now.
 */
export async function rightsAsSeen(ctx: CommandContext, org: Organization, mailbox: DirectoryEntity, granteeId: string): Promise<Right[]> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading the permissions on {0}…', entityLabel(mailbox)) },
    () => ctx.services.shownRights(org, mailbox.id, granteeId),
  );
}

export const CANCELLED: PermissionCommandResult = { outcome: 'cancelled', items: [] };
export const NOTHING_TO_DO: PermissionCommandResult = { outcome: 'nothing-to-do', items: [] };

/**
 * Runs a command body: dismissals end quietly, problems before any write become one message
 * naming what could not be done.
 */
export async function guarded(
  ctx: CommandContext,
  verb: Verb,
  subject: () => string,
  body: () => Promise<PermissionCommandResult>,
): Promise<PermissionCommandResult> {
  const result = await runReported(
    { log: ctx.services.log, ui: ctx.ui, profile: ctx.services.session().profile, verb, failureText: (reason) => failurePrefix(verb, subject() || vscode.l10n.t('the mailbox'), reason) },
    body,
  );
  return 'items' in result ? result : { ...result, items: [] };
}

/** One message for the whole command (and the log line for a batch); returns the result. */
export function report(
  ui: CommandUi,
  log: vscode.LogOutputChannel,
  verb: Verb,
  outcomes: readonly PermissionItemOutcome[],
): PermissionCommandResult {
  const changed = outcomes.filter((o) => o.status === 'changed');
  const unchanged = outcomes.filter((o) => o.status === 'unchanged');
  const failed = outcomes.filter((o) => o.status === 'failed');
  const refused = outcomes.filter((o) => o.status === 'refused');
  const skipped = outcomes.filter((o) => o.status === 'skipped');
  const outcome: PermissionCommandResult['outcome'] =
    failed.length > 0
      ? changed.length + unchanged.length > 0
        ? 'partial'
        : 'failed'
      : changed.length > 0
        ? 'done'
        : unchanged.length > 0
          ? 'nothing-to-do'
          : 'cancelled';

  if (outcomes.length === 1) {
    reportOne(ui, verb, outcomes[0] as PermissionItemOutcome);
  } else if (outcomes.length > 1) {
    const summary = countsSummary([
      [changed.length, (n) => vscode.l10n.t('{0} changed', n)],
      [unchanged.length, (n) => vscode.l10n.t('{0} already as requested', n)],
      [refused.length, (n) => vscode.l10n.t('{0} left alone because someone else changed them', n)],
      [skipped.length, (n) => vscode.l10n.t('{0} skipped', n)],
      [failed.length, (n) => vscode.l10n.t('{0} failed', n)],
    ]);
    const lag = changed.filter((o) => !o.verified);
    const failures = [...failed, ...skipped.filter((o) => o.reason)].map((o) => vscode.l10n.t('{0} on {1}: {2}', o.grantee, o.mailbox, o.reason ?? ''));
    const title = batchTitle(verb, outcomes.length);
    const text = [
      `${title}: ${summary}.`,
      failures.length > 0 ? vscode.l10n.t('Not done: {0}', failures.join('; ')) : undefined,
      lag.length > 0 ? vscode.l10n.t('WorkMail does not show {0} of the changes yet; its list can lag a few minutes.', lag.length) : undefined,
    ]
      .filter(Boolean)
      .join(' ');
    log.info(`${verb}: batch of ${outcomes.length}: ${summary}`);
    if (failed.length > 0 || refused.length > 0 || lag.length > 0) {
      void ui.warn(text);
    } else {
      ui.info(text);
    }
  }
  return { outcome, items: outcomes };
}

function batchTitle(verb: Verb, count: number): string {
  switch (verb) {
    case 'grant':
      return vscode.l10n.t('Granting on {0} mailboxes', count);
    case 'revoke':
      return vscode.l10n.t('Revoking {0} permissions', count);
    case 'edit':
      return vscode.l10n.t('Changing {0} permissions', count);
    case 'delegate':
      return vscode.l10n.t('Adding {0} booking delegates', count);
    case 'undelegate':
      return vscode.l10n.t('Removing {0} booking delegates', count);
    case 'undo':
      return vscode.l10n.t('Undoing {0} changes', count);
    case 'apply':
      return vscode.l10n.t('Applying {0} changes from the file', count);
  }
}

/** A delegation written: said as adding or removing the delegate, never as rights. */
function reportDelegationWritten(ui: CommandUi, o: PermissionItemOutcome): void {
  const added = (o.requested ?? []).length > 0;
  const what = added ? vscode.l10n.t('{0} added as a booking delegate of {1}', o.grantee, o.mailbox) : vscode.l10n.t('{0} removed from the booking delegates of {1}', o.grantee, o.mailbox);
  if (o.verifyError) {
    void ui.warn(vscode.l10n.t('The change was written ({0}), but reading it back failed: {1} Refresh the resource to check what WorkMail holds.', what, o.verifyError));
  } else if (!o.verified) {
    void ui.warn(
      added
        ? vscode.l10n.t('The change was written ({0}), but WorkMail does not list {1} as a delegate yet. Its list can lag a few minutes; refresh later to check, and if it still differs, someone else may have changed it.', what, o.grantee)
        : vscode.l10n.t('The change was written ({0}), but WorkMail still lists {1} as a delegate. Its list can lag a few minutes; refresh later to check, and if it still differs, someone else may have changed it.', what, o.grantee),
    );
  } else if (o.heldUntil !== undefined) {
    ui.info(
      vscode.l10n.t(
        '{0}. WorkMail\'s answer was lost on the way, so in case a late copy of the request still arrives, no other change to {1} as booking delegate of {2} is made before {3}.',
        added ? vscode.l10n.t('{0} is now a booking delegate of {1}', o.grantee, o.mailbox) : vscode.l10n.t('{0} is no longer a booking delegate of {1}', o.grantee, o.mailbox),
        o.grantee,
        o.mailbox,
        new Date(o.heldUntil).toLocaleTimeString(),
      ),
    );
  } else {
    ui.info(added ? vscode.l10n.t('{0} is now a booking delegate of {1}: it receives the booking requests.', o.grantee, o.mailbox) : vscode.l10n.t('{0} is no longer a booking delegate of {1}.', o.grantee, o.mailbox));
  }
}

function reportOne(ui: CommandUi, verb: Verb, o: PermissionItemOutcome): void {
  const now = rightsWords(o.verified ? (o.after ?? []) : (o.requested ?? []));
  if (o.status === 'changed' && o.route === 'booking-delegate') {
    reportDelegationWritten(ui, o);
    return;
  }
  switch (o.status) {
    case 'changed':
      if (o.verifyError) {
        void ui.warn(
          vscode.l10n.t(
            'The change was written ({0} for {1} on {2}), but reading it back failed: {3} Refresh the mailbox to check what WorkMail holds.',
            rightsWords(o.requested ?? []),
            o.grantee,
            o.mailbox,
            o.verifyError,
          ),
        );
        return;
      }
      if (!o.verified) {
        void ui.warn(
          vscode.l10n.t(
            'The change was written, but WorkMail does not show it yet: it lists {0} for {1} on {2} instead of {3}. Its permission list can lag a few minutes; refresh later to check, and if it still differs, someone else may have changed it.',
            rightsWords(o.after ?? []),
            o.grantee,
            o.mailbox,
            rightsWords(o.requested ?? []),
          ),
        );
        return;
      }
      if (o.heldUntil !== undefined) {
        // Done as far as WorkMail lists, and the person must know why the next change waits.
        ui.info(
          vscode.l10n.t(
            '{0} now has {1} on {2} (was: {3}). WorkMail\'s answer was lost on the way, so in case a late copy of the request still arrives, no other change to {0} on {2} is made before {4}.',
            o.grantee,
            now,
            o.mailbox,
            rightsWords(o.before ?? []),
            new Date(o.heldUntil).toLocaleTimeString(),
          ),
        );
        return;
      }
      if (verb === 'undo') {
        ui.info(vscode.l10n.t('Undone: {0} has {1} on {2} again.', o.grantee, now, o.mailbox));
      } else if ((o.after ?? []).length === 0) {
        ui.info(vscode.l10n.t('{0} no longer has any permissions on {1} (was: {2}).', o.grantee, o.mailbox, rightsWords(o.before ?? [])));
      } else {
        ui.info(vscode.l10n.t('{0} now has {1} on {2} (was: {3}).', o.grantee, now, o.mailbox, rightsWords(o.before ?? [])));
      }
      return;
    case 'unchanged':
      if (o.route === 'booking-delegate') {
        ui.info(
          (o.after ?? []).length > 0
            ? vscode.l10n.t('{0} is already a booking delegate of {1}; nothing was changed.', o.grantee, o.mailbox)
            : vscode.l10n.t('{0} is not a booking delegate of {1}; nothing was changed.', o.grantee, o.mailbox),
        );
        return;
      }
      ui.info(
        (o.after ?? []).length === 0
          ? vscode.l10n.t('{0} has no permissions on {1}; nothing was changed.', o.grantee, o.mailbox)
          : vscode.l10n.t('{0} already has {1} on {2}; nothing was changed.', o.grantee, rightsWords(o.after ?? []), o.mailbox),
      );
      return;
    case 'failed':
      ui.error(failurePrefix(verb, o.mailbox, o.reason ?? ''));
      return;
    case 'refused':
      ui.info(o.reason ?? vscode.l10n.t('Nothing was changed.'));
      return;
    case 'skipped':
      return;
  }
}
