// Issue 15's figures: targets and verdicts, the table, the scan limits, and the check that the
// boto3 peer and the product exported the same rows. Arithmetic only; the bench does the measuring.
import * as assert from 'node:assert/strict';
import { compareExports, formatFigureTable, PEER_COMPARISON, formatMeasured, infoFigure, isBenchFigure, parseCsv, roundTrips, scanLimits, targetFigure } from '../../bench/lib';

describe('figures with targets (issue 15)', () => {
  it('checks each comparison at and around its limit', () => {
    assert.equal(targetFigure('ratio', 3, '×', 'le', 3).met, true);
    assert.equal(targetFigure('ratio', 3.01, '×', 'le', 3).met, false);
    assert.equal(targetFigure('scan', 0.9, '', 'ge', 0.9).met, true);
    assert.equal(targetFigure('scan', 0.899, '', 'ge', 0.9).met, false);
    assert.equal(targetFigure('failed', 0, 'mailboxes', 'eq', 0).met, true);
    assert.equal(targetFigure('failed', 1, 'mailboxes', 'eq', 0).met, false);
    assert.equal(targetFigure('ratio', 2, '×', 'ge', 2).target, '≥ 2 ×');
    assert.equal(targetFigure('same rows', 1, 'yes/no', 'eq', 1).target, '= yes');
    assert.equal(targetFigure('same rows', 0, 'yes/no', 'eq', 1).met, false);
  });

  it('a figure not measured has no verdict, and neither has information', () => {
    const missing = targetFigure('peer', null, '×', 'ge', 2);
    assert.equal(missing.met, null);
    assert.ok(Number.isNaN(missing.measured));
    assert.equal(formatMeasured(missing), 'not measured');
    const info = infoFigure('activation', 21.04, 'ms', 'absolute');
    assert.deepEqual([info.met, info.target, info.note], [null, 'information', 'absolute']);
  });

  it('formats each unit the table uses', () => {
    assert.equal(formatMeasured({ measured: 2.345, unit: '×' }), '2.35×');
    assert.equal(formatMeasured({ measured: 1.5, unit: 'round trips' }), '1.50 round trips');
    assert.equal(formatMeasured({ measured: 0.9123, unit: '' }), '0.912');
    assert.equal(formatMeasured({ measured: 1, unit: 'yes/no' }), 'yes');
    assert.equal(formatMeasured({ measured: 0, unit: 'yes/no' }), 'no');
    assert.equal(formatMeasured({ measured: 0, unit: 'mailboxes' }), '0 mailboxes');
    assert.equal(formatMeasured({ measured: 1, unit: 'calls' }), '1 call');
    assert.equal(formatMeasured({ measured: 412.6, unit: 'MB' }), '413 MB');
    assert.equal(formatMeasured({ measured: 3.21, unit: 's' }), '3.2 s');
  });

  it('prints a row per figure with its target, verdict and note', () => {
    const table = formatFigureTable([
      targetFigure('activation ÷ minimal extension', 4.2, '×', 'le', 3, 'per run: 4.0, 4.4'),
      targetFigure('scan at 10/s, 50 ms: ideal / measured', 0.95, '', 'ge', 0.9),
      infoFigure('activation (median)', 30, 'ms'),
      targetFigure('boto3 script ÷ product export: wall time', null, '×', 'ge', 2),
    ]);
    const lines = table.split('\n');
    assert.equal(lines.length, 6);
    assert.match(lines[2]!, /activation ÷ minimal extension\s*\| 4\.20×\s*\| ≤ 3 ×\s*\| NOT MET\s*\| per run: 4\.0, 4\.4/);
    assert.match(lines[3]!, /\| 0\.950\s*\| ≥ 0\.9\s*\| met /);
    assert.match(lines[4]!, /\| 30\.0 ms\s*\| information\s*\| — /);
    assert.match(lines[5]!, /\| not measured\s*\| ≥ 2 ×\s*\| not measured/);
  });

  it('accepts the figures bench/scale.ts returns and refuses anything else', () => {
    assert.ok(isBenchFigure({ name: 'peak RSS', measured: 410, unit: 'MB', target: '< 500 MB', met: true }));
    assert.ok(isBenchFigure({ name: 'x', measured: Number.NaN, unit: '', target: 't', met: null, note: 'n' }));
    assert.ok(!isBenchFigure({ name: 'x', measured: '410', unit: 'MB', target: '< 500 MB', met: true }));
    assert.ok(!isBenchFigure({ name: 'x', measured: 1, unit: 'MB', target: '< 500 MB', met: 'yes' }));
    assert.ok(!isBenchFigure(null));
  });

  it('scans at the four limits of the issue, smaller with --quick, one size with --scan-users', () => {
    const limits = (quick: boolean, users?: number) => scanLimits(quick, users).map((l) => [l.rateLimitPerSecond, l.latencyMs, l.users] as const);
    assert.deepEqual(
      limits(false).map(([rate, latency]) => [rate, latency]),
      [
        [10, 50],
        [50, 50],
        [200, 50],
        [50, 200],
      ],
    );
    assert.ok(limits(true).every(([, , users], i) => users < limits(false)[i]![2]));
    assert.ok(limits(false, 300).every(([, , users]) => users === 300));
  });

  it('turns a wait into round trips of the latency', () => {
    assert.equal(roundTrips(100, 50), 2);
    assert.ok(Number.isNaN(roundTrips(100, 0)));
  });
});

describe('the peer export against the product export', () => {
  const header = 'organization,mailbox_id,mailbox_name,rights\r\n';

  it('reads quoted fields, doubled quotes, embedded commas and line breaks, CRLF and LF', () => {
    assert.deepEqual(parseCsv('a,"b,c","say ""hi"""\r\n"two\nlines",,x\n'), [
      ['a', 'b,c', 'say "hi"'],
      ['two\nlines', '', 'x'],
    ]);
    assert.deepEqual(parseCsv('a,b'), [['a', 'b']]);
    assert.deepEqual(parseCsv(''), []);
  });

  it('equal when only the order of rows, of rights within a row, or the quoting differs', () => {
    const product = `${header}m-1,u-1,Alice,FULL_ACCESS;SEND_AS\r\nm-1,u-2,"Bob",SEND_ON_BEHALF\r\n`;
    const peer = `${header}m-1,u-2,Bob,SEND_ON_BEHALF\r\nm-1,u-1,Alice,SEND_AS;FULL_ACCESS\r\n`;
    const result = compareExports(product, peer);
    assert.equal(result.equal, true);
    assert.deepEqual([result.rowsA, result.rowsB], [2, 2]);
  });

  it('different when a row is missing, changed or duplicated, or the columns differ', () => {
    const product = `${header}m-1,u-1,Alice,FULL_ACCESS\r\nm-1,u-2,Bob,SEND_AS\r\n`;
    const missing = compareExports(product, `${header}m-1,u-1,Alice,FULL_ACCESS\r\n`);
    assert.equal(missing.equal, false);
    assert.equal(missing.onlyInA.length, 1);
    assert.match(missing.onlyInA[0]!, /u-2/);
    const changed = compareExports(product, `${header}m-1,u-1,Alice,FULL_ACCESS\r\nm-1,u-2,Bob,SEND_ON_BEHALF\r\n`);
    assert.equal(changed.equal, false);
    assert.match(changed.onlyInB[0]!, /SEND_ON_BEHALF/);
    const duplicated = compareExports(product, `${product}m-1,u-2,Bob,SEND_AS\r\n`);
    assert.equal(duplicated.equal, false);
    assert.equal(duplicated.onlyInB.length, 1);
    const columns = compareExports(product, product.replace('rights', 'permissions'));
    assert.equal(columns.equal, false);
    assert.equal(columns.headerEqual, false);
  });

  it("the peer's comparison: the product's permission rows only, without read_at, route and details", () => {
    // The product's export as it is now: the columns the peer writes, then read_at, route, details;
    // a booking delegate and an application beside the grants.
    const columns = 'mailbox_name,grantee_name,rights,mailbox_id,grantee_id';
    const product = [
      `${columns},read_at,route,details\r\n`,
      'Ana,Bob,FULL_ACCESS;SEND_AS,m-ana,u-bob,2026-11-01T10:00:00.000Z,permission,\r\n',
      'Bob,Ana,SEND_ON_BEHALF,m-bob,u-ana,2026-11-01T10:00:09.000Z,permission,\r\n',
      'room-atlas,Tara,,r-atlas,u-tara,2026-11-01T10:00:10.000Z,booking-delegate,Accepts automatically\r\n',
      '"Allow: everyone",Archiver,,,role-1,2026-11-01T10:00:10.000Z,impersonation-role,"read only, over EWS"\r\n',
    ].join('');
    const peer = `${columns}\r\nBob,Ana,SEND_ON_BEHALF,m-bob,u-ana\r\nAna,Bob,SEND_AS;FULL_ACCESS,m-ana,u-bob\r\n`;
    const same = compareExports(product, peer, PEER_COMPARISON);
    assert.equal(same.equal, true, JSON.stringify(same));
    assert.deepEqual([same.rowsA, same.rowsB], [2, 2]);
    // Taken as they are, the two differ: the columns, and the rows of the other routes.
    assert.equal(compareExports(product, peer).equal, false);
    // Narrowed, a permission row still counts: one missing or changed is a difference.
    const missing = compareExports(product, peer.replace('Bob,Ana,SEND_ON_BEHALF,m-bob,u-ana\r\n', ''), PEER_COMPARISON);
    assert.equal(missing.equal, false);
    assert.match(missing.onlyInA[0]!, /u-ana/);
    const changed = compareExports(product, peer.replace('SEND_ON_BEHALF', 'SEND_AS'), PEER_COMPARISON);
    assert.equal(changed.equal, false);
    // And a column the peer lacks that is not one of the three still shows.
    assert.equal(compareExports(product, peer.replace(',grantee_id', '').replace(/,u-(ana|bob)\r\n/g, '\r\n'), PEER_COMPARISON).headerEqual, false);
  });
});
