// The benchmark's pure logic: flags, budgets, the number of calls a scan cannot do without, and
// the summary table. Kept free of I/O so test/bench can check it in plain Node.

export interface BenchParameters {
  /** Users in the generated organization the tree, grant and scan figures run against. */
  readonly users: number;
  /** Users of the organization the scan reads; the same as `users` unless --scan-users is given. */
  readonly scanUsers: number;
  readonly latencyMs: number;
  readonly rateLimitPerSecond: number;
  /** Token-bucket capacity of the emulator's rate limit (the emulator's default: the rate). */
  readonly rateLimitBurst: number;
  readonly activationRuns: number;
  readonly quick: boolean;
  /** Run the tree figures in Node instead of a real extension host (no code-server, no Chromium). */
  readonly noHost: boolean;
  readonly skipScan: boolean;
  readonly out: string;
  readonly verbose: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]
  --users N              users in the generated organization (default 10000; --quick: 1000)
  --scan-users N         users in the organization the scan reads (default: --users)
  --latency-ms N         emulator latency per call (default 50)
  --rate-limit N         emulator requests per second per account and region (default 10)
  --rate-limit-burst N   emulator token-bucket capacity (default: the rate)
  --activation-runs N    extension-host page loads to time activation over (default 5)
  --quick                1,000 users and 3 activation runs, for development
  --no-host              tree figures through the same code path in Node (no code-server)
  --skip-scan            leave out the full-organization scan
  --out FILE             where to write the results (default bench/results.json)
  --verbose              pass code-server's and the extension host's output through
  --help`;

export class UsageError extends Error {}

function count(name: string, value: string | undefined, fallback: number, { min = 0 } = {}): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || !Number.isInteger(n)) throw new UsageError(`--${name} must be an integer of at least ${min}, got "${value}"`);
  return n;
}

/** Reads the command line (without node and the script). Throws UsageError for anything it does not understand. */
export function parseBenchArgs(argv: readonly string[], defaultOut: string): BenchParameters | 'help' {
  const values = new Map<string, string | true>();
  const booleans = new Set(['quick', 'no-host', 'skip-scan', 'verbose', 'help']);
  const valued = new Set(['users', 'scan-users', 'latency-ms', 'rate-limit', 'rate-limit-burst', 'activation-runs', 'out']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`Unexpected argument "${arg}"`);
    const [, name, inline] = match as unknown as [string, string, string | undefined];
    if (booleans.has(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      values.set(name, true);
    } else if (valued.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      values.set(name, value);
    } else {
      throw new UsageError(`Unknown option --${name}`);
    }
  }
  if (values.has('help')) return 'help';
  const text = (name: string): string | undefined => {
    const value = values.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const quick = values.has('quick');
  const users = count('users', text('users'), quick ? 1000 : 10_000, { min: 1 });
  const rateLimitPerSecond = count('rate-limit', text('rate-limit'), 10, { min: 1 });
  return {
    users,
    scanUsers: count('scan-users', text('scan-users'), users, { min: 1 }),
    latencyMs: count('latency-ms', text('latency-ms'), 50),
    rateLimitPerSecond,
    rateLimitBurst: count('rate-limit-burst', text('rate-limit-burst'), rateLimitPerSecond, { min: 1 }),
    activationRuns: count('activation-runs', text('activation-runs'), quick ? 3 : 5, { min: 1 }),
    quick,
    noHost: values.has('no-host'),
    skipScan: values.has('skip-scan'),
    out: text('out') ?? defaultOut,
    verbose: values.has('verbose'),
  };
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** What a scan of one organization must ask WorkMail, given its directory and its grants. */
export interface ScanWorkload {
  readonly users: number;
  readonly groups: number;
  readonly resources: number;
  /** Grants per mailbox ID; mailboxes without an entry have none. */
  readonly grantsPerMailbox: ReadonlyMap<string, number>;
  readonly mailboxIds: readonly string[];
  /** Distinct grantee IDs that are not in the directory: each needs one Describe to learn it is gone. */
  readonly unknownGrantees: number;
}

/**
 * The fewest calls a complete scan can make: every directory page, every page of every mailbox's
 * permissions (an empty mailbox still costs one List), and one Describe per grantee the directory
 * does not hold. Anything above this is waste or retries.
 */
export function idealScanCalls(workload: ScanWorkload, pageSize = 100): { total: number; directory: number; permissions: number; describes: number } {
  const pages = (items: number): number => Math.max(1, Math.ceil(items / pageSize));
  const directory = pages(workload.users) + pages(workload.groups) + pages(workload.resources);
  let permissions = 0;
  for (const id of workload.mailboxIds) permissions += pages(workload.grantsPerMailbox.get(id) ?? 0);
  const describes = workload.unknownGrantees;
  return { total: directory + permissions + describes, directory, permissions, describes };
}

/**
 * The shortest time the rate limit allows for `calls` calls: the bucket starts full, so the first
 * `burst` calls are free and the rest come at `rate` per second.
 */
export function idealSeconds(calls: number, rate: number, burst: number): number {
  return Math.max(0, calls - burst) / rate;
}

export type Comparison = 'lt' | 'le' | 'eq' | 'ge';

export interface Budget {
  readonly figure: string;
  readonly label: string;
  readonly unit: string;
  readonly comparison: Comparison;
  readonly limit: number;
}

/** The budgets from the issue. */
export const BUDGETS: readonly Budget[] = [
  { figure: 'bundleBytes', label: 'bundle (dist/extension.js + dist/workmail.js)', unit: 'bytes', comparison: 'lt', limit: 1.5 * 1024 * 1024 },
  { figure: 'activateMs', label: 'activation (median)', unit: 'ms', comparison: 'lt', limit: 50 },
  { figure: 'firstPageCalls', label: 'first page of Users: calls', unit: 'calls', comparison: 'eq', limit: 1 },
  { figure: 'granteeExpandCalls', label: 'expand mailbox, grantees loaded: calls', unit: 'calls', comparison: 'eq', limit: 1 },
  { figure: 'grantCalls', label: 'one grant: calls', unit: 'calls', comparison: 'eq', limit: 3 },
  { figure: 'scanRatio', label: 'scan: ideal time / measured time', unit: '', comparison: 'ge', limit: 0.85 },
  { figure: 'scanFailedMailboxes', label: 'scan: failed mailboxes', unit: 'mailboxes', comparison: 'eq', limit: 0 },
  { figure: 'peakRssMb', label: 'scan: peak RSS', unit: 'MB', comparison: 'lt', limit: 300 },
];

export interface Verdict {
  readonly figure: string;
  readonly label: string;
  readonly value: number | null;
  readonly budget: string;
  /** null: the figure was not measured in this run (e.g. --skip-scan). */
  readonly pass: boolean | null;
}

const SYMBOL: Record<Comparison, string> = { lt: '<', le: '≤', eq: '=', ge: '≥' };

const SINGULAR: Readonly<Record<string, string>> = { calls: 'call', mailboxes: 'mailbox' };

/** "1 call", "3 calls". */
function unitFor(value: number, unit: string): string {
  return value === 1 ? SINGULAR[unit] ?? unit : unit;
}

export function describeBudget(budget: Budget): string {
  const limit = budget.unit === 'bytes' ? formatBytes(budget.limit) : `${budget.limit}${budget.unit ? ` ${unitFor(budget.limit, budget.unit)}` : ''}`;
  return `${SYMBOL[budget.comparison]} ${limit}`;
}

export function meets(value: number, comparison: Comparison, limit: number): boolean {
  switch (comparison) {
    case 'lt':
      return value < limit;
    case 'le':
      return value <= limit;
    case 'eq':
      return value === limit;
    case 'ge':
      return value >= limit;
  }
}

export function evaluate(figures: Readonly<Record<string, number | null | undefined>>, budgets: readonly Budget[] = BUDGETS): Verdict[] {
  return budgets.map((budget) => {
    const raw = figures[budget.figure];
    const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
    return { figure: budget.figure, label: budget.label, value, budget: describeBudget(budget), pass: value === null ? null : meets(value, budget.comparison, budget.limit) };
  });
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

export function formatValue(verdict: Verdict, budgets: readonly Budget[] = BUDGETS): string {
  if (verdict.value === null) return 'not measured';
  const unit = budgets.find((b) => b.figure === verdict.figure)?.unit ?? '';
  if (unit === 'bytes') return formatBytes(verdict.value);
  if (unit === 'ms') return `${verdict.value.toFixed(1)} ms`;
  if (unit === 'MB') return `${verdict.value.toFixed(0)} MB`;
  if (unit === '') return verdict.value.toFixed(3);
  return `${verdict.value} ${unitFor(verdict.value, unit)}`;
}

/** A Markdown table (also readable as plain text in a terminal). */
export function formatTable(verdicts: readonly Verdict[]): string {
  const rows = verdicts.map((v) => [v.label, formatValue(v), v.budget, v.pass === null ? '—' : v.pass ? 'pass' : 'FAIL']);
  const header = ['figure', 'measured', 'budget', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Emulator call-log entries, as far as the benchmark reads them. */
export interface LoggedCall {
  readonly operation?: string;
  readonly status: number;
  readonly errorCode?: string;
}

/**
 * Calls by outcome. `answered` is everything the service did not throttle, including expected
 * refusals such as EntityNotFoundException for a grantee that is gone: those are calls the scan
 * had to make. `throttled` are the attempts the rate limit turned away.
 */
export function tallyCalls(calls: readonly LoggedCall[]): {
  total: number;
  answered: number;
  throttled: number;
  errors: Record<string, number>;
  byOperation: Record<string, number>;
} {
  const byOperation: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let throttled = 0;
  for (const call of calls) {
    const op = call.operation ?? 'Unknown';
    byOperation[op] = (byOperation[op] ?? 0) + 1;
    if (call.errorCode === 'ThrottlingException') throttled++;
    else if (call.status !== 200) errors[call.errorCode ?? String(call.status)] = (errors[call.errorCode ?? String(call.status)] ?? 0) + 1;
  }
  return { total: calls.length, answered: calls.length - throttled, throttled, errors, byOperation };
}
