/**
 * Export Permissions…: every mailbox permission of an organization as CSV or JSON, one row per
 * mailbox and grantee, then its booking delegates and applications (impersonation roles), a route
 * column saying which. The organization is scanned afresh under a cancellable progress, its other
 * routes read once for that scan, the file is written by the streaming exporter through a
 * temporary file, then opened. The access rules are in the JSON document, or in a CSV of their own
 * beside the CSV export (named in the message). Mailboxes and route parts that could not be read
 * are named in a message and the log (and in the JSON document), never silently missing.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { accessRulesFileBeside, exportTimes, sortScan, writeAccessRulesCsv, writeCsv, writeJson, type RoutesForExport } from '../../workmail/exporters';
import { accessRulesRead } from '../../workmail/routes/load';
import type { Organization } from '../../workmail/types';
import { applicationCount, bookingDelegateCount, mailboxCount, organizationLabel, permissionCount } from '../ui/labels';
import { InvalidChoiceError } from '../ui/pickers';
import { pickOne } from '../ui/quickPick';
import { describeUnread, reportWithUnread, organizationFor, orgSubject, routesOfScan, runAudit, scanOrganizationWithProgress, unreadMailboxes, type AuditArgs, type AuditContext } from '../scanCommand';
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
      { label: 'CSV', description: vscode.l10n.t('one row per mailbox and grantee, booking delegate or application; opens in a spreadsheet; the access rules in a second CSV beside it'), value: 'csv' },
      { label: 'JSON', description: vscode.l10n.t('the same rows, the access rules, what could not be read and when it was read'), value: 'json' },
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
    const routes: RoutesForExport = { org: target, routes: await routesOfScan(ctx, target, snapshot), directory: snapshot.directory.entities, readAt: new Date() };
    const summary = await writeFileWhole(file, (out) =>
      format === 'csv' ? writeCsv(sorted, out, routes) : writeJson({ ...sorted, failures: snapshot.failures }, out, { organization: target, ...exportTimes(snapshot), routes }),
    );
    // A CSV holds one table: the access rules go beside it. Not when they could not be read: an
    // empty file would say every mailbox is blocked.
    const rulesFile = format === 'csv' && accessRulesRead(routes.routes) ? accessRulesFileBeside(file) : undefined;
    const rules = rulesFile ? await writeFileWhole(rulesFile, (out) => writeAccessRulesCsv(routes, out)) : undefined;
    ctx.services.log.info(
      `export: organization=${org.organizationId} format=${format} rows=${summary.rows} mailboxes=${summary.mailboxes} bookingDelegates=${summary.bookingDelegates} applications=${summary.applications} unread=${snapshot.failures.length} unreadRoutes=${summary.unreadRoutes.length} file=${file}${rulesFile ? ` accessRules=${rulesFile}` : ''}`,
    );
    for (const part of summary.unreadRoutes) {
      ctx.services.log.warn(`export: could not read ${part.subject}: ${part.code}: ${part.message}`);
    }
    await openWrittenFile(ctx, file);

    // Short, so the notification shows it whole; the files' paths are in the log ("Show details").
    const written = vscode.l10n.t(
      'Exported {0} on {1} of {2}, {3} and {4}.',
      permissionCount(summary.rows),
      mailboxCount(summary.mailboxes),
      org.alias ?? org.organizationId,
      bookingDelegateCount(summary.bookingDelegates),
      applicationCount(summary.applications),
    );
    const rulesText = rulesFile && rules !== undefined ? vscode.l10n.t('The access rules ({0}) are in {1}.', rules, path.basename(rulesFile)) : undefined;
    const unreadRoutes =
      summary.unreadRoutes.length > 0
        ? vscode.l10n.t('Not read, and missing from the export: {0}. See the log for the reasons.', summary.unreadRoutes.map((part) => part.subject).join(', '))
        : undefined;
    const unread = [describeUnread(ctx, snapshot, vscode.l10n.t('the export')), unreadRoutes].filter(Boolean).join(' ') || undefined;
    reportWithUnread(ctx, [written, rulesText].filter(Boolean).join(' '), unread);
    return {
      outcome: unread ? 'partial' : 'done',
      organizationId: org.organizationId,
      readAt: snapshot.readAt.toISOString(),
      path: file,
      ...(rulesFile ? { accessRulesPath: rulesFile } : {}),
      format,
      rows: summary.rows,
      mailboxes: summary.mailboxes,
      bookingDelegates: summary.bookingDelegates,
      applications: summary.applications,
      unreadMailboxes: unreadMailboxes(snapshot),
      unreadRoutes: summary.unreadRoutes.map((part) => part.subject),
    };
  });
}
