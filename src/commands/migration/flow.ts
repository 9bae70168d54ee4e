// What the migration commands share: their context (the audit commands' one, with the migration
// options), choosing a snapshot file, and a snapshot made from a fresh scan under the audit
// commands' cancellable progress.
import path from 'node:path';
import * as vscode from 'vscode';
import { buildSnapshot, readSnapshot, snapshotEntitiesOf } from '../../workmail/migration/snapshot';
import { loadAliases, type LoadedAliases } from '../../workmail/aliases';
import type { Snapshot } from '../../workmail/migration/schema';
import type { Organization } from '../../workmail/types';
import type { OrganizationRoutes } from '../../workmail/routes/load';
import { routesOfScan, scanOrganizationWithProgress, type AuditContext, type AuditData } from '../scanCommand';
import { DialogDismissedError } from '../ui/commandUi';
import { InvalidChoiceError } from '../ui/pickers';
import type { MigrationCommandOptions } from './types';

export interface MigrationContext extends AuditContext {
  readonly options: MigrationCommandOptions;
}

/** The options' snapshot path, or the person's choice in an open dialog; dismissing it cancels. */
export async function chooseSnapshotFile(ctx: MigrationContext, title: string): Promise<string> {
  if (ctx.options.snapshot !== undefined) {
    if (!path.isAbsolute(ctx.options.snapshot)) {
      throw new InvalidChoiceError(vscode.l10n.t('The snapshot path must be absolute, not "{0}".', ctx.options.snapshot));
    }
    return ctx.options.snapshot;
  }
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri;
  const picked = await vscode.window.showOpenDialog({
    title,
    canSelectMany: false,
    canSelectFolders: false,
    defaultUri: folder,
    filters: { [vscode.l10n.t('Migration snapshot')]: ['json'] },
    openLabel: vscode.l10n.t('Use Snapshot'),
  });
  if (!picked?.[0]) {
    throw new DialogDismissedError();
  }
  return picked[0].fsPath;
}

/** Reads and validates a snapshot file; a bad file fails the command with the field it names. */
export function loadSnapshotFile(file: string): Promise<Snapshot> {
  return readSnapshot(file);
}

/**
 * A fresh scan of the organization and its group members, as a snapshot (nothing written). With
 * `withRoutes` (a snapshot to be saved) also the other routes, read once per scan (routesOfScan):
 * a scan that Show Access of or Who Can Open read a moment ago is not read again; and every
 * entity's aliases, which a saved file carries (one ListAliases walk per entity with an address).
 */
export async function snapshotByScanning(
  ctx: MigrationContext,
  org: Organization,
  title: string,
  options: { readonly withRoutes?: boolean } = {},
): Promise<{ snapshot: Snapshot; scan: AuditData; routes?: OrganizationRoutes; aliases?: LoadedAliases }> {
  const data = await scanOrganizationWithProgress(ctx, org, title, { withMembership: true });
  const routes = options.withRoutes ? await routesOfScan(ctx, org, data.snapshot) : undefined;
  const aliases = options.withRoutes
    ? await ctx.ui.withProgress(vscode.l10n.t('Reading the aliases of {0}…', org.alias ?? org.organizationId), (_progress, signal) =>
        loadAliases(ctx.services.session(), org, snapshotEntitiesOf(data.snapshot), { signal }),
      )
    : undefined;
  const snapshot = buildSnapshot(data.snapshot, data.membership ?? { membership: new Map(), failures: [] }, { organization: org, routes, aliases });
  return { snapshot, scan: data, routes, aliases };
}

/** "acme" from a snapshot, for messages. */
export function snapshotLabel(snapshot: Snapshot): string {
  return snapshot.organization.alias ?? snapshot.organization.id;
}
