// The export's other routes against the emulator (real SDK): booking delegate rows equal the
// emulator's booking ground truth, one application row per role with its targets in words, the
// access rules in WorkMail's order with the default marked (an array in JSON, a file of their own
// beside a CSV), and a route that could not be read named, never silently missing.
import assert from 'node:assert/strict';
import path from 'node:path';
import { readSeedFile } from '../../emulator/seed';
import type { SeedDocument, SeedOrganization } from '../../emulator/seed';
import { ACCESS_RULE_COLUMNS, EXPORT_COLUMNS, accessRulesFileBeside, writeAccessRulesCsv, writeCsv, writeJson, type RoutesForExport } from '../../src/workmail/exporters';
import { loadRoutes } from '../../src/workmail/routes/load';
import { collectScan, type OrganizationScan } from '../../src/workmail/scan';
import { StringSink, parseCsv, seedWith, startWorld, type Running } from './auditWorld';

const ROOT = path.join(__dirname, '..', '..');
const ACME = { organizationId: 'm-ac0e0000000000000000000000000001', region: 'us-east-1', alias: 'acme' } as const;
const READ_AT = new Date('2026-03-02T14:05:00.000Z');

function acmeOnly(): { seed: SeedDocument; org: SeedOrganization } {
  const sample = readSeedFile(path.join(ROOT, 'emulator', 'seeds', 'sample.json'));
  const org = sample.accounts.flatMap((account) => account.organizations ?? []).find((o) => o.id === ACME.organizationId)!;
  return { seed: seedWith(org), org };
}

const col = (name: (typeof EXPORT_COLUMNS)[number]) => EXPORT_COLUMNS.indexOf(name);

describe('exports of the other routes (real SDK against the emulator, sample organization acme)', function () {
  this.timeout(60_000);
  const { seed, org } = acmeOnly();
  const idOf = (name: string) => [...org.users!, ...org.groups!, ...org.resources!].find((e) => e.name === name)!.id;
  let running: Running;
  let snapshot: OrganizationScan;
  let routes: RoutesForExport;

  before(async () => {
    running = await startWorld(seed);
    snapshot = await collectScan(running.session, ACME);
    routes = { org: ACME, routes: await loadRoutes(running.session.routes, ACME, snapshot.directory.resources), directory: snapshot.directory.entities, readAt: READ_AT };
  });
  after(async () => {
    await running.stop();
  });
  afterEach(() => running.emu.setFaults({}));

  it('CSV: the permissions first, as before, then one row per resource and delegate equal to the booking ground truth, then one row per application', async () => {
    const sink = new StringSink();
    const summary = await writeCsv(snapshot.grants, sink, routes);
    const [header, ...rows] = parseCsv(sink.text);
    assert.deepEqual(header, [...EXPORT_COLUMNS]);
    assert.deepEqual(header!.slice(-2), ['route', 'details'], 'the new columns at the end: existing columns keep their place');
    const permissions = rows.filter((r) => r[col('route')] === 'permission');
    assert.equal(permissions.length, running.emu.grants(ACME.organizationId).length);
    assert.deepEqual(rows.slice(0, permissions.length), permissions, 'the permission rows come first');
    assert.ok(permissions.every((r) => r[col('details')] === ''));

    const delegateRows = rows.filter((r) => r[col('route')] === 'booking-delegate');
    const truth = running.emu.booking(ACME.organizationId).flatMap((b) => b.delegates.map((d) => `${b.resourceId}|${d.id}|${d.type.toLowerCase()}`));
    assert.deepEqual(delegateRows.map((r) => `${r[col('mailbox_id')]}|${r[col('grantee_id')]}|${r[col('grantee_kind')]}`).sort(), truth.sort());
    assert.equal(summary.bookingDelegates, truth.length);
    assert.ok(delegateRows.every((r) => r[col('rights')] === '' && r[col('mailbox_kind')] === 'resource' && r[col('read_at')] === READ_AT.toISOString()), 'no mailbox right, the time the routes were read');
    const atlas = delegateRows.filter((r) => r[col('mailbox_name')] === 'room-atlas');
    assert.deepEqual(atlas.map((r) => `${r[col('grantee_name')]}|${r[col('grantee_kind')]}|${r[col('grantee_state')]}`).sort(), ['executives|group|ENABLED', 'tara.singh|user|ENABLED'], 'a group delegate as WorkMail lists it, not expanded');
    assert.ok(atlas.every((r) => r[col('details')] === 'Accepts automatically · declines conflicts'), 'the booking options in words');
    assert.equal(delegateRows.find((r) => r[col('mailbox_name')] === 'room-borealis')?.[col('details')], 'Delegates approve every request');

    const roleRows = rows.filter((r) => r[col('route')] === 'impersonation-role');
    assert.deepEqual(roleRows.map((r) => r[col('grantee_name')]), ['CRM sync', 'E-discovery search', 'Mail archiver'], 'one row per role, by name');
    assert.equal(summary.applications, 3);
    assert.deepEqual(rows.slice(-3), roleRows, 'the applications last');
    const archiver = roleRows.find((r) => r[col('grantee_name')] === 'Mail archiver')!;
    assert.equal(archiver[col('mailbox_name')], 'Allow: everyone; Deny: alice.johnson', 'its targets in words where the mailbox goes');
    assert.equal(archiver[col('grantee_id')], '7d3f0a52-5c1e-4b8a-9f2d-3e6a1b0c4d01');
    assert.equal(archiver[col('grantee_kind')], 'application');
    assert.equal(archiver[col('rights')], '');
    assert.match(archiver[col('details')]!, /^read only, over EWS/);
    assert.match(roleRows.find((r) => r[col('grantee_name')] === 'CRM sync')![col('mailbox_name')]!, /^Allow: carol\.nguyen, .*william\.chen \(disabled\)/, 'a disabled target said so');
    assert.match(roleRows.find((r) => r[col('grantee_name')] === 'CRM sync')![col('details')]!, /^full access \(read and change\)/);
    assert.equal(roleRows.find((r) => r[col('grantee_name')] === 'E-discovery search')![col('mailbox_name')], 'Allow: everyone except samuel.osei, rachel.green');
    assert.deepEqual(summary.unreadRoutes, []);
  });

  it('the access rules beside a CSV: WorkMail\'s order, the default marked, users by name, IDs for scripts', async () => {
    const sink = new StringSink();
    assert.equal(await writeAccessRulesCsv(routes, sink), 3);
    const [header, ...rows] = parseCsv(sink.text);
    assert.deepEqual(header, [...ACCESS_RULE_COLUMNS]);
    const at = (name: (typeof ACCESS_RULE_COLUMNS)[number]) => ACCESS_RULE_COLUMNS.indexOf(name);
    assert.deepEqual(rows.map((r) => `${r[at('order')]} ${r[at('name')]} ${r[at('effect')]} ${r[at('default_rule')]}`), running.emu.accessControlRules(ACME.organizationId).map((rule, i) => `${i + 1} ${rule.name} ${rule.effect} ${rule.name === 'default-rule'}`));
    const noah = rows.find((r) => r[at('name')] === 'no-webmail-noah')!;
    assert.equal(noah[at('users')], 'noah.fischer');
    assert.equal(noah[at('user_ids')], idOf('noah.fischer'));
    assert.equal(noah[at('actions')], 'WebMail');
    assert.equal(noah[at('in_words')], 'Deny WebMail from every address, for noah.fischer');
    assert.equal(rows.find((r) => r[at('name')] === 'imap-office-only')![at('not_ip_ranges')], '198.51.100.0/24');
    assert.match(rows[0]![at('in_words')]!, /\(the default rule\)$/);
    assert.equal(accessRulesFileBeside('/tmp/out/grants.csv'), '/tmp/out/grants-access-rules.csv');
    assert.equal(accessRulesFileBeside('/tmp/out/grants'), '/tmp/out/grants-access-rules.csv');
  });

  it('JSON: the permissions with their route, then the booking delegates, the applications with their rules, the access rules and what could not be read', async () => {
    const sink = new StringSink();
    await writeJson(snapshot.grants, sink, { organization: ACME, routes });
    const document = JSON.parse(sink.text) as {
      grants: Array<{ route: string }>;
      bookingDelegates: Array<{ mailboxId: string; granteeId: string; rights: string[]; route: string; details: string; bookingOptions: { autoAcceptRequests?: boolean } | null }>;
      impersonationRoles: Array<{ roleId: string; roleName: string; type: string; targets: string; rules: Array<{ id: string; effect: string; targetUsers?: string[] }>; unknownTargets: string[]; route: string }>;
      accessRules: Array<{ order: number; name: string; defaultRule: boolean; inWords: string }> | null;
      unread: unknown[];
    };
    assert.ok(document.grants.every((g) => g.route === 'permission'));
    assert.equal(document.grants.length, running.emu.grants(ACME.organizationId).length, 'grants holds the mailbox permissions only, as before');
    const borealis = document.bookingDelegates.find((d) => d.mailboxId === idOf('room-borealis'))!;
    assert.equal(borealis.granteeId, idOf('umar.farouk'));
    assert.deepEqual(borealis.rights, []);
    assert.equal(borealis.route, 'booking-delegate');
    assert.equal(borealis.bookingOptions?.autoAcceptRequests, false);
    const truthRoles = running.emu.impersonationRoles(ACME.organizationId);
    assert.deepEqual(document.impersonationRoles.map((r) => r.roleId).sort(), truthRoles.map((r) => r.id).sort());
    const archiver = document.impersonationRoles.find((r) => r.roleName === 'Mail archiver')!;
    assert.equal(archiver.type, 'READ_ONLY');
    assert.deepEqual(archiver.rules.map((r) => `${r.id} ${r.effect} ${(r.targetUsers ?? []).join(',')}`), ['everyone ALLOW ', `not-the-ceo DENY ${idOf('alice.johnson')}`]);
    assert.deepEqual(archiver.unknownTargets, []);
    assert.deepEqual(document.accessRules?.map((r) => `${r.order} ${r.name} ${r.defaultRule}`), ['1 default-rule true', '2 imap-office-only false', '3 no-webmail-noah false']);
    assert.deepEqual(document.unread, []);
  });

  it('a route that could not be read is named in the JSON and the summary; unread access rules are null, never an empty list, and no access-rules file is written', async () => {
    running.emu.setFaults({
      rules: [
        { operation: 'ListImpersonationRoles', error: 'AccessDeniedException', status: 400, message: 'not allowed' },
        { operation: 'ListAccessControlRules', error: 'AccessDeniedException', status: 400, message: 'not allowed' },
        { operation: 'ListResourceDelegates', match: { ResourceId: idOf('room-atlas') }, error: 'AccessDeniedException', status: 400, message: 'not allowed' },
      ],
    });
    const partial: RoutesForExport = { ...routes, routes: await loadRoutes(running.session.routes, ACME, snapshot.directory.resources) };
    const sink = new StringSink();
    const summary = await writeJson(snapshot.grants, sink, { organization: ACME, routes: partial });
    const document = JSON.parse(sink.text) as { bookingDelegates: Array<{ mailboxId: string }>; impersonationRoles: unknown[]; accessRules: unknown; unread: Array<{ subject: string; code: string }> };
    assert.equal(document.accessRules, null);
    assert.deepEqual(document.impersonationRoles, []);
    assert.ok(!document.bookingDelegates.some((d) => d.mailboxId === idOf('room-atlas')), 'room-atlas has no delegate rows');
    assert.ok(document.bookingDelegates.some((d) => d.mailboxId === idOf('room-borealis')), 'the other resources are there');
    assert.deepEqual(document.unread.map((u) => `${u.subject}: ${u.code}`).sort(), ['the access rules: AccessDenied', 'the booking delegates of room-atlas: AccessDenied', 'the impersonation roles: AccessDenied']);
    assert.deepEqual(summary.unreadRoutes.map((u) => u.subject).sort(), ['the access rules', 'the booking delegates of room-atlas', 'the impersonation roles']);
    const rulesSink = new StringSink();
    assert.equal(await writeAccessRulesCsv(partial, rulesSink), undefined);
    assert.equal(rulesSink.text, '', 'nothing written: an empty file would say every mailbox is blocked');
    const csvSummary = await writeCsv(snapshot.grants, new StringSink(), partial);
    assert.equal(csvSummary.unreadRoutes.length, 3, 'the CSV writer tells its caller too');
  });
});

describe('exports of the other routes: every new cell is formula-guarded', function () {
  this.timeout(30_000);
  it('a role name, a rule description and a resource name a spreadsheet would run as formulas', async () => {
    const { org } = acmeOnly();
    const hostile: SeedOrganization = {
      ...org,
      resources: org.resources!.map((r) => (r.name === 'room-borealis' ? { ...r, name: '=HYPERLINK("http://x")' } : r)),
      impersonationRoles: org.impersonationRoles!.map((role) => (role.name === 'CRM sync' ? { ...role, name: '+SUM(1,2)' } : role)),
      accessControlRules: org.accessControlRules!.map((rule) => (rule.name === 'no-webmail-noah' ? { ...rule, description: '@cmd|calc' } : rule)),
    };
    const running = await startWorld(seedWith(hostile));
    try {
      const snapshot = await collectScan(running.session, ACME);
      const routes: RoutesForExport = { org: ACME, routes: await loadRoutes(running.session.routes, ACME, snapshot.directory.resources), directory: snapshot.directory.entities, readAt: READ_AT };
      const sink = new StringSink();
      await writeCsv(snapshot.grants, sink, routes);
      assert.ok(sink.text.includes(`\r\n"'=HYPERLINK(""http://x"")",`), 'the resource name on its delegate row');
      assert.ok(sink.text.includes(`,"'+SUM(1,2)",`), 'the role name');
      const rules = new StringSink();
      await writeAccessRulesCsv(routes, rules);
      assert.ok(rules.text.includes(`,'@cmd|calc,`), 'the rule description');
      assert.ok(!/(^|,)[=+@]/m.test(sink.text.replace(/"[^"]*"/g, '""')), 'no unguarded cell starts a formula');
    } finally {
      await running.stop();
    }
  });
});
