// What the audit commands share: their arguments, the organization they work on, a scan under a
// cancellable progress notification (kept in a ScanCache, stamped with when it was read), files
// written whole or not at all, and one way of ending: cancelled quietly, or failed with a message.
import path from 'node:path';
import * as vscode from 'vscode';
import type { WorkMailServices } from '../services';
import { readScanResumeMaxAgeHours } from '../settings';
import { checkpointFileName, type ResumeState } from '../workmail/checkpoint';
import { DEFAULT_RESUME_MAX_AGE_HOURS, checkpointAgeMs, isCheckpointTooOld } from '../workmail/checkpointAge';
import { CancelledError } from '../workmail/errors';
import { loadMembership, type LoadedMembership } from '../workmail/groups';
import { organizationUnusableReason } from '../workmail/organizations';
import type { ScanCache, OrganizationScan } from '../workmail/scan';
import { loadRoutes, type OrganizationRoutes } from '../workmail/routes/load';
import { prepareCheckpoint as prepareScanCheckpoint, runScan, type PreparedCheckpoint, type ResumeDecision } from '../workmail/scanRunner';
import type { WorkMailSession } from '../workmail/session';
import type { DirectoryEntity, Organization } from '../workmail/types';
import type { ChangeHistory } from './permissions';
import { DialogDismissedError, type CommandUi } from './ui/commandUi';
import type { SaveLocation } from './ui/saveDialog';
import { agoLabel, dateTimeLabel, entityLabel, mailboxCount, organizationLabel } from './ui/labels';
import { chooseOrganization, InvalidChoiceError } from './ui/pickers';
import { parseCommandArgs } from './ui/args';
import { failurePrefix, runReported } from './ui/reported';
import { organizationOfNode, type AuditCommandOptions, type AuditOutcome, type UnreadMailbox } from './audit/types';

export interface AuditContext {
  readonly services: WorkMailServices;
  readonly ui: CommandUi;
  readonly options: AuditCommandOptions;
  readonly scans: ScanCache;
  readonly history: ChangeHistory;
  /** Where this command's files are offered to be saved. */
  readonly saveLocation: SaveLocation;
  /** Folder of scan checkpoints (in the extension's global storage); none: scans are not resumable. */
  readonly checkpoints?: string;
}

export interface AuditArgs {
  readonly node: unknown;
  readonly options: AuditCommandOptions;
}

/** (node, selection?, options?) from the tree, or just (options?) from scripts and the palette. */
export function parseAuditArgs(raw: readonly unknown[]): AuditArgs {
  const { node, options } = parseCommandArgs<AuditCommandOptions>(raw);
  return { node, options };
}

/** The node's organization, or the one named in the options, or the person's choice. */
export async function organizationFor(ctx: AuditContext, node: unknown, title: string): Promise<Organization> {
  const fromNode = organizationOfNode(node);
  if (fromNode && ctx.options.organization === undefined) {
    const unusable = organizationUnusableReason(fromNode);
    if (unusable) {
      throw new InvalidChoiceError(unusable);
    }
    return fromNode;
  }
  return chooseOrganization(ctx.services, ctx.ui, { title }, ctx.options.organization);
}

/** Scans are reused for this long by Show Access of; the result always says when it was read. */
export const REUSE_SCAN_MS = 15 * 60 * 1000;

/** A scan and the group membership read with it, for reverse look-ups. */
export interface AuditData {
  readonly snapshot: OrganizationScan;
  readonly fromCache: boolean;
  readonly membership?: LoadedMembership;
}

// Membership is read right after its scan and belongs to it: a rescan reads it again.
const memberships = new WeakMap<OrganizationScan, LoadedMembership>();

/**
 * Reads every grant of the organization (and, with `withMembership`, every group's members) under
 * a cancellable progress notification. `reuse` takes a recent enough scan from the cache instead.
 */
export async function scanOrganizationWithProgress(
  ctx: AuditContext,
  org: Organization,
  title: string,
  { reuse = false, withMembership = false }: { reuse?: boolean; withMembership?: boolean } = {},
): Promise<AuditData> {
  const session = ctx.services.session();
  const cached = reuse ? ctx.scans.get(session, org, REUSE_SCAN_MS) : undefined;
  if (cached && (!withMembership || memberships.has(cached))) {
    return { snapshot: cached, fromCache: true, membership: memberships.get(cached) };
  }
  const checkpoint = await prepareCheckpoint(ctx, session, org);
  return ctx.ui.withProgress(title, async (progress, signal) => {
    const abort = { signal };
    let reported = 0;
    try {
      const snapshot = await runScan(session, org, checkpoint, {
        signal: abort.signal,
        pageSize: 100,
        onProgress: (p) => {
          const share = p.mailboxesTotal ? (p.mailboxesDone / p.mailboxesTotal) * 100 : 0;
          progress.report({
            message: vscode.l10n.t('{0} of {1} mailboxes, {2} grants', p.mailboxesDone, p.mailboxesTotal ?? '?', p.grants),
            increment: Math.max(0, share - reported),
          });
          reported = Math.max(reported, share);
        },
      }, {
        scan: (s, o, options) => ctx.scans.scan(s, o, options),
        onCheckpointProblem: (problem) => ctx.services.log.warn(`scan: ${problem}`),
      });
      ctx.services.log.info(
        `scan: organization=${org.organizationId}${checkpoint?.resume ? ` resumed=${checkpoint.resume.done.size} startedAt=${checkpoint.resume.startedAt.toISOString()}` : ''} mailboxes=${snapshot.directory.users.length + snapshot.directory.groups.length + snapshot.directory.resources.length} grants=${snapshot.grants.length} unread=${snapshot.failures.length}`,
      );
      if (!withMembership) {
        return { snapshot, fromCache: false };
      }
      progress.report({ message: vscode.l10n.t('reading the members of {0} groups', snapshot.directory.groups.length) });
      const membership = await loadMembership(session, org, snapshot.directory.groups, { signal: abort.signal, pageSize: 100 });
      if (abort.signal.aborted) {
        throw new CancelledError();
      }
      memberships.set(snapshot, membership);
      return { snapshot, fromCache: false, membership };
    } catch (err) {
      throw abort.signal.aborted ? new CancelledError() : err;
    }
  });
}

/** The folder of scan checkpoints inside the extension's global storage. */
export const SCAN_CHECKPOINTS = 'scan-checkpoints';

/** Where scans of every organization keep their checkpoints: the extension's global storage. */
export function scanCheckpointFolder(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, SCAN_CHECKPOINTS);
}

/**
 * The checkpoint a scan of `org` writes, and what an interrupted scan of it left to resume. When
 * one is there, asks Resume / Start Over, saying how long ago its scan started (a dismissed
 * question cancels the command and keeps it; a question the host could not show reads everything
 * without a checkpoint and keeps it). Resume is the first, suggested answer unless the scan started
 * longer ago than `workmail.scanResumeMaxAgeHours`: then the question says why and Start Over comes
 * first, since what Resume keeps "as it was then" holds that long of changes nobody read.
 * A checkpoint that cannot be used (damaged, another organization) is named in a warning and left
 * alone; that scan then runs without one. Checkpoints are a help, never a reason to fail: any
 * other problem (the account cannot be read, the folder cannot be written) means no checkpoint.
 */
async function prepareCheckpoint(ctx: AuditContext, session: WorkMailSession, org: Organization): Promise<PreparedCheckpoint | undefined> {
  const folder = ctx.checkpoints;
  if (!folder) {
    return undefined;
  }
  return prepareScanCheckpoint(
    session,
    org,
    {
      file: (key) => path.join(folder, checkpointFileName(key)),
      createFolder: true,
      onUnusable: (reason, why) => {
        ctx.services.log.warn(`scan: ${reason}`);
        if (why === 'refused') {
          ctx.ui.warn(vscode.l10n.t('{0} This scan is not checkpointed; delete that file to checkpoint scans of this organization again.', reason));
        }
      },
      decide: (resume) => askToResume(ctx, org, resume),
    },
  );
}

async function askToResume(ctx: AuditContext, org: Organization, resume: ResumeState): Promise<ResumeDecision> {
  const remaining = resume.mailboxesTotal - resume.done.size;
  const resumeLabel = vscode.l10n.t('Resume');
  const startOverLabel = vscode.l10n.t('Start Over');
  const now = new Date();
  const maxAgeHours = readScanResumeMaxAgeHours() ?? DEFAULT_RESUME_MAX_AGE_HOURS;
  const tooOld = isCheckpointTooOld(resume, now, maxAgeHours);
  const { choice, refused } = await ctx.ui.ask({
    kind: 'resumeScan',
    text: vscode.l10n.t(
      'A scan of {0} stopped after {1} of {2} mailboxes (started {3}, {4}).',
      organizationLabel(org),
      resume.done.size,
      resume.mailboxesTotal,
      dateTimeLabel(resume.startedAt),
      agoLabel(checkpointAgeMs(resume, now)),
    ),
    detail: tooOld
      ? vscode.l10n.t(
          'That is longer ago than the {0} hours of the setting workmail.scanResumeMaxAgeHours, and what it read may have changed since, so Start Over (read every mailbox again) is suggested. Resume reads only the {1} mailboxes it had not read and keeps what it read before as it was then, dated when it was read.',
          maxAgeHours,
          remaining,
        )
      : vscode.l10n.t('Resume reads only the {0} mailboxes it had not read; what it read before is used as it was then, dated when it was read. Start Over reads every mailbox again.', remaining),
    choices: tooOld ? [startOverLabel, resumeLabel] : [resumeLabel, startOverLabel],
  });
  if (choice === resumeLabel) {
    return 'resume';
  }
  if (choice === startOverLabel) {
    return 'startOver';
  }
  if (refused) {
    // Nobody could see the question (a host that refuses modal dialogs): read everything, as
    // before checkpoints existed, and leave the checkpoint for someone who can answer.
    ctx.services.log.info(`scan: a checkpoint of ${org.organizationId} was not offered (the question could not be shown); reading everything`);
    return 'none';
  }
  throw new DialogDismissedError();
}

export function unreadMailboxes(snapshot: OrganizationScan): UnreadMailbox[] {
  return snapshot.failures.map((failure) => ({
    mailboxId: failure.mailbox.id,
    mailbox: entityLabel(failure.mailbox),
    code: failure.error.code,
    message: failure.error.message,
  }));
}

/** Logs every unread mailbox and returns one sentence naming them for the message, or undefined. */
export function describeUnread(ctx: AuditContext, snapshot: OrganizationScan, missingFrom: string): string | undefined {
  if (snapshot.failures.length === 0) {
    return undefined;
  }
  for (const failure of snapshot.failures) {
    ctx.services.log.warn(`scan: could not read mailbox ${failure.mailbox.id} (${entityLabel(failure.mailbox)}): ${failure.error.code}: ${failure.error.message}`);
  }
  const names = snapshot.failures.slice(0, 5).map((f) => entityLabel(f.mailbox));
  const more = snapshot.failures.length > names.length ? vscode.l10n.t(' and {0} more', snapshot.failures.length - names.length) : '';
  return vscode.l10n.t(
    'The permissions of {0} could not be read and are missing from {1}: {2}{3}. See the log for the reasons.',
    mailboxCount(snapshot.failures.length),
    missingFrom,
    names.join(', '),
    more,
  );
}

/** Tells the person `text`, as a warning naming the unread mailboxes when there are any. */
export function reportWithUnread(ctx: AuditContext, text: string, unread: string | undefined): void {
  if (unread) {
    void ctx.ui.warn(vscode.l10n.t('{0} {1}', text, unread));
  } else {
    ctx.ui.info(text);
  }
}

export type AuditVerb = 'show access' | 'export' | 'migration script' | 'verify' | 'stale review' | 'snapshot' | 'address mapping' | 'waves';


/** Runs a command body: cancellation ends quietly, anything else becomes one message and a log line. */
export async function runAudit<R extends { outcome: AuditOutcome }>(
  ctx: AuditContext,
  verb: AuditVerb,
  subject: () => string,
  body: () => Promise<R>,
): Promise<R | { outcome: AuditOutcome; reason?: string }> {
  return runReported(
    { log: ctx.services.log, ui: ctx.ui, profile: ctx.services.session().profile, verb, failureText: (reason) => failurePrefix(verb, subject() || vscode.l10n.t('the organization'), reason) },
    body,
  );
}

export function orgSubject(org: Organization | undefined): string {
  return org ? organizationLabel(org) : '';
}

export function entitySubject(entity: DirectoryEntity | undefined): string {
  return entity ? entityLabel(entity) : '';
}

/**
 * The other routes of the organization (booking delegates, roles, access rules), read once per scan:
 * a report answered from a recent scan uses the routes read with it, so "as of" means both.
 */
const routesByScan = new WeakMap<OrganizationScan, Promise<OrganizationRoutes>>();

export function routesOfScan(ctx: AuditContext, org: Organization, snapshot: OrganizationScan): Promise<OrganizationRoutes> {
  let routes = routesByScan.get(snapshot);
  if (!routes) {
    const reads = ctx.services.session().routes;
    routes = Promise.resolve(
      ctx.ui.withProgress(vscode.l10n.t('Reading the booking delegates, applications and access rules of {0}…', organizationLabel(org)), (_progress, signal) =>
        loadRoutes(reads, org, snapshot.directory.resources, { signal }),
      ),
    );
    // A failed or cancelled read is not kept: the next report reads again.
    routesByScan.set(snapshot, routes);
    routes.then(
      (read) => read.failures.length > 0 && routesByScan.delete(snapshot),
      () => routesByScan.delete(snapshot),
    );
  }
  return routes;
}
