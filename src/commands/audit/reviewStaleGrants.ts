/**
 * Review Stale Grants…: rights that no longer serve anyone (held by a disabled, deleted or unknown
 * grantee, or on a disabled or deleted mailbox). A fresh scan lists them in a preview with the
 * reason for each, all checked; the report beside also lists the booking delegates and the
 * applications' rule targets that serve no one (reported only: a delegate is removed with Remove
 * Booking Delegate, and roles are never changed here); one modal confirmation; then each is revoked through the batch
 * write pipeline of every permission command (looked up again, read, compared with what the scan
 * saw, deleted, read back), logged with before and after, and recorded for Undo Last Change. What
 * WorkMail refuses is reported per item with what to do about it, and the rest goes ahead.
 */
import * as vscode from 'vscode';
import { compareByName, compareNames } from '../../workmail/names';
import { normalizeRights, rightsLabel } from '../../workmail/rights';
import { findStaleRoutes, staleTargetInWords, type StaleRoutes } from '../../workmail/routes/staleRoutes';
import { currentStaleReasons, findStaleGrants, STALE_REASON_TEXT, type StaleGrant } from '../../workmail/stale';
import type { Organization } from '../../workmail/types';
import type { PermissionItemOutcome } from '../permissions';
import { applyAll, type PlannedChange } from '../permissions/apply';
import { countsSummary, entityLabel, organizationLabel, rightsWords, staleGrantCount } from '../ui/labels';
import { InvalidChoiceError } from '../ui/pickers';
import { pickMany } from '../ui/quickPick';
import type { ReportDocuments } from '../ui/reportDocuments';
import { describeUnread, organizationFor, orgSubject, reportWithUnread, routesOfScan, runAudit, scanOrganizationWithProgress, unreadMailboxes, type AuditArgs, type AuditContext } from '../scanCommand';
import { readAtLabel } from '../ui/labels';
import { renderStaleReport, staleReportTitle, type StaleReport } from './staleDocument';
import type { StaleApplicationSummary, StaleCleanupOutcome, StaleDelegateSummary, StaleItemSummary, StaleReviewResult } from './types';

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

function delegateSummaries(found: StaleRoutes): StaleDelegateSummary[] {
  return found.delegates
    .map((item) => ({ resourceId: item.resourceId, resource: entityLabel(item.resource, item.resourceId), delegateId: item.delegate.id, delegate: entityLabel(item.entity, item.delegate.id), reasons: item.reasons }))
    .sort((a, b) => compareNames(a.resource, b.resource) || compareNames(a.delegate, b.delegate));
}

function applicationSummaries(found: StaleRoutes): StaleApplicationSummary[] {
  return found.roles
    .map((item) => ({ roleId: item.role.id, role: item.role.name, type: item.role.type, reasons: item.reasons, targets: item.targets.map(staleTargetInWords) }))
    .sort((a, b) => compareNames(a.role, b.role));
}

/** "1 stale booking delegate and 2 applications with stale rules: see the report.", or undefined. */
function staleRoutesSentence(delegates: number, applications: number): string | undefined {
  if (delegates + applications === 0) return undefined;
  const parts = [
    delegates === 1 ? vscode.l10n.t('1 stale booking delegate') : delegates > 1 ? vscode.l10n.t('{0} stale booking delegates', delegates) : undefined,
    applications === 1 ? vscode.l10n.t('1 application with stale rules') : applications > 1 ? vscode.l10n.t('{0} applications with stale rules', applications) : undefined,
  ].filter(Boolean);
  return vscode.l10n.t('Also {0}, listed in the report (not removed by this review).', parts.join(vscode.l10n.t(' and ')));
}

/** By mailbox name, then grantee name, as the tree reads. */
function compareStale(a: StaleGrant, b: StaleGrant): number {
  return compareByName(a.record.mailbox, b.record.mailbox) || compareNames(granteeName(a), granteeName(b));
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
  if (reasons.includes('grantee-disabled') || reasons.includes('mailbox-disabled')) {
    // WorkMail shows an entity enabled a moment ago as disabled for a while (variant directory-lag).
    advice.push(vscode.l10n.t('If it was enabled in the last few minutes, WorkMail may not show it yet: review again in a few minutes.'));
  }
  return advice.join(' ') || vscode.l10n.t('WorkMail refused because an entity is disabled or deleted; enable it first.');
}

/**
 * WorkMail refused to remove a grant to an ID it no longer knows (undocumented: emulator variant
 * orphan-delete). The grant reaches no one; say so, and what is left to do.
 */
function orphanAdvice(item: StaleGrant): string {
  return vscode.l10n.t(
    'WorkMail no longer knows {0} and refuses to remove its grant on {1}. The grant gives no one access; leave it, or ask AWS Support to remove it. It will be listed in the next review again.',
    item.record.granteeId,
    entityLabel(item.record.mailbox),
  );
}

async function chooseItems(ctx: AuditContext, stale: readonly StaleGrant[], title: string, asOf: string): Promise<StaleGrant[]> {
  return pickMany<StaleGrant>({
    ui: ctx.ui,
    title,
    placeholder: vscode.l10n.t('{0} as of {1}; uncheck any to keep, then press Enter', staleGrantCount(stale.length), asOf),
    order: (a, b) => (a.value && b.value ? compareStale(a.value, b.value) : 0),
    items: stale.map((item) => ({
      label: `$(warning) ${entityLabel(item.record.mailbox)} ← ${granteeName(item)}`,
      description: rightsLabel(item.record.rights),
      detail: reasonsText(item),
      picked: true,
      value: item,
    })),
  });
}

/** One revoke's outcome in the words of the review. */
function outcomeOf(item: StaleGrant, outcome: PermissionItemOutcome | undefined): StaleCleanupOutcome {
  const base = summarize(item);
  const before = outcome?.before ?? item.record.rights;
  switch (outcome?.status) {
    case 'changed':
      return { ...base, status: 'revoked', before, after: outcome.after, verified: outcome.verified, undoable: restorable(item) };
    case 'unchanged':
      return { ...base, status: 'unchanged', before, after: outcome.after };
    case 'failed':
    case 'refused':
      return { ...base, status: 'failed', before, reason: outcome.reason ?? '', errorCode: outcome.errorCode };
    case 'skipped':
      if (outcome.errorCode === 'NotApplicable') {
        return { ...base, status: 'not-stale', before, reason: outcome.reason };
      }
      return { ...base, status: 'cancelled', before, reason: vscode.l10n.t('cancelled before it was written') };
    default:
      return { ...base, status: 'cancelled', before, reason: vscode.l10n.t('cancelled before it was written') };
  }
}

export async function reviewStaleGrants(ctx: AuditContext, args: AuditArgs, documents: ReportDocuments): Promise<StaleReviewResult> {
  const { services, ui } = ctx;
  const title = vscode.l10n.t('Review stale grants');
  let org: Organization | undefined;
  return runAudit(ctx, 'stale review', () => orgSubject(org), async (): Promise<StaleReviewResult> => {
    // The account the preview is read from is the one the clean-up writes to (checked below).
    const session = services.session();
    const writer = services.writer();
    org = await organizationFor(ctx, args.node, title);
    // Always a fresh scan: what is revoked must be what WorkMail holds now.
    const { snapshot } = await scanOrganizationWithProgress(ctx, org, vscode.l10n.t('Looking for stale grants in {0}…', organizationLabel(org)));
    const asOf = readAtLabel(snapshot);
    const stale = findStaleGrants(snapshot.grants).sort(compareStale);
    // The other routes, read once for this scan: what serves no one there is reported beside.
    const routes = await routesOfScan(ctx, org, snapshot);
    const staleRoutes = findStaleRoutes(routes, snapshot.directory.entities);
    const base = {
      organizationId: org.organizationId,
      readAt: snapshot.readAt.toISOString(),
      stale: stale.map(summarize),
      unreadMailboxes: unreadMailboxes(snapshot),
      staleDelegates: delegateSummaries(staleRoutes),
      staleApplications: applicationSummaries(staleRoutes),
      unreadRoutes: routes.failures.map((failure) => failure.subject),
    };
    for (const failure of routes.failures) {
      ctx.services.log.warn(`stale review: could not read ${failure.subject}: ${failure.error.code}: ${failure.error.message}`);
    }
    // The whole list, rendered beside the picker; replaced in place by the outcome once written.
    const reportOf: StaleReport = {
      org,
      readAt: snapshot.readAt,
      readAtLabel: asOf,
      stale: base.stale,
      unread: base.unreadMailboxes,
      staleDelegates: base.staleDelegates,
      staleApplications: base.staleApplications,
      unreadRoutes: base.unreadRoutes,
    };
    const reportTitle = staleReportTitle(org, snapshot.readAt);
    const placement = { folder: org.organizationId };
    const routesFound = base.staleDelegates.length + base.staleApplications.length;
    let uri: vscode.Uri | undefined;
    if (stale.length + routesFound > 0 && ctx.options.open !== false) {
      uri = await documents.show(reportTitle, renderStaleReport(reportOf), placement);
    }
    const shown = uri ? { uri: uri.toString() } : {};
    const unreadRoutes = base.unreadRoutes.length > 0 ? vscode.l10n.t('Not read, so stale booking delegates or applications there may be missing: {0}.', base.unreadRoutes.join(', ')) : undefined;
    const unread = [describeUnread(ctx, snapshot, vscode.l10n.t('this review')), unreadRoutes].filter(Boolean).join(' ') || undefined;
    const alsoRoutes = staleRoutesSentence(base.staleDelegates.length, base.staleApplications.length);
    if (stale.length === 0) {
      reportWithUnread(ctx, [vscode.l10n.t('No stale grants in {0} as of {1}.', org.alias ?? org.organizationId, asOf), alsoRoutes].filter(Boolean).join(' '), unread);
      return { outcome: 'nothing-to-do', ...base, ...shown, items: [] };
    }

    const chosen = await chooseItems(ctx, stale, title, asOf);
    if (chosen.length === 0) {
      return { outcome: 'cancelled', ...base, ...shown, items: [] };
    }
    const lines = chosen.map((item) => vscode.l10n.t('{0} on {1} loses {2} ({3})', granteeName(item), entityLabel(item.record.mailbox), rightsWords(item.record.rights), reasonsText(item)));
    const unrestorable = chosen.filter((item) => !restorable(item)).length;
    const notes = [
      vscode.l10n.t('WorkMail refuses changes while a mailbox or grantee is disabled or deleted; those items will be reported, the others revoked.'),
      unrestorable > 0
        ? unrestorable === 1
          ? vscode.l10n.t('1 grant to an ID WorkMail no longer knows cannot be put back by Undo: WorkMail cannot grant to an unknown ID.')
          : vscode.l10n.t('{0} grants to IDs WorkMail no longer knows cannot be put back by Undo: WorkMail cannot grant to an unknown ID.', unrestorable)
        : undefined,
    ].filter(Boolean);
    const confirmed = await ui.confirm(
      vscode.l10n.t('Revoke {0} in {1}?', staleGrantCount(chosen.length), org.alias ?? org.organizationId),
      [...lines, '', ...notes].join('\n'),
      vscode.l10n.t('Revoke'),
    );
    if (!confirmed) {
      return { outcome: 'cancelled', ...base, ...shown, items: [] };
    }

    const target = org;
    // The clean-up and its undo record use the account the preview was made with, even if the
    // profile is switched while it runs; switched while the preview was open, nothing is revoked.
    if (services.session() !== session) {
      throw new InvalidChoiceError(vscode.l10n.t('the AWS profile or endpoint changed while the review was open; nothing was revoked. Run Review Stale Grants again to see the grants of the account now in use.'));
    }
    // The batch write pipeline of every permission command: each grant is looked up again just
    // before its revoke (skipped when no longer stale), written through the safe writer, logged,
    // shown in the tree, and recorded for Undo Last Change when WorkMail could put it back.
    const planned: PlannedChange[] = chosen.map((item) => ({
      org: target,
      mailbox: item.record.mailbox,
      grantee: { id: item.record.granteeId, type: item.record.granteeType, label: granteeName(item) },
      change: { kind: 'revoke' },
      expectedBefore: normalizeRights(item.record.rights),
      precheck: async (signal) =>
        (await currentStaleReasons(session, item.record, signal)).length === 0 ? vscode.l10n.t('no longer stale when checked again just before revoking; left as it is') : undefined,
      undoable: restorable(item),
      explainRefusal: (code) => (code === 'EntityStateException' ? refusalAdvice(item) : code === 'EntityNotFoundException' && !restorable(item) ? orphanAdvice(item) : undefined),
    }));
    const outcomes = await applyAll(ctx, 'revoke', vscode.l10n.t('Revoking {0}…', staleGrantCount(chosen.length)), planned, { session, writer });
    const items = chosen.map((item, index) => outcomeOf(item, outcomes[index]));
    ctx.scans.invalidate(session, target);
    if (uri) {
      documents.publish(reportTitle, renderStaleReport({ ...reportOf, outcomes: items }), placement);
    }
    return { outcome: reportOutcome(ctx, target, items, unread, uri !== undefined, alsoRoutes), ...base, ...shown, items };
  });
}

function reportOutcome(ctx: AuditContext, org: Organization, items: readonly StaleCleanupOutcome[], unread: string | undefined, inReport: boolean, alsoRoutes: string | undefined): StaleReviewResult['outcome'] {
  const revoked = items.filter((i) => i.status === 'revoked');
  const unchanged = items.filter((i) => i.status === 'unchanged');
  const failed = items.filter((i) => i.status === 'failed');
  const cancelled = items.filter((i) => i.status === 'cancelled');
  const notStale = items.filter((i) => i.status === 'not-stale');
  const summary = countsSummary([
    [revoked.length, (n) => vscode.l10n.t('{0} revoked', n)],
    [unchanged.length, (n) => vscode.l10n.t('{0} already gone', n)],
    [failed.length, (n) => vscode.l10n.t('{0} not revoked', n)],
    [cancelled.length, (n) => vscode.l10n.t('{0} cancelled', n)],
    [notStale.length, (n) => vscode.l10n.t('{0} no longer stale, left as they are', n)],
  ]);
  const details = [...failed, ...notStale].map((i) => vscode.l10n.t('{0} on {1}: {2}', i.grantee, i.mailbox, i.reason ?? ''));
  const undoHint = revoked.some((i) => i.undoable) ? vscode.l10n.t('Undo Last Change puts back what was revoked.') : undefined;
  const reportHint = inReport ? vscode.l10n.t('The report beside lists what became of each.') : undefined;
  const text = [vscode.l10n.t('Stale grants in {0}: {1}.', org.alias ?? org.organizationId, summary), ...details, undoHint, unread, alsoRoutes, reportHint].filter(Boolean).join(' ');
  ctx.services.log.info(`revoke stale: batch of ${items.length}: ${summary}`);
  if (failed.length > 0 || cancelled.length > 0 || unread) {
    void ctx.ui.warn(text);
  } else {
    ctx.ui.info(text);
  }
  if (failed.length > 0) {
    return revoked.length + unchanged.length > 0 ? 'partial' : 'failed';
  }
  if (cancelled.length > 0) {
    return revoked.length + unchanged.length > 0 ? 'partial' : 'cancelled';
  }
  return revoked.length > 0 ? 'done' : 'nothing-to-do';
}
