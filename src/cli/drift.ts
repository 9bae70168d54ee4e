// `diff A B`: what changed between two snapshots, or between a snapshot and `live` (a fresh scan
// of the same organization): grants, entities, and the other routes (booking delegates and
// options, impersonation roles, access rules). Exit 0 no difference, 4 drift, so a scheduled job
// can alert; 3 when nothing differs among what could be compared but something could not be: a
// mailbox or route unread, or routes a snapshot did not record (version 1).
import { diffSnapshots, driftIncomplete, driftMarkdown, driftText, hasDrift } from '../workmail/drift';
import { WorkMailError } from '../workmail/errors';
import type { Snapshot } from '../workmail/migration/schema';
import { readSnapshot, snapshotFromScan } from '../workmail/migration/snapshot';
import { findOrganization } from '../workmail/organizations';
import { collectScan } from '../workmail/scan';
import { WorkMailSession } from '../workmail/session';
import { WORKMAIL_REGIONS, type Organization } from '../workmail/types';
import { checkEndpoint, checkRegion, EXIT, NAME, readCommandLine, UsageError, usage, type CliIo, CONNECTION_OPTIONS, exitForFailure } from './common';

export const DIFF_HELP = `  diff A B           What changed between two snapshots, or a snapshot and "live" (a fresh
                     scan): grants added, removed and changed, entities that appeared,
                     disappeared or changed, booking delegates and options, applications
                     (impersonation roles) and access rules. Exit 0 no difference, 4 drift,
                     3 when part could not be compared.`;

export const DIFF_OPTIONS_HELP = `diff:              A B (snapshot files, or "live")  --format text|json|markdown (default text)
                   (live: --organization defaults to the snapshot's; --region to its region)`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  format: { type: 'string' },
  concurrency: { type: 'string' },
  quiet: { type: 'boolean' },
} as const;

export const LIVE = 'live';

/** Runs `diff`; never throws. */
export async function runDiffCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const commandLine = readCommandLine(argv, OPTIONS);
  if (commandLine instanceof UsageError) {
    return usage(io, commandLine.message);
  }
  const { values, positionals } = commandLine;
  const [a, b, extra] = positionals;
  if (!a || !b) {
    return usage(io, `diff compares two things: ${NAME} diff before.json after.json, or ${NAME} diff before.json live`);
  }
  if (extra !== undefined) {
    return usage(io, `Unexpected argument "${extra}".`);
  }
  if (a === LIVE && b === LIVE) {
    return usage(io, 'At least one side of diff must be a snapshot file.');
  }
  let session: WorkMailSession | undefined;
  try {
    const format = values.format ?? 'text';
    if (!['text', 'json', 'markdown'].includes(format)) {
      throw new UsageError(`--format must be text, json or markdown for diff, not "${format}".`);
    }
    if (values.region !== undefined) {
      checkRegion(values.region, '--region');
    }
    checkEndpoint(values);
    const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
    if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) {
      throw new UsageError('--concurrency must be a whole number from 1 to 64.');
    }
    const files = new Map<string, Snapshot>();
    for (const side of [a, b]) {
      if (side !== LIVE) {
        files.set(side, await readSnapshot(side));
      }
    }
    const reference = [...files.values()][0] as Snapshot;
    const live = async (): Promise<Snapshot> => {
      session = new WorkMailSession({ profile: values.profile, endpoint: values.endpoint });
      const wanted = values.organization ?? reference.organization.id;
      const regions = values.region ? [values.region] : [reference.organization.region, ...WORKMAIL_REGIONS.filter((r) => r !== reference.organization.region)];
      let org: Organization | undefined;
      for (const region of regions) {
        org = findOrganization(await session.listOrganizations(region, io.signal), wanted);
        if (org) break;
      }
      if (!org) {
        throw new WorkMailError('OrganizationNotFound', `No organization "${wanted}" in ${regions.join(', ')} for these credentials. Check --profile, --region and --organization.`);
      }
      if (!values.quiet) {
        io.stderr.write(`Scanning ${org.alias ?? org.organizationId} for the live side…\n`);
      }
      const scan = await collectScan(session, org, { concurrency, signal: io.signal }, io.now);
      return snapshotFromScan(session, scan, { signal: io.signal, organization: org, withoutAliases: true });
    };
    const from = a === LIVE ? await live() : (files.get(a) as Snapshot);
    const to = b === LIVE ? await live() : (files.get(b) as Snapshot);
    const drift = diffSnapshots(from, to, { from: a, to: b });
    io.stdout.write(format === 'json' ? `${JSON.stringify(drift, null, 2)}\n` : format === 'markdown' ? driftMarkdown(drift) : driftText(drift));
    if (hasDrift(drift)) {
      return EXIT.drift;
    }
    return driftIncomplete(drift) ? EXIT.incomplete : EXIT.ok;
  } catch (err) {
    return exitForFailure(err, io, '');
  } finally {
    (session as WorkMailSession | undefined)?.dispose();
  }
}
