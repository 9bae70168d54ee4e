// What the reliability tests tried and what happened, one JSON line per case, rendered into
// docs/RELIABILITY.md. Shared by the extension-host suite (test/reliability/*.test.ts) and the
// plain-Node ones (test/workmail/reliability*.test.ts, secrets*.test.ts); no `vscode` import.
//
// Each run writes its own file under out/reliability/ (truncated by its first case), and renders
// the table from every file there when it ends, so the run that finishes last (the extension
// host, in `npm test`) writes the complete table.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Area = 'faults' | 'generated schedules' | 'bad input' | 'hostile data' | 'hostile workspace' | 'secrets' | 'scale';

export interface CaseDescription {
  readonly area: Area;
  /** Short name of the case, unique within its area. */
  readonly name: string;
  /** The user action (or API call) exercised. */
  readonly action: string;
  /** The fault injected, or the input or data given. */
  readonly fault: string;
  readonly expected: string;
}

export interface CaseRecord extends CaseDescription {
  readonly observed: string;
  readonly result: 'pass' | 'fail';
  readonly suite: string;
}

export const RESULTS_DIR = path.join('out', 'reliability');
export const TABLE_FILE = path.join('docs', 'RELIABILITY.md');

const AREA_ORDER: readonly Area[] = ['faults', 'generated schedules', 'bad input', 'hostile data', 'hostile workspace', 'secrets', 'scale'];

/** What a reader needs before the rows of an area. */
const AREA_NOTES: Partial<Record<Area, readonly string[]>> = {
  'generated schedules': [
    'fast-check generates schedules of a person\'s actions in two windows interleaved with what the service does, runs',
    'each through the real SDK against the emulator, and checks the four invariants of docs/CONTRACTS.md against the',
    'emulator\'s ground truth, under both grantee-id-form variants (rows listed by ID, or by the name or email a grant was',
    'given), and that each change made while nothing else touched its pair read what WorkMail held and, for a grant,',
    'dropped none of it; a violation is shrunk to a minimal schedule (test/workmail/writePath.model.test.ts). `npm test`',
    'runs the CI-sized row; `npm run test:model -- --runs 2000 --seed 42` the longer one.',
    '',
    'Counterexamples: with the settle window and the list-lag allowance made far too short (`WORKMAIL_MODEL_SETTLE_MS=1`,',
    'seed 7), the checker found and shrank a 2-step schedule (a bulk grant whose Put is held past the timeout, then an edit',
    'of the same pair to nothing) in which the person was told the pair held nothing while the held Put could still land:',
    'invariant 2, as intended. A second review found that a lost answer to a write WorkMail listed as asked (or an',
    'in-doubt write whose rights the list showed) was settled at once, although the list could be showing another',
    "administrator's identical change while ours was held; with a step that changes a pair during a held write, the",
    'checker shrinks that to one step on the earlier code. Fixed: only time settles a doubtful write. With the writer\'s',
    'look-up of rows listed by email or name broken (ID only), 40 schedules find and shrink a one-step counterexample (a',
    'bulk grant that reads "nothing" where WorkMail listed Send as by email). One 2000-schedule run failed invariant 1',
    'through the test\'s own allowance for a lagging list (timed from the answer, not from the read that could not yet',
    'show another administrator\'s change); the allowance now starts at the read. No schedule has shown a fault of the',
    'product with the real settings. The holes a hostile review found in the write path (a read taken as decisive before the list caught up, an',
    'unreadable record taken as settled, a pair key split by an unreadable account, a stalled window whose lock was taken',
    'over, a record that could not be updated after a send, a name shaped like an ID, a 408 taken as a refusal) are each a',
    'regression test in test/workmail/writeSafety.test.ts ("found by a hostile review").',
    '',
    'Booking delegates have schedules of their own (test/workmail/delegateWrites.model.test.ts; longer runs with',
    '`WORKMAIL_DELEGATE_MODEL_RUNS=2000`): two rooms, one that accepts requests automatically and one that waits for a',
    'delegate, and invariant 5 checked by sampling the ground truth throughout. With the check of removals still on their',
    'way taken out of the writer, 32 schedules find and shrink the counterexample a hostile review had found by hand (add',
    'a second delegate, remove the first with its answer lost, remove the second: the late removal empties the room',
    'unasked). The findings of two reviews of the delegate path are tests in delegateWrites.test.ts,',
    'changes/delegateLines.test.ts and the host tests of test/commands/delegates/.',
  ],
};

export class ReliabilityLog {
  private started = false;
  private written = 0;

  /** `suite` names the file: out/reliability/<suite>.jsonl under `repoRoot`. */
  constructor(
    private readonly repoRoot: string,
    private readonly suite: string,
  ) {}

  private get file(): string {
    return path.join(this.repoRoot, RESULTS_DIR, `${this.suite}.jsonl`);
  }

  append(record: Omit<CaseRecord, 'suite'>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    if (!this.started) {
      fs.writeFileSync(this.file, '');
      this.started = true;
    }
    fs.appendFileSync(this.file, `${JSON.stringify({ ...record, suite: this.suite })}\n`);
    this.written++;
  }

  /**
   * Runs one case: `body` returns what was observed (in words); an assertion it throws marks the
   * case failed with the assertion's first line as the observation, and is rethrown for mocha.
   */
  async check(description: CaseDescription, body: () => Promise<string>): Promise<void> {
    let observed: string;
    try {
      observed = await body();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.append({ ...description, observed: `FAILED: ${message.split('\n')[0]}`, result: 'fail' });
      throw err;
    }
    this.append({ ...description, observed, result: 'pass' });
  }

  /** Writes docs/RELIABILITY.md when this run recorded anything. */
  render(): void {
    if (this.written > 0) {
      renderTable(this.repoRoot);
    }
  }
}

function readRecords(repoRoot: string): CaseRecord[] {
  const dir = path.join(repoRoot, RESULTS_DIR);
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) =>
      fs
        .readFileSync(path.join(dir, name), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as CaseRecord),
    );
}

/** One table cell: no pipes or line breaks, nothing a markdown renderer would act on. */
export function cell(text: string, max = 400): string {
  const flat = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const short = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return short.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`/g, "'");
}

export function renderMarkdown(records: readonly CaseRecord[]): string {
  const passed = records.filter((r) => r.result === 'pass').length;
  const lines = [
    '# Reliability: what was tried and what happened',
    '',
    '<!-- GENERATED by the reliability tests (test/reliability/record.ts). Do not edit: run `npm test`. -->',
    '',
    'Every row is one test case run against the local WorkMail emulator through the real AWS SDK: a fault',
    'injected while a person acts, bad input, hostile data from the service, a hostile workspace, a search',
    'for secrets, or a large organization. "Expected" is what the test asserts; "Observed" is what the run',
    'saw (rights are compared with the emulator\'s ground truth, not with what the extension says).',
    '',
    `${records.length} cases, ${passed} passed, ${records.length - passed} failed. Sources: ${[...new Set(records.map((r) => r.suite))].sort().join(', ')}.`,
    '',
  ];
  for (const area of AREA_ORDER) {
    const rows = records.filter((r) => r.area === area);
    if (rows.length === 0) {
      continue;
    }
    lines.push(`## ${area[0]?.toUpperCase()}${area.slice(1)}`, '');
    const notes = AREA_NOTES[area];
    if (notes) {
      lines.push(...notes, '');
    }
    lines.push('| case | action | fault / input | expected | observed | result |', '| --- | --- | --- | --- | --- | --- |');
    for (const r of rows) {
      lines.push(`| ${cell(r.name, 120)} | ${cell(r.action, 120)} | ${cell(r.fault, 200)} | ${cell(r.expected, 300)} | ${cell(r.observed)} | ${r.result === 'pass' ? 'pass' : '**FAIL**'} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

export function renderTable(repoRoot: string): void {
  const file = path.join(repoRoot, TABLE_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, renderMarkdown(readRecords(repoRoot)));
}
