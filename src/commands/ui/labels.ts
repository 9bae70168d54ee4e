// How mailboxes, grantees and rights are named in messages and the log.
import * as vscode from 'vscode';
import { displayText } from '../../tree/display';
import { entityName } from '../../workmail/names';
import { rightsDiff, rightsLabel } from '../../workmail/rights';
import type { OrganizationScan } from '../../workmail/scan';
import type { DirectoryEntity, OrgRef, Organization, Right } from '../../workmail/types';

/**
 * Directory text made safe for notifications, pickers and log lines: one shortened line without
 * control or bidi characters (see tree/display), and no `](` so a name such as
 * `[Open](command:...)` can never become a link in a notification.
 */
export function inertText(value: string): string {
  return displayText(value).replace(/\]\(/g, '] (');
}

export function entityLabel(entity: DirectoryEntity | null | undefined, fallbackId = ''): string {
  if (!entity) {
    return inertText(fallbackId);
  }
  return inertText(entityName(entity));
}

/** The label plus the address when it adds something, for places where names may repeat. */
export function entityLongLabel(entity: DirectoryEntity | null | undefined, fallbackId = ''): string {
  const label = entityLabel(entity, fallbackId);
  const email = entity?.email ? inertText(entity.email) : undefined;
  return email && email !== label ? `${label} <${email}>` : label;
}

export function organizationLabel(org: OrgRef | Organization): string {
  const alias = (org as Organization).alias;
  return alias ? `${inertText(alias)} (${org.organizationId})` : org.organizationId;
}

export function rightsWords(rights: readonly Right[]): string {
  return rights.length === 0 ? vscode.l10n.t('no rights') : rightsLabel(rights);
}

/** "had Full access; now Full access · Send as (added Send as)", for concurrent-change questions. */
export function describeDifference(expected: readonly Right[], actual: readonly Right[]): string {
  const { added, removed } = rightsDiff(expected, actual);
  const parts: string[] = [];
  if (added.length > 0) {
    parts.push(vscode.l10n.t('added {0}', rightsLabel(added)));
  }
  if (removed.length > 0) {
    parts.push(vscode.l10n.t('removed {0}', rightsLabel(removed)));
  }
  return parts.join(vscode.l10n.t('; '));
}

/** For log lines: stable, greppable, no names that could be mistaken for the raw value. */
export function rightsForLog(rights: readonly Right[] | undefined): string {
  return rights === undefined ? '?' : `[${rights.join(',')}]`;
}

/**
 * "3 changed, 1 failed": the phrases of the counts that are not zero, in the order given. Each
 * phrase is its own translatable string taking the count.
 */
export function countsSummary(counts: ReadonlyArray<readonly [number, (count: number) => string]>): string {
  return counts
    .filter(([count]) => count > 0)
    .map(([count, phrase]) => phrase(count))
    .join(', ');
}

// Counts in messages, as a person writes them: "1 mailbox", "31 mailboxes", never "mailbox(es)".
// Each form is its own translatable string.

/** "less than a minute ago", "40 minutes ago", "30 hours ago", "3 days ago". */
export function agoLabel(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return vscode.l10n.t('less than a minute ago');
  if (minutes < 60) return minutes === 1 ? vscode.l10n.t('1 minute ago') : vscode.l10n.t('{0} minutes ago', minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return hours === 1 ? vscode.l10n.t('1 hour ago') : vscode.l10n.t('{0} hours ago', hours);
  return vscode.l10n.t('{0} days ago', Math.floor(hours / 24));
}

export function mailboxCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 mailbox') : vscode.l10n.t('{0} mailboxes', count);
}

export function peopleCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 person') : vscode.l10n.t('{0} people', count);
}

export function applicationCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 application') : vscode.l10n.t('{0} applications', count);
}

export function bookingDelegateCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 booking delegate') : vscode.l10n.t('{0} booking delegates', count);
}

export function permissionCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 permission') : vscode.l10n.t('{0} permissions', count);
}

export function waveCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 wave') : vscode.l10n.t('{0} waves', count);
}

export function delegationCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 delegation') : vscode.l10n.t('{0} delegations', count);
}

export function staleGrantCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 stale grant') : vscode.l10n.t('{0} stale grants', count);
}

export function changeCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 change') : vscode.l10n.t('{0} changes', count);
}

export function lineCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 line') : vscode.l10n.t('{0} lines', count);
}

export function itemCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 item') : vscode.l10n.t('{0} items', count);
}

export function groupCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 group') : vscode.l10n.t('{0} groups', count);
}

/** "2026-03-02 14:02", local time. */
export function dateTimeLabel(date: Date): string {
  return `${dateStamp(date)} ${timeLabel(date)}`;
}

/**
 * When a scan was read, for "as of …": "14:02"; for a resumed scan, read in parts, "14:02 (resumed:
 * some mailboxes were read earlier, from 2026-03-01 09:00)".
 */
export function readAtLabel(snapshot: Pick<OrganizationScan, 'startedAt' | 'readAt' | 'resumed'>): string {
  if (!snapshot.resumed) {
    return timeLabel(snapshot.readAt);
  }
  return vscode.l10n.t('{0} (resumed: some mailboxes were read earlier, from {1})', dateTimeLabel(snapshot.readAt), dateTimeLabel(snapshot.startedAt));
}

/** "14:02", local time. */
export function timeLabel(date: Date): string {
  return date.toLocaleTimeString(vscode.env.language || undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** 2026-03-02, local time, for default file names. */
export function dateStamp(date = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
