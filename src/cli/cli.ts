// The `workmail-permissions` command line: the audit engine for scripts, cron jobs and people who
// live in a terminal. Data goes to stdout (or --out), progress and errors to stderr.
//
// Exit codes: 0 done; 1 failed (nothing useful written); 2 wrong usage; 3 done, but some mailboxes
// or groups could not be read (the output says which and is incomplete); 4 drift, mapping check found
// something to fix, or verify found a delegation missing; 130 interrupted. The migration
// subcommands live in ./migration.ts and ./migrationScripts.ts, the audit reports (export,
// access-of, stale) in ./audit.ts, the scan runner they share in ./scanRun.ts, every option in
// ./options.ts. This file is the help text and the dispatch: which command runs, with which
// options checked, over which connection.
import { defaultRegionFor } from '../workmail/credentials';
import { WorkMailError } from '../workmail/errors';
import { formatDoctorReport, runDoctor } from '../workmail/doctor';
import { findOrganization as matchOrganization } from '../workmail/organizations';
import { migrationFiles } from '../workmail/migration/inputs';
import { snapshotFromScan } from '../workmail/migration/snapshot';
import { WorkMailSession } from '../workmail/session';
import { type Organization } from '../workmail/types';
import { validateIdentifier } from '../workmail/validation';
import { accessOfCommand, exportCommand, staleCommand } from './audit';
import { whoCanOpenCommand } from './whoCanOpen';
import { CHANGE_HELP, CHANGE_OPTIONS_HELP, isChangeCommand, runChangeCommand } from './changes';
import { checkEndpoint, checkRegion, EXIT, NAME, readCommandLine, UsageError, usage, type CliIo, exitForFailure, STDOUT } from './common';
import { OPTIONS, type Values } from './options';
import { choice, resumeMaxAgeHours, scan, type Context } from './scanRun';
import { DIFF_HELP, DIFF_OPTIONS_HELP, runDiffCommand } from './drift';
import {
  MIGRATION_HELP,
  MIGRATION_OPTIONS,
  checkMigrationOptions,
  migrationScriptCommand,
  verifyCommand,
  writeScriptFromSnapshot,
} from './migrationScripts';

export { EXIT, NAME, UsageError, usage, type CliIo } from './common';
import { fileCommandsTaking, isFileCommand, refuseFileOptions, runFileCommand, snapshotCommand } from './migration';

const HELP = `Usage: ${NAME} <command> [options]

Commands:
  export             Every mailbox permission of an organization, its booking delegates and
                     applications (impersonation roles), as CSV or JSON (a route column says
                     which); the access rules in the JSON, or beside a CSV --out FILE.csv in
                     FILE-access-rules.csv.
  access-of          Every mailbox a user or group can use, directly or through groups.
  who-can-open       Everyone and every application that can use one mailbox, on every route:
                     mailbox permissions (through nested groups), booking delegates, and
                     impersonation roles (as the owner or as someone who can open it), each
                     with its path and what an access rule denies them (read only).
  migration-script   A script that recreates the permissions at the destination: Exchange
                     Online (PowerShell), Google Workspace (GAM), grommunio (grommunio-admin),
                     or a Zoho Mail checklist; what cannot be migrated is listed in it. From a
                     fresh scan (--organization) or a snapshot file (--snapshot, no WorkMail).
  verify             After cutover: the destination's exports compared with the snapshot.
  stale              Grants held by disabled, deleted or unknown grantees, or on disabled or
                     deleted mailboxes; booking delegates and application rule targets that are
                     disabled, deleted or unknown, and applications whose rules name nobody
                     (read only).
  snapshot           The migration snapshot: every entity, grant and group membership of the
                     organization in one versioned JSON file (docs/SNAPSHOT.md).
  mapping draft      An address mapping CSV drafted from a snapshot, for you to edit.
  mapping check      What a mapping leaves out: unmapped entities with grants, rows naming nobody.
  waves              Migration waves from a snapshot: mailboxes that must move together.
                     (mapping and waves read the snapshot file only: no connection options.)
  doctor             A read-only check of the connection: credentials and account, the regions
                     that answer, organization states, directory quirks, booking delegates,
                     impersonation roles and access rules (and whether they may be read), and
                     which emulator variant the service matches where its documentation is silent.
                     (--organization and --region optional: every region by default.)
${CHANGE_HELP}
${DIFF_HELP}

Connection options (every command that reads WorkMail):
  --organization ID|ALIAS   The organization (m-... ID, or its alias).             (required)
  --region REGION           us-east-1, us-west-2 or eu-west-1 (default: the profile's region).
  --profile NAME            AWS profile (default: the SDK's default credential chain).
  --endpoint URL            Another WorkMail endpoint, e.g. a local emulator.
  --concurrency N           Mailboxes read at once, fixed (default: adapts to WorkMail's throttling).
  --quiet                   No progress on stderr.

Resuming: export, migration-script and snapshot with --out FILE keep the scan's progress in
FILE.scan-checkpoint.jsonl while they read (deleted when the scan completes). Interrupted (Ctrl+C,
network lost, process killed), the same command with --resume reads only the mailboxes it had not
read; without --resume it starts over and says so. Mailboxes read before the interruption keep the
time they were read (the CSV's read_at; the JSON and snapshot say the scan was resumed). A
checkpoint whose scan started more than 24 hours ago is not resumed (the scan starts over and says
how old it was) unless --resume-max-age HOURS allows that age.

Output files (--out, --report, --csv): "-" is standard output. A file is written whole or not at
all and keeps its mode; a symbolic link is written through to its target; a FIFO or a device
(/dev/null) is written as it is. A scan checkpoint is kept only beside a file.

export:            --format csv|json (default csv)   --out FILE
access-of:         --entity NAME|EMAIL|ID (required)  --format text|json (default text)
who-can-open:      --entity MAILBOX (required: a name, email address or ID)  --format text|json
${MIGRATION_HELP.trimEnd()}
stale:             --format text|json (default text)
doctor:            --format text|json (default text)
${CHANGE_OPTIONS_HELP}
${DIFF_OPTIONS_HELP}
snapshot:          --out FILE (required)
mapping draft:     --snapshot FILE (required)  --domain NEW.DOMAIN  --out FILE
mapping check:     --snapshot FILE --mapping FILE (both required)
waves:             --snapshot FILE (required)  --max-size N  --out FILE (CSV)  --report FILE (markdown)

Exit codes: 0 done, 1 failed, 2 wrong usage, 3 done but incomplete (some mailboxes or groups
could not be read, or some lines of a change file were refused; listed on stderr), 4 drift (diff
found a difference), mapping check found something to fix or a delegation is missing (verify),
130 interrupted.
`;

const COMMANDS = ['export', 'access-of', 'who-can-open', 'migration-script', 'verify', 'stale', 'doctor', 'snapshot'] as const;

/** How the migration subcommands read the snapshot, mapping and wave files. */
const MIGRATION_FILES = migrationFiles;
type Command = (typeof COMMANDS)[number];

/** Runs one command line; never throws, never exits the process. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // Subcommands with their own options and a file argument.
  if (isChangeCommand(argv[0])) {
    return runChangeCommand(argv[0], argv.slice(1), io);
  }
  if (argv[0] === 'diff') {
    return runDiffCommand(argv.slice(1), io);
  }
  const commandLine = readCommandLine(argv, OPTIONS);
  if (commandLine instanceof UsageError) {
    return usage(io, commandLine.message);
  }
  const { values, positionals } = commandLine;
  if (values.help || positionals[0] === 'help') {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const command = positionals[0];
  if (!command) {
    return usage(io, 'Name a command.');
  }
  if (isFileCommand(command)) {
    // mapping and waves work from a snapshot file: no connection (src/cli/migration.ts).
    return runFileCommand(command, positionals.slice(1), values, io);
  }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    return usage(io, `Unknown command "${command}".`);
  }
  if (positionals.length > 1) {
    return usage(io, `Unexpected argument "${positionals[1]}".`);
  }
  let session: WorkMailSession | undefined;
  try {
    checkCommandOptions(command as Command, values);
    if (command === 'doctor') {
      return await doctor(values, io);
    }
    // From files only: no WorkMail connection (after 2027-03-31 there is none to make).
    if (command === 'verify') {
      return await verifyCommand(values, io, MIGRATION_FILES);
    }
    if (command === 'migration-script' && values.snapshot !== undefined) {
      if (values.organization !== undefined) {
        throw new UsageError('--snapshot and --organization exclude each other: the script is made from the snapshot file, or from a scan of the organization.');
      }
      return await migrationScriptCommand(values, io, MIGRATION_FILES);
    }
    const connection = await connectionOptions(values);
    session = new WorkMailSession({ profile: connection.profile, endpoint: connection.endpoint });
    const org = await findOrganization(session, connection.region, connection.organization, io.signal);
    return await runCommand(command as Command, values, { session, org, concurrency: connection.concurrency, io });
  } catch (err) {
    return exitForFailure(err, io, 'nothing more was read');
  } finally {
    session?.dispose();
  }
}


/** Everything about the command's own options that can be refused before any call. */
function checkCommandOptions(command: Command, values: Values): void {
  const formats = { export: ['csv', 'json'], 'access-of': ['text', 'json'], 'who-can-open': ['text', 'json'], stale: ['text', 'json'], doctor: ['text', 'json'], snapshot: [] } as const;
  if (command === 'migration-script' || command === 'verify') {
    // Their own options, --format (Zoho's checklist) included.
    checkMigrationOptions(command, values);
  } else if (values.format !== undefined) {
    if (formats[command].length === 0) {
      throw new UsageError(`--format does not apply to ${command}.`);
    }
    choice(values.format, formats[command], undefined, 'format');
  }
  if ((command === 'access-of' || command === 'who-can-open') && !values.entity) {
    throw new UsageError('--entity is required (a name, email address or ID).');
  }
  const onlyFor: Array<[keyof Values, readonly Command[]]> = [
    ['entity', ['access-of', 'who-can-open']],
    ['gam-csv', ['migration-script']],
    ['waves', ['migration-script', 'verify']],
    ['wave', ['migration-script', 'verify']],
    ['export', ['verify']],
    ['report', ['verify']],
    ['csv', ['verify']],
    ...(['target', 'snapshot', 'mapping', 'auto-mapping', 'include-disabled', 'groups-are-security-groups', 'what-if', 'send-on-behalf', 'google-domains'] as const).map(
      (option) => [option, ['migration-script', 'verify']] as [keyof Values, readonly Command[]],
    ),
  ];
  for (const [option, owners] of onlyFor) {
    if (values[option] !== undefined && !owners.includes(command)) {
      const takers = [...owners, ...(fileCommandsTaking(option) ?? '').split(' or ').filter(Boolean)];
      throw new UsageError(`--${option} goes with ${takers.slice(0, -1).join(', ')}${takers.length > 1 ? ' or ' : ''}${takers.at(-1)}, not ${command}.`);
    }
  }
  if (values.out !== undefined && command !== 'export' && command !== 'migration-script' && command !== 'snapshot') {
    throw new UsageError(`--out goes with export, migration-script or snapshot, not ${command}.`);
  }
  if (values.resume && values.out === STDOUT) {
    throw new UsageError('--resume needs --out naming a file: the checkpoint of an interrupted scan is kept beside it, and "-" is standard output.');
  }
  if (values.resume && !values.out) {
    throw new UsageError('--resume needs --out: the checkpoint of an interrupted scan is kept beside the output file.');
  }
  if (values['resume-max-age'] !== undefined) {
    if (!values.resume) {
      throw new UsageError('--resume-max-age goes with --resume: it is how old a checkpoint --resume may resume.');
    }
    resumeMaxAgeHours(values);
  }
  if (command === 'snapshot' && !values.out) {
    throw new UsageError('--out is required (the snapshot file to write).');
  }
  // migration-script and verify read a snapshot, a mapping and write a report of their own.
  refuseFileOptions(command, values, command === 'migration-script' || command === 'verify' ? Object.keys(MIGRATION_OPTIONS) : []);
}

async function connectionOptions(values: Values): Promise<{ profile?: string; region: string; organization: string; endpoint?: string; concurrency: number | undefined }> {
  if (!values.organization) {
    throw new UsageError('--organization is required (an m-... ID or the alias).');
  }
  const region = values.region ?? (await defaultRegionFor(values.profile));
  if (!region) {
    throw new UsageError('--region is required (the profile names no region).');
  }
  checkRegion(region, values.region !== undefined ? '--region' : `the profile's region`);
  checkEndpoint(values);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) {
    throw new UsageError('--concurrency must be a whole number from 1 to 64.');
  }
  return { profile: values.profile, region, organization: values.organization, endpoint: values.endpoint, concurrency };
}


/** `doctor`: every region unless --region names one; exit 1 when a check failed. */
async function doctor(values: Values, io: CliIo): Promise<number> {
  if (values.region !== undefined) {
    checkRegion(values.region, '--region');
  }
  checkEndpoint(values);
  const session = new WorkMailSession({ profile: values.profile, endpoint: values.endpoint });
  try {
    const report = await runDoctor(session, { organization: values.organization, regions: values.region ? [values.region] : undefined, signal: io.signal });
    io.stdout.write(values.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report));
    return report.checks.some((check) => check.outcome === 'failed') ? EXIT.failed : EXIT.ok;
  } finally {
    session.dispose();
  }
}


async function findOrganization(session: WorkMailSession, region: string, wanted: string, signal: AbortSignal | undefined): Promise<Organization> {
  const organizations: Organization[] = await session.listOrganizations(region, signal);
  const match = matchOrganization(organizations, wanted);
  const isId = validateIdentifier('OrganizationId', wanted) === undefined;
  if (!match) {
    throw new WorkMailError(
      'OrganizationNotFound',
      `No organization ${isId ? 'with ID' : 'with alias'} "${wanted}" in ${region} for these credentials. Check --region and --profile.`,
    );
  }
  return { region, organizationId: match.organizationId, alias: match.alias, state: match.state, defaultMailDomain: match.defaultMailDomain };
}

async function runCommand(command: Command, values: Values, context: Context): Promise<number> {
  switch (command) {
    case 'export':
      return exportCommand(values, context);
    case 'access-of':
      return accessOfCommand(values, context);
    case 'who-can-open':
      return whoCanOpenCommand(values, context);
    case 'migration-script': {
      // A fresh scan, as the snapshot file would have recorded it (group members included), then
      // the same planning as from a file: addresses unchanged unless --mapping names a mapping.
      const scanned = await scan(context, values);
      const snapshot = await snapshotFromScan(context.session, scanned, { organization: { alias: context.org.alias }, signal: context.io.signal });
      return await writeScriptFromSnapshot({ ...values, quiet: values.quiet }, context.io, MIGRATION_FILES, snapshot, scanned.readAt);
    }
    case 'stale':
      return staleCommand(values, context);
    case 'snapshot':
      return snapshotCommand(values, context);
    case 'doctor':
    case 'verify':
      // Handled before an organization is looked up (see runCli).
      throw new UsageError(`${command} takes no organization lookup.`);
  }
}
