/**
 * Review Stale Grants…: rights that no longer serve anyone (held by a disabled, deleted or unknown
 * grantee, or on a disabled or deleted mailbox). A fresh scan lists them in a preview with the
 * reason for each, all checked; one modal confirmation; then each is revoked through the same safe
 * write path as Revoke (read, compare with what the scan saw, delete, read back), logged with
 * before and after, and recorded for Undo Last Change. What WorkMail refuses is reported per item
 * with what to do about it, and the rest goes ahead.
 */
import * as vscode from 'vscode';
import type { ChangeResult } from '../../workmail/permissions';
import { rightsLabel } from '../../workmail/rights';
import { cleanUpStaleGrants, STALE_REASON_TEXT, findStaleGrants, type CleanupResult, type StaleGrant } from '../../workmail/stale';
import type { Organization } from '../../workmail/types';
import type { RecordedChange } from '../permissions';
import { entityLabel, organizationLabel, rightsForLog, rightsWords } from '../ui/labels';
import { InvalidChoiceError } from '../ui/pickers';
import { withCancellableProgress } from '../ui/progress';
import { pickMany } from '../ui/quickPick';
import { describeUnread, organizationFor, orgSubject, reportWithUnread, runAudit, scanOrganizationWithProgress, timeLabel, unreadMailboxes, type AuditArgs, type AuditContext } from './flow';
import type { StaleCleanupOutcome, StaleItemSummary, StaleReviewResult } from './types';

export const REVIEW_STALE_COMMAND = 'workmail.reviewStaleGrants';

export function staleId(item: StaleGrant): string {
  return `${item.record.mailbox.id}/${item.record.granteeId}`;
}

function granteeName(item: StaleGrant): string {
  return entityLabel(item.record.grantee, item.record.granteeId);
}

function summarize(item: StaleGrant): StaleItemSummary {
  return {
    id: staleId(item),
    mailboxId: item.record.mailbox.id,
    mailbox: entityLabel(item.record.mailbox),
    granteeId: item.record.granteeId,
    grantee: granteeName(item),
    rights: item.record.rights,
    reasons: item.reasons,
  };
}

function reasonsText(item: StaleGrant): string {
  return item.reasons.map((reason) => STALE_REASON_TEXT[reason]).join('; ');
}

/** WorkMail cannot grant to an ID it does not know, so such a revoke cannot be undone. */
function restorable(item: StaleGrant): boolean {
  return item.record.grantee !== null;
}

/**
 * What to tell a person when WorkMail refused: which side is the problem and what they can do.
 * WorkMail changes no permission while the mailbox or the grantee is disabled or deleted.
 */
function refusalAdvice(item: StaleGrant): string {
  const { record, reasons } = item;
  const advice: string[] = [];
  if (reasons.includes('grantee-disabled')) {
    advice.push(vscode.l10n.t('{0} is disabled: enable the user first, then revoke (or leave the grant; it gives no access while they are disabled).', granteeName(item)));
  }
  if (reasons.includes('grantee-deleted')) {
    advice.push(vscode.l10n.t('{0} is deleted: WorkMail refuses changes for deleted entities; the grant goes when WorkMail purges the user.', granteeName(item)));
  }
  if (reasons.includes('mailbox-disabled')) {
    advice.push(vscode.l10n.t('The mailbox {0} is disabled: enable the user first, then revoke.', entityLabel(record.mailbox)));
  }
  if (reasons.includes('mailbox-deleted')) {
    advice.push(vscode.l10n.t('The mailbox {0} is deleted: WorkMail refuses changes on deleted mailboxes; the grant goes when WorkMail purges it.', entityLabel(record.mailbox)));
  }
  return advice.join(' ') || vscode.l10n.t('WorkMail refused because an entity is disabled or deleted; enable it first.');
}

async function chooseItems(ctx: AuditContext, stale: readonly StaleGrant[], title: string, asOf: string): Promise<StaleGrant[]> {
  const { select } = ctx.options;
  if (select !== undefined) {
    const byId = new Map(stale.map((item) => [staleId(item), item]));
    const unknown = select.filter((id) => !byId.has(id));
    if (unknown.length > 0) {
      throw new InvalidChoiceError(vscode.l10n.t('Not a stale grant in this scan: {0}.', unknown.join(', ')));
    }
    return [...new Set(select)].map((id) => byId.get(id) as StaleGrant);
  }
  return pickMany<StaleGrant>({
    dialogs: ctx.dialogs,
    title,
    placeholder: vscode.l10n.t('{0} stale grant(s) as of {1}; uncheck any to keep, then press Enter', stale.length, asOf),
    items: stale.map((item) => ({
      label: `$(warning) ${entityLabel(item.record.mailbox)} ← ${granteeName(item)}`,
      description: rightsLabel(item.record.rights),
      detail: reasonsText(item),
      picked: true,
      value: item,
    })),
  });
}

function outcomeOf(result: CleanupResult): StaleCleanupOutcome {
  const base = summarize(result.item);
  switch (result.status) {
    case 'succeeded': {
      const change = result.result as ChangeResult;
      return {
        ...base,
        status: change.noop ? 'unchanged' : 'revoked',
        before: result.before,
        after: change.after,
        verified: change.verified,
        undoable: !change.noop && restorable(result.item),
      };
    }
    case 'failed': {
      const refused = result.error?.code === 'EntityStateException';
      const reason = refused ? refusalAdvice(result.item) : (result.reason ?? '');
      return { ...base, status: 'failed', before: result.before, reason, errorCode: result.error?.code };
    }
    case 'cancelled':
      return { ...base, status: 'cancelled', before: result.before, reason: vscode.l10n.t('cancelled before it was written') };
    case 'not-stale':
      return { ...base, status: 'not-stale', before: result.before, reason: vscode.l10n.t('no longer stale when checked again just before revoking; left as it is') };
  }
}

export async function reviewStaleGrants(ctx: AuditContext, args: AuditArgs): Promise<StaleReviewResult> {
  const { services, dialogs, options } = ctx;
  const title = vscode.l10n.t('Review stale grants');
  let org: Organization | undefined;
  return runAudit(ctx, 'stale review', () => orgSubject(org), async (): Promise<StaleReviewResult> => {
    // The account the preview is read from is the one the clean-up writes to (checked below).
    const session = services.session();
    const writer = services.writer();
    org = await organizationFor(ctx, args.node, title);
    // Always a fresh scan: what is revoked must be what WorkMail holds now.
    const { snapshot } = await scanOrganizationWithProgress(ctx, org, vscode.l10n.t('Looking for stale grants in {0}…', organizationLabel(org)));
    const asOf = timeLabel(snapshot.readAt);
    const stale = findStaleGrants(snapshot.grants);
    const base = {
      organizationId: org.organizationId,
      readAt: snapshot.readAt.toISOString(),
      stale: stale.map(summarize),
      unreadMailboxes: unreadMailboxes(snapshot),
    };
    const unread = describeUnread(ctx, snapshot, vscode.l10n.t('this review'));
    if (stale.length === 0) {
      reportWithUnread(ctx, vscode.l10n.t('No stale grants in {0} as of {1}.', org.alias ?? org.organizationId, asOf), unread);
      return { outcome: 'nothing-to-do', ...base, items: [] };
    }

    const chosen = await chooseItems(ctx, stale, title, asOf);
    if (chosen.length === 0) {
      return { outcome: 'cancelled', ...base, items: [] };
    }
    const lines = chosen.map((item) => vscode.l10n.t('{0} on {1} loses {2} ({3})', granteeName(item), entityLabel(item.record.mailbox), rightsWords(item.record.rights), reasonsText(item)));
    const unrestorable = chosen.filter((item) => !restorable(item)).length;
    const notes = [
      vscode.l10n.t('WorkMail refuses changes while a mailbox or grantee is disabled or deleted; those items will be reported, the others revoked.'),
      unrestorable > 0
        ? vscode.l10n.t('{0} grant(s) to IDs WorkMail no longer knows cannot be put back by Undo: WorkMail cannot grant to an unknown ID.', unrestorable)
        : undefined,
    ].filter(Boolean);
    const confirmed = await dialogs.confirm(
      vscode.l10n.t('Revoke {0} stale grant(s) in {1}?', chosen.length, org.alias ?? org.organizationId),
      [...lines, '', ...notes].join('\n'),
      vscode.l10n.t('Revoke'),
    );
    if (!confirmed) {
      return { outcome: 'cancelled', ...base, items: [] };
    }

    const target = org;
    // The clean-up and its undo record use the account the preview was made with, even if the
    // profile is switched while it runs; switched while the preview was open, nothing is revoked.
    if (services.session() !== session) {
      throw new InvalidChoiceError(vscode.l10n.t('the AWS profile or endpoint changed while the review was open; nothing was revoked. Run Review Stale Grants again to see the grants of the account now in use.'));
    }
    const results = await withCancellableProgress({ title: vscode.l10n.t('Revoking {0} stale grant(s)…', chosen.length), outer: options.signal }, (progress, signal) =>
      cleanUpStaleGrants(writer, chosen, {
        directory: session,
        signal,
        onProgress: (done, total) => progress.report({ message: `${done}/${total}`, increment: 100 / total }),
      }),
    );
    const items = results.map(outcomeOf);
    await record(ctx, target, results, session);
    ctx.scans.invalidate(session, target);
    return { outcome: reportOutcome(ctx, target, items, unread), ...base, items };
  });
}

/** Logs every item, tells the tree, and remembers what Undo Last Change can put back. */
async function record(ctx: AuditContext, org: Organization, results: readonly CleanupResult[], session: ReturnType<AuditContext['services']['session']>): Promise<void> {
  const { services } = ctx;
  const profile = session.profile;
  // Undo must reach the same account; the writer has read it already for each pair's key.
  const account = await session.accountOf(org).catch(() => '?');
  const undoable: RecordedChange[] = [];
  let revokedAny = false;
  for (const result of results) {
    const { record: grant } = result.item;
    const where = `organization=${org.organizationId} mailbox=${grant.mailbox.id} (${entityLabel(grant.mailbox)}) grantee=${grant.granteeId} (${granteeName(result.item)}) reasons=${result.item.reasons.join(',')}`;
    if (result.status === 'succeeded' && result.result) {
      const change = result.result;
      services.log.info(`revoke stale: profile=${profile ?? '(default)'} ${where} before=${rightsForLog(change.before)} after=${rightsForLog(change.after)}${change.noop ? ' unchanged' : ` verified=${change.verified}`}`);
      if (change.noop) {
        continue;
      }
      revokedAny = true;
      services.permissionsChanged(org, grant.mailbox.id, grant.granteeId, grant.granteeType, change.verified ? change.after : change.requested);
      if (restorable(result.item) && change.before.length > 0) {
        undoable.push({
          account,
          org,
          mailbox: grant.mailbox,
          grantee: { id: grant.granteeId, type: grant.granteeType, label: granteeName(result.item) },
          before: change.before,
          after: change.requested,
        });
      }
    } else if (result.status === 'failed') {
      services.log.error(`revoke stale: failed ${where}: ${result.error?.code ?? 'Error'}: ${result.reason ?? ''}`);
    } else if (result.status === 'not-stale') {
      services.log.info(`revoke stale: left alone, no longer stale when checked again ${where}`);
    } else {
      services.log.info(`revoke stale: not attempted (cancelled) ${where}`);
    }
  }
  if (undoable.length > 0) {
    ctx.history.remember({ verb: 'revoke', changes: undoable, profile, endpoint: session.endpoint });
  } else if (revokedAny) {
    // Nothing of this clean-up can be put back; undoing an older change now would be out of order.
    ctx.history.forget();
  }
}

function reportOutcome(ctx: AuditContext, org: Organization, items: readonly StaleCleanupOutcome[], unread: string | undefined): StaleReviewResult['outcome'] {
  const revoked = items.filter((i) => i.status === 'revoked');
  const unchanged = items.filter((i) => i.status === 'unchanged');
  const failed = items.filter((i) => i.status === 'failed');
  const cancelled = items.filter((i) => i.status === 'cancelled');
  const notStale = items.filter((i) => i.status === 'not-stale');
  const summary = [
    revoked.length > 0 ? vscode.l10n.t('{0} revoked', revoked.length) : undefined,
    unchanged.length > 0 ? vscode.l10n.t('{0} already gone', unchanged.length) : undefined,
    failed.length > 0 ? vscode.l10n.t('{0} not revoked', failed.length) : undefined,
    cancelled.length > 0 ? vscode.l10n.t('{0} cancelled', cancelled.length) : undefined,
    notStale.length > 0 ? vscode.l10n.t('{0} no longer stale, left as they are', notStale.length) : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const details = [...failed, ...notStale].map((i) => vscode.l10n.t('{0} on {1}: {2}', i.grantee, i.mailbox, i.reason ?? ''));
  const undoHint = revoked.some((i) => i.undoable) ? vscode.l10n.t('Undo Last Change puts back what was revoked.') : undefined;
  const text = [vscode.l10n.t('Stale grants in {0}: {1}.', org.alias ?? org.organizationId, summary), ...details, undoHint, unread].filter(Boolean).join(' ');
  ctx.services.log.info(`revoke stale: batch of ${items.length}: ${summary}`);
  if (failed.length > 0 || cancelled.length > 0 || unread) {
    void ctx.dialogs.warn(text);
  } else {
    ctx.dialogs.info(text);
  }
  if (failed.length > 0) {
    return revoked.length + unchanged.length > 0 ? 'partial' : 'failed';
  }
  if (cancelled.length > 0) {
    return revoked.length + unchanged.length > 0 ? 'partial' : 'cancelled';
  }
  return revoked.length > 0 ? 'done' : 'nothing-to-do';
}
