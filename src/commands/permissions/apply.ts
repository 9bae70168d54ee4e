// The one way these commands write: PermissionWriter.apply with the rights the person saw, a
// question when someone else changed them meanwhile, the tree told at once, every change logged,
// and the previous rights kept for undo.
import * as vscode from 'vscode';
import type { WorkMailServices } from '../../services';
import { ConcurrentChangeError, toWorkMailError, WorkMailError } from '../../workmail/errors';
import type { PermissionChange } from '../../workmail/permissions';
import { sameRights } from '../../workmail/rights';
import type { DirectoryEntity, Organization, Right } from '../../workmail/types';
import { isDismissal, type PermissionDialogs } from '../ui/dialogs';
import { withCancellableProgress } from '../ui/progress';
import type { ChangeHistory, RecordedChange } from './history';
import { describeDifference, entityLabel, organizationLabel, rightsForLog, rightsWords } from '../ui/labels';
import type { PermissionItemOutcome } from './types';

export type Verb = 'grant' | 'edit' | 'revoke' | 'undo' | 'apply';

export interface CommandContext {
  readonly services: WorkMailServices;
  readonly dialogs: PermissionDialogs;
  readonly history: ChangeHistory;
}

export interface PlannedChange {
  readonly org: Organization;
  readonly mailbox: DirectoryEntity;
  readonly grantee: { readonly id: string; readonly type: 'USER' | 'GROUP'; readonly label: string };
  readonly change: PermissionChange;
  /** What the person saw when the dialog opened; a different fresh read means someone else changed it. */
  readonly expectedBefore: readonly Right[];
  /**
   * Checked just before the write: a reason not to make it any more (the stale-grant clean-up:
   * "no longer stale"), or undefined to go on. The item is then skipped with that reason.
   */
  readonly precheck?: (signal: AbortSignal) => Promise<string | undefined>;
  /** False when Undo could not put it back (WorkMail cannot grant to an ID it no longer knows). */
  readonly undoable?: boolean;
  /**
   * What to tell the person when WorkMail refuses with this error code (undefined: the general
   * message). The stale-grant clean-up says which side is disabled, or what to do about a grant
   * to an ID WorkMail no longer knows.
   */
  readonly explainRefusal?: (code: string) => string | undefined;
  /**
   * Set when the change comes from a plan the person reviewed and confirmed (a change file): a
   * change made by someone else since the plan, or an earlier write WorkMail does not list yet,
   * refuses the item instead of asking, because the confirmed plan is the only thing to apply.
   */
  readonly fromReviewedPlan?: boolean;
}

/** How many times in a row someone else may change the rights before we stop asking. */
const MAX_CONCURRENT_RETRIES = 3;

export { failurePrefix } from '../ui/reported';

function baseOutcome(planned: PlannedChange): Pick<PermissionItemOutcome, 'organizationId' | 'mailboxId' | 'mailbox' | 'granteeId' | 'grantee'> {
  return {
    organizationId: planned.org.organizationId,
    mailboxId: planned.mailbox.id,
    mailbox: entityLabel(planned.mailbox),
    granteeId: planned.grantee.id,
    grantee: planned.grantee.label,
  };
}

/** The session and writer one batch uses from start to end, whatever the settings do meanwhile. */
export interface BoundSession {
  readonly session: ReturnType<WorkMailServices['session']>;
  readonly writer: ReturnType<WorkMailServices['writer']>;
}

/**
 * The session and writer a command uses from its first dialog to its last write: taken when the
 * command starts, so that a profile or endpoint switched while a dialog is open (here or in
 * another window) cannot send the change to an account the person did not look at.
 */
export function bindSession(services: WorkMailServices): BoundSession {
  return { session: services.session(), writer: services.writer() };
}

/**
 * Applies one change. Never throws for a WorkMail failure (that becomes a 'failed' outcome, so a
 * batch keeps going); rethrows only cancellation.
 */
export async function applyPlanned(ctx: CommandContext, verb: Verb, planned: PlannedChange, signal?: AbortSignal, bound?: BoundSession): Promise<PermissionItemOutcome> {
  const { services, dialogs } = ctx;
  const { session, writer } = bound ?? bindSession(services);
  const mailboxName = entityLabel(planned.mailbox);
  let expectedBefore = planned.expectedBefore;
  let change = planned.change;
  let acceptListed = false;
  let concurrent: PermissionItemOutcome['concurrent'];

  for (let attempt = 0; ; attempt++) {
    try {
      const result = await writer.apply({
        org: planned.org,
        mailboxId: planned.mailbox.id,
        mailboxKind: planned.mailbox.kind,
        granteeId: planned.grantee.id,
        change,
        expectedBefore,
        signal,
        acceptListed,
        // Every planned grantee comes from WorkMail's directory or a permission listing.
        granteeFromDirectory: true,
      });
      services.permissionsChanged({ org: planned.org, mailboxId: planned.mailbox.id, granteeId: planned.grantee.id, granteeType: planned.grantee.type, rights: result.verified ? result.after : result.requested });
      const line = `${verb}: profile=${session.profile ?? '(default)'} organization=${planned.org.organizationId} mailbox=${planned.mailbox.id} (${mailboxName}) grantee=${planned.grantee.id} (${planned.grantee.label}) before=${rightsForLog(result.before)} after=${rightsForLog(result.after)}`;
      if (result.noop) {
        services.log.info(`${line} unchanged`);
      } else {
        services.log.info(`${line} requested=${rightsForLog(result.requested)} verified=${result.verified}`);
        if (!result.verified) {
          services.log.warn(`${verb}: WorkMail does not yet show the requested rights for ${planned.grantee.id} on ${planned.mailbox.id}`);
        }
      }
      return {
        ...baseOutcome(planned),
        status: result.noop ? 'unchanged' : 'changed',
        before: result.before,
        requested: result.requested,
        after: result.after,
        verified: result.verified,
        verifyError: result.verifyError?.message,
        heldUntil: result.writeError ? result.settleAt : undefined,
        concurrent,
      };
    } catch (err) {
      if (isDismissal(err)) {
        throw err;
      }
      if (err instanceof ConcurrentChangeError) {
        concurrent = { expected: err.expected, actual: err.actual };
        services.log.warn(
          `${verb}: someone else changed ${planned.grantee.id} on ${planned.mailbox.id} in ${planned.org.organizationId}: expected=${rightsForLog(err.expected)} actual=${rightsForLog(err.actual)}`,
        );
        if (planned.fromReviewedPlan) {
          return {
            ...baseOutcome(planned),
            status: 'declined',
            before: err.actual,
            concurrent,
            errorCode: 'ChangedSincePlan',
            reason: vscode.l10n.t('changed since the plan (planned from {0}, now {1}); nothing was written: plan again', rightsWords(err.expected), rightsWords(err.actual)),
          };
        }
        const chosen = attempt < MAX_CONCURRENT_RETRIES ? await askAboutConcurrentChange(dialogs, planned, err) : undefined;
        if (!chosen) {
          return {
            ...baseOutcome(planned),
            status: 'declined',
            before: err.actual,
            concurrent,
            reason: vscode.l10n.t('Someone else changed the permissions of {0} on {1} after you opened them ({2}); nothing was written.', planned.grantee.label, mailboxName, describeDifference(err.expected, err.actual)),
          };
        }
        // What the person chose, as exact rights over what WorkMail holds now; should it change
        // again before the write, they are asked again.
        change = chosen.length === 0 ? { kind: 'revoke' } : { kind: 'set', rights: chosen };
        expectedBefore = err.actual;
        continue;
      }
      if (err instanceof WorkMailError && err.code === 'ListLagging' && !acceptListed && !planned.fromReviewedPlan && (await askToTakeWhatIsListed(dialogs, planned, err))) {
        // The person's explicit choice: their earlier write is not listed and may never be.
        services.log.warn(`${verb}: the person chose what WorkMail lists over an unlisted earlier write to ${planned.grantee.id} on ${planned.mailbox.id}`);
        acceptListed = true;
        continue;
      }
      const problem = toWorkMailError(err, { profile: session.profile, subject: mailboxName, region: planned.org.region });
      if (problem.code === 'InDoubt') {
        // The tree marks the grantee from the machine's record of doubtful writes.
        services.permissionsChanged({ org: planned.org, mailboxId: planned.mailbox.id, granteeId: planned.grantee.id, granteeType: planned.grantee.type });
      }
      services.log.error(`${verb}: failed on ${planned.mailbox.id} for ${planned.grantee.id} in ${organizationLabel(planned.org)}: ${problem.code}${problem.detail ? ` (${problem.detail})` : ''}`);
      const reason = planned.explainRefusal?.(problem.code) ?? (problem.code === 'EntityStateException' ? entityStateReason(services, planned) : problem.message);
      return { ...baseOutcome(planned), status: 'failed', reason, errorCode: problem.code, concurrent };
    }
  }
}

/**
 * WorkMail's EntityStateException does not say which side is disabled or deleted; the directory
 * the person browsed usually knows, so the message names that one and says what to do.
 */
function entityStateReason(services: WorkMailServices, planned: PlannedChange): string {
  const grantee = services.directory(planned.org).get(planned.grantee.id);
  const inactive = (state: string | undefined): boolean => state === 'DISABLED' || state === 'DELETED';
  if (grantee && inactive(grantee.state)) {
    return grantee.state === 'DELETED'
      ? vscode.l10n.t('{0} is deleted in WorkMail; choose another grantee.', planned.grantee.label)
      : vscode.l10n.t('{0} is disabled in WorkMail; enable the {1} first.', planned.grantee.label, planned.grantee.type === 'GROUP' ? vscode.l10n.t('group') : vscode.l10n.t('user'));
  }
  if (inactive(planned.mailbox.state)) {
    return vscode.l10n.t('The mailbox {0} is {1} in WorkMail; enable it first.', entityLabel(planned.mailbox), planned.mailbox.state === 'DELETED' ? vscode.l10n.t('deleted') : vscode.l10n.t('disabled'));
  }
  return vscode.l10n.t('{0} or the mailbox {1} is disabled or deleted in WorkMail; enable the user first.', planned.grantee.label, entityLabel(planned.mailbox));
}

/**
 * Someone else changed the rights after the person looked. The default keeps their change and applies
 * the person's own (what they added or removed); taking the request literally, which would restore
 * what the other removed or remove what they added, is a separate, explicit choice. Returns the
 * rights to write, or undefined when declined.
 */
async function askAboutConcurrentChange(dialogs: PermissionDialogs, planned: PlannedChange, err: ConcurrentChangeError): Promise<readonly Right[] | undefined> {
  const mailboxName = entityLabel(planned.mailbox);
  const text = vscode.l10n.t('Someone else changed the permissions of {0} on {1} after you opened them.', planned.grantee.label, mailboxName);
  const differs = !sameRights(err.mine, err.exact);
  const lines = [
    vscode.l10n.t('When you opened them: {0}.', rightsWords(err.expected)),
    vscode.l10n.t('Now: {0} ({1}).', rightsWords(err.actual), describeDifference(err.expected, err.actual)),
    sameRights(err.mine, err.actual)
      ? vscode.l10n.t('Your change would not change anything now.')
      : vscode.l10n.t('Apply My Change: {0} will have {1} (their change is kept).', planned.grantee.label, rightsWords(err.mine)),
  ];
  const apply = vscode.l10n.t('Apply My Change');
  const exactly = vscode.l10n.t('Set Exactly What I Chose');
  if (differs) {
    lines.push(vscode.l10n.t('Set Exactly What I Chose: {0} will have {1} (their change is undone).', planned.grantee.label, rightsWords(err.exact)));
  }
  const given = dialogs.answers.acceptConcurrentChange;
  const answer = given === undefined ? undefined : given === false ? null : given === 'exact' && differs ? exactly : apply;
  const choice = await dialogs.choose(text, lines.join('\n'), differs ? [apply, exactly] : [apply], answer);
  return choice === apply ? err.mine : choice === exactly ? err.exact : undefined;
}

/**
 * WorkMail does not list the person's previous write to this grantee yet. Usually it will within
 * minutes, and waiting is right; but if someone else changed the grantee meanwhile it never will,
 * so going on from what WorkMail lists is offered as an explicit choice, never taken by default.
 */
async function askToTakeWhatIsListed(dialogs: PermissionDialogs, planned: PlannedChange, err: WorkMailError): Promise<boolean> {
  const text = vscode.l10n.t('WorkMail does not list your last change to {0} on {1} yet.', planned.grantee.label, entityLabel(planned.mailbox));
  const detail = [
    err.message,
    vscode.l10n.t('Its list usually catches up within minutes: wait, refresh, and try again. Choose "Use What WorkMail Lists" only if you know someone else changed these permissions since: your change is then made on top of what WorkMail lists now, and your earlier write may be lost.'),
  ].join('\n\n');
  const choice = vscode.l10n.t('Use What WorkMail Lists');
  const given = dialogs.answers.acceptListed;
  // Not `confirm`: its answer would fall back to the general `confirm` option.
  return (await dialogs.choose(text, detail, [choice], given === undefined ? undefined : given ? choice : null)) === choice;
}

/** Runs a batch under one progress notification; a failure never stops the rest. */
export async function applyAll(ctx: CommandContext, verb: Verb, title: string, changes: readonly PlannedChange[], bound: BoundSession, outer?: AbortSignal): Promise<PermissionItemOutcome[]> {
  // A profile switched while the batch runs must not send its later items to another account,
  // nor record the batch under a profile it was not made with.
  return withCancellableProgress({ title, outer }, async (progress, cancelled) => {
    // Cancelled by the person, or stopped here after a dismissed question: the rest is skipped.
    const stop = new AbortController();
    const abort = { signal: AbortSignal.any([cancelled, stop.signal]), abort: () => stop.abort() };
    const outcomes: PermissionItemOutcome[] = [];
    try {
      for (const planned of changes) {
        if (abort.signal.aborted) {
          outcomes.push({ ...baseOutcome(planned), status: 'skipped', reason: vscode.l10n.t('cancelled before it was written') });
          continue;
        }
        if (changes.length > 1) {
          progress.report({ message: vscode.l10n.t('{0} · {1}', entityLabel(planned.mailbox), planned.grantee.label), increment: 100 / changes.length });
        }
        try {
          const skip = await precheck(ctx, verb, planned, abort.signal);
          outcomes.push(skip ?? (await applyPlanned(ctx, verb, planned, abort.signal, bound)));
        } catch (err) {
          if (!isDismissal(err)) {
            throw err;
          }
          // The write in flight may or may not have landed; the fresh read of the next attempt
          // will tell, so this item is reported as not done rather than guessed.
          outcomes.push({ ...baseOutcome(planned), status: 'skipped', reason: vscode.l10n.t('cancelled') });
          abort.abort();
        }
      }
    } finally {
      // Also when an item failed in a way that ends the batch: what was written before it stays undoable.
      if (verb !== 'undo') {
        // Undo itself is not undoable: its own command settles the history (see undo.ts).
        await recordForUndo(ctx.history, changes, outcomes, verb, bound.session);
      }
    }
    return outcomes;
  });
}

/** The item's own check just before its write: a skipped outcome, or undefined to go on. */
async function precheck(ctx: CommandContext, verb: Verb, planned: PlannedChange, signal: AbortSignal): Promise<PermissionItemOutcome | undefined> {
  if (!planned.precheck) {
    return undefined;
  }
  let reason: string | undefined;
  try {
    reason = await planned.precheck(signal);
  } catch (err) {
    if (isDismissal(err)) {
      throw err;
    }
    const problem = toWorkMailError(err, { subject: entityLabel(planned.mailbox), region: planned.org.region });
    ctx.services.log.error(`${verb}: could not check ${planned.grantee.id} on ${planned.mailbox.id} before writing: ${problem.code}`);
    return { ...baseOutcome(planned), status: 'failed', reason: vscode.l10n.t('It could not be checked just before the change ({0}); nothing was changed.', problem.message), errorCode: problem.code };
  }
  if (reason === undefined) {
    return undefined;
  }
  ctx.services.log.info(`${verb}: left alone ${planned.grantee.id} on ${planned.mailbox.id}: ${reason}`);
  return { ...baseOutcome(planned), status: 'skipped', reason, errorCode: 'NotApplicable' };
}

async function recordForUndo(history: ChangeHistory, changes: readonly PlannedChange[], outcomes: readonly PermissionItemOutcome[], verb: Verb, session: BoundSession['session']): Promise<void> {
  const recorded: RecordedChange[] = [];
  let changedAny = false;
  for (const [index, outcome] of outcomes.entries()) {
    const planned = changes[index];
    changedAny ||= outcome.status === 'changed';
    if (outcome.status === 'changed' && planned && planned.undoable !== false && outcome.before && outcome.requested) {
      recorded.push({
        // Known already (the writer read it for the pair's key); undo must reach the same account.
        account: await session.accountOf(planned.org).catch(() => '?'),
        org: planned.org,
        mailbox: planned.mailbox,
        grantee: planned.grantee,
        before: outcome.before,
        // What was written: when the list lags, `after` still shows the old rights.
        after: outcome.requested,
      });
    }
  }
  if (recorded.length > 0) {
    history.remember({ verb, changes: recorded, profile: session.profile, endpoint: session.endpoint });
  } else if (changedAny) {
    // Nothing of this batch can be put back; undoing an older change now would be out of order.
    history.forget();
  }
}
