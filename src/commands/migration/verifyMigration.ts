/**
 * Verify Migration…: after cutover, the destination's own exports (what the script's read-back
 * wrote) compared with the snapshot through the same mapping and choices: every delegation arrived,
 * missing, not checked or extra, and what could not be mapped or carried. Needs no WorkMail. The
 * markdown report opens rendered (and is saved when a path is given); the CSV is written beside it
 * on request.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { decodeText, readExports, compare, renderVerificationCsv, renderVerificationMarkdown, VerifyInputError } from '../../workmail/migration/verify';
import { planDestination, TARGET_NAMES } from '../../workmail/migration/destinations';
import { InvalidChoiceError } from '../ui/pickers';
import { showRendered, type ReportDocuments } from '../ui/reportDocuments';
import { runAudit, type AuditArgs, type AuditContext } from '../scanCommand';
import { dateStamp } from '../ui/labels';
import { writeFileWhole } from '../../workmail/files';
import { FILES, chooseDestination, chooseMapping, chosenWave, destinationChoices, openFiles } from './migrationChoices';
import type { VerifyResult } from '../audit/types';
import fs from 'node:fs';

export const VERIFY_MIGRATION_COMMAND = 'workmail.verifyMigration';

export async function verifyMigrationCommand(ctx: AuditContext, _args: AuditArgs, documents: ReportDocuments): Promise<VerifyResult> {
  const title = vscode.l10n.t('Verify a migration');
  let subject = '';
  return runAudit(ctx, 'verify', () => subject, async (): Promise<VerifyResult> => {
    const snapshotFile = (await openFiles(ctx, ctx.options.snapshot, { title, label: vscode.l10n.t('Use Snapshot'), filters: { 'Snapshot (JSON)': ['json'] } }))?.[0];
    if (!snapshotFile) {
      return { outcome: 'cancelled' };
    }
    const snapshot = await FILES.readSnapshot(snapshotFile);
    subject = path.basename(snapshotFile);
    const target = await chooseDestination(ctx, title, 2);
    const { mapping, source: mappingSource } = await chooseMapping(ctx, snapshot, title, 3);
    const choices = await destinationChoices(ctx, target, title, 4);
    const wave = await chosenWave(ctx);
    const exportFiles = await openFiles(ctx, ctx.options.exports, {
      title: vscode.l10n.t('The files the script\'s read-back wrote ({0})', TARGET_NAMES[target]),
      label: vscode.l10n.t('Verify'),
      filters: target === 'grommunio' ? { 'JSON lines': ['jsonl', 'json'] } : { CSV: ['csv'] },
      many: true,
    });
    if (!exportFiles || exportFiles.length === 0) {
      return { outcome: 'cancelled' };
    }
    const inputs = await Promise.all(exportFiles.map(async (file) => ({ file: path.basename(file), text: decodeText(await fs.promises.readFile(file)) })));
    let observation;
    try {
      observation = readExports(target, inputs);
    } catch (err) {
      if (err instanceof VerifyInputError) {
        throw new InvalidChoiceError(vscode.l10n.t('{0} {1}', err.message, vscode.l10n.t('Nothing was written.')));
      }
      throw err;
    }
    const plan = planDestination(target, snapshot, mapping, {
      ...choices,
      ...wave,
      generatedAt: new Date(),
      snapshotSource: path.basename(snapshotFile),
      ...(mappingSource ? { mappingSource } : {}),
    });
    const result = compare(plan, observation, mapping);
    const markdown = renderVerificationMarkdown(result);
    const reportPath = ctx.options.path;
    if (reportPath !== undefined) {
      if (!path.isAbsolute(reportPath)) {
        throw new InvalidChoiceError(vscode.l10n.t('The path must be absolute, not "{0}".', reportPath));
      }
      await writeFileWhole(reportPath, async (out) => {
        out.write(markdown);
      });
      if (ctx.options.csv !== false) {
        await writeFileWhole(reportPath.replace(/\.md$/i, '') + '.csv', async (out) => {
          out.write(renderVerificationCsv(result));
        });
      }
    }
    let uri: string | undefined;
    if (ctx.options.open !== false) {
      // Rendered, titled by the file the person saved, else by organization, destination and day.
      const title = vscode.l10n.t('Verification of {0} at {1}, {2}', snapshot.organization.alias ?? snapshot.organization.id, TARGET_NAMES[target], dateStamp());
      const shown = reportPath ? vscode.Uri.file(reportPath) : documents.publish(title, markdown, { folder: snapshot.organization.id });
      await showRendered(shown, false);
      uri = shown.toString();
    }
    const { counts } = result;
    ctx.services.log.info(
      `verify migration: snapshot=${subject} target=${target} arrived=${counts.arrived} missing=${counts.missing} notChecked=${counts.notChecked} extra=${counts.extra} notMappable=${counts.notMappable} exports=${inputs.map((i) => i.file).join(',')}`,
    );
    const summary = vscode.l10n.t(
      '{0}: {1} arrived, {2} missing, {3} not checked, {4} extra, {5} not mappable.',
      TARGET_NAMES[target],
      counts.arrived,
      counts.missing,
      counts.notChecked,
      counts.extra,
      counts.notMappable,
    );
    if (result.exitCode === 0) {
      ctx.ui.info(summary);
    } else {
      void ctx.ui.warn(summary);
    }
    return {
      outcome: result.exitCode === 0 ? 'done' : result.exitCode === 3 ? 'partial' : 'missing',
      target,
      counts,
      text: markdown,
      ...(reportPath ? { path: reportPath } : {}),
      ...(uri ? { uri } : {}),
      missing: result.items.filter((item) => item.status === 'missing').map((item) => ({ mailbox: item.mailbox, grantee: item.grantee, right: item.right })),
    };
  });
}
