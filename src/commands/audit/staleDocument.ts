// The Review Stale Grants report: what the scan found (each grant with why it serves no one, then
// the booking delegates and applications that serve no one, which the review reports but does not
// remove) and, once the clean-up has run, what became of each grant. Opened rendered beside the preview's picker and
// replaced in place after the clean-up, so the person reads the whole list at the editor's width
// instead of in a quick pick's one-line rows, and keeps the outcome after the message has gone.
// Every name comes from the directory, which other people edit, so each is made inert.
import * as vscode from 'vscode';
import { STALE_ROUTE_REASON_TEXT } from '../../workmail/routes/staleRoutes';
import { STALE_REASON_TEXT } from '../../workmail/stale';
import type { Organization } from '../../workmail/types';
import { escapeMarkdown } from './accessDocument';
import { dateStamp } from '../ui/labels';
import { organizationLabel, rightsWords, staleGrantCount } from '../ui/labels';
import type { StaleApplicationSummary, StaleCleanupOutcome, StaleDelegateSummary, StaleItemSummary, UnreadMailbox } from './types';

export interface StaleReport {
  readonly org: Organization;
  readonly readAt: Date;
  readonly readAtLabel: string;
  /** In the order the person reads them (mailbox, then grantee, by name). */
  readonly stale: readonly StaleItemSummary[];
  /** After the clean-up: one per grant chosen. */
  readonly outcomes?: readonly StaleCleanupOutcome[];
  readonly unread: readonly UnreadMailbox[];
  readonly staleDelegates?: readonly StaleDelegateSummary[];
  readonly staleApplications?: readonly StaleApplicationSummary[];
  /** Parts of the other routes that could not be read. */
  readonly unreadRoutes?: readonly string[];
}

/**
 * The report's title, which its tab shows: whose grants, and the day (a tab title holds no colon,
 * so the time is in the report); a later review the same day replaces it in place.
 */
export function staleReportTitle(org: Organization, readAt: Date): string {
  return vscode.l10n.t('Stale grants in {0}, {1}', org.alias ?? org.organizationId, dateStamp(readAt));
}

function outcomeWords(outcome: StaleCleanupOutcome | undefined): string {
  switch (outcome?.status) {
    case undefined:
      return vscode.l10n.t('kept (not chosen)');
    case 'revoked':
      return outcome.undoable ? vscode.l10n.t('revoked (Undo Last Change puts it back)') : vscode.l10n.t('revoked (cannot be put back)');
    case 'unchanged':
      return vscode.l10n.t('already gone');
    case 'not-stale':
      return vscode.l10n.t('no longer stale, left as it is');
    case 'cancelled':
      return vscode.l10n.t('cancelled before it was written');
    case 'failed':
      return vscode.l10n.t('not revoked: {0}', outcome.reason ?? outcome.errorCode ?? '');
  }
}

export function renderStaleReport(report: StaleReport): string {
  const { org, stale, outcomes } = report;
  const byId = new Map(outcomes?.map((outcome) => [outcome.id, outcome]));
  const lines: string[] = [`# ${escapeMarkdown(vscode.l10n.t('Stale grants in {0}', org.alias ?? org.organizationId))}`, ''];
  lines.push(
    `- ${vscode.l10n.t('Organization')}: ${escapeMarkdown(organizationLabel(org))}, ${escapeMarkdown(org.region)}`,
    `- ${vscode.l10n.t('As of')}: ${escapeMarkdown(report.readAtLabel)} \\(${escapeMarkdown(report.readAt.toISOString())}\\)`,
    `- ${vscode.l10n.t('Found')}: ${staleGrantCount(stale.length)}`,
  );
  const delegates = report.staleDelegates ?? [];
  const applications = report.staleApplications ?? [];
  if (delegates.length + applications.length > 0) {
    lines.push(`- ${vscode.l10n.t('Also')}: ${escapeMarkdown([delegates.length > 0 ? staleDelegateCount(delegates.length) : '', applications.length > 0 ? staleApplicationCount(applications.length) : ''].filter(Boolean).join(', '))}`);
  }
  lines.push('');
  if (stale.length === 0) {
    lines.push(vscode.l10n.t('No grant here is held by a disabled, deleted or unknown grantee, or on a disabled or deleted mailbox.'), '');
  } else {
    lines.push(
      outcomes
        ? vscode.l10n.t('What the clean-up did with each (each was checked again just before it was revoked):')
        : vscode.l10n.t('Each gives no one working access. Uncheck in the list any to keep; nothing is revoked before you confirm.'),
      '',
    );
    // Four columns (five after the clean-up) fit an editor beside the tree; IDs only where there is
    // no name (a grantee WorkMail no longer knows is shown by its ID).
    const header = [vscode.l10n.t('Mailbox'), vscode.l10n.t('Grantee'), vscode.l10n.t('Rights'), vscode.l10n.t('Why it is stale')];
    if (outcomes) header.push(vscode.l10n.t('Outcome'));
    lines.push(`| ${header.join(' | ')} |`, `|${' --- |'.repeat(header.length)}`);
    for (const item of stale) {
      const cells = [
        escapeMarkdown(item.mailbox),
        escapeMarkdown(item.grantee),
        escapeMarkdown(rightsWords(item.rights)),
        escapeMarkdown(item.reasons.map((reason) => STALE_REASON_TEXT[reason]).join('; ')),
      ];
      if (outcomes) cells.push(escapeMarkdown(outcomeWords(byId.get(item.id)), 600));
      lines.push(`| ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  lines.push(...routeSections(delegates, applications));
  const unreadRoutes = report.unreadRoutes ?? [];
  if (unreadRoutes.length > 0) {
    lines.push(
      `## ${vscode.l10n.t('Not read')}`,
      '',
      vscode.l10n.t('These could not be read, so stale booking delegates or applications in them are missing from the report:'),
      '',
      ...unreadRoutes.map((part) => `- ${escapeMarkdown(part)}`),
      '',
    );
  }
  if (report.unread.length > 0) {
    lines.push(
      `## ${vscode.l10n.t('Incomplete')}`,
      '',
      vscode.l10n.t('These mailboxes could not be read, so stale grants on them are missing from the list:'),
      '',
      ...report.unread.map((mailbox) => `- ${escapeMarkdown(mailbox.mailbox)} \\(${escapeMarkdown(mailbox.mailboxId)}\\): ${escapeMarkdown(mailbox.code)}`),
      '',
    );
  }
  return lines.join('\n');
}

function staleDelegateCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 stale booking delegate') : vscode.l10n.t('{0} stale booking delegates', count);
}

function staleApplicationCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 application with stale rules') : vscode.l10n.t('{0} applications with stale rules', count);
}

/**
 * The booking delegates and applications that serve no one, as lists (the table above is the
 * grants'). Nothing in the review removes them: a delegate goes with Remove Booking Delegate, and
 * a role is changed in WorkMail itself, which this extension shows but never changes.
 */
function routeSections(delegates: readonly StaleDelegateSummary[], applications: readonly StaleApplicationSummary[]): string[] {
  const lines: string[] = [];
  if (delegates.length > 0) {
    lines.push(
      `## ${vscode.l10n.t('Booking delegates')}`,
      '',
      vscode.l10n.t('Each receives a resource\'s booking requests but serves no one. The review does not remove them: remove each with Remove Booking Delegate on the delegate in the tree.'),
      '',
      ...delegates.map((item) => `- ${escapeMarkdown(vscode.l10n.t('{0} ← {1}: {2}; remove with Remove Booking Delegate', item.resource, item.delegate, item.reasons.map((reason) => STALE_ROUTE_REASON_TEXT[reason]).join('; ')), 600)}`),
      '',
    );
  }
  if (applications.length > 0) {
    lines.push(
      `## ${vscode.l10n.t('Applications (impersonation roles)')}`,
      '',
      vscode.l10n.t('Roles are shown, never changed, by this extension: change a role\'s rules in the WorkMail console (or with aws workmail update-impersonation-role).'),
      '',
      ...applications.map((item) => {
        const kind = item.type === 'FULL_ACCESS' ? vscode.l10n.t('full access') : vscode.l10n.t('read only');
        const why = [...item.reasons.map((reason) => STALE_ROUTE_REASON_TEXT[reason]), ...item.targets].join('; ');
        return `- ${escapeMarkdown(`${item.role} (${kind}): ${why}`, 600)}`;
      }),
      '',
    );
  }
  return lines;
}
