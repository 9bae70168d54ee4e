// The benchmark's own logic: flags, the ideal number of scan calls, budgets and the table.
// No timings here: the benchmark measures, the tests only check its arithmetic and verdicts.
import * as assert from 'node:assert/strict';
import {
  BUDGETS,
  evaluate,
  formatTable,
  idealScanCalls,
  idealSeconds,
  median,
  parseBenchArgs,
  scanLimits,
  scanLimitSelected,
  tallyCalls,
  UsageError,
  type BenchParameters,
} from '../../bench/lib';

function parse(args: string[]): BenchParameters {
  const parsed = parseBenchArgs(args, '/out/results.json');
  assert.notEqual(parsed, 'help');
  return parsed as BenchParameters;
}

describe('bench flags', () => {
  it('defaults to the issue numbers: 10,000 users, 50 ms, 10 requests/s; 9 activation runs (5 with the minimal extension first)', () => {
    const params = parse([]);
    assert.deepEqual(
      { users: params.users, scanUsers: params.scanUsers, latency: params.latencyMs, rate: params.rateLimitPerSecond, burst: params.rateLimitBurst, runs: params.activationRuns, out: params.out },
      { users: 10_000, scanUsers: undefined, latency: 50, rate: 10, burst: 10, runs: 9, out: '/out/results.json' },
    );
    assert.deepEqual(
      { peerUsers: params.peerUsers, uiSamples: params.uiSamples, skipPeer: params.skipPeer, skipUi: params.skipUi, skipScale: params.skipScale },
      { peerUsers: 500, uiSamples: 3, skipPeer: false, skipUi: false, skipScale: false },
    );
  });

  it('--quick shrinks the organization and the runs unless they are given', () => {
    assert.equal(parse(['--quick']).users, 1000);
    assert.equal(parse(['--quick']).activationRuns, 3);
    assert.equal(parse(['--quick', '--users', '2500']).users, 2500);
    assert.equal(parse(['--quick', '--users', '2500']).scanUsers, undefined, 'the scans keep their own sizes');
    assert.equal(parse(['--quick']).peerUsers, 200);
    assert.equal(parse(['--quick']).uiSamples, 2);
    assert.equal(parse(['--quick', '--peer-users', '50']).peerUsers, 50);
  });

  it('reads values in both spellings and keeps the scan size apart', () => {
    const params = parse(['--latency-ms=0', '--rate-limit', '25', '--scan-users', '300', '--no-host', '--skip-scan', '--skip-peer', '--skip-ui', '--skip-scale', '--ui-samples=4']);
    assert.deepEqual([params.skipPeer, params.skipUi, params.skipScale, params.uiSamples], [true, true, true, 4]);
    assert.equal(params.latencyMs, 0);
    assert.equal(params.rateLimitPerSecond, 25);
    assert.equal(params.rateLimitBurst, 25, 'the burst follows the rate, as in the emulator');
    assert.equal(params.scanUsers, 300);
    assert.equal(params.users, 10_000);
    assert.equal(params.noHost, true);
    assert.equal(params.skipScan, true);
  });

  it('--scan-only and --scan-limits keep only the scans, and only those named', () => {
    assert.equal(parse([]).scanOnly, false);
    assert.equal(parse(['--scan-only']).scanOnly, true);
    const filter = parse(['--scan-limits', '200/50,50/200']).scanLimitFilter;
    assert.deepEqual(filter, ['200/50', '50/200']);
    const kept = scanLimits(false).filter((limit) => scanLimitSelected(limit, filter)).map((limit) => `${limit.rateLimitPerSecond}/${limit.latencyMs}`);
    assert.deepEqual(kept.sort(), ['200/50', '50/200']);
    assert.equal(scanLimits(false).filter((limit) => scanLimitSelected(limit, undefined)).length, 4, 'every limit without the flag');
    assert.throws(() => parse(['--scan-limits', '100/50']), UsageError, 'a limit that is not one of the four');
  });

  it('--routes-only, --skip-routes and the route figures\' size and samples', () => {
    const params = parse([]);
    assert.deepEqual(
      { routesOnly: params.routesOnly, skipRoutes: params.skipRoutes, routesUsers: params.routesUsers, routesSamples: params.routesSamples },
      { routesOnly: false, skipRoutes: false, routesUsers: 10_000, routesSamples: 5 },
    );
    assert.equal(parse(['--routes-only']).routesOnly, true);
    assert.equal(parse(['--skip-routes']).skipRoutes, true);
    assert.equal(parse(['--quick']).routesUsers, 1000);
    assert.equal(parse(['--quick', '--routes-users', '10000']).routesUsers, 10_000);
    assert.equal(parse(['--routes-samples=7']).routesSamples, 7);
    assert.throws(() => parse(['--routes-samples', '0']), UsageError);
    assert.throws(() => parse(['--routes-only=yes']), UsageError);
  });

  it('refuses what it does not understand', () => {
    assert.throws(() => parse(['--users', 'many']), UsageError);
    assert.throws(() => parse(['--rate-limit', '0']), UsageError);
    assert.throws(() => parse(['--users']), UsageError);
    assert.throws(() => parse(['--fast']), UsageError);
    assert.throws(() => parse(['--quick=yes']), UsageError);
    assert.throws(() => parse(['10000']), UsageError);
    assert.throws(() => parse(['--peer-users', '0']), UsageError);
    assert.throws(() => parse(['--skip-peer=1']), UsageError);
    assert.equal(parseBenchArgs(['--help'], 'x'), 'help');
  });
});

describe('ideal scan calls', () => {
  it('counts every directory page, one List per mailbox (empty ones too), extra pages past 100 grants, and one Describe per unknown grantee', () => {
    const mailboxIds = ['a', 'b', 'c', 'd'];
    const ideal = idealScanCalls({
      users: 250,
      groups: 0,
      resources: 100,
      grantsPerMailbox: new Map([
        ['a', 3],
        ['b', 100],
        ['c', 101],
      ]),
      mailboxIds,
      unknownGrantees: 7,
    });
    // users 3 pages, groups 1 (an empty list is still one call), resources 1
    assert.equal(ideal.directory, 5);
    // a 1, b 1, c 2, d (no grants) 1
    assert.equal(ideal.permissions, 5);
    assert.equal(ideal.describes, 7);
    assert.equal(ideal.total, 17);
  });

  it('gives the first burst for free and the rest at the rate', () => {
    assert.equal(idealSeconds(1010, 10, 10), 100);
    assert.equal(idealSeconds(5, 10, 10), 0);
  });
});

describe('budgets', () => {
  it('passes and fails each figure against the issue budgets', () => {
    const verdicts = evaluate({ bundleBytes: 600 * 1024, firstPageCalls: 1, granteeExpandCalls: 2, grantCalls: 3, peakRssMb: 299.9 });
    const byFigure = Object.fromEntries(verdicts.map((v) => [v.figure, v.pass]));
    assert.deepEqual(byFigure, { bundleBytes: true, firstPageCalls: true, granteeExpandCalls: false, grantCalls: true, peakRssMb: true });
  });

  it('a bundle of exactly 1.5 MB and a grant in two calls both fail (under, and exactly three)', () => {
    const verdicts = evaluate({ bundleBytes: 1.5 * 1024 * 1024, grantCalls: 2 });
    assert.equal(verdicts.find((v) => v.figure === 'bundleBytes')?.pass, false);
    assert.equal(verdicts.find((v) => v.figure === 'grantCalls')?.pass, false);
  });

  it('marks figures that were not measured instead of passing them', () => {
    const verdicts = evaluate({ bundleBytes: 1000, grantCalls: null, peakRssMb: Number.NaN });
    assert.equal(verdicts.find((v) => v.figure === 'grantCalls')?.pass, null);
    assert.equal(verdicts.find((v) => v.figure === 'peakRssMb')?.pass, null);
    assert.equal(verdicts.find((v) => v.figure === 'firstPageCalls')?.pass, null);
    assert.equal(verdicts.length, BUDGETS.length);
  });

  it('prints one row per budget with the measured value, the budget and the verdict', () => {
    const table = formatTable(evaluate({ bundleBytes: 2 * 1024 * 1024, grantCalls: 3 }));
    const lines = table.split('\n');
    assert.equal(lines.length, 2 + BUDGETS.length);
    assert.match(table, /bundle \(dist\/extension\.js \+ deferred\.js \+ workmail\.js\)\s*\| 2\.00 MB\s*\| < 1\.50 MB\s*\| FAIL/);
    assert.match(table, /one grant: calls\s*\| 3 calls\s*\| = 3 calls\s*\| pass/);
    assert.match(table, /peak RSS[^|]*\| not measured\s*\| < 300 MB\s*\| —/);
  });

  it('says "1 call" and "3 calls"', () => {
    const table = formatTable(evaluate({ firstPageCalls: 1, grantCalls: 3 }));
    assert.match(table, /first page of Users: calls\s*\| 1 call\s*\| = 1 call\s*\|/);
    assert.match(table, /one grant: calls\s*\| 3 calls\s*\|/);
  });
});

describe('helpers', () => {
  it('median of odd and even sample counts', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  it('tallies the emulator log: throttled calls apart from answered ones', () => {
    const tally = tallyCalls([
      { operation: 'ListUsers', status: 200 },
      { operation: 'ListMailboxPermissions', status: 400, errorCode: 'ThrottlingException' },
      { operation: 'ListMailboxPermissions', status: 200 },
      { operation: 'DescribeUser', status: 400, errorCode: 'EntityNotFoundException' },
    ]);
    assert.deepEqual(tally, {
      total: 4,
      answered: 3,
      throttled: 1,
      errors: { EntityNotFoundException: 1 },
      byOperation: { ListUsers: 1, ListMailboxPermissions: 2, DescribeUser: 1 },
    });
  });
});
