/**
 * Export Migration Script…: a script that recreates an organization's delegation at the destination
 * before (or after) WorkMail's end of support: Exchange Online PowerShell, a Google Workspace GAM
 * batch, a grommunio bash script, or a Zoho Mail checklist (markdown, with its CSV beside it). It is
 * made from a fresh scan of the organization or from a snapshot file, through an address mapping
 * or with the WorkMail addresses kept. The choices that change what the script does are asked with
 * an explanation; everything that cannot be migrated is listed at the end with the reason.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { planDestination, renderDestination, scriptExtension, TARGET_NAMES, type DestinationTarget } from '../../workmail/migration/destinations';
import type { Snapshot } from '../../workmail/migration/schema';
import { buildSnapshot } from '../../workmail/migration/snapshot';
import type { Organization } from '../../workmail/types';
import { itemCount, mailboxCount, organizationLabel, permissionCount } from '../ui/labels';
import { pickOne } from '../ui/quickPick';
import { describeUnread, organizationFor, reportWithUnread, runAudit, scanOrganizationWithProgress, unreadMailboxes, type AuditArgs, type AuditContext } from '../scanCommand';
import { fileNamePart, openWrittenFile, targetFile } from '../outputFiles';
import { dateStamp } from '../ui/labels';
import { writeFileWhole } from '../../workmail/files';
import { FILES, chooseDestination, chooseMapping, chosenWave, destinationChoices, openFiles } from './migrationChoices';
import { organizationOfNode, type MigrationResult, type UnreadMailbox } from '../audit/types';

export const EXPORT_MIGRATION_COMMAND = 'workmail.exportMigrationScript';

const FILTERS: Record<DestinationTarget, Record<string, string[]>> = {
  exchange: { PowerShell: ['ps1'] },
  google: { 'GAM batch file': ['txt', 'gam'] },
  grommunio: { 'bash script': ['sh'] },
  zoho: { Markdown: ['md'] },
};

interface Source {
  readonly snapshot: Snapshot;
  readonly label: string;
  /** The snapshot file's name, or undefined for a fresh scan. */
  readonly file?: string;
  readonly unread?: readonly UnreadMailbox[];
  readonly unreadText?: string;
  readonly organizationId: string;
  readonly readAt: string;
}

/** A scan made now (group members included, as the snapshot file records them), or a snapshot file. */
async function chooseSource(ctx: AuditContext, args: AuditArgs, title: string): Promise<Source> {
  const { options } = ctx;
  let fromFile = options.snapshot !== undefined;
  if (!fromFile && options.organization === undefined && !organizationOfNode(args.node)) {
    fromFile =
      (await pickOne<boolean>({
        ui: ctx.ui,
        title,
        step: 1,
        placeholder: vscode.l10n.t('What is the script made from?'),
        items: [
          { label: vscode.l10n.t('Scan an organization now'), detail: vscode.l10n.t('Reads every permission from WorkMail.'), value: false },
          { label: vscode.l10n.t('A snapshot file…'), detail: vscode.l10n.t('A snapshot saved earlier: no WorkMail needed (the only record left after 2027-03-31).'), value: true },
        ],
      })) === true;
  }
  if (fromFile) {
    const file = (await openFiles(ctx, options.snapshot, { title, label: vscode.l10n.t('Use Snapshot'), filters: { 'Snapshot (JSON)': ['json'] } }))?.[0];
    if (!file) {
      throw new vscode.CancellationError();
    }
    const snapshot = await FILES.readSnapshot(file);
    return { snapshot, label: path.basename(file), file: path.basename(file), organizationId: snapshot.organization.id, readAt: snapshot.readAt };
  }
  const org: Organization = await organizationFor(ctx, args.node, title);
  const data = await scanOrganizationWithProgress(ctx, org, vscode.l10n.t('Reading the permissions of {0} for the migration script…', organizationLabel(org)), { withMembership: true });
  const snapshot = buildSnapshot(data.snapshot, data.membership!, { organization: { alias: org.alias, state: org.state, defaultMailDomain: org.defaultMailDomain } });
  return {
    snapshot,
    label: organizationLabel(org),
    organizationId: org.organizationId,
    readAt: data.snapshot.readAt.toISOString(),
    unread: unreadMailboxes(data.snapshot),
    unreadText: describeUnread(ctx, data.snapshot, vscode.l10n.t('the script')),
  };
}

export async function exportMigrationScript(ctx: AuditContext, args: AuditArgs): Promise<MigrationResult> {
  const title = vscode.l10n.t('Export a permissions migration script');
  let subject = '';
  return runAudit(ctx, 'migration script', () => subject, async (): Promise<MigrationResult> => {
    const source = await chooseSource(ctx, args, title);
    subject = source.label;
    const target = await chooseDestination(ctx, title, 2);
    const { mapping, source: mappingSource } = await chooseMapping(ctx, source.snapshot, title, 3);
    const choices = await destinationChoices(ctx, target, title, 4);
    const wave = await chosenWave(ctx);
    const extension = scriptExtension(target);
    const name = source.file ? source.file.replace(/\.json$/i, '') : `workmail-migration-${fileNamePart({ organizationId: source.organizationId, region: '', alias: source.snapshot.organization.alias })}`;
    const file = await targetFile(ctx, `${name}-${target}${wave.wave !== undefined ? `-wave${wave.wave}` : ''}-${dateStamp()}.${extension}`, FILTERS[target], title);
    if (!file) {
      return { outcome: 'cancelled' };
    }
    const plan = planDestination(target, source.snapshot, mapping, {
      ...choices,
      ...wave,
      generatedAt: new Date(),
      ...(mappingSource ? { mappingSource } : {}),
      ...(source.file ? { snapshotSource: source.file } : {}),
    });
    await writeFileWhole(file, async (out) => {
      out.write(renderDestination(plan));
    });
    // Zoho's checklist also comes as CSV, beside the markdown: the form verify reads back.
    const csvFile = target === 'zoho' ? file.replace(/\.md$/i, '') + '.csv' : undefined;
    if (csvFile) {
      await writeFileWhole(csvFile, async (out) => {
        out.write(renderDestination(plan, 'csv'));
      });
    }
    const notMigrated = plan.notCarried.length;
    ctx.services.log.info(
      `migration script: source=${source.file ?? source.organizationId} target=${target} mapping=${mappingSource ?? 'unchanged'} wave=${wave.wave ?? 'all'} delegations=${plan.delegations.length} notMigrated=${notMigrated} file=${file}`,
    );
    await openWrittenFile(ctx, file);
    const written =
      notMigrated === 0
        ? vscode.l10n.t('Wrote {0} for {1} to {2}; every item is migrated.', permissionCount(plan.delegations.length), TARGET_NAMES[target], file)
        : vscode.l10n.t('Wrote {0} for {1} to {2}. Not migrated, and listed at the end with the reason: {3}.', permissionCount(plan.delegations.length), TARGET_NAMES[target], file, itemCount(notMigrated));
    const unreadInSnapshot = source.file ? plan.notCarried.filter((item) => item.kind === 'unread').length : 0;
    const unreadText = source.unreadText ?? (unreadInSnapshot > 0 ? vscode.l10n.t('Not readable when the snapshot was made: {0}; their permissions are missing from the script.', mailboxCount(unreadInSnapshot)) : undefined);
    reportWithUnread(ctx, written, unreadText);
    return {
      outcome: unreadText ? 'partial' : 'done',
      organizationId: source.organizationId,
      readAt: source.readAt,
      path: file,
      ...(csvFile ? { csvPath: csvFile } : {}),
      target,
      commands: plan.delegations.length,
      notMigrated,
      notMappable: plan.notCarried.filter((item) => item.kind === 'not-mappable').length,
      unreadMailboxes: source.unread ?? [],
    };
  });
}
