/**
 * Export Permissions…: every mailbox permission of an organization as CSV or JSON, one row per
 * mailbox and grantee. The organization is scanned afresh under a cancellable progress, the file is
 * written by the streaming exporter through a temporary file, then opened. Mailboxes that could not
 * be read are named in a message and the log (and in the JSON document), never silently missing.
 */
import * as vscode from 'vscode';
import { exportTimes, sortScan, writeCsv, writeJson } from '../../workmail/exporters';
import type { Organization } from '../../workmail/types';
import { mailboxCount, organizationLabel, permissionCount } from '../ui/labels';
import { InvalidChoiceError } from '../ui/pickers';
import { pickOne } from '../ui/quickPick';
import { describeUnread, reportWithUnread, organizationFor, orgSubject, runAudit, scanOrganizationWithProgress, unreadMailboxes, type AuditArgs, type AuditContext } from '../scanCommand';
import { fileNamePart, openWrittenFile, targetFile } from '../outputFiles';
import { dateStamp } from '../ui/labels';
import { writeFileWhole } from '../../workmail/files';
import type { ExportResult } from './types';

export const EXPORT_PERMISSIONS_COMMAND = 'workmail.exportPermissions';

async function chooseFormat(ctx: AuditContext, title: string): Promise<'csv' | 'json'> {
  const given = ctx.options.format;
  if (given !== undefined) {
    if (given !== 'csv' && given !== 'json') {
      throw new InvalidChoiceError(vscode.l10n.t('Unknown format "{0}"; use csv or json.', String(given)));
    }
    return given;
  }
  return pickOne<'csv' | 'json'>({
    ui: ctx.ui,
    title,
    placeholder: vscode.l10n.t('Choose the file format'),
    items: [
      { label: 'CSV', description: vscode.l10n.t('one row per mailbox and grantee; opens in a spreadsheet'), value: 'csv' },
      { label: 'JSON', description: vscode.l10n.t('the same rows, plus the mailboxes that could not be read and when it was read'), value: 'json' },
    ],
  });
}

export async function exportPermissions(ctx: AuditContext, args: AuditArgs): Promise<ExportResult> {
  const title = vscode.l10n.t('Export mailbox permissions');
  let org: Organization | undefined;
  return runAudit(ctx, 'export', () => orgSubject(org), async (): Promise<ExportResult> => {
    org = await organizationFor(ctx, args.node, title);
    const format = await chooseFormat(ctx, title);
    const fileName = `workmail-permissions-${fileNamePart(org)}-${dateStamp()}.${format}`;
    const file = await targetFile(ctx, fileName, format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] }, title);
    if (!file) {
      return { outcome: 'cancelled' };
    }
    const { snapshot } = await scanOrganizationWithProgress(ctx, org, vscode.l10n.t('Exporting the permissions of {0}…', organizationLabel(org)));
    const sorted = await sortScan(snapshot.grants);
    const target = org;
    const summary = await writeFileWhole(file, (out) =>
      format === 'csv'
        ? writeCsv(sorted, out)
        : writeJson({ ...sorted, failures: snapshot.failures }, out, { organization: target, ...exportTimes(snapshot) }),
    );
    ctx.services.log.info(`export: organization=${org.organizationId} format=${format} rows=${summary.rows} mailboxes=${summary.mailboxes} unread=${snapshot.failures.length} file=${file}`);
    await openWrittenFile(ctx, file);

    // Short, so the notification shows it whole; the file's path is in the log ("Show details").
    const written = vscode.l10n.t('Exported {0} on {1} of {2}.', permissionCount(summary.rows), mailboxCount(summary.mailboxes), org.alias ?? org.organizationId);
    const unread = describeUnread(ctx, snapshot, vscode.l10n.t('the export'));
    reportWithUnread(ctx, written, unread);
    return {
      outcome: unread ? 'partial' : 'done',
      organizationId: org.organizationId,
      readAt: snapshot.readAt.toISOString(),
      path: file,
      format,
      rows: summary.rows,
      mailboxes: summary.mailboxes,
      unreadMailboxes: unreadMailboxes(snapshot),
    };
  });
}
