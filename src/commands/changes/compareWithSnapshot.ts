// "Compare with Snapshot…": what changed in an organization since a snapshot was saved, from a
// fresh scan (and a fresh read of its booking delegates, applications and access rules), as a
// report. On an organization node it asks for the snapshot file; on a snapshot
// file (its "Compare with Live" lens) the organization is the snapshot's own.
import * as vscode from 'vscode';
import { diffSnapshots, driftMarkdown, hasDrift, type Drift } from '../../workmail/drift';
import type { Snapshot } from '../../workmail/migration/schema';
import { readSnapshot, snapshotFromScan } from '../../workmail/migration/snapshot';
import { findOrganization, organizationUnusableReason } from '../../workmail/organizations';
import { collectScan } from '../../workmail/scan';
import { escapeMarkdown } from '../audit/accessDocument';
import { organizationOfNode } from '../nodes';
import { organizationLabel } from '../ui/labels';
import { InvalidChoiceError, listAllOrganizations } from '../ui/pickers';
import { runReported } from '../ui/reported';
import type { ChangeFileContext } from './changeFileRun';

export const COMPARE_WITH_SNAPSHOT_COMMAND = 'workmail.compareWithSnapshot';

export interface CompareOptions {
  /** The snapshot file (no open dialog). */
  readonly path?: string;
  /** Open the report (default true). */
  readonly open?: boolean;
}

export interface CompareResult {
  readonly outcome: 'done' | 'cancelled' | 'failed';
  readonly reason?: string;
  readonly drift?: Drift;
}

async function snapshotFile(target: unknown, options: CompareOptions): Promise<string | undefined> {
  if (target instanceof vscode.Uri) {
    return target.fsPath;
  }
  if (options.path) {
    return options.path;
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { [vscode.l10n.t('Snapshot')]: ['json'] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: vscode.l10n.t('Compare'),
    title: vscode.l10n.t('Compare with which snapshot?'),
  });
  return picked?.[0]?.fsPath;
}

export async function compareWithSnapshot(ctx: ChangeFileContext, target: unknown, options: CompareOptions): Promise<CompareResult> {
  let subject = '';
  return runReported(
    { log: ctx.services.log, ui: ctx.ui, profile: ctx.services.session().profile, verb: 'compare', failureText: (reason) => vscode.l10n.t('Could not compare {0} with WorkMail: {1}', subject || vscode.l10n.t('the snapshot'), reason) },
    async (): Promise<CompareResult> => {
      const file = await snapshotFile(target, options);
      if (!file) {
        return { outcome: 'cancelled' };
      }
      subject = file;
      const before: Snapshot = await readSnapshot(file);
      const nodeOrg = organizationOfNode(target);
      if (nodeOrg && nodeOrg.organizationId !== before.organization.id) {
        throw new InvalidChoiceError(
          vscode.l10n.t('{0} is a snapshot of {1}, not of {2}; choose a snapshot of this organization.', file, before.organization.alias ?? before.organization.id, organizationLabel(nodeOrg)),
        );
      }
      const org = nodeOrg ?? findOrganization(await listAllOrganizations(ctx.services), before.organization.id);
      if (!org) {
        throw new InvalidChoiceError(
          vscode.l10n.t('This profile sees no organization {0} in {1}; choose the profile and regions the snapshot was made with.', before.organization.alias ?? before.organization.id, ctx.services.regions().join(', ')),
        );
      }
      const unusable = organizationUnusableReason(org);
      if (unusable) {
        throw new InvalidChoiceError(unusable);
      }
      const session = ctx.services.session();
      const now = await ctx.ui.withProgress(vscode.l10n.t('Reading {0} to compare with the snapshot…', organizationLabel(org)), async (progress, signal) => {
        const scan = await collectScan(session, org, {
          signal,
          onProgress: (p) => progress.report({ message: vscode.l10n.t('{0} of {1} mailboxes', p.mailboxesDone, p.mailboxesTotal ?? '?') }),
        });
        return snapshotFromScan(session, scan, { signal, organization: org, withoutAliases: true });
      });
      const drift = diffSnapshots(before, now, { from: vscode.l10n.t('the snapshot'), to: vscode.l10n.t('WorkMail now') });
      ctx.services.log.info(`compare: ${organizationLabel(org)} with ${file}: ${hasDrift(drift) ? 'drift' : 'no difference'}`);
      if (!hasDrift(drift)) {
        ctx.ui.info(
          drift.routes.notRecorded
            ? vscode.l10n.t(
                '{0} is as the snapshot says: no grant or entity changed. The snapshot (version {1}) did not record booking delegates, applications or access rules, so they were not compared; save a new snapshot to compare them next time.',
                organizationLabel(org),
                before.version,
              )
            : vscode.l10n.t('{0} is as the snapshot says: no grant, entity, booking delegate, application or access rule changed.', organizationLabel(org)),
        );
      }
      if (options.open !== false) {
        // Titled by organization and the day of the snapshot (not its ID); beside the snapshot file
        // when run from its lens.
        await ctx.reports.show(
          vscode.l10n.t('Changes in {0} since {1}', org.alias || org.organizationId, before.readAt.slice(0, 10)),
          driftMarkdown(drift, (value) => escapeMarkdown(value, 300)),
          { beside: target instanceof vscode.Uri, folder: org.organizationId },
        );
      }
      return { outcome: 'done', drift };
    },
  );
}
