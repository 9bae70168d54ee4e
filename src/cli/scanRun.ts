// The command line's scan runner and what every subcommand that scans shares: the connection
// context, option choices, the one-line labels of the terminal, the checkpoint beside --out (and
// the resume decision), progress on stderr, and the exit code of an incomplete scan.
import fs from 'node:fs';
import path from 'node:path';
import { checkpointBeside } from '../workmail/checkpoint';
import { DEFAULT_RESUME_MAX_AGE_HOURS, ageText, checkpointAgeMs, isCheckpointTooOld } from '../workmail/checkpointAge';
import { outputTarget } from '../workmail/files';
import { entityName } from '../workmail/names';
import { counted } from '../workmail/plural';
import type { Directory, ScanProgress, OrganizationScan } from '../workmail/scan';
import { prepareCheckpoint, runScan, type PreparedCheckpoint } from '../workmail/scanRunner';
import type { WorkMailSession } from '../workmail/session';
import type { DirectoryEntity, OrgRef, Organization } from '../workmail/types';
import { EXIT, NAME, STDOUT, UsageError, type CliIo } from './common';
import type { Values } from './options';

export interface Context {
  readonly session: WorkMailSession;
  readonly org: Organization;
  /** Fixed mailboxes in flight (--concurrency); undefined: the scan adapts to throttling. */
  readonly concurrency: number | undefined;
  readonly io: CliIo;
}

export function choice<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T | undefined, option: string): T {
  if (value === undefined) {
    if (fallback === undefined) {
      throw new UsageError(`--${option} is required (${allowed.join(' or ')}).`);
    }
    return fallback;
  }
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${option} must be ${allowed.join(' or ')}, not "${value}".`);
  }
  return value as T;
}

export function entityLabel(entity: DirectoryEntity): string {
  const name = entityName(entity);
  const base = entity.email && name !== entity.email ? `${name} <${entity.email}>` : name;
  const notes = [entity.kind, entity.state && entity.state !== 'ENABLED' ? entity.state.toLowerCase() : ''].filter(Boolean).join(', ');
  // Names come from the directory: keep them on one line of the terminal.
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  return `${base} (${notes})`.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

export function orgLabel(org: OrgRef & { alias?: string }): string {
  return org.alias ? `${org.alias} (${org.organizationId})` : org.organizationId;
}

export async function scan(context: Context, values: Values, directory?: Directory): Promise<OrganizationScan> {
  const checkpoint = values.out ? await checkpointBesideOutput(context, values, values.out) : undefined;
  const progress = progressReporter(context.io, values.quiet ?? false);
  try {
    return await runScan(
      context.session,
      context.org,
      checkpoint,
      { concurrency: context.concurrency, signal: context.io.signal, onProgress: progress.update, directory },
      {
        now: context.io.now,
        onKept: (file) => context.io.stderr.write(`${NAME}: the scan's progress is kept in ${file}; run the same command with --resume to read only what is left.\n`),
        onCheckpointProblem: (problem) => context.io.stderr.write(`${NAME}: ${problem}; this scan could not be resumed.\n`),
      },
    );
  } finally {
    progress.done();
  }
}

/** --resume-max-age: hours, more than 0 (fractions allowed); 24 without it. */
export function resumeMaxAgeHours(values: Values): number {
  const raw = values['resume-max-age'];
  if (raw === undefined) {
    return DEFAULT_RESUME_MAX_AGE_HOURS;
  }
  const hours = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(hours) || hours <= 0) {
    throw new UsageError(`--resume-max-age must be a number of hours greater than 0 (e.g. 72), not "${raw}".`);
  }
  return hours;
}

/**
 * The checkpoint beside the output file. With --resume, what an interrupted scan left is used,
 * if its scan started no more than --resume-max-age hours ago (24 by default): what it read is
 * kept as it was then, and an older checkpoint holds a day's changes nobody read. An older one is
 * named with its age and the option that would resume it, and the scan starts over. Without
 * --resume, a checkpoint found is named with the hint and the scan starts over. A checkpoint that
 * cannot be used (damaged, another organization) is named with the reason and left alone, and this
 * scan runs without one.
 */
async function checkpointBesideOutput(context: Context, values: Values, out: string): Promise<PreparedCheckpoint | undefined> {
  if (!(await keepsCheckpoint(out, values))) {
    return undefined;
  }
  const file = checkpointBeside(path.resolve(out));
  if (!fs.existsSync(path.dirname(file))) {
    // Writing the output will fail and say so; the checkpoint creates no folder of its own.
    return undefined;
  }
  const err = context.io.stderr;
  const maxAgeHours = resumeMaxAgeHours(values);
  return prepareCheckpoint(
    context.session,
    context.org,
    {
      file: () => file,
      now: context.io.now,
      onUnusable: (reason, why) => err.write(why === 'refused' ? `${NAME}: ${reason} Delete it to checkpoint this output again.\n` : `${NAME}: ${reason}; this scan is not checkpointed.\n`),
      onNone: () => {
        if (values.resume) err.write(`${NAME}: no interrupted scan to resume (${file} does not exist); reading everything.\n`);
      },
      decide: async (resume) => {
        const left = resume.mailboxesTotal - resume.done.size;
        const now = (context.io.now ?? (() => new Date()))();
        const ageMs = checkpointAgeMs(resume, now);
        const age = `started ${resume.startedAt.toISOString()}, ${ageText(ageMs)} ago; its last mailbox was read ${resume.lastReadAt.toISOString()}`;
        const tooOld = isCheckpointTooOld(resume, now, maxAgeHours);
        // The smallest whole number of hours that would resume it, for the hint.
        const enoughHours = Math.floor(ageMs / 3_600_000) + 1;
        if (values.resume && !tooOld) {
          err.write(
            `${NAME}: resuming the scan ${age}: ${resume.done.size} of ${resume.mailboxesTotal} mailboxes already read, reading the other ${left}. The mailboxes read before keep the time they were read.\n`,
          );
          return 'resume';
        }
        if (values.resume) {
          err.write(
            `${NAME}: not resuming the interrupted scan in ${file} (${age}): it is older than ${counted(maxAgeHours, 'hour')}, and what it read may have changed since. Starting over; to resume it anyway, run with --resume --resume-max-age ${enoughHours}.\n`,
          );
          return 'startOver';
        }
        err.write(
          `${NAME}: an interrupted scan of this organization had read ${resume.done.size} of ${resume.mailboxesTotal} mailboxes (${file}, ${age}); starting over. Run with --resume${tooOld ? ` --resume-max-age ${enoughHours}` : ''} to read only the ${left} left.\n`,
        );
        return 'startOver';
      },
    },
    context.io.signal,
  );
}

/**
 * A checkpoint is kept beside an output file, never beside standard output, a FIFO or a device
 * (no /dev/null.scan-checkpoint.jsonl): such an output cannot be resumed, and --resume says why.
 */
async function keepsCheckpoint(out: string, values: Values): Promise<boolean> {
  let kind: Awaited<ReturnType<typeof outputTarget>>['kind'];
  try {
    kind = out === STDOUT ? 'special' : (await outputTarget(out)).kind;
  } catch {
    // Writing the output will fail and say why.
    return false;
  }
  if (kind !== 'special') {
    return true;
  }
  if (values.resume) {
    const what = out === STDOUT ? 'standard output' : `${out}, which is not a regular file (a FIFO or a device)`;
    throw new UsageError(`--resume needs --out naming a regular file: the checkpoint of an interrupted scan is kept beside it, and --out is ${what}. Nothing was read.`);
  }
  return false;
}

function progressReporter(io: CliIo, quiet: boolean): { update: (p: ScanProgress) => void; done: () => void } {
  if (quiet) {
    return { update: () => undefined, done: () => undefined };
  }
  const tty = io.stderr.isTTY === true;
  let last = 0;
  let latest: ScanProgress | undefined;
  const line = (p: ScanProgress) => `Reading permissions: ${p.mailboxesDone}/${p.mailboxesTotal ?? '?'} mailboxes, ${p.grants} grants${p.failures ? `, ${p.failures} failed` : ''}`;
  return {
    update: (p) => {
      latest = p;
      const now = Date.now();
      if (now - last >= (tty ? 200 : 2000)) {
        last = now;
        io.stderr.write(tty ? `\r${line(p)}` : `${line(p)}\n`);
      }
    },
    done: () => {
      if (latest) {
        io.stderr.write(tty ? `\r${line(latest)}\n` : `${line(latest)}\n`);
      }
    },
  };
}

export function reportIncomplete(io: CliIo, snapshot: OrganizationScan, others: ReadonlyArray<{ label: string; message: string }>): number {
  const problems = [
    ...snapshot.failures.map((f) => ({ label: `mailbox ${entityLabel(f.mailbox)}`, message: f.error.message })),
    ...others,
  ];
  if (problems.length === 0) {
    return EXIT.ok;
  }
  io.stderr.write(`${NAME}: incomplete: ${counted(problems.length, 'item')} could not be read and are missing from the output:\n`);
  for (const problem of problems) {
    io.stderr.write(`  ${problem.label}: ${problem.message}\n`);
  }
  return EXIT.incomplete;
}

/** A report about one organization as JSON: which organization, when it was read, then `body`. */
export function writeJsonReport(io: CliIo, org: OrgRef, snapshot: { readonly readAt: Date }, body: Record<string, unknown>): void {
  io.stdout.write(`${JSON.stringify({ organization: org.organizationId, readAt: snapshot.readAt.toISOString(), ...body }, null, 2)}\n`);
}
