// The "Show Access of…" report: a read-only markdown document under the `workmail-access:` scheme,
// easy to read, search and copy. Every name in it comes from the directory, which other people
// edit, so each is made inert: no control or bidirectional characters, markdown escaped, no HTML.
import * as vscode from 'vscode';
import { displayText } from '../../tree/display';
import type { AccessEntry } from '../../workmail/reverse';
import { formatVia } from '../../workmail/reverse';
import { rightsLabel } from '../../workmail/rights';
import type { DirectoryEntity, Organization } from '../../workmail/types';
import { entityLabel, organizationLabel } from '../ui/labels';

export const ACCESS_SCHEME = 'workmail-access';

/**
 * Escapes what markdown could act on inside a line (emphasis, code, links, images, HTML, entities,
 * table cells, strikethrough, math). Names never start a line here, so block syntax needs no escape.
 */
export function escapeMarkdown(value: string | undefined, max = 200): string {
  return displayText(value, max).replace(/[\\`*_[\]<>|~&$]/g, (ch) => `\\${ch}`);
}

export class AccessDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly documents = new Map<string, string>();
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.documents.get(uri.toString()) ?? vscode.l10n.t('This report is no longer available; run WorkMail: Show Access of… again.');
  }

  /** Stores (or replaces) a report; an open editor showing it is updated. */
  publish(org: Organization, entityId: string, text: string): vscode.Uri {
    // One document per organization and entity, so a rescan updates the open report in place.
    const uri = vscode.Uri.from({ scheme: ACCESS_SCHEME, path: `/${org.organizationId}/${encodeURIComponent(entityId)}.md` });
    this.documents.set(uri.toString(), text);
    this.changes.fire(uri);
    return uri;
  }

  dispose(): void {
    this.changes.dispose();
    this.documents.clear();
  }
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
      vscode.l10n.t('Rights on {0} mailbox(es): {1} direct grant(s), {2} through groups.', mailboxes, direct, entries.length - direct),
      '',
      `| ${[vscode.l10n.t('Mailbox'), vscode.l10n.t('Email'), vscode.l10n.t('Kind'), vscode.l10n.t('Rights'), vscode.l10n.t('How')].join(' | ')} |`,
      '| --- | --- | --- | --- | --- |',
    );
    for (const entry of entries) {
      const mailbox = entry.mailbox;
      const kind = [kindWord(mailbox), stateWord(mailbox)].filter(Boolean).join(', ');
      lines.push(
        `| ${[escapeMarkdown(entityLabel(mailbox)), escapeMarkdown(mailbox.email), escapeMarkdown(kind), escapeMarkdown(rightsLabel(entry.rights)), escapeMarkdown(formatVia(entry.via), 400)].join(' | ')} |`,
      );
    }
    lines.push('');
  }
  if (report.unreadMailboxes.length > 0 || report.unreadGroups.length > 0) {
    lines.push(`## ${vscode.l10n.t('Incomplete')}`, '', vscode.l10n.t('These could not be read, so access through them may be missing from the table:'), '');
    for (const mailbox of report.unreadMailboxes) {
      lines.push(`- ${vscode.l10n.t('mailbox')} ${escapeMarkdown(entityLabel(mailbox))} \\(${escapeMarkdown(mailbox.id)}\\)`);
    }
    for (const group of report.unreadGroups) {
      lines.push(`- ${vscode.l10n.t('members of group')} ${escapeMarkdown(entityLabel(group))} \\(${escapeMarkdown(group.id)}\\)`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
}
