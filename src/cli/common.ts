// What every subcommand of the command line shares: exit codes, the streams it writes to, usage
// errors, and the checks on connection options made before any call.
import path from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { WorkMailError, isCancellation, sanitize } from '../workmail/errors';
import { writeFileWhole } from '../workmail/files';
import { WORKMAIL_REGIONS } from '../workmail/types';

export const EXIT = { ok: 0, failed: 1, usage: 2, incomplete: 3, drift: 4, interrupted: 130 } as const;

export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable & { isTTY?: boolean };
  /** Aborted on Ctrl+C. */
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
  /** Reads one answer from the person (a TTY); absent when nobody can answer. */
  readonly ask?: (question: string) => Promise<string>;
}

export class UsageError extends Error {}

export const NAME = 'workmail-permissions';

type OptionTable = NonNullable<ParseArgsConfig['options']>;

/** What a command line says, read against one table of options. */
export type CommandLine<O extends OptionTable> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;

/**
 * `argv` read against `options`, strictly (an option not in the table, or one without its value,
 * is a mistake to tell the person about), or the UsageError that says what is wrong.
 */
export function readCommandLine<O extends OptionTable>(argv: readonly string[], options: O): CommandLine<O> | UsageError {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    return new UsageError((err as Error).message);
  }
}

export function usage(io: CliIo, problem: string): number {
  io.stderr.write(`${NAME}: ${problem}\nRun "${NAME} --help" for usage.\n`);
  return EXIT.usage;
}

/** The options every subcommand that reaches WorkMail takes. */
export const CONNECTION_OPTIONS = {
  profile: { type: 'string' },
  region: { type: 'string' },
  organization: { type: 'string' },
  endpoint: { type: 'string' },
} as const;

/**
 * The one ending of a subcommand that failed: wrong usage (2), interrupted (130, saying what
 * `afterInterrupt` tells of what was done), or failed (1) with WorkMail's message or a sanitized
 * unexpected one, so no subcommand can print a credential or a stack.
 */
export function exitForFailure(err: unknown, io: CliIo, afterInterrupt: string): number {
  if (err instanceof UsageError) {
    return usage(io, err.message);
  }
  if (io.signal?.aborted || isCancellation(err)) {
    io.stderr.write(`${NAME}: interrupted${afterInterrupt ? `; ${afterInterrupt}` : ''}.\n`);
    return EXIT.interrupted;
  }
  const message = err instanceof WorkMailError ? err.message : `Unexpected error: ${sanitize(err instanceof Error ? err.message : String(err))}`;
  io.stderr.write(`${NAME}: ${message}\n`);
  return EXIT.failed;
}

/** Refused before any call: elsewhere there is no WorkMail endpoint, only a connection failure. */
export function checkRegion(region: string, from: string): void {
  if (!(WORKMAIL_REGIONS as readonly string[]).includes(region)) {
    throw new UsageError(`WorkMail exists only in ${WORKMAIL_REGIONS.join(', ')}; ${from} is ${region}. Pass --region with one of them.`);
  }
}

export function checkEndpoint(values: { readonly endpoint?: string }): void {
  if (values.endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(values.endpoint);
    } catch {
      throw new UsageError(`--endpoint must be a URL such as http://127.0.0.1:4566, not "${sanitize(values.endpoint)}".`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UsageError('--endpoint must be an http:// or https:// URL.');
    }
  }
}

/** The file name that means standard output, as for `tee` and most command-line tools. */
export const STDOUT = '-';

/**
 * Writes an output to stdout (no file, or `-`), or to the file named: a regular file whole or not
 * at all (a failed or interrupted run never leaves half a file), through a link to its target,
 * keeping its mode; a FIFO or a device as it is (see src/workmail/files.ts).
 */
export async function toOutput(file: string | undefined, io: { readonly stdout: Writable }, write: (out: Writable) => Promise<unknown> | void): Promise<void> {
  if (file === undefined || file === STDOUT) {
    await write(io.stdout);
    return;
  }
  await writeFileWhole(path.resolve(file), async (out) => {
    await write(out);
  });
}
