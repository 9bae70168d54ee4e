// The benchmark's pure logic: flags, budgets, the number of calls a scan cannot do without, and
// the summary table. Kept free of I/O so test/bench can check it in plain Node.

/**
 * What `node scripts/build.mjs` writes for the extension and the package ships: what activation
 * loads, the commands loaded after it (src/commands/deferred.ts), the SDK loaded on the first call.
 */
export const BUNDLE_FILES = ['extension.js', 'deferred.js', 'workmail.js'] as const;

export interface BenchParameters {
  /** Users in the generated organization the tree, grant and scan figures run against. */
  readonly users: number;
  /** Users of every scan at the four limits when --scan-users is given; otherwise each limit's own size (scanLimits). */
  readonly scanUsers: number | undefined;
  readonly latencyMs: number;
  readonly rateLimitPerSecond: number;
  /** Token-bucket capacity of the emulator's rate limit (the emulator's default: the rate). */
  readonly rateLimitBurst: number;
  readonly activationRuns: number;
  readonly quick: boolean;
  /** Run the tree figures in Node instead of a real extension host (no code-server, no Chromium). */
  readonly noHost: boolean;
  readonly skipScan: boolean;
  /** Leave out the boto3 peer (side by side with the product's export). */
  readonly skipPeer: boolean;
  /** Leave out the waits timed in the workbench in Chromium. */
  readonly skipUi: boolean;
  /** Leave out bench/scale.ts (100,000 users, index build, resumed scan). */
  readonly skipScale: boolean;
  /** Only the scans: no bundle, activation, tree, editor, peer or bench/scale.ts figures. */
  readonly scanOnly: boolean;
  /** The scans to run, as "rate/latency" pairs (--scan-limits 200/50,50/200); undefined: all four. */
  readonly scanLimitFilter: readonly string[] | undefined;
  /** Leave out the route figures of issue 27 (bench/routes.ts). */
  readonly skipRoutes: boolean;
  /** Only the route figures: no bundle, activation, tree, editor, scan, peer or scale figures. */
  readonly routesOnly: boolean;
  /** Users of the organization the route figures run against. */
  readonly routesUsers: number;
  /** Who-can-open reports timed (the median is the figure). */
  readonly routesSamples: number;
  /** Users of the organization the peer and the product export. */
  readonly peerUsers: number;
  /** Freshly loaded windows the editor waits are timed in. */
  readonly uiSamples: number;
  readonly out: string;
  readonly verbose: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]
  --users N              users in the generated organization (default 10000; --quick: 1000)
  --scan-users N         users of every scan at the four limits (default: 1,000 at 10/s, 5,000
                         at 50/s, 10,000 at 200/s, 5,000 at 50/s and 200 ms; --quick: 200,
                         1,000, 2,000, 1,000)
  --latency-ms N         emulator latency per call for the tree, grant and editor figures (default 50)
  --rate-limit N         emulator requests per second for those figures (default 10)
  --rate-limit-burst N   emulator token-bucket capacity (default: the rate)
  --activation-runs N    extension-host page loads to time activation over (default 9: 5 with the
                         minimal extension first; --quick: 3)
  --quick                a small version of everything, in a few minutes
  --no-host              tree figures through the same code path in Node (no code-server)
  --skip-scan            leave out the scans at the four limits
  --skip-peer            leave out the boto3 script side by side with the product's export
  --peer-users N         users of the organization both export (default 500; --quick: 200)
  --skip-ui              leave out the waits timed in the workbench in Chromium
  --ui-samples N         freshly loaded windows to time those waits in (default 3; --quick: 2)
  --skip-scale           leave out bench/scale.ts (100,000 users, index, resumed scan)
  --scan-only            only the scans at the four limits (no bundle, activation, tree, editor,
                         peer or scale figures); pair with --out so bench/results.json stays whole
  --scan-limits LIST     only these of the four scans, as rate/latency pairs: 200/50,50/200
  --skip-routes          leave out the route figures (route reads' calls, who-can-open time)
  --routes-only          only the route figures; pair with --out so bench/results.json stays whole
  --routes-users N       users of the organization the route figures run against (default 10000;
                         --quick: 1000)
  --routes-samples N     who-can-open reports timed, the median is the figure (default 5)
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

/** "200/50,50/200" as the labels it names; each must be one of the four limits. */
function scanLimitFilter(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const known = scanLimits(false).map((limit) => `${limit.rateLimitPerSecond}/${limit.latencyMs}`);
  const wanted = value.split(',').map((part) => part.trim());
  for (const part of wanted) {
    if (!known.includes(part)) throw new UsageError(`--scan-limits takes rate/latency pairs among ${known.join(', ')}, got "${part}"`);
  }
  return wanted;
}

/** Reads the command line (without node and the script). Throws UsageError for anything it does not understand. */
export function parseBenchArgs(argv: readonly string[], defaultOut: string): BenchParameters | 'help' {
  const values = new Map<string, string | true>();
  const booleans = new Set(['quick', 'no-host', 'skip-scan', 'skip-peer', 'skip-ui', 'skip-scale', 'scan-only', 'skip-routes', 'routes-only', 'verbose', 'help']);
  const valued = new Set(['users', 'scan-users', 'latency-ms', 'rate-limit', 'rate-limit-burst', 'activation-runs', 'peer-users', 'ui-samples', 'scan-limits', 'routes-users', 'routes-samples', 'out']);
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
    scanUsers: text('scan-users') === undefined ? undefined : count('scan-users', text('scan-users'), 0, { min: 1 }),
    latencyMs: count('latency-ms', text('latency-ms'), 50),
    rateLimitPerSecond,
    rateLimitBurst: count('rate-limit-burst', text('rate-limit-burst'), rateLimitPerSecond, { min: 1 }),
    activationRuns: count('activation-runs', text('activation-runs'), quick ? 3 : 9, { min: 1 }),
    quick,
    noHost: values.has('no-host'),
    skipScan: values.has('skip-scan'),
    skipPeer: values.has('skip-peer'),
    skipUi: values.has('skip-ui'),
    skipScale: values.has('skip-scale'),
    scanOnly: values.has('scan-only'),
    scanLimitFilter: scanLimitFilter(text('scan-limits')),
    skipRoutes: values.has('skip-routes'),
    routesOnly: values.has('routes-only'),
    routesUsers: count('routes-users', text('routes-users'), quick ? 1000 : 10_000, { min: 1 }),
    routesSamples: count('routes-samples', text('routes-samples'), 5, { min: 1 }),
    peerUsers: count('peer-users', text('peer-users'), quick ? 200 : 500, { min: 1 }),
    uiSamples: count('ui-samples', text('ui-samples'), quick ? 2 : 3, { min: 1 }),
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

/**
 * The budgets of the first benchmark that are still checked as single figures. Activation is now a
 * ratio to a minimal extension and the scan is measured at several limits (issue 15): those figures
 * are made in run.ts with targetFigure().
 */
export const BUDGETS: readonly Budget[] = [
  { figure: 'bundleBytes', label: 'bundle (dist/extension.js + deferred.js + workmail.js)', unit: 'bytes', comparison: 'lt', limit: 1.5 * 1024 * 1024 },
  { figure: 'firstPageCalls', label: 'first page of Users: calls', unit: 'calls', comparison: 'eq', limit: 1 },
  { figure: 'granteeExpandCalls', label: 'expand mailbox, grantees loaded: calls', unit: 'calls', comparison: 'eq', limit: 1 },
  { figure: 'grantCalls', label: 'one grant: calls', unit: 'calls', comparison: 'eq', limit: 3 },
  { figure: 'peakRssMb', label: 'scan: peak RSS (largest scan of the run)', unit: 'MB', comparison: 'lt', limit: 300 },
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

// ---------------------------------------------------------------------------------------------
// Figures of issue 15: every figure with its target, whether it is met, and a note.

/** One line of the printed table and of results.json (the contract bench/scale.ts also returns). */
export interface BenchFigure {
  name: string;
  /** NaN when the figure could not be measured in this run. */
  measured: number;
  unit: string;
  target: string;
  /** null: no target (information only) or not measured. */
  met: boolean | null;
  note?: string;
}

/** A figure checked against a target of the form `<comparison> <limit>`. */
export function targetFigure(name: string, measured: number | null | undefined, unit: string, comparison: Comparison, limit: number, note?: string): BenchFigure {
  const value = typeof measured === 'number' && Number.isFinite(measured) ? measured : Number.NaN;
  const limitText = unit === 'bytes' ? formatBytes(limit) : unit === 'yes/no' ? (limit ? 'yes' : 'no') : `${limit}${unit ? ` ${unitFor(limit, unit)}` : ''}`;
  return {
    name,
    measured: value,
    unit,
    target: `${SYMBOL[comparison]} ${limitText}`,
    met: Number.isNaN(value) ? null : meets(value, comparison, limit),
    ...(note ? { note } : {}),
  };
}

/** A figure kept as information: no target. */
export function infoFigure(name: string, measured: number | null | undefined, unit: string, note?: string): BenchFigure {
  const value = typeof measured === 'number' && Number.isFinite(measured) ? measured : Number.NaN;
  return { name, measured: value, unit, target: 'information', met: null, ...(note ? { note } : {}) };
}

export function figureFromVerdict(verdict: Verdict, budgets: readonly Budget[] = BUDGETS): BenchFigure {
  const budget = budgets.find((b) => b.figure === verdict.figure);
  return { name: verdict.label, measured: verdict.value ?? Number.NaN, unit: budget?.unit ?? '', target: verdict.budget, met: verdict.pass };
}

/** The measured value as the table shows it. */
export function formatMeasured(figure: Pick<BenchFigure, 'measured' | 'unit'>): string {
  const { measured: value, unit } = figure;
  if (!Number.isFinite(value)) return 'not measured';
  switch (unit) {
    case 'bytes':
      return formatBytes(value);
    case 'ms':
      return `${value.toFixed(1)} ms`;
    case 's':
      return `${value.toFixed(1)} s`;
    case 'MB':
      return `${value.toFixed(0)} MB`;
    case '×':
      return `${value.toFixed(2)}×`;
    case '':
      return value.toFixed(3);
    case 'round trips':
      return `${value.toFixed(2)} round trips`;
    case 'yes/no':
      return value ? 'yes' : 'no';
    default:
      return `${Number.isInteger(value) ? value : value.toFixed(2)} ${unitFor(value, unit)}`;
  }
}

function verdictText(figure: BenchFigure): string {
  if (figure.met === null) return Number.isFinite(figure.measured) || figure.target === 'information' ? '—' : 'not measured';
  return figure.met ? 'met' : 'NOT MET';
}

/** A Markdown table of figures (also readable as plain text in a terminal). Notes go in their own column. */
export function formatFigureTable(figures: readonly BenchFigure[]): string {
  const rows = figures.map((f) => [f.name, formatMeasured(f), f.target, verdictText(f), f.note ?? '']);
  const header = ['figure', 'measured', 'target', 'result', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Checks a figure bench/scale.ts returned: the shape of the contract, nothing else. */
export function isBenchFigure(value: unknown): value is BenchFigure {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Record<string, unknown>;
  return (
    typeof f.name === 'string' &&
    typeof f.measured === 'number' &&
    typeof f.unit === 'string' &&
    typeof f.target === 'string' &&
    (f.met === null || typeof f.met === 'boolean') &&
    (f.note === undefined || typeof f.note === 'string')
  );
}

// ---------------------------------------------------------------------------------------------
// Scan at several limits

export interface ScanLimit {
  readonly rateLimitPerSecond: number;
  readonly latencyMs: number;
  /** Users of the generated organization scanned at this limit. */
  readonly users: number;
}

/**
 * The limits of issue 15: 10, 50 and 200 requests/s at 50 ms latency, and 50 requests/s at 200 ms.
 * Organization sizes keep each scan to a few minutes at most in a full run (the slowest limit gets
 * the smallest organization) and seconds with --quick; `scanUsers` (from --scan-users) overrides.
 */
export function scanLimits(quick: boolean, scanUsers?: number): ScanLimit[] {
  const sized = (full: number, small: number): number => scanUsers ?? (quick ? small : full);
  return [
    { rateLimitPerSecond: 10, latencyMs: 50, users: sized(1000, 200) },
    { rateLimitPerSecond: 50, latencyMs: 50, users: sized(5000, 1000) },
    { rateLimitPerSecond: 200, latencyMs: 50, users: sized(10_000, 2000) },
    { rateLimitPerSecond: 50, latencyMs: 200, users: sized(5000, 1000) },
  ];
}

/** Whether --scan-limits keeps this limit (every limit without the flag). */
export function scanLimitSelected(limit: Pick<ScanLimit, 'rateLimitPerSecond' | 'latencyMs'>, filter: readonly string[] | undefined): boolean {
  return filter === undefined || filter.includes(`${limit.rateLimitPerSecond}/${limit.latencyMs}`);
}

export function limitLabel(limit: Pick<ScanLimit, 'rateLimitPerSecond' | 'latencyMs'>): string {
  return `${limit.rateLimitPerSecond}/s, ${limit.latencyMs} ms`;
}

// ---------------------------------------------------------------------------------------------
// The peer's export against the product's

/** RFC 4180 records of a CSV text (quotes, doubled quotes, CRLF or LF line ends). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"') {
      quoted = true;
      any = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
      any = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

export interface ExportComparison {
  readonly equal: boolean;
  readonly headerEqual: boolean;
  readonly rowsA: number;
  readonly rowsB: number;
  /** Up to five normalised rows only in A, and only in B. */
  readonly onlyInA: readonly string[];
  readonly onlyInB: readonly string[];
}

export interface ExportComparisonOptions {
  /** Columns left out on both sides, header included. */
  readonly ignoreColumns?: readonly string[];
  /**
   * Only the rows whose `route` cell is this. A side without a `route` column is taken to hold
   * nothing else (an export written before the other routes were, or by a script reading only them).
   */
  readonly route?: string;
}

/**
 * What the boto3 peer and the product's export have in common: the peer lists mailbox permissions
 * only (the product's export adds booking delegates and applications, `route`), and writes neither
 * when each mailbox was read (`read_at`, its own clock) nor the route's `details`.
 */
export const PEER_COMPARISON: ExportComparisonOptions = { route: 'permission', ignoreColumns: ['read_at', 'route', 'details'] };

/**
 * Whether two exports hold the same rows once order is normalised: the order of the rows, and the
 * order of the rights inside the `rights` column (the API promises no order for them). Duplicate
 * rows count: a row written twice is a difference. `options` narrows both sides to what they share.
 */
export function compareExports(a: string, b: string, options: ExportComparisonOptions = {}): ExportComparison {
  const ignored = new Set(options.ignoreColumns ?? []);
  const normalise = (text: string): { header: string; rows: string[] } => {
    const [header = [], ...records] = parseCsv(text);
    const kept = header.flatMap((column, at) => (ignored.has(column) ? [] : [at]));
    const routeAt = header.indexOf('route');
    const rightsAt = header.indexOf('rights');
    const rows = records
      .filter((r) => options.route === undefined || routeAt < 0 || r[routeAt] === options.route)
      .map((r) => {
        const cells = [...r];
        if (rightsAt >= 0 && cells[rightsAt] !== undefined) cells[rightsAt] = cells[rightsAt]!.split(';').filter(Boolean).sort().join(';');
        return JSON.stringify(kept.map((at) => cells[at]));
      });
    return { header: JSON.stringify(kept.map((at) => header[at])), rows: rows.sort() };
  };
  const left = normalise(a);
  const right = normalise(b);
  const counts = new Map<string, number>();
  for (const row of left.rows) counts.set(row, (counts.get(row) ?? 0) + 1);
  const onlyInB: string[] = [];
  for (const row of right.rows) {
    const n = counts.get(row) ?? 0;
    if (n > 0) counts.set(row, n - 1);
    else onlyInB.push(row);
  }
  const onlyInA = [...counts].flatMap(([row, n]) => Array<string>(n).fill(row));
  const headerEqual = left.header === right.header;
  return {
    equal: headerEqual && onlyInA.length === 0 && onlyInB.length === 0,
    headerEqual,
    rowsA: left.rows.length,
    rowsB: right.rows.length,
    onlyInA: onlyInA.slice(0, 5),
    onlyInB: onlyInB.slice(0, 5),
  };
}

/** Elapsed time in round trips of the configured latency. */
export function roundTrips(ms: number, latencyMs: number): number {
  return latencyMs > 0 ? ms / latencyMs : Number.NaN;
}
