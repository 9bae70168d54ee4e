// The counting behind `npm test`'s final line: if it misreads a stage, a failing run can print
// "0 failed", so these cases are the ways a stage can end.
import * as assert from 'node:assert/strict';
import { formatSummaryTable, stageCounts } from '../../scripts/lib/stages.mjs';
import { formatAutomationLog, isWorkbenchNoise, parseFinalLine, parseHostSummary, parseMochaEpilogue, parseUiSummary } from '../../scripts/lib/summary.mjs';

const MOCHA_PASS = `
  rights
    ✔ normalizes
    ✔ diffs


  12 passing (1s)
`;

const MOCHA_FAIL = `
  12 passing (3s)
  1 pending
  2 failing

  1) rights
       diffs:
     AssertionError: 3 passing is not a summary line
`;

describe('test summary parsing', () => {
  describe('mocha epilogue', () => {
    it('reads passing, failing and pending counts', () => {
      assert.deepEqual(parseMochaEpilogue(MOCHA_PASS), { passed: 12, failed: 0, pending: 0 });
      assert.deepEqual(parseMochaEpilogue(MOCHA_FAIL), { passed: 12, failed: 2, pending: 1 });
    });

    it('ignores colour codes', () => {
      assert.deepEqual(parseMochaEpilogue('\u001b[92m  \u001b[0m\u001b[32m 7 passing\u001b[0m\u001b[90m (5ms)\u001b[0m\n\u001b[31m  1 failing\u001b[0m\n'), {
        passed: 7,
        failed: 1,
        pending: 0,
      });
    });

    it('returns nothing when mocha crashed before its epilogue', () => {
      assert.equal(parseMochaEpilogue('Error: Cannot find module \'./missing\'\n    at require'), undefined);
    });
  });

  it('reads the last HOST-TESTS and UI-TESTS lines', () => {
    assert.deepEqual(parseHostSummary('noise\nHOST-TESTS: 3 passed, 1 failed\nmore\nHOST-TESTS: 29 passed, 0 failed\n'), { passed: 29, failed: 0 });
    assert.deepEqual(parseUiSummary('UI-TESTS: 6 passed, 2 failed'), { passed: 6, failed: 2 });
    assert.equal(parseHostSummary('  29 passing (7s)'), undefined);
  });

  it('reads the final line of npm test only when it stands alone', () => {
    assert.deepEqual(parseFinalLine('table\n\n217 passed, 0 failed\n'), { passed: 217, failed: 0 });
    assert.equal(parseFinalLine('HOST-TESTS: 2 passed, 0 failed'), undefined);
  });

  describe('stage counts', () => {
    it('counts a clean type-check as one passed check and each compiler error as a failure', () => {
      assert.deepEqual(stageCounts('tsc', '', 0), { passed: 1, failed: 0 });
      const errors = "src/a.ts(1,7): error TS2322: Type 'string' is not assignable.\nsrc/b.ts(2,1): error TS2304: Cannot find name 'x'.\n";
      assert.equal(stageCounts('tsc', errors, 2).failed, 2);
      assert.equal(stageCounts('tsc', 'tsc: command not found', 127).failed, 1);
    });

    it('counts a clean lint as one passed check and each reported problem as a failure', () => {
      assert.deepEqual(stageCounts('lint', '', 0), { passed: 1, failed: 0 });
      assert.deepEqual(stageCounts('lint', '/src/a.ts\n  1:1  error  x  rule\n\n✖ 3 problems (3 errors, 0 warnings)\n', 1), { passed: 0, failed: 3, note: '3 lint problem(s)' });
      assert.equal(stageCounts('lint', 'eslint: command not found', 127).failed, 1);
    });

    it('counts pending mocha tests as failures', () => {
      assert.deepEqual(stageCounts('mocha', MOCHA_FAIL, 2), { passed: 12, failed: 3, note: '1 pending' });
    });

    it('counts a crashed stage, a stage without tests and a non-zero exit without failures as failed', () => {
      assert.deepEqual(stageCounts('mocha', 'Segmentation fault', 139).failed, 1);
      assert.equal(stageCounts('host', 'HOST-TESTS: 0 passed, 0 failed', 1).failed, 1);
      assert.deepEqual(stageCounts('host', 'HOST-TESTS: 5 passed, 0 failed', 1), { passed: 5, failed: 1, note: 'exit 1 with no failed test' });
      assert.deepEqual(stageCounts('ui', 'UI-TESTS: 4 passed, 0 failed', 0), { passed: 4, failed: 0 });
    });
  });

  it('prints one table row per stage', () => {
    const table = formatSummaryTable([
      { name: 'type-check', passed: 1, failed: 0, seconds: 9.6 },
      { name: 'UI', passed: 4, failed: 1, seconds: 61, note: 'exit 1' },
    ]);
    const lines = table.split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[2]!, /^type-check\s+1\s+0\s+10 s$/);
    assert.match(lines[3]!, /^UI\s+4\s+1\s+61 s\s+exit 1$/);
  });

  describe('extension host console lines', () => {
    it('applies printf templates the way Node\'s console would', () => {
      assert.equal(formatAutomationLog(['  %d passing (%s)', 5, '2s']), '  5 passing (2s)');
    });

    it('drops devtools %c styling', () => {
      assert.equal(formatAutomationLog(['%c[Extension Host] %s', 'color: blue', 'hello']), 'hello');
    });

    it('recognizes the offline workbench\'s harmless noise, and nothing else', () => {
      assert.equal(isWorkbenchNoise('getaddrinfo ENOTFOUND open-vsx.org: Failed'), true);
      assert.equal(isWorkbenchNoise('  1) tree: organizations'), false);
    });
  });
});
