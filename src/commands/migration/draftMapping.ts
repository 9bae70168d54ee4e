/**
 * Draft Address Mapping…: from a snapshot file, the CSV that says which destination address each
 * WorkMail entity becomes (the same local part at a new domain, or the same address), written and
 * opened for the person to edit. Entities without an address get an empty destination and a
 * comment saying why: nothing is guessed.
 */
import * as vscode from 'vscode';
import { domainProblem, draftMapping, draftRows } from '../../workmail/migration/mapping';
import type { Snapshot } from '../../workmail/migration/schema';
import { writeFileWhole } from '../../workmail/files';
import { runAudit } from '../scanCommand';
import { openWrittenFile, targetFile } from '../outputFiles';
import { pickOne, type Choice } from '../ui/quickPick';
import { InvalidChoiceError } from '../ui/pickers';
import { chooseSnapshotFile, loadSnapshotFile, snapshotLabel, type MigrationContext } from './flow';
import type { MappingDraftResult } from './types';

export const DRAFT_MAPPING_COMMAND = 'workmail.draftAddressMapping';

/** The destination domain: the options' answer, or the person's choice ('' keeps the addresses). */
async function chooseDomain(ctx: MigrationContext, snapshot: Snapshot, title: string): Promise<string> {
  const given = ctx.options.domain;
  if (given !== undefined) {
    const domain = (given ?? '').trim();
    const problem = domain ? domainProblem(domain) : undefined;
    if (problem) {
      throw new InvalidChoiceError(problem);
    }
    return domain;
  }
  const keep: Choice<string> = {
    label: vscode.l10n.t('Keep the WorkMail addresses'),
    description: snapshot.organization.defaultMailDomain ?? '',
    detail: vscode.l10n.t('the destination uses the same domains'),
    value: '',
  };
  return pickOne<string>({
    ui: ctx.ui,
    title,
    placeholder: vscode.l10n.t('Type the destination domain (e.g. new.example.com), or keep the addresses'),
    items: [keep],
    typed: (value) => {
      const domain = value.trim().replace(/^@/, '');
      if (!domain) {
        return [];
      }
      const problem = domainProblem(domain);
      return [
        problem
          ? { label: vscode.l10n.t('Not a domain: {0}', domain), description: problem, alwaysShow: true, resolve: async () => ({ rejected: problem }) }
          : { label: vscode.l10n.t('Move to {0}', domain), description: vscode.l10n.t('the same local part at {0}', domain), alwaysShow: true, value: domain },
      ];
    },
  });
}

export async function draftAddressMapping(ctx: MigrationContext): Promise<MappingDraftResult> {
  const title = vscode.l10n.t('Draft address mapping');
  let subject = '';
  return runAudit(ctx, 'address mapping', () => subject, async (): Promise<MappingDraftResult> => {
    const source = await chooseSnapshotFile(ctx, vscode.l10n.t('Choose the migration snapshot to draft the mapping from'));
    subject = source;
    const snapshot = await loadSnapshotFile(source);
    subject = snapshotLabel(snapshot);
    const domain = await chooseDomain(ctx, snapshot, title);
    const file = await targetFile(ctx, `address-mapping-${snapshotLabel(snapshot).replace(/[^A-Za-z0-9._-]+/g, '-')}.csv`, { CSV: ['csv'] }, title);
    if (!file) {
      return { outcome: 'cancelled' };
    }
    const options = { domain: domain || undefined };
    const rows = draftRows(snapshot, options);
    const text = draftMapping(snapshot, options);
    await writeFileWhole(file, async (out) => {
      out.write(text);
    });
    const without = rows.filter((row) => !row.destination).length;
    ctx.services.log.info(`address mapping: organization=${snapshot.organization.id} entities=${rows.length} withoutDestination=${without} domain=${domain || '(unchanged)'} file=${file}`);
    await openWrittenFile(ctx, file);
    ctx.ui.info(
      vscode.l10n.t(
        'Drafted the address mapping of {0}: {1} entities, {2} without a destination (the comment column says why). Check and edit it before using it: {3}',
        snapshotLabel(snapshot),
        rows.length,
        without,
        file,
      ),
    );
    return { outcome: 'done', organizationId: snapshot.organization.id, readAt: snapshot.readAt, path: file, entities: rows.length, withoutDestination: without };
  });
}
