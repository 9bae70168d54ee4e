// The migration subcommands that work from files: `migration-script --snapshot FILE` (a script or
// checklist for one destination, for the whole snapshot or one wave, through an address mapping)
// and `verify` (the destination's exports compared with the snapshot through the same mapping).
// Neither talks to WorkMail: after 2027-03-31 the snapshot is all there is. The live form of
// `migration-script` (--organization, a fresh scan) lands here too once the scan is read, with the
// addresses unchanged unless a mapping is given.
//
// The snapshot, mapping and wave files are read by the functions of src/workmail/migration
// (`readSnapshot`, `loadMapping`, `readWaves`), passed in as `MigrationFiles` so this module can be
// tested with its own.
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { WorkMailError } from '../workmail/errors';
import { UsageError, toOutput } from './common';
import {
  DESTINATION_TARGETS,
  TARGET_NAMES,
  planDestination,
  renderDestination,
  unchangedAddresses,
  type ChecklistFormat,
  type DestinationOptions,
  type DestinationPlan,
  type DestinationTarget,
} from '../workmail/migration/destinations';
import { googleDelegatesCsv } from '../workmail/migration/destinations/google';
import type { MigrationFiles } from '../workmail/migration/inputs';
import type { AddressMapping, Snapshot } from '../workmail/migration/schema';
import { VerifyInputError, decodeText, readExports, compare, renderVerificationCsv, renderVerificationMarkdown } from '../workmail/migration/verify';
import { counted } from '../workmail/plural';

export type { MigrationFiles };

/** The options of both subcommands, as parseArgs gives them. */
export interface MigrationValues {
  readonly snapshot?: string;
  readonly mapping?: string;
  readonly target?: string;
  readonly waves?: string;
  readonly wave?: string;
  readonly out?: string;
  readonly format?: string;
  readonly export?: readonly string[];
  readonly report?: string;
  readonly csv?: string;
  readonly 'auto-mapping'?: boolean;
  readonly 'include-disabled'?: boolean;
  readonly 'groups-are-security-groups'?: boolean;
  readonly 'what-if'?: boolean;
  readonly 'send-on-behalf'?: string;
  readonly 'google-domains'?: string;
  readonly 'gam-csv'?: boolean;
  readonly quiet?: boolean;
}

export interface MigrationIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly now?: () => Date;
}

/** Wrong usage, said before anything is read (exit 2, like every other usage error). */
export class MigrationUsageError extends UsageError {}

export const MIGRATION_EXIT = { ok: 0, failed: 1, incomplete: 3, missing: 4 } as const;

/** The options only these subcommands take, for cli.ts's parser. */
export const MIGRATION_OPTIONS = {
  snapshot: { type: 'string' },
  mapping: { type: 'string' },
  waves: { type: 'string' },
  wave: { type: 'string' },
  export: { type: 'string', multiple: true },
  report: { type: 'string' },
  csv: { type: 'string' },
  'what-if': { type: 'boolean' },
  'send-on-behalf': { type: 'string' },
  'google-domains': { type: 'string' },
} as const;

export const MIGRATION_HELP = `migration-script:  --target exchange|google|grommunio|zoho (required; gam = google)
                   --snapshot FILE (a snapshot file; without it, --organization is scanned now)
                   --mapping FILE (address mapping; without it the WorkMail addresses are kept)
                   --waves FILE --wave N (only that wave's mailboxes)   --out FILE
                   --include-disabled
                   exchange: --auto-mapping --groups-are-security-groups --what-if (dry run by default)
                   google: --send-on-behalf delegate|skip --google-domains a.com,b.com --gam-csv
                   zoho: --format markdown|csv
verify:            --snapshot FILE --target … --export FILE [--export FILE …] [--mapping FILE]
                   [--waves FILE --wave N] [--report out.md] [--csv out.csv] and the same
                   destination options the script was written with. Exit 0 everything arrived,
                   4 something missing, 3 partial input (an export or mailbox not covered).
`;

function target(values: MigrationValues): DestinationTarget {
  const given = values.target === 'gam' ? 'google' : values.target;
  if (given === undefined) {
    throw new MigrationUsageError(`--target is required (${DESTINATION_TARGETS.join(', ')}).`);
  }
  if (!(DESTINATION_TARGETS as readonly string[]).includes(given)) {
    throw new MigrationUsageError(`--target must be ${DESTINATION_TARGETS.join(', ')} (or gam), not "${given}".`);
  }
  return given as DestinationTarget;
}

/** Everything about the options that can be refused before a file is read. */
export function checkMigrationOptions(command: 'migration-script' | 'verify', values: MigrationValues): void {
  const t = target(values);
  const only = (option: keyof MigrationValues, targets: readonly DestinationTarget[]): void => {
    if (values[option] !== undefined && !targets.includes(t)) {
      throw new MigrationUsageError(`--${option} goes with --target ${targets.join(' or ')}.`);
    }
  };
  only('auto-mapping', ['exchange']);
  only('groups-are-security-groups', ['exchange']);
  only('what-if', ['exchange']);
  only('send-on-behalf', ['google']);
  only('google-domains', ['google']);
  only('gam-csv', ['google']);
  if (values['send-on-behalf'] !== undefined && !['delegate', 'skip'].includes(values['send-on-behalf'])) {
    throw new MigrationUsageError(`--send-on-behalf must be delegate or skip, not "${values['send-on-behalf']}".`);
  }
  if (values.format !== undefined && (command !== 'migration-script' || t !== 'zoho' || !['markdown', 'csv'].includes(values.format))) {
    throw new MigrationUsageError('--format goes with migration-script --target zoho, as markdown or csv.');
  }
  if ((values.wave === undefined) !== (values.waves === undefined)) {
    throw new MigrationUsageError('--waves FILE and --wave N go together.');
  }
  if (values.wave !== undefined && !/^\d+$/.test(values.wave)) {
    throw new MigrationUsageError(`--wave must be a wave number, not "${values.wave}".`);
  }
  if (command === 'verify') {
    if (!values.snapshot) {
      throw new MigrationUsageError('--snapshot is required: verify compares the exports with the snapshot the scripts were made from.');
    }
    if (!values.export || values.export.length === 0) {
      throw new MigrationUsageError(`--export is required: the files the script's read-back wrote (${TARGET_NAMES[t]}).`);
    }
    for (const option of ['out', 'gam-csv'] as const) {
      if (values[option] !== undefined) {
        throw new MigrationUsageError(`--${option} goes with migration-script, not verify (use --report and --csv).`);
      }
    }
  } else {
    for (const option of ['export', 'report', 'csv'] as const) {
      if (values[option] !== undefined) {
        throw new MigrationUsageError(`--${option} goes with verify, not migration-script.`);
      }
    }
  }
}

async function inputs(values: MigrationValues, files: MigrationFiles, snapshot: Snapshot): Promise<{ mapping: AddressMapping; options: Omit<DestinationOptions, 'generatedAt'> }> {
  const mapping = values.mapping ? await files.loadMapping(path.resolve(values.mapping), snapshot) : unchangedAddresses();
  let mailboxIds: ReadonlySet<string> | undefined;
  let wave: number | undefined;
  if (values.waves !== undefined && values.wave !== undefined) {
    wave = Number(values.wave);
    const waves = await files.readWaves(path.resolve(values.waves));
    mailboxIds = waves.get(wave);
    if (!mailboxIds) {
      throw new WorkMailError('InvalidInput', `Wave ${wave} is not in ${values.waves} (its waves: ${[...waves.keys()].sort((a, b) => a - b).join(', ') || 'none'}). Pass one of them with --wave.`);
    }
  }
  const domains = values['google-domains']
    ?.split(',')
    .map((domain) => domain.trim())
    .filter(Boolean);
  return {
    mapping,
    options: {
      ...(mailboxIds ? { mailboxIds, wave } : {}),
      includeDisabled: values['include-disabled'] ?? false,
      ...(values.mapping ? { mappingSource: path.basename(values.mapping) } : {}),
      ...(values.snapshot ? { snapshotSource: path.basename(values.snapshot) } : {}),
      autoMapping: values['auto-mapping'] ?? false,
      groupGrantees: values['groups-are-security-groups'] ? 'security-group' : 'skip',
      whatIf: values['what-if'] ?? false,
      sendOnBehalf: values['send-on-behalf'] === 'delegate' ? 'delegate' : 'skip',
      ...(domains && domains.length > 0 ? { googleDomains: domains } : {}),
    },
  };
}

async function writeText(file: string | undefined, io: MigrationIo, text: string): Promise<void> {
  await toOutput(file, io, (out) => {
    out.write(text);
  });
}

/** Writes the script (or checklist) of a snapshot. Returns the exit code. */
export async function writeScriptFromSnapshot(values: MigrationValues, io: MigrationIo, files: MigrationFiles, snapshot: Snapshot, generatedAt: Date): Promise<number> {
  const t = target(values);
  const { mapping, options } = await inputs(values, files, snapshot);
  const plan = planDestination(t, snapshot, mapping, { ...options, generatedAt });
  const text = values['gam-csv'] ? googleDelegatesCsv(plan) : renderDestination(plan, (values.format as ChecklistFormat | undefined) ?? 'markdown');
  await writeText(values.out, io, text);
  return finish(plan, mapping, io, values.quiet ?? false);
}

function finish(plan: DestinationPlan, mapping: AddressMapping, io: MigrationIo, quiet: boolean): number {
  const unread = plan.notCarried.filter((item) => item.kind === 'unread');
  const unmapped = plan.notCarried.filter((item) => item.kind === 'not-mappable').length;
  if (!quiet) {
    io.stderr.write(
      `${counted(plan.delegations.length, 'delegation')} written for ${TARGET_NAMES[plan.target]}; ${counted(plan.notCarried.length, 'item')} not migrated (listed at the end)${unmapped > 0 ? `, ${unmapped} of them without a destination address` : ''}.\n`,
    );
  }
  for (const row of mapping.unmatchedRows) {
    io.stderr.write(`workmail-permissions: mapping line ${row.line} (${row.source} → ${row.destination}) names nobody in the snapshot.\n`);
  }
  if (unread.length > 0) {
    io.stderr.write(`workmail-permissions: incomplete: ${counted(unread.length, 'mailbox', 'mailboxes')} could not be read when the snapshot was made; their permissions are missing from the output.\n`);
    return MIGRATION_EXIT.incomplete;
  }
  return MIGRATION_EXIT.ok;
}

/** `migration-script --snapshot FILE …` */
export async function migrationScriptCommand(values: MigrationValues, io: MigrationIo, files: MigrationFiles): Promise<number> {
  checkMigrationOptions('migration-script', values);
  const snapshot = await files.readSnapshot(path.resolve(values.snapshot!));
  return writeScriptFromSnapshot(values, io, files, snapshot, (io.now ?? (() => new Date()))());
}

/** `verify …`: reads everything first, writes the reports whole, returns 0, 3 or 4. */
export async function verifyCommand(values: MigrationValues, io: MigrationIo, files: MigrationFiles): Promise<number> {
  checkMigrationOptions('verify', values);
  const t = target(values);
  const snapshot = await files.readSnapshot(path.resolve(values.snapshot!));
  const { mapping, options } = await inputs(values, files, snapshot);
  const exports = await Promise.all(
    values.export!.map(async (file) => {
      try {
        return { file, text: decodeText(await fs.promises.readFile(path.resolve(file))) };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new WorkMailError('InvalidInput', `Cannot read ${file}${code ? ` (${code})` : ''}. Check the --export path.`, { cause: err });
      }
    }),
  );
  let observation;
  try {
    observation = readExports(t, exports);
  } catch (err) {
    if (err instanceof VerifyInputError) {
      throw new WorkMailError('InvalidInput', `${err.message} Nothing was written.`, { cause: err });
    }
    throw err;
  }
  const result = compare(planDestination(t, snapshot, mapping, { ...options, generatedAt: (io.now ?? (() => new Date()))() }), observation, mapping);
  const markdown = renderVerificationMarkdown(result);
  if (values.report) {
    await writeText(values.report, io, markdown);
  }
  if (values.csv) {
    await writeText(values.csv, io, renderVerificationCsv(result));
  }
  if (!values.report) {
    io.stdout.write(markdown);
  }
  const { counts } = result;
  if (!values.quiet) {
    io.stderr.write(
      `${counts.arrived} arrived, ${counts.missing} missing, ${counts.notChecked} not checked, ${counts.extra} extra, ${counts.notMappable} not mappable, ${counts.notCarried} not carried, ${counts.unresolved} unresolved.\n`,
    );
  }
  return result.exitCode;
}
