// How `npm test` (scripts/test-all.mjs) counts each stage's tests from its output.
import { parseHostSummary, parseMochaEpilogue, parseUiSummary, stripAnsi } from './summary.mjs';

/** @typedef {'tsc' | 'lint' | 'mocha' | 'host' | 'ui'} StageKind */

/**
 * Passed/failed counts for one stage. A stage that exits non-zero without reporting a failure,
 * reports no tests at all, or crashes before its summary, counts as one failure, so the final line
 * can never read "0 failed" for a run that did not really pass.
 * The type-check counts as one check (passed), or as one failure per compiler error; the lint the
 * same, per problem ESLint reports.
 * @param {StageKind} kind
 * @param {string} output
 * @param {number} exitCode
 * @returns {{ passed: number, failed: number, note?: string }}
 */
export function stageCounts(kind, output, exitCode) {
  const text = stripAnsi(output);
  if (kind === 'tsc') {
    const errors = (text.match(/error TS\d+:/g) ?? []).length;
    if (exitCode === 0 && errors === 0) return { passed: 1, failed: 0 };
    return { passed: 0, failed: Math.max(errors, 1), note: errors ? `${errors} type error(s)` : `exit ${exitCode}` };
  }

  if (kind === 'lint') {
    const problems = Number(/(\d+) problems? \(/.exec(text)?.[1] ?? 0);
    if (exitCode === 0 && problems === 0) return { passed: 1, failed: 0 };
    return { passed: 0, failed: Math.max(problems, 1), note: problems ? `${problems} lint problem(s)` : `exit ${exitCode}` };
  }

  let counts;
  if (kind === 'mocha') {
    const epilogue = parseMochaEpilogue(text);
    // This project allows no skipped tests: pending ones count as failed.
    counts = epilogue && { passed: epilogue.passed, failed: epilogue.failed + epilogue.pending, note: epilogue.pending ? `${epilogue.pending} pending` : undefined };
  } else if (kind === 'host') {
    counts = parseHostSummary(text);
  } else {
    counts = parseUiSummary(text);
  }

  if (!counts) return { passed: 0, failed: 1, note: `no test summary (exit ${exitCode})` };
  if (counts.passed + counts.failed === 0) return { passed: 0, failed: 1, note: 'no tests ran' };
  if (exitCode !== 0 && counts.failed === 0) return { passed: counts.passed, failed: 1, note: `exit ${exitCode} with no failed test` };
  return counts.note ? counts : { passed: counts.passed, failed: counts.failed };
}

/**
 * @param {Array<{ name: string, passed: number, failed: number, seconds: number, note?: string }>} rows
 * @returns {string}
 */
export function formatSummaryTable(rows) {
  const header = ['stage', 'passed', 'failed', 'time', ''];
  const body = rows.map((row) => [row.name, String(row.passed), String(row.failed), `${Math.round(row.seconds)} s`, row.note ?? '']);
  const widths = header.map((_, column) => Math.max(...[header, ...body].map((cells) => cells[column].length)));
  const line = (cells) =>
    cells
      .map((cell, column) => (column === 1 || column === 2 || column === 3 ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
