import assert from 'node:assert/strict';
import path from 'node:path';
import { EXPORT_COLUMNS, csvCell, writeCsv, writeJson, sortScan, type RoutesForExport } from '../../src/workmail/exporters';
import { loadRoutes } from '../../src/workmail/routes/load';
import { WorkMailError } from '../../src/workmail/errors';
import { collectScan, type ScanRecord, type OrganizationScan } from '../../src/workmail/scan';
import { readSeedFile } from '../../emulator/seed';
import { AUDIT_ORG, FIXTURE_ORG, StringSink, auditWorld, expectGolden, parseCsv, startWorld, type Running } from './auditWorld';

const unguard = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

describe('exports of a scanned organization (real SDK against the emulator)', function () {
  this.timeout(60_000);
  const world = auditWorld();
  let running: Running;
  let snapshot: OrganizationScan;

  before(async () => {
    running = await startWorld(world.seed);
    snapshot = await collectScan(running.session, AUDIT_ORG);
  });
  after(async () => {
    await running.stop();
  });

  it('CSV equals the emulator ground truth row for row, in mailbox then grantee order', async () => {
    const sink = new StringSink();
    const summary = await writeCsv(snapshot.grants, sink);
    const [header, ...rows] = parseCsv(sink.text);
    assert.deepEqual(header, [...EXPORT_COLUMNS]);
    const truth = running.emu.grants(AUDIT_ORG.organizationId);
    assert.equal(rows.length, truth.length);
    assert.equal(summary.rows, truth.length);
    const col = (name: (typeof EXPORT_COLUMNS)[number]) => EXPORT_COLUMNS.indexOf(name);
    const exported = rows.map((r) => `${r[col('mailbox_id')]}|${unguard(r[col('grantee_id')]!)}|${r[col('rights')]}`).sort();
    const expected = truth.map((g) => `${g.mailboxId}|${g.granteeId}|${[...g.rights].join(';')}`).sort();
    assert.deepEqual(exported, expected);
    const entities = new Map([...world.org.users!, ...world.org.groups!, ...world.org.resources!].map((e) => [e.id, e]));
    for (const row of rows) {
      assert.equal(row[col('organization')], AUDIT_ORG.organizationId);
      const mailbox = entities.get(row[col('mailbox_id')]!)!;
      assert.equal(row[col('mailbox_email')], mailbox.email ?? '');
      assert.equal(unguard(row[col('mailbox_name')]!), mailbox.name);
      assert.equal(row[col('mailbox_state')], mailbox.state ?? 'ENABLED');
      const grantee = entities.get(row[col('grantee_id')]!);
      assert.equal(row[col('grantee_state')], grantee ? (grantee.state ?? 'ENABLED') : 'UNKNOWN');
      assert.equal(row[col('grantee_email')], grantee?.email ?? '');
    }
    // Stable order: mailbox email, then grantee email (unknown grantees last).
    const keys = rows.map((r) => [r[col('mailbox_email')]!.toLowerCase(), r[col('mailbox_id')]!]);
    for (let i = 1; i < keys.length; i++) {
      assert.ok(keys[i - 1]![0]! <= keys[i]![0]!, `row ${i} out of mailbox order`);
    }
  });

  it('JSON holds the same rows, and the same scan in a different arrival order gives identical output', async () => {
    const first = new StringSink();
    await writeJson(snapshot.grants, first, { organization: FIXTURE_ORG });
    const document = JSON.parse(first.text) as { grants: Array<{ mailboxId: string; granteeId: string; rights: string[] }>; failures: unknown[] };
    assert.equal(document.grants.length, running.emu.grants(AUDIT_ORG.organizationId).length);
    assert.deepEqual(document.failures, []);
    const shuffled = [...snapshot.grants].reverse();
    const second = new StringSink();
    await writeJson(shuffled, second, { organization: FIXTURE_ORG });
    assert.equal(second.text, first.text);
  });

  it('writes a mailbox at a time and waits for a slow destination to drain', async () => {
    const sorted = await sortScan(snapshot.grants);
    const sink = new StringSink(1, 256);
    const fast = new StringSink();
    await writeCsv(sorted, sink);
    await writeCsv(sorted, fast);
    assert.equal(sink.text, fast.text);
    assert.equal(sink.chunks.length, sorted.mailboxes.length + 1, 'the header, then one chunk per mailbox');
    const largest = Math.max(...sink.chunks.map((c) => c.length));
    assert.ok(largest < 20_000, 'no chunk holds more than one mailbox');
  });
});

describe('exports of the fixture organization (golden files)', function () {
  this.timeout(30_000);
  let running: Running;
  let snapshot: OrganizationScan;
  let routes: RoutesForExport;

  before(async () => {
    running = await startWorld(readSeedFile(path.join(__dirname, '..', 'fixtures', 'audit-seed.json')));
    // A fixed clock: every mailbox is dated as read at the golden files' time.
    snapshot = await collectScan(running.session, FIXTURE_ORG, {}, () => new Date('2026-03-02T14:01:30.000Z'));
    // Two resources without delegates, no application, WorkMail's default access rule alone.
    routes = { org: FIXTURE_ORG, routes: await loadRoutes(running.session.routes, FIXTURE_ORG, snapshot.directory.resources), directory: snapshot.directory.entities, readAt: new Date('2026-03-02T14:01:31.000Z') };
  });
  after(async () => {
    await running.stop();
  });

  it('CSV matches the golden file', async () => {
    const sink = new StringSink();
    await writeCsv(snapshot.grants, sink, routes);
    expectGolden('fixture.export.csv', sink.text);
  });

  it('JSON matches the golden file', async () => {
    const sink = new StringSink();
    await writeJson(snapshot.grants, sink, { organization: FIXTURE_ORG, routes });
    expectGolden('fixture.export.json', sink.text);
  });

  it('guards a name that a spreadsheet would run as a formula, and quotes commas, quotes and line breaks', async () => {
    const sink = new StringSink();
    await writeCsv(snapshot.grants, sink);
    assert.ok(sink.text.includes(`,"'=HYPERLINK(""http://x"")",`));
    assert.ok(sink.text.includes(`,'-risky@fixture.example.com,`));
  });
});

describe('csvCell and failures (pure)', () => {
  it('quotes per RFC 4180 only when needed', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell(''), '');
  });

  it('prefixes cells a spreadsheet would run as formulas', () => {
    for (const risky of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) {
      assert.equal(csvCell(risky).replace(/^"/, '').startsWith(`'`), true, risky);
    }
    assert.equal(csvCell('=A1,B1'), `"'=A1,B1"`);
    assert.equal(csvCell('a=b'), 'a=b');
  });

  it('never drops a mailbox that could not be read: it is in the summary and in the JSON', async () => {
    const org = { organizationId: FIXTURE_ORG.organizationId, region: 'us-east-1' };
    const mailbox = { id: 'mb-1', kind: 'user' as const, name: 'ana', email: 'ana@x.example.com', state: 'ENABLED' as const };
    const records: ScanRecord[] = [{ type: 'failure', org, mailbox, error: new WorkMailError('AccessDenied', 'Access denied.') }];
    const csv = await writeCsv(records, new StringSink());
    assert.equal(csv.rows, 0);
    assert.deepEqual(csv.failures.map((f) => f.mailbox.id), ['mb-1']);
    const sink = new StringSink();
    await writeJson(records, sink, { organization: org, readAt: new Date('2026-01-02T03:04:05Z') });
    const document = JSON.parse(sink.text);
    assert.equal(document.readAt, '2026-01-02T03:04:05.000Z');
    assert.deepEqual(document.failures, [{ mailboxId: 'mb-1', mailboxName: 'ana', mailboxEmail: 'ana@x.example.com', mailboxKind: 'user', code: 'AccessDenied', message: 'Access denied.' }]);
  });
});
