// The migration subcommands of `workmail-permissions`: `snapshot` (connected, like export), and
// `mapping draft|check` and `waves`, which read a snapshot file and never call WorkMail.
//
// cli.ts and this file import each other; everything either takes from the other is used inside
// functions only, never while the modules load, so either may be loaded first.
import path from 'node:path';
import { loadMembership } from '../workmail/groups';
import { loadRoutes, type OrganizationRoutes } from '../workmail/routes/load';
import { checkMapping, domainProblem, draftRows, draftMapping, loadMapping } from '../workmail/migration/mapping';
import type { Snapshot, SnapshotEntity } from '../workmail/migration/schema';
import { buildSnapshot, readSnapshot, snapshotEntitiesOf, unreadableGroups, writeSnapshotTo } from '../workmail/migration/snapshot';
import { entitiesWithAddress, loadAliases } from '../workmail/aliases';
import { planWaves, wavesCsv, wavesInWords, wavesReport } from '../workmail/migration/waves';
import { EXIT, NAME, UsageError, type CliIo } from './common';
import type { Values } from './options';
import { entityLabel, orgLabel, reportIncomplete, scan, type Context } from './scanRun';
import { exitForFailure, STDOUT, toOutput } from './common';
import { counted } from '../workmail/plural';
import { asOfText, readTimeText } from '../workmail/readTimes';

/** Exit code of `mapping check` when the mapping leaves something out. */
export const EXIT_CHECK_FOUND = 4;

const FILE_COMMANDS = ['mapping', 'waves'] as const;
type FileCommand = (typeof FILE_COMMANDS)[number];

export function isFileCommand(command: string): command is FileCommand {
  return (FILE_COMMANDS as readonly string[]).includes(command);
}

/** The options of the file commands, and who takes them, for refusing them elsewhere. */
const FILE_OPTIONS: ReadonlyArray<[keyof Values, string]> = [
  ['snapshot', 'mapping or waves'],
  ['mapping', 'mapping check'],
  ['domain', 'mapping draft'],
  ['max-size', 'waves'],
  ['report', 'waves'],
];

/** Which file commands take `option` (for cli.ts's messages), or undefined. */
export function fileCommandsTaking(option: string): string | undefined {
  return FILE_OPTIONS.find(([name]) => name === option)?.[1];
}

/** Called by cli.ts for its own commands: the file commands' options do not apply there. */
export function refuseFileOptions(command: string, values: Values, ownOptions: readonly string[] = []): void {
  for (const [option, owner] of FILE_OPTIONS) {
    if (values[option] !== undefined && !ownOptions.includes(option)) {
      throw new UsageError(`--${option} goes with ${owner}, not ${command}.`);
    }
  }
}

// ------------------------------------------------------------------------------------- snapshot

/**
 * `snapshot`: scan, read every group's members, the other routes (booking delegates and options,
 * impersonation roles, access rules) and every entity's aliases, write the file; exit 3 when
 * something could not be read.
 */
export async function snapshotCommand(values: Values, context: Context): Promise<number> {
  const { session, org, io } = context;
  const out = values.out!;
  const scanned = await scan(context, values);
  if (!values.quiet) {
    io.stderr.write(`Reading the members of ${counted(scanned.directory.groups.length, 'group')}\n`);
  }
  const concurrency = Math.min(4, context.concurrency ?? 4);
  const membership = await loadMembership(session, org, scanned.directory.groups, { signal: io.signal, pageSize: 100, concurrency });
  if (!values.quiet) {
    io.stderr.write(`Reading the booking delegates of ${counted(scanned.directory.resources.length, 'resource')}, the applications and the access rules\n`);
  }
  const routes = await loadRoutes(session.routes, org, scanned.directory.resources, { signal: io.signal, concurrency });
  const entities = snapshotEntitiesOf(scanned);
  if (!values.quiet) {
    io.stderr.write(`Reading the aliases of ${counted(entitiesWithAddress(entities).length, 'entity with an address', 'entities with an address')}\n`);
  }
  const aliases = await loadAliases(session, org, entities, { signal: io.signal, concurrency });
  const snapshot = buildSnapshot(scanned, membership, { organization: org, routes, aliases });
  await toOutput(out, io, (stream) => writeSnapshotTo(stream, snapshot));
  if (!values.quiet) {
    io.stderr.write(
      `Snapshot of ${orgLabel(org)} ${asOfText(snapshot)}: ${snapshot.entities.length} entities, ${snapshot.grants.length} grants, ${counted(snapshot.unreadMailboxes.length, 'unread mailbox', 'unread mailboxes')}; ${routesSummary(routes)}; written to ${out === STDOUT ? 'standard output' : path.resolve(out)}
`,
    );
  }
  return reportIncomplete(io, scanned, [
    ...membership.failures.map((failure) => ({ label: `members of group ${entityLabel(failure.group)}`, message: failure.error.message })),
    ...routes.failures.map((failure) => ({ label: failure.subject, message: failure.error.message })),
    ...aliases.failures.map((failure) => ({ label: `aliases of ${entityLabel(failure.entity)}`, message: failure.error.message })),
  ]);
}

/** "4 booking delegates of 3 resources, 3 impersonation roles, 3 access rules". */
function routesSummary(routes: OrganizationRoutes): string {
  const delegates = [...routes.delegates.values()].reduce((total, list) => total + list.length, 0);
  return `${counted(delegates, 'booking delegate')} of ${counted(routes.delegates.size, 'resource')}, ${counted(routes.roles.length, 'impersonation role')}, ${counted(routes.accessRules.length, 'access rule')}`;
}

// ------------------------------------------------------------------------------------- file commands

/** `mapping draft|check` and `waves`. Handles its own failures like runCli; never throws. */
export async function runFileCommand(command: FileCommand, args: readonly string[], values: Values, io: CliIo): Promise<number> {
  try {
    for (const option of ['organization', 'region', 'profile', 'endpoint', 'concurrency', 'format', 'entity', 'target', 'auto-mapping', 'include-disabled', 'groups-are-security-groups', 'gam-csv'] as const) {
      if (values[option] !== undefined) {
        throw new UsageError(`--${option} does not apply to ${command}: it reads the snapshot file, not WorkMail.`);
      }
    }
    if (command === 'mapping') {
      const sub = args[0];
      if (sub !== 'draft' && sub !== 'check') {
        throw new UsageError(sub === undefined ? 'mapping needs draft or check.' : `mapping takes draft or check, not "${sub}".`);
      }
      if (args.length > 1) {
        throw new UsageError(`Unexpected argument "${args[1]}".`);
      }
      return sub === 'draft' ? await mappingDraft(values, io) : await mappingCheck(values, io);
    }
    if (args.length > 0) {
      throw new UsageError(`Unexpected argument "${args[0]}".`);
    }
    return await waves(values, io);
  } catch (err) {
    return exitForFailure(err, io, 'nothing was written');
  }
}

function only(values: Values, allowed: ReadonlyArray<keyof Values>, command: string): void {
  for (const [option] of FILE_OPTIONS) {
    if (values[option] !== undefined && !allowed.includes(option)) {
      throw new UsageError(`--${option} does not apply to ${command}.`);
    }
  }
}

async function loadSnapshotOption(values: Values): Promise<Snapshot> {
  if (!values.snapshot) {
    throw new UsageError('--snapshot is required (a file written by "workmail-permissions snapshot").');
  }
  return readSnapshot(path.resolve(values.snapshot));
}

async function mappingDraft(values: Values, io: CliIo): Promise<number> {
  only(values, ['snapshot', 'domain'], 'mapping draft');
  if (values.domain !== undefined && domainProblem(values.domain)) {
    throw new UsageError(`--domain: ${domainProblem(values.domain)}.`);
  }
  const snapshot = await loadSnapshotOption(values);
  const options = { domain: values.domain };
  const text = draftMapping(snapshot, options);
  await toOutput(values.out, io, async (out) => {
    out.write(text);
  });
  if (!values.quiet) {
    const rows = draftRows(snapshot, options);
    const empty = rows.filter((row) => !row.destination).length;
    io.stderr.write(
      `${rows.length} entities of ${orgLabel({ organizationId: snapshot.organization.id, alias: snapshot.organization.alias, region: snapshot.organization.region })}: ${rows.length - empty} with a destination, ${empty} without (the comment column says why). Check and edit it before using it.\n`,
    );
  }
  return EXIT.ok;
}

async function mappingCheck(values: Values, io: CliIo): Promise<number> {
  only(values, ['snapshot', 'mapping'], 'mapping check');
  if (values.out !== undefined) {
    throw new UsageError('--out does not apply to mapping check (the result goes to stdout).');
  }
  const snapshot = await loadSnapshotOption(values);
  if (!values.mapping) {
    throw new UsageError('--mapping is required (the address mapping CSV).');
  }
  const file = path.resolve(values.mapping);
  const mapping = await loadMapping(file, snapshot);
  const check = checkMapping(snapshot, mapping);
  const out = io.stdout;
  out.write(`Address mapping ${values.mapping} against the snapshot of ${snapshot.organization.alias ?? snapshot.organization.id} (read ${readTimeText(snapshot)}):\n`);
  out.write(`  ${check.mapped} of ${check.involved} entities named by grants have a destination.\n`);
  if (check.unmapped.length > 0) {
    out.write(`  Without a destination (${check.unmapped.length}): their grants cannot be carried over until they have one.\n`);
    for (const { entity, grants } of check.unmapped) {
      out.write(`    ${label(entity)}: ${counted(grants, 'grant')}\n`);
    }
  }
  if (check.unmatchedRows.length > 0) {
    out.write(`  Rows naming nobody in the snapshot (${check.unmatchedRows.length}):\n`);
    for (const row of check.unmatchedRows) {
      out.write(`    line ${row.line}: ${oneLine(row.source)}${row.destination ? ` -> ${oneLine(row.destination)}` : ''}\n`);
    }
  }
  const problems = check.unmapped.length + check.unmatchedRows.length;
  if (problems === 0) {
    out.write('  Nothing to fix.\n');
  }
  return problems === 0 ? EXIT.ok : EXIT_CHECK_FOUND;
}

async function waves(values: Values, io: CliIo): Promise<number> {
  only(values, ['snapshot', 'max-size', 'report'], 'waves');
  let maxSize: number | undefined;
  if (values['max-size'] !== undefined) {
    maxSize = Number(values['max-size']);
    if (!/^\d+$/.test(values['max-size']) || maxSize < 1) {
      throw new UsageError(`--max-size must be a whole number of at least 1, not "${values['max-size']}".`);
    }
  }
  const snapshot = await loadSnapshotOption(values);
  const plan = planWaves(snapshot, { maxSize });
  if (values.report) {
    const report = wavesReport(plan, snapshot);
    await toOutput(values.report, io, async (out) => {
      out.write(report);
    });
  }
  await toOutput(values.out, io, async (out) => {
    out.write(wavesCsv(plan));
  });
  if (!values.quiet) {
    const mailboxes = plan.waves.reduce((sum, wave) => sum + wave.mailboxes.length, 0);
    const booking = plan.delegations.filter((d) => d.route === 'bookingDelegate').length;
    io.stderr.write(
      `${counted(plan.waves.length, 'wave')} of ${counted(mailboxes, 'mailbox', 'mailboxes')}; ${counted(plan.delegations.length, 'delegation')} between them` +
        `${booking > 0 ? ` (${counted(booking, 'booking delegation')} among them)` : ''}, ${plan.cut.length} cut${plan.cut.length > 0 ? ' (listed in the report)' : ''}.\n`,
    );
    // The applications are a note, not a delegation: only the ones spanning waves ask something of the person.
    for (const application of plan.applications.filter((a) => a.waves.length > 1)) {
      io.stderr.write(`The application ${oneLine(application.name)} reaches mailboxes in ${wavesInWords(application.waves)}: keep it working on both systems from the first to the last.\n`);
    }
    if (plan.bookingDelegatesNotRecorded !== undefined) {
      io.stderr.write(`Booking delegates ${plan.bookingDelegatesNotRecorded}: rooms and equipment are planned without them.\n`);
    }
  }
  // The plan is only as complete as the snapshot: unread mailboxes, groups and booking delegates may link more mailboxes.
  const incomplete = [
    ...snapshot.unreadMailboxes.map((u) => `mailbox ${u.mailboxId}: ${u.code}`),
    ...unreadableGroups(snapshot).map((g) => `members of group ${label(g)}: ${g.membersUnreadable}`),
    ...plan.unreadableDelegates.map((u) => `booking delegates of ${label(u.resource)}: ${u.reason}`),
  ];
  if (incomplete.length > 0) {
    io.stderr.write(`${NAME}: incomplete: the snapshot could not read ${counted(incomplete.length, 'item')}, so delegations may be missing from the plan:\n`);
    for (const item of incomplete) {
      io.stderr.write(`  ${oneLine(item)}\n`);
    }
    return EXIT.incomplete;
  }
  return EXIT.ok;
}

function label(entity: SnapshotEntity): string {
  return entityLabel({ ...entity });
}

function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}
