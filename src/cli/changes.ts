// `plan FILE` and `apply FILE`: a reviewed change file (CSV or JSON, see
// src/workmail/changes/changeFile.ts) planned against the rights WorkMail holds now, and applied
// through the same safe write path as the extension. Nothing is written by `plan`; `apply` shows
// its plan and asks before writing (unless --yes), and applies exactly that plan.
import fs from 'node:fs';
import { applyPlan, type AppliedLine } from '../workmail/changes/apply';
import { parseChangeFile } from '../workmail/changes/changeFile';
import { planChanges, planCounts, planLines, planMarkdown, type ChangePlan } from '../workmail/changes/plan';
import { WorkMailError } from '../workmail/errors';
import { pendingWritesDirectory, readSettleMs } from '../workmail/pendingLocation';
import { PendingWriteStore } from '../workmail/pendingWrites';
import { PermissionWriter } from '../workmail/permissions';
import { WorkMailSession } from '../workmail/session';
import { WORKMAIL_REGIONS } from '../workmail/types';
import { checkEndpoint, checkRegion, EXIT, NAME, readCommandLine, UsageError, usage, type CliIo, CONNECTION_OPTIONS, exitForFailure } from './common';
import { counted } from '../workmail/plural';

export const CHANGE_HELP = `  plan FILE          What a change file would do: the calls it would make (Put with which
                     rights, Delete), the lines already satisfied and the lines refused, from
                     the rights read now. Writes nothing.
  apply FILE         Plans FILE, shows the plan, asks, and applies exactly that plan through the
                     safe write path (a line whose rights changed since is refused).`;

export const CHANGE_OPTIONS_HELP = `plan:              FILE (.csv or .json)  --format text|json|markdown (default text)
apply:             FILE  --yes (no question: for scripts)  --format text|json (default text)
                   (--organization names the organization of lines that name none; --region
                   limits the search, every WorkMail region by default)`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  format: { type: 'string' },
  yes: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;


export const CHANGE_COMMANDS = ['plan', 'apply'] as const;

export function isChangeCommand(command: string | undefined): command is (typeof CHANGE_COMMANDS)[number] {
  return (CHANGE_COMMANDS as readonly string[]).includes(command ?? '');
}

function readFileText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new WorkMailError('InvalidInput', code === 'ENOENT' ? `${file} does not exist.` : `Could not read ${file}: ${code ?? String(err)}.`);
  }
}

function appliedLine(result: AppliedLine): string {
  const rights = (value: readonly string[] | undefined): string => (value && value.length > 0 ? value.join(', ') : 'nothing');
  switch (result.status) {
    case 'changed':
      return `line ${result.line}: changed: ${result.grantee} on ${result.mailbox}: ${rights(result.before)} -> ${rights(result.after)}${result.verified === false ? ' (WorkMail does not list it yet; its list can lag a few minutes)' : ''}${result.heldUntil ? ` (WorkMail's answer was lost on the way; in case a late copy of the request still arrives, no other change to this pair is made before ${result.heldUntil})` : ''}`;
    case 'unchanged':
      return `line ${result.line}: unchanged: ${result.grantee} on ${result.mailbox} already has ${rights(result.after)}`;
    default:
      return `line ${result.line}: ${result.status.toUpperCase()}: ${result.grantee} on ${result.mailbox}: ${result.reason ?? ''}`;
  }
}

/** Runs `plan` or `apply`; never throws. */
export async function runChangeCommand(command: (typeof CHANGE_COMMANDS)[number], argv: readonly string[], io: CliIo): Promise<number> {
  const commandLine = readCommandLine(argv, OPTIONS);
  if (commandLine instanceof UsageError) {
    return usage(io, commandLine.message);
  }
  const { values, positionals } = commandLine;
  const file = positionals[0];
  if (!file) {
    return usage(io, `${command} needs the change file: ${NAME} ${command} changes.csv`);
  }
  if (positionals.length > 1) {
    return usage(io, `Unexpected argument "${positionals[1]}".`);
  }
  let session: WorkMailSession | undefined;
  try {
    const formats = command === 'plan' ? ['text', 'json', 'markdown'] : ['text', 'json'];
    const format = values.format ?? 'text';
    if (!formats.includes(format)) {
      throw new UsageError(`--format must be ${formats.join(' or ')} for ${command}, not "${format}".`);
    }
    if (values.yes !== undefined && command !== 'apply') {
      throw new UsageError('--yes goes with apply.');
    }
    if (values.region !== undefined) {
      checkRegion(values.region, '--region');
    }
    checkEndpoint(values);
    if (command === 'apply' && !values.yes && !io.ask) {
      throw new UsageError('apply asks before it writes, and nobody can answer here: review the plan (plan FILE) and pass --yes.');
    }
    // The file first: a bad file is refused before any call.
    const changes = parseChangeFile(readFileText(file), file);
    session = new WorkMailSession({ profile: values.profile, endpoint: values.endpoint });
    const writer = new PermissionWriter(session, { store: new PendingWriteStore(pendingWritesDirectory()), settleMs: readSettleMs(), listLagMs: readSettleMs() });
    const plan = await planChanges(session, changes, {
      organization: values.organization,
      regions: values.region ? [values.region] : WORKMAIL_REGIONS,
      signal: io.signal,
      readRights: (org, mailboxId, granteeId, signal, route) => writer.readRights(org, mailboxId, granteeId, signal, route),
      delegatesBeingRemoved: (org, resourceId, delegateIds) => writer.delegatesBeingRemoved(org, resourceId, delegateIds),
      now: io.now,
    });
    const counts = planCounts(plan);
    if (command === 'plan') {
      io.stdout.write(format === 'json' ? `${JSON.stringify(planJson(plan), null, 2)}\n` : format === 'markdown' ? planMarkdown(plan) : `${planLines(plan).join('\n')}\n${summary(counts)}\n`);
      return counts.refused > 0 ? EXIT.incomplete : EXIT.ok;
    }
    // apply: the plan, then the question, then exactly this plan.
    const out = format === 'json' ? io.stderr : io.stdout;
    if (!values.quiet || !values.yes) {
      out.write(`${planLines(plan).join('\n')}\n${summary(counts)}\n`);
    }
    if (counts.write === 0) {
      out.write('Nothing to write.\n');
      if (format === 'json') {
        io.stdout.write(`${JSON.stringify({ file, applied: [] }, null, 2)}\n`);
      }
      return counts.refused > 0 ? EXIT.incomplete : EXIT.ok;
    }
    if (!values.yes) {
      const answer = (await io.ask!(`Make ${counts.write === 1 ? 'this change' : `these ${counts.write} changes`}? Type "yes" to apply: `)).trim().toLowerCase();
      if (answer !== 'yes' && answer !== 'y') {
        io.stderr.write(`${NAME}: not applied; nothing was written.\n`);
        return EXIT.ok;
      }
    }
    const results = await applyPlan(writer, plan, {
      signal: io.signal,
      onLine: (result) => {
        if (result.status !== 'unchanged' || !values.quiet) {
          io.stderr.write(`${appliedLine(result)}\n`);
        }
      },
    });
    const changed = results.filter((r) => r.status === 'changed').length;
    const notDone = results.filter((r) => r.status === 'refused' || r.status === 'failed' || r.status === 'skipped');
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify({ file, applied: results }, null, 2)}\n`);
    }
    io.stderr.write(`${counted(changed, 'change')} written; ${counted(notDone.length, 'line')} not done${notDone.length > 0 ? ` (lines ${notDone.map((r) => r.line).join(', ')})` : ''}.\n`);
    if (results.some((r) => r.status === 'skipped')) {
      return EXIT.interrupted;
    }
    return notDone.length > 0 ? EXIT.incomplete : EXIT.ok;
  } catch (err) {
    return exitForFailure(err, io, 'nothing more was written');
  } finally {
    session?.dispose();
  }
}

function summary(counts: ReturnType<typeof planCounts>): string {
  return `${counted(counts.write, 'call')} to make, ${counted(counts.satisfied, 'line')} already satisfied, ${counts.refused} refused.`;
}

/** The plan for machines: every line with its call, without the SDK's or the directory's internals. */
export function planJson(plan: ChangePlan): unknown {
  return {
    file: plan.file,
    readAt: plan.readAt,
    counts: planCounts(plan),
    lines: plan.lines.map((line) => ({
      line: line.change.line,
      action: line.change.action,
      status: line.status,
      organizationId: line.org?.organizationId,
      mailboxId: line.mailbox?.id,
      mailbox: line.mailbox?.email ?? line.change.mailbox,
      granteeId: line.grantee?.id,
      grantee: line.grantee?.email ?? line.change.grantee,
      before: line.before,
      after: line.after,
      call: line.call,
      reason: line.reason,
    })),
  };
}
