// The audit subcommands over the other routes, against the sample organization: `export` (the
// booking delegates and applications in the rows, the access rules in a file of their own beside a
// CSV, named in the completion message, or in the JSON document), `stale` (stale delegates and
// role targets) and `access-of` (booking delegations and applications acting as a person); a route
// part that could not be read is on stderr with exit 3, never silently missing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index';
import { ACCESS_RULE_COLUMNS, EXPORT_COLUMNS } from '../../src/workmail/exporters';
import { parseCsv } from '../workmail/auditWorld';
import { cli } from './support';

const ACME = 'm-ac0e0000000000000000000000000001';
const ours = (stderr: string) => stderr.split('\n').filter((line) => !line.startsWith('npm warn')).join('\n');

describe('workmail-permissions export, stale and access-of: the other routes', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let dir: string;
  const connect = () => ['--profile', 'emulator', '--endpoint', emu.url, '--organization', 'acme', '--region', 'us-east-1'];

  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-cli-routes-'));
  });
  afterEach(() => {
    emu.setFaults({});
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('CSV to a file: delegate and application rows, the access rules beside it, both named when it ends', async () => {
    const out = path.join(dir, 'acme.csv');
    const result = await cli(['export', ...connect(), '--out', out]);
    assert.equal(result.code, 0, ours(result.stderr));
    const rules = path.join(dir, 'acme-access-rules.csv');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['acme-access-rules.csv', 'acme.csv']);
    assert.match(ours(result.stderr), new RegExp(`Exported \\d+ permissions on \\d+ mailboxes, 3 booking delegates and 3 applications of acme \\(${ACME}\\) to ${out.replace(/[.\\/]/g, '\\$&')}; the access rules \\(3\\) to ${rules.replace(/[.\\/]/g, '\\$&')}\\.`));
    const [header, ...rows] = parseCsv(fs.readFileSync(out, 'utf8'));
    assert.deepEqual(header, [...EXPORT_COLUMNS]);
    const route = EXPORT_COLUMNS.indexOf('route');
    const truth = emu.booking(ACME).flatMap((b) => b.delegates.map((d) => `${b.resourceId}|${d.id}`));
    assert.deepEqual(rows.filter((r) => r[route] === 'booking-delegate').map((r) => `${r[EXPORT_COLUMNS.indexOf('mailbox_id')]}|${r[EXPORT_COLUMNS.indexOf('grantee_id')]}`).sort(), truth.sort());
    assert.deepEqual(rows.filter((r) => r[route] === 'impersonation-role').map((r) => r[EXPORT_COLUMNS.indexOf('grantee_name')]), ['CRM sync', 'E-discovery search', 'Mail archiver']);
    const [rulesHeader, ...ruleRows] = parseCsv(fs.readFileSync(rules, 'utf8'));
    assert.deepEqual(rulesHeader, [...ACCESS_RULE_COLUMNS]);
    assert.deepEqual(ruleRows.map((r) => r[1]), emu.accessControlRules(ACME).map((rule) => rule.name), "WorkMail's order");
  });

  it('CSV to standard output says where the access rules are not, and how to get them', async () => {
    const result = await cli(['export', ...connect(), '--quiet']);
    assert.equal(result.code, 0, ours(result.stderr));
    assert.match(result.stdout, /,booking-delegate,Delegates approve every request\r$/m);
    assert.match(ours(result.stderr), /the access rules are not in this export: .*standard output.*--out FILE\.csv.*--format json/);
  });

  it('JSON: the access rules in the document; a route part not read is on stderr, exit 3, and in the document', async () => {
    emu.setFaults({ rules: [{ operation: 'ListImpersonationRoles', error: 'AccessDeniedException', status: 400, message: 'not allowed to list roles' }] });
    const out = path.join(dir, 'acme.json');
    const result = await cli(['export', ...connect(), '--format', 'json', '--out', out, '--quiet']);
    assert.equal(result.code, 3, ours(result.stderr));
    assert.match(ours(result.stderr), /incomplete: 1 item could not be read/);
    assert.match(ours(result.stderr), /the impersonation roles: Access denied/);
    const document = JSON.parse(fs.readFileSync(out, 'utf8')) as { accessRules: Array<{ name: string; defaultRule: boolean }>; impersonationRoles: unknown[]; unread: Array<{ subject: string }> };
    assert.deepEqual(document.accessRules.map((r) => `${r.name} ${r.defaultRule}`), ['default-rule true', 'imap-office-only false', 'no-webmail-noah false']);
    assert.deepEqual(document.impersonationRoles, []);
    assert.deepEqual(document.unread.map((u) => u.subject), ['the impersonation roles']);
    assert.deepEqual(fs.readdirSync(dir), ['acme.json'], 'no access-rules file beside a JSON export');
  });

  it('access rules that could not be read: no access-rules file beside the CSV (an empty one would say every mailbox is blocked), exit 3', async () => {
    emu.setFaults({ rules: [{ operation: 'ListAccessControlRules', error: 'AccessDeniedException', status: 400, message: 'no' }] });
    const out = path.join(dir, 'acme.csv');
    const result = await cli(['export', ...connect(), '--out', out, '--quiet']);
    assert.equal(result.code, 3);
    assert.match(ours(result.stderr), /the access rules: Access denied/);
    assert.deepEqual(fs.readdirSync(dir), ['acme.csv']);
  });

  it('stale: a disabled delegate with what to do, and the application rule naming a disabled user; read only', async () => {
    const tara = '97fb6206-9d15-4590-a32e-417424eaaed6';
    emu.setEntityState(ACME, tara, 'DISABLED');
    try {
      const before = JSON.stringify([emu.booking(ACME), emu.impersonationRoles(ACME), emu.grants(ACME)]);
      const text = await cli(['stale', ...connect(), '--quiet']);
      assert.equal(text.code, 0, ours(text.stderr));
      assert.match(text.stdout, /^1 stale booking delegate:\n {2}room-atlas <room-atlas@acme\.example\.com> \(resource\) {2}<- {2}Tara Singh <tara\.singh@acme\.example\.com> \(user, disabled\) {2}booking delegate {2}\(the delegate is disabled; remove with Remove Booking Delegate\)$/m);
      assert.match(text.stdout, /^1 application with stale rules:\n {2}CRM sync \(full access\) {2}\(rule "Sales department" names william\.chen, who is disabled; change the role's rules in the WorkMail console/m);
      const json = await cli(['stale', ...connect(), '--quiet', '--format', 'json']);
      const document = JSON.parse(json.stdout) as { staleBookingDelegates: Array<{ delegateId: string; reasons: string[] }>; staleApplications: Array<{ roleName: string; reasons: string[]; targets: Array<{ reason: string }> }>; unreadRoutes: string[] };
      assert.deepEqual(document.staleBookingDelegates.map((d) => `${d.delegateId} ${d.reasons.join(',')}`), [`${tara} delegate-disabled`]);
      assert.deepEqual(document.staleApplications.map((r) => `${r.roleName} ${r.reasons.join(',')} ${r.targets.map((t) => t.reason).join(',')}`), ['CRM sync  target-disabled']);
      assert.deepEqual(document.unreadRoutes, []);
      assert.equal(JSON.stringify([emu.booking(ACME), emu.impersonationRoles(ACME), emu.grants(ACME)]), before, 'nothing changed');
    } finally {
      emu.setEntityState(ACME, tara, 'ENABLED');
    }
  });

  it('access-of: the rooms a person is a booking delegate of (through nested groups too) and the applications that may act as them', async () => {
    const alice = await cli(['access-of', ...connect(), '--quiet', '--entity', 'alice.johnson@acme.example.com']);
    assert.equal(alice.code, 0, ours(alice.stderr));
    assert.match(alice.stdout, /^Booking delegate of 1 resource \(receives its booking requests, full access to its calendar\):\n {2}room-atlas <room-atlas@acme\.example\.com> \(resource\) {2}via executives$/m);
    assert.match(alice.stdout, /^1 application may act as them over EWS \(impersonation\), and so reach everything above:\n {2}E-discovery search \(read only\)$/m, 'the archiver\'s DENY names her');
    const tara = await cli(['access-of', ...connect(), '--quiet', '--entity', 'tara.singh', '--format', 'json']);
    const document = JSON.parse(tara.stdout) as { bookingDelegateOf: Array<{ resourceName: string; path: string }>; applications: Array<{ name: string }>; unreadRoutes: string[]; incomplete: boolean };
    assert.deepEqual(document.bookingDelegateOf.map((d) => `${d.resourceName} ${d.path}`), ['room-atlas direct']);
    assert.deepEqual(document.applications.map((a) => a.name).sort(), ['E-discovery search', 'Mail archiver']);
    assert.deepEqual(document.unreadRoutes, []);
    assert.equal(document.incomplete, false);
  });
});
