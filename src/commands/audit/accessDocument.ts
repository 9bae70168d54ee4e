// The "Show Access of…" report: a read-only markdown document under the `workmail-access:` scheme
// (see ui/reportDocuments.ts), opened rendered and titled by whose access it is. Every name in it comes from the directory, which other people
// edit, so each is made inert: no control or bidirectional characters, markdown escaped, no HTML.
import * as vscode from 'vscode';
import type { PersonRoutes } from '../../workmail/routes/personRoutes';
import { displayText } from '../../tree/display';
import type { AccessEntry } from '../../workmail/reverse';
import { formatVia } from '../../workmail/reverse';
import { rightsLabel } from '../../workmail/rights';
import type { DirectoryEntity, Organization } from '../../workmail/types';
import { entityLabel, mailboxCount, organizationLabel } from '../ui/labels';

export const ACCESS_SCHEME = 'workmail-access';

/**
 * Escapes what markdown could act on inside a line (emphasis, code, links, images, HTML, entities,
 * table cells, strikethrough, math). Names never start a line here, so block syntax needs no escape.
 */
export function escapeMarkdown(value: string | undefined, max = 200): string {
  return displayText(value, max).replace(/[\\`*_[\]<>|~&$]/g, (ch) => `\\${ch}`);
}

/** The report's title, which its tab shows: whose access it is. */
export function accessReportTitle(entity: DirectoryEntity): string {
  return vscode.l10n.t('Access of {0}', entityLabel(entity, entity.id));
}

export interface AccessReport {
  readonly org: Organization;
  readonly entity: DirectoryEntity;
  readonly entries: readonly AccessEntry[];
  readonly readAt: Date;
  readonly readAtLabel: string;
  readonly fromCache: boolean;
  readonly unreadMailboxes: readonly DirectoryEntity[];
  readonly unreadGroups: readonly DirectoryEntity[];
  /** The person's other routes: rooms they are a booking delegate of, applications that may act as them. */
  readonly otherRoutes?: PersonRoutes;
  /** What of the other routes could not be read ("the booking delegates of room-atlas"). */
  readonly unreadRoutes?: readonly string[];
}

function kindWord(entity: DirectoryEntity): string {
  return entity.kind === 'group' ? vscode.l10n.t('group') : entity.kind === 'resource' ? vscode.l10n.t('resource') : vscode.l10n.t('user');
}

function stateWord(entity: DirectoryEntity): string {
  return entity.state && entity.state !== 'ENABLED' ? entity.state.toLowerCase() : '';
}

export function renderAccessReport(report: AccessReport): string {
  const { entity, entries, org } = report;
  const mailboxes = new Set(entries.map((e) => e.mailbox.id)).size;
  const direct = entries.filter((e) => e.via.length === 0).length;
  const lines: string[] = [];
  const who = entity.email && entity.email !== entityLabel(entity) ? `${escapeMarkdown(entityLabel(entity))} · ${escapeMarkdown(entity.email)}` : escapeMarkdown(entityLabel(entity, entity.id));
  lines.push(`# ${vscode.l10n.t('Mailbox access of {0}', who)}`, '');
  lines.push(
    `- ${vscode.l10n.t('Entity')}: ${[kindWord(entity), stateWord(entity)].filter(Boolean).join(', ')} \\(${escapeMarkdown(entity.id)}\\)`,
    `- ${vscode.l10n.t('Organization')}: ${escapeMarkdown(organizationLabel(org))}, ${escapeMarkdown(org.region)}`,
    `- ${vscode.l10n.t('As of')}: ${escapeMarkdown(report.readAtLabel)} \\(${escapeMarkdown(report.readAt.toISOString())}\\)${report.fromCache ? ` — ${vscode.l10n.t('from an earlier scan; run the command again with Rescan for fresh data')}` : ''}`,
    '',
  );
  if (entries.length === 0) {
    lines.push(vscode.l10n.t('No rights on any mailbox, directly or through a group.'), '');
  } else {
    lines.push(
      vscode.l10n.t('Rights on {0}: {1} granted directly, {2} through groups.', mailboxCount(mailboxes), direct, entries.length - direct),
      '',
      // Four columns fit an editor beside the tree; the kind and state only where they are not a
      // plain, enabled user's mailbox.
      `| ${[vscode.l10n.t('Mailbox'), vscode.l10n.t('Email'), vscode.l10n.t('Rights'), vscode.l10n.t('How')].join(' | ')} |`,
      '| --- | --- | --- | --- |',
    );
    for (const entry of entries) {
      const mailbox = entry.mailbox;
      const notes = [mailbox.kind === 'user' ? '' : kindWord(mailbox), stateWord(mailbox)].filter(Boolean).join(', ');
      const name = notes ? `${escapeMarkdown(entityLabel(mailbox))} \\(${escapeMarkdown(notes)}\\)` : escapeMarkdown(entityLabel(mailbox));
      lines.push(`| ${[name, escapeMarkdown(mailbox.email), escapeMarkdown(rightsLabel(entry.rights)), escapeMarkdown(formatVia(entry.via), 400)].join(' | ')} |`);
    }
    lines.push('');
  }
  if (report.otherRoutes) {
    const { bookingDelegations, applications } = report.otherRoutes;
    lines.push(`## ${vscode.l10n.t('Booking delegate of')}`, '');
    lines.push(
      ...(bookingDelegations.length > 0
        ? bookingDelegations.map((d) => `- ${escapeMarkdown(d.resource ? entityLabel(d.resource) : d.resourceId)}${d.via.length > 0 ? ` ${escapeMarkdown(formatVia(d.via), 400)}` : ''}`)
        : [`- ${vscode.l10n.t('None')}`]),
      '',
      `## ${vscode.l10n.t('Applications that can act as them')}`,
      '',
      ...(applications.length > 0
        ? applications.map((role) => `- ${escapeMarkdown(role.name)} \\(${role.type === 'FULL_ACCESS' ? vscode.l10n.t('reads and changes mail') : vscode.l10n.t('reads mail')}\\): ${vscode.l10n.t('everything this report lists, and their own mailbox')}`)
        : [`- ${vscode.l10n.t('None')}`]),
      '',
    );
  }
  if (report.unreadMailboxes.length > 0 || report.unreadGroups.length > 0 || (report.unreadRoutes?.length ?? 0) > 0) {
    lines.push(`## ${vscode.l10n.t('Incomplete')}`, '', vscode.l10n.t('These could not be read, so access through them may be missing from the table:'), '');
    for (const mailbox of report.unreadMailboxes) {
      lines.push(`- ${vscode.l10n.t('mailbox')} ${escapeMarkdown(entityLabel(mailbox))} \\(${escapeMarkdown(mailbox.id)}\\)`);
    }
    for (const group of report.unreadGroups) {
      lines.push(`- ${vscode.l10n.t('members of group')} ${escapeMarkdown(entityLabel(group))} \\(${escapeMarkdown(group.id)}\\)`);
    }
    for (const what of report.unreadRoutes ?? []) {
      lines.push(`- ${escapeMarkdown(what)}`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
}
