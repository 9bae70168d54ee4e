// The one way these commands write: PermissionWriter.apply with the rights the person saw, a
// question when someone else changed them meanwhile, the tree told at once, every change logged,
// and the previous rights kept for undo.
import * as vscode from 'vscode';
import type { WorkMailServices } from '../../services';
import { applyBatch, type BatchHooks, type BatchItem, type BatchOutcome } from '../../workmail/batch';
import type { ConcurrentChangeError, WorkMailError } from '../../workmail/errors';
import type { PermissionChange, WriteRoute } from '../../workmail/permissions';
import { sameRights } from '../../workmail/rights';
import type { DirectoryEntity, Organization, Right } from '../../workmail/types';
import { isDismissal, type CommandUi } from '../ui/commandUi';
import type { ChangeHistory, RecordedChange } from './history';
import { describeDifference, entityLabel, organizationLabel, rightsForLog, rightsWords } from '../ui/labels';
import type { PermissionItemOutcome } from './types';

export type Verb = 'grant' | 'edit' | 'revoke' | 'delegate' | 'undelegate' | 'undo' | 'apply';

export interface CommandContext {
  readonly services: WorkMailServices;
  readonly ui: CommandUi;
  readonly history: ChangeHistory;
}

export interface PlannedChange {
  readonly org: Organization;
  readonly mailbox: DirectoryEntity;
  readonly grantee: { readonly id: string; readonly type: 'USER' | 'GROUP'; readonly label: string };
  readonly change: PermissionChange;
  /** Mailbox permissions (the default), or a booking delegation of the resource `mailbox`. */
  readonly route?: WriteRoute;
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

export { failurePrefix } from '../ui/reported';

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
 * WorkMail's EntityStateException does not say which side is disabled or deleted; the directory
 * the person browsed usually knows, so the message names that one and says what to do.
 */
function entityStateReason(services: WorkMailServices, planned: PlannedChange): string | undefined {
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
  if (planned.route === 'booking-delegate') {
    // For a delegation WorkMail also refuses this way for the resource's booking options; the
    // writer's message names what it found.
    return undefined;
  }
  return vscode.l10n.t('{0} or the mailbox {1} is disabled or deleted in WorkMail; enable the user first.', planned.grantee.label, entityLabel(planned.mailbox));
}

/**
 * Someone else changed the rights after the person looked. The default keeps their change and applies
 * the person's own (what they added or removed); taking the request literally, which would restore
 * what the other removed or remove what they added, is a separate, explicit choice. Returns the
 * rights to write, or undefined when declined.
 */
async function askAboutConcurrentChange(ui: CommandUi, planned: PlannedChange, err: ConcurrentChangeError): Promise<readonly Right[] | undefined> {
  const mailboxName = entityLabel(planned.mailbox);
  if (planned.route === 'booking-delegate') {
    // A delegation has one value: it is, or is not; said so, not as rights.
    const is = (rights: readonly Right[]): string => (rights.length > 0 ? vscode.l10n.t('a booking delegate') : vscode.l10n.t('not a booking delegate'));
    const text = vscode.l10n.t('Someone else changed the booking delegates of {0} after you looked: {1} is now {2}.', mailboxName, planned.grantee.label, is(err.actual));
    const apply = vscode.l10n.t('Apply My Change');
    const detail = [
      vscode.l10n.t('When you looked, {0} was {1}.', planned.grantee.label, is(err.expected)),
      sameRights(err.mine, err.actual) ? vscode.l10n.t('Your change would not change anything now.') : vscode.l10n.t('Apply My Change: {0} will be {1}.', planned.grantee.label, is(err.mine)),
    ].join('\n');
    return (await ui.choose('concurrentChange', text, detail, [apply])) === apply ? err.mine : undefined;
  }
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
  const choice = await ui.choose('concurrentChange', text, lines.join('\n'), differs ? [apply, exactly] : [apply]);
  return choice === apply ? err.mine : choice === exactly ? err.exact : undefined;
}

/**
 * WorkMail does not list the person's previous write to this grantee yet. Usually it will within
 * minutes, and waiting is right; but if someone else changed the grantee meanwhile it never will,
 * so going on from what WorkMail lists is offered as an explicit choice, never taken by default.
 */
async function askToTakeWhatIsListed(ui: CommandUi, planned: PlannedChange, err: WorkMailError): Promise<boolean> {
  const text = vscode.l10n.t('WorkMail does not list your last change to {0} on {1} yet.', planned.grantee.label, entityLabel(planned.mailbox));
  const detail = [
    err.message,
    vscode.l10n.t('Its list usually catches up within minutes: wait, refresh, and try again. Choose "Use What WorkMail Lists" only if you know someone else changed these permissions since: your change is then made on top of what WorkMail lists now, and your earlier write may be lost.'),
  ].join('\n\n');
  const choice = vscode.l10n.t('Use What WorkMail Lists');
  return (await ui.choose('listedBehind', text, detail, [choice])) === choice;
}

/**
 * The last booking delegate of a resource that does not accept requests automatically: removing it
 * leaves every booking request waiting for nobody. Asked with the state read inside the pair's
 * lock; only an explicit answer removes it.
 */
async function askToLeaveUnattended(ui: CommandUi, planned: PlannedChange, err: WorkMailError): Promise<boolean> {
  // Whether the resource accepts automatically may be unknown (its options unread): the writer's message says which.
  const text = vscode.l10n.t('{0} is the last booking delegate of {1} who can answer its booking requests.', planned.grantee.label, entityLabel(planned.mailbox));
  const detail = [
    err.message,
    vscode.l10n.t('Without a delegate, booking requests for {0} wait for nobody. Add another delegate first, or turn on automatic acceptance in the WorkMail console, unless the resource is no longer used.', entityLabel(planned.mailbox)),
  ].join('\n\n');
  const choice = vscode.l10n.t('Remove Last Delegate');
  return (await ui.choose('leavesUnattended', text, detail, [choice])) === choice;
}

/** Runs a batch under one progress notification through the one batch engine; a failure never stops the rest. */
export async function applyAll(ctx: CommandContext, verb: Verb, title: string, changes: readonly PlannedChange[], bound: BoundSession): Promise<PermissionItemOutcome[]> {
  const { services, ui } = ctx;
  const { session, writer } = bound;
  const reviewed = changes.some((planned) => planned.fromReviewedPlan);
  // A profile switched while the batch runs must not send its later items to another account,
  // nor record the batch under a profile it was not made with.
  return ui.withProgress(title, async (progress, cancelled) => {
    const hooks: BatchHooks<PlannedItem> = {
      signal: cancelled,
      stopsBatch: isDismissal,
      onItemStart: (planned, _index, total) => {
        if (total > 1) {
          progress.report({ message: vscode.l10n.t('{0} · {1}', planned.mailboxLabel, planned.grantee.label), increment: 100 / total });
        }
      },
      onWritten: (planned, result) => {
        services.permissionsChanged({
          org: planned.org,
          mailboxId: planned.mailbox.id,
          granteeId: planned.grantee.id,
          granteeType: planned.grantee.type,
          route: planned.route,
          rights: result.verified ? result.after : result.requested,
        });
        const line = `${verb}: profile=${session.profile ?? '(default)'} organization=${planned.org.organizationId} mailbox=${planned.mailbox.id} (${planned.mailboxLabel}) grantee=${planned.grantee.id} (${planned.grantee.label}) before=${rightsForLog(result.before)} after=${rightsForLog(result.after)}`;
        if (result.noop) {
          services.log.info(`${line} unchanged`);
          return;
        }
        services.log.info(`${line} requested=${rightsForLog(result.requested)} verified=${result.verified}`);
        if (!result.verified) {
          services.log.warn(`${verb}: WorkMail does not yet show the requested rights for ${planned.grantee.id} on ${planned.mailbox.id}`);
        }
      },
      onConcurrentSeen: (planned, err) =>
        services.log.warn(`${verb}: someone else changed ${planned.grantee.id} on ${planned.mailbox.id} in ${planned.org.organizationId}: expected=${rightsForLog(err.expected)} actual=${rightsForLog(err.actual)}`),
      // A plan the person reviewed and confirmed (a change file) is the only thing to apply: a
      // change made since, or an earlier write WorkMail does not list yet, refuses the item.
      onConcurrentChange: reviewed ? undefined : (planned, err) => askAboutConcurrentChange(ui, planned, err),
      onUnlisted: reviewed
        ? undefined
        : async (planned, err) => {
            const take = await askToTakeWhatIsListed(ui, planned, err);
            if (take) {
              services.log.warn(`${verb}: the person chose what WorkMail lists over an unlisted earlier write to ${planned.grantee.id} on ${planned.mailbox.id}`);
            }
            return take;
          },
      onLeavesUnattended: reviewed
        ? undefined
        : async (planned, err) => {
            const go = await askToLeaveUnattended(ui, planned, err);
            if (go) {
              services.log.warn(`${verb}: the person chose to remove the last booking delegate ${planned.grantee.id} of ${planned.mailbox.id}, which does not accept requests automatically`);
            }
            return go;
          },
      onFailed: (planned, problem) => {
        if (problem.code === 'InDoubt') {
          // The tree marks the grantee from the machine's record of doubtful writes.
          services.permissionsChanged({ org: planned.org, mailboxId: planned.mailbox.id, granteeId: planned.grantee.id, granteeType: planned.grantee.type, route: planned.route });
        }
        services.log.error(`${verb}: failed on ${planned.mailbox.id} for ${planned.grantee.id} in ${organizationLabel(planned.org)}: ${problem.code}${problem.detail ? ` (${problem.detail})` : ''}`);
      },
      explainFailure: (planned, problem) => (problem.code === 'EntityStateException' ? entityStateReason(services, planned) : undefined),
      onOutcome: (outcome) => {
        if (outcome.status === 'skipped' && outcome.errorCode === 'NotApplicable') {
          services.log.info(`${verb}: left alone ${outcome.item.grantee.id} on ${outcome.item.mailbox.id}: ${outcome.reason ?? ''}`);
        }
      },
      // Also when an item failed in a way that ends the batch: what was written before it stays
      // undoable. Undo itself is not undoable: its own command settles the history (see undo.ts).
      onSettled: verb === 'undo' ? undefined : (outcomes) => recordForUndo(ctx.history, outcomes, verb, session),
    };
    const outcomes = await applyBatch(
      writer,
      changes.map((planned): PlannedItem => ({ ...planned, mailboxLabel: entityLabel(planned.mailbox) })),
      hooks,
    );
    return outcomes.map(itemOutcome);
  });
}

type PlannedItem = PlannedChange & BatchItem;

/** The command result's shape of one batch outcome. */
function itemOutcome(outcome: BatchOutcome<PlannedItem>): PermissionItemOutcome {
  const planned = outcome.item;
  return {
    organizationId: planned.org.organizationId,
    mailboxId: planned.mailbox.id,
    mailbox: planned.mailboxLabel,
    granteeId: planned.grantee.id,
    grantee: planned.grantee.label,
    route: planned.route,
    status: outcome.status,
    before: outcome.before,
    requested: outcome.requested,
    after: outcome.after,
    verified: outcome.verified,
    verifyError: outcome.verifyError?.message,
    heldUntil: outcome.heldUntil,
    concurrent: outcome.concurrent,
    reason: outcome.reason,
    errorCode: outcome.errorCode,
  };
}

async function recordForUndo(history: ChangeHistory, outcomes: readonly BatchOutcome<PlannedItem>[], verb: Verb, session: BoundSession['session']): Promise<void> {
  const recorded: RecordedChange[] = [];
  let changedAny = false;
  for (const outcome of outcomes) {
    const planned = outcome.item;
    changedAny ||= outcome.status === 'changed';
    if (outcome.status === 'changed' && planned.undoable !== false && outcome.before && outcome.requested) {
      recorded.push({
        // Known already (the writer read it for the pair's key); undo must reach the same account.
        account: await session.accountOf(planned.org).catch(() => '?'),
        org: planned.org,
        mailbox: planned.mailbox,
        grantee: planned.grantee,
        route: planned.route,
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
