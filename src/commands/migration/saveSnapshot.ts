/**
 * Save Migration Snapshot…: the organization scanned afresh (every grant, every group's members,
 * the booking delegates, applications and access rules, every entity's aliases) under a cancellable progress, written as
 * one versioned JSON file (docs/SNAPSHOT.md) that scripts, waves and verification can use without
 * WorkMail. Mailboxes, groups and routes that could not be read are recorded in the file and named
 * in the message, never silently missing.
 */
import * as vscode from 'vscode';
import { writeSnapshot } from '../../workmail/migration/snapshot';
import type { Organization } from '../../workmail/types';
import { describeUnread, organizationFor, orgSubject, reportWithUnread, runAudit, unreadMailboxes } from '../scanCommand';
import { fileNamePart, targetFile } from '../outputFiles';
import { dateStamp, readAtLabel } from '../ui/labels';
import { entityLabel, groupCount, organizationLabel } from '../ui/labels';
import { snapshotByScanning, type MigrationContext } from './flow';
import type { SnapshotResult } from './types';

export const SAVE_SNAPSHOT_COMMAND = 'workmail.saveMigrationSnapshot';

export async function saveMigrationSnapshot(ctx: MigrationContext, node: unknown): Promise<SnapshotResult> {
  const title = vscode.l10n.t('Save migration snapshot');
  let org: Organization | undefined;
  return runAudit(ctx, 'snapshot', () => orgSubject(org), async (): Promise<SnapshotResult> => {
    org = await organizationFor(ctx, node, title);
    const file = await targetFile(ctx, `workmail-snapshot-${fileNamePart(org)}-${dateStamp()}.json`, { [vscode.l10n.t('Migration snapshot')]: ['json'] }, title);
    if (!file) {
      return { outcome: 'cancelled' };
    }
    const { snapshot, scan, routes, aliases } = await snapshotByScanning(ctx, org, vscode.l10n.t('Saving the migration snapshot of {0}…', organizationLabel(org)), { withRoutes: true });
    const routeFailures = routes?.failures ?? [];
    const aliasFailures = aliases?.failures ?? [];
    await writeSnapshot(file, snapshot);
    const groupFailures = scan.membership?.failures ?? [];
    ctx.services.log.info(
      `snapshot: organization=${org.organizationId} entities=${snapshot.entities.length} grants=${snapshot.grants.length} unread=${snapshot.unreadMailboxes.length} unreadGroups=${groupFailures.length} file=${file}`,
    );
    for (const failure of groupFailures) {
      ctx.services.log.warn(`snapshot: could not read the members of group ${failure.group.id} (${entityLabel(failure.group)}): ${failure.error.code}: ${failure.error.message}`);
    }
    for (const failure of routeFailures) {
      ctx.services.log.warn(`snapshot: could not read ${failure.subject}: ${failure.error.code}: ${failure.error.message}`);
    }
    for (const failure of aliasFailures) {
      ctx.services.log.warn(`snapshot: could not read the aliases of ${failure.entity.id} (${entityLabel(failure.entity)}): ${failure.error.code}: ${failure.error.message}`);
    }
    const written = vscode.l10n.t(
      'Saved the migration snapshot of {0} as of {1}: {2} entities, {3} grants, to {4}.',
      org.alias ?? org.organizationId,
      readAtLabel(scan.snapshot),
      snapshot.entities.length,
      snapshot.grants.length,
      file,
    );
    const unreadText = describeUnread(ctx, scan.snapshot, vscode.l10n.t('the snapshot (it records them as unread)'));
    const groupsText =
      groupFailures.length > 0
        ? vscode.l10n.t(
            'The members of {0} could not be read (recorded as unreadable in the snapshot): {1}.',
            groupCount(groupFailures.length),
            groupFailures.slice(0, 5).map((f) => entityLabel(f.group)).join(', '),
          )
        : undefined;
    const routesText =
      routeFailures.length > 0
        ? vscode.l10n.t(
            'Some booking delegates, applications or access rules could not be read (recorded as unread in the snapshot): {0}{1}.',
            routeFailures.slice(0, 5).map((f) => f.subject).join(', '),
            routeFailures.length > 5 ? vscode.l10n.t(' and {0} more', routeFailures.length - 5) : '',
          )
        : undefined;
    const aliasesText =
      aliasFailures.length > 0
        ? vscode.l10n.t(
            'The aliases of {0} entities could not be read (recorded as unreadable in the snapshot): {1}{2}.',
            aliasFailures.length,
            aliasFailures.slice(0, 5).map((f) => entityLabel(f.entity)).join(', '),
            aliasFailures.length > 5 ? vscode.l10n.t(' and {0} more', aliasFailures.length - 5) : '',
          )
        : undefined;
    reportWithUnread(ctx, written, [unreadText, groupsText, routesText, aliasesText].filter(Boolean).join(' ') || undefined);
    return {
      outcome: unreadText || groupsText || routesText || aliasesText ? 'partial' : 'done',
      organizationId: org.organizationId,
      readAt: snapshot.readAt,
      path: file,
      entities: snapshot.entities.length,
      grants: snapshot.grants.length,
      unreadMailboxes: unreadMailboxes(scan.snapshot),
      unreadGroups: groupFailures.map((f) => f.group.id),
      unreadRoutes: routeFailures.map((f) => f.subject),
      unreadAliases: aliasFailures.map((f) => f.entity.id),
    };
  });
}
