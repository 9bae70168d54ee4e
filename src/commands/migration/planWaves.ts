/**
 * Plan Migration Waves…: which mailboxes move together, from a fresh scan of the organization or
 * from a snapshot file, with an optional maximum wave size. Writes the waves CSV and a markdown
 * report next to it, and opens the report rendered.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { writeFileWhole } from '../../workmail/files';
import type { Snapshot } from '../../workmail/migration/schema';
import { unreadableGroups } from '../../workmail/migration/snapshot';
import { planWaves, wavesCsv, wavesReport } from '../../workmail/migration/waves';
import { organizationOfNode } from '../nodes';
import { organizationFor, runAudit } from '../scanCommand';
import { targetFile } from '../outputFiles';
import { dateStamp } from '../ui/labels';
import { showRendered } from '../ui/reportDocuments';
import { delegationCount, mailboxCount, organizationLabel, waveCount } from '../ui/labels';
import { InvalidChoiceError } from '../ui/pickers';
import { pickOne, type Choice } from '../ui/quickPick';
import { chooseSnapshotFile, loadSnapshotFile, snapshotByScanning, snapshotLabel, type MigrationContext } from './flow';
import type { WavesResult } from './types';

export const PLAN_WAVES_COMMAND = 'workmail.planMigrationWaves';

async function chooseSource(ctx: MigrationContext, node: unknown, title: string): Promise<'scan' | 'snapshot'> {
  if (ctx.options.source !== undefined) {
    if (ctx.options.source !== 'scan' && ctx.options.source !== 'snapshot') {
      throw new InvalidChoiceError(vscode.l10n.t('Unknown source "{0}"; use scan or snapshot.', String(ctx.options.source)));
    }
    return ctx.options.source;
  }
  if (ctx.options.snapshot !== undefined) {
    return 'snapshot';
  }
  const org = organizationOfNode(node);
  return pickOne<'scan' | 'snapshot'>({
    ui: ctx.ui,
    title,
    placeholder: vscode.l10n.t('Plan from what WorkMail holds now, or from a saved snapshot'),
    items: [
      {
        label: org ? vscode.l10n.t('Scan {0} now', organizationLabel(org)) : vscode.l10n.t('Scan an organization now'),
        description: vscode.l10n.t('reads every grant and group member'),
        value: 'scan',
      },
      { label: vscode.l10n.t('Use a snapshot file…'), description: vscode.l10n.t('no WorkMail calls'), value: 'snapshot' },
    ],
  });
}

async function chooseMaxSize(ctx: MigrationContext, title: string): Promise<number | undefined> {
  const given = ctx.options.maxSize;
  if (given !== undefined) {
    if (given !== null && (!Number.isInteger(given) || given < 1)) {
      throw new InvalidChoiceError(vscode.l10n.t('The maximum wave size must be a whole number of at least 1, not {0}.', String(given)));
    }
    return given ?? undefined;
  }
  const items: Choice<number | null>[] = [
    { label: vscode.l10n.t('No maximum'), description: vscode.l10n.t('each linked group of mailboxes is one wave; nothing is cut'), value: null },
    ...[25, 50, 100, 250].map((n) => ({ label: vscode.l10n.t('At most {0} mailboxes a wave', n), value: n })),
  ];
  const chosen = await pickOne<number | null>({
    ui: ctx.ui,
    title,
    placeholder: vscode.l10n.t('Maximum wave size (type a number for another)'),
    items,
    typed: (value) => {
      const text = value.trim();
      if (!/^\d+$/.test(text)) {
        return [];
      }
      const n = Number(text);
      return n >= 1 ? [{ label: vscode.l10n.t('At most {0} mailboxes a wave', n), alwaysShow: true, value: n }] : [];
    },
  });
  return chosen ?? undefined;
}

export async function planMigrationWaves(ctx: MigrationContext, node: unknown): Promise<WavesResult> {
  const title = vscode.l10n.t('Plan migration waves');
  let subject = '';
  return runAudit(ctx, 'waves', () => subject, async (): Promise<WavesResult> => {
    const source = await chooseSource(ctx, node, title);
    let snapshot: Snapshot;
    if (source === 'scan') {
      const org = await organizationFor(ctx, node, title);
      subject = organizationLabel(org);
      const maxSize = await chooseMaxSize(ctx, title);
      const file = await targetFile(ctx, `workmail-waves-${(org.alias || org.organizationId).replace(/[^A-Za-z0-9._-]+/g, '-')}-${dateStamp()}.csv`, { CSV: ['csv'] }, title);
      if (!file) {
        return { outcome: 'cancelled' };
      }
      // With the routes: a room moves with its booking delegates, and the report notes the applications.
      snapshot = (await snapshotByScanning(ctx, org, vscode.l10n.t('Reading {0} to plan the migration waves…', organizationLabel(org)), { withRoutes: true })).snapshot;
      return write(ctx, snapshot, source, maxSize, file);
    }
    const from = await chooseSnapshotFile(ctx, vscode.l10n.t('Choose the migration snapshot to plan from'));
    subject = from;
    snapshot = await loadSnapshotFile(from);
    subject = snapshotLabel(snapshot);
    const maxSize = await chooseMaxSize(ctx, title);
    const file = await targetFile(ctx, `workmail-waves-${snapshotLabel(snapshot).replace(/[^A-Za-z0-9._-]+/g, '-')}.csv`, { CSV: ['csv'] }, title);
    if (!file) {
      return { outcome: 'cancelled' };
    }
    return write(ctx, snapshot, source, maxSize, file);
  });
}

async function write(ctx: MigrationContext, snapshot: Snapshot, source: 'scan' | 'snapshot', maxSize: number | undefined, file: string): Promise<WavesResult> {
  const plan = planWaves(snapshot, { maxSize });
  const reportPath = path.join(path.dirname(file), `${path.basename(file, path.extname(file))}.md`);
  await writeFileWhole(file, async (out) => {
    out.write(wavesCsv(plan));
  });
  await writeFileWhole(reportPath, async (out) => {
    out.write(wavesReport(plan, snapshot));
  });
  const mailboxes = plan.waves.reduce((sum, wave) => sum + wave.mailboxes.length, 0);
  const bookingDelegations = plan.delegations.filter((d) => d.route === 'bookingDelegate').length;
  // An application is a note on the plan, not a delegation: the ones spanning waves are what the person must act on.
  const spanning = plan.applications.filter((a) => a.waves.length > 1);
  ctx.services.log.info(
    `waves: organization=${snapshot.organization.id} source=${source} maxSize=${maxSize ?? 'none'} waves=${plan.waves.length} mailboxes=${mailboxes} delegations=${plan.delegations.length} bookingDelegations=${bookingDelegations} cut=${plan.cut.length} file=${file}`,
  );
  for (const application of spanning) {
    ctx.services.log.info(`waves: application ${JSON.stringify(application.name)} (${application.roleId}) reaches mailboxes in waves ${application.waves.join(', ')}`);
  }
  if (ctx.options.open !== false) {
    // The report, rendered; the CSV is for the scripts (and a spreadsheet).
    await showRendered(vscode.Uri.file(reportPath), false);
  }
  // Short, so the notification shows it whole; the files' paths are in the log ("Show details").
  const planned = vscode.l10n.t(
    'Planned {0} of {1} of {2}; {3} of {4} cut.',
    waveCount(plan.waves.length),
    mailboxCount(mailboxes),
    snapshotLabel(snapshot),
    plan.cut.length,
    delegationCount(plan.delegations.length),
  );
  const text =
    spanning.length === 0
      ? planned
      : vscode.l10n.t(
          '{0} {1}',
          planned,
          spanning.length === 1
            ? vscode.l10n.t('The application {0} reaches mailboxes in {1} waves (named in the report).', spanning[0]!.name, spanning[0]!.waves.length)
            : vscode.l10n.t('{0} applications reach mailboxes in more than one wave (named in the report).', spanning.length),
        );
  // Resources whose booking delegates could not be read leave delegations out, like unread mailboxes and groups.
  const unread = snapshot.unreadMailboxes.length + unreadableGroups(snapshot).length + plan.unreadableDelegates.length;
  if (unread > 0) {
    void ctx.ui.warn(
      vscode.l10n.t('{0} {1}', text, unread === 1
          ? vscode.l10n.t('1 mailbox, group or list of booking delegates could not be read, so delegations may be missing from the plan (listed at the end of the report).')
          : vscode.l10n.t('{0} mailboxes, groups or lists of booking delegates could not be read, so delegations may be missing from the plan (listed at the end of the report).', unread)),
    );
  } else {
    ctx.ui.info(text);
  }
  return {
    outcome: unread > 0 ? 'partial' : 'done',
    organizationId: snapshot.organization.id,
    readAt: snapshot.readAt,
    source,
    path: file,
    reportPath,
    waves: plan.waves.length,
    mailboxes,
    delegations: plan.delegations.length,
    bookingDelegations,
    cut: plan.cut.length,
    applications: plan.applications.map((a) => ({ name: a.name, waves: [...a.waves] })),
    ...(maxSize !== undefined ? { maxSize } : {}),
  };
}
