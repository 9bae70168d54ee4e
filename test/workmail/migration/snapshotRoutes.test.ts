// The routes in the snapshot (version 2): made with the real SDK against the emulator's sample
// organization (acme: room-atlas, room-borealis, projector-1, three impersonation roles, three
// access rules), equal to what the emulator holds, written one item a line and read back exactly;
// a part that cannot be read recorded as unread with the reason; names no file can break; a
// version 1 file still loading, saying it did not record them; and the checks that name the field.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateImpersonationRoleCommand, WorkMailClient } from '@aws-sdk/client-workmail';
import { EMULATOR_CREDENTIALS, SAMPLE_ORGS, startEmulator, type Emulator } from '../../../emulator/index';
import { loadMembership } from '../../../src/workmail/groups';
import { SNAPSHOT_VERSION, type Snapshot } from '../../../src/workmail/migration/schema';
import { parseSnapshot, readSnapshot, snapshotEntitiesOf, snapshotFromScan, writeSnapshot } from '../../../src/workmail/migration/snapshot';
import { loadAliases } from '../../../src/workmail/aliases';
import { recordedRoutes } from '../../../src/workmail/migration/snapshotRoutes';
import { loadRoutes } from '../../../src/workmail/routes/load';
import { collectScan } from '../../../src/workmail/scan';
import { WorkMailSession } from '../../../src/workmail/session';
import { sampleCurrentSnapshot, sampleSnapshot } from './support';

const acme = { organizationId: SAMPLE_ORGS.acme, region: 'us-east-1' };
const ROUTE_CALLS = ['ListResourceDelegates', 'DescribeResource', 'ListImpersonationRoles', 'GetImpersonationRole', 'ListAccessControlRules'];

describe('migration snapshot: routes (real SDK against the sample organization)', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let session: WorkMailSession;
  let dir: string;

  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    emu.setFaults({});
    session = new WorkMailSession({ endpoint: emu.url, credentials: async () => EMULATOR_CREDENTIALS.default, maxAttempts: 1 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-snapshot-routes-'));
  });
  afterEach(() => {
    emu.setFaults({});
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records every booking delegate and option, every role with its rules and every access rule in order, as WorkMail holds them, and reads back exactly', async () => {
    const scan = await collectScan(session, acme);
    const snapshot = await snapshotFromScan(session, scan, { organization: { alias: 'acme' } });
    assert.equal(snapshot.version, SNAPSHOT_VERSION);
    const routes = snapshot.routes!;

    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    const booking = emu.booking(acme.organizationId);
    assert.deepEqual(
      routes.resources.map((r) => r.resourceId),
      booking.map((b) => b.resourceId).sort(),
      'each of room-atlas, room-borealis and projector-1',
    );
    for (const truth of booking) {
      const saved = routes.resources.find((r) => r.resourceId === truth.resourceId)!;
      assert.deepEqual(saved.delegates, [...truth.delegates].sort(byId), `delegates of ${truth.resourceId}`);
      assert.deepEqual(
        saved.bookingOptions,
        {
          autoAcceptRequests: truth.bookingOptions.AutoAcceptRequests,
          autoDeclineRecurringRequests: truth.bookingOptions.AutoDeclineRecurringRequests,
          autoDeclineConflictingRequests: truth.bookingOptions.AutoDeclineConflictingRequests,
        },
        `booking options of ${truth.resourceId}`,
      );
      assert.equal(saved.delegatesUnreadable, undefined);
    }
    assert.ok(routes.resources.some((r) => r.bookingOptions?.autoAcceptRequests === false), 'room-borealis: the delegates approve');

    const roles = emu.impersonationRoles(acme.organizationId);
    assert.equal(roles.length, 3);
    assert.deepEqual(
      routes.impersonationRoles!.map((role) => ({ id: role.id, name: role.name, type: role.type, description: role.description, rules: role.rules })),
      [...roles].sort(byId).map((role) => ({
        id: role.id,
        name: role.name,
        type: role.type,
        description: role.description,
        rules: role.rules.map((rule) => JSON.parse(JSON.stringify({ id: rule.id, name: rule.name, description: rule.description, effect: rule.effect, targetUsers: rule.targetUsers, notTargetUsers: rule.notTargetUsers }))),
      })),
    );

    const rules = emu.accessControlRules(acme.organizationId);
    assert.deepEqual(
      routes.accessRules!.map((rule) => rule.name),
      rules.map((rule) => rule.name),
      "in WorkMail's order",
    );
    assert.deepEqual(
      routes.accessRules!.filter((rule) => rule.default).map((rule) => rule.name),
      ['default-rule'],
      'the default rule, and only it, marked',
    );
    const imap = routes.accessRules!.find((rule) => rule.name === 'imap-office-only')!;
    assert.deepEqual({ effect: imap.effect, actions: imap.actions, notIpRanges: imap.notIpRanges }, { effect: 'DENY', actions: ['IMAP'], notIpRanges: ['198.51.100.0/24'] });
    assert.ok(routes.accessRules!.find((rule) => rule.name === 'no-webmail-noah')!.userIds!.length === 1);
    assert.equal(routes.impersonationRolesUnreadable, undefined);
    assert.equal(routes.accessRulesUnreadable, undefined);

    const file = path.join(dir, 'acme.json');
    await writeSnapshot(file, snapshot);
    assert.deepEqual(await readSnapshot(file), snapshot);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.filter((line) => /^ {6}\{"/.test(line)).length, 3 + 3 + 3, 'one resource, role or rule a line');
    assert.ok(lines.includes('  "routes": {'));
  });

  it('reads nothing again when given the routes already read with the scan', async () => {
    const scan = await collectScan(session, acme);
    const membership = await loadMembership(session, acme, scan.directory.groups);
    const routes = await loadRoutes(session.routes, acme, scan.directory.resources);
    const aliases = await loadAliases(session, acme, snapshotEntitiesOf(scan));
    emu.clearCalls();
    const snapshot = await snapshotFromScan(session, scan, { membership, routes, aliases });
    assert.deepEqual(emu.calls().map((call) => call.operation), [], 'no call at all');
    assert.equal(snapshot.routes!.resources.length, 3);
    emu.clearCalls();
    await snapshotFromScan(session, scan, { membership, aliases });
    const made = emu.calls().map((call) => call.operation);
    assert.ok(ROUTE_CALLS.every((operation) => made.includes(operation)), `reads them when not given: ${made.join(', ')}`);
  });

  it('records a part that cannot be read as unread with the reason, never as empty, and the file still loads', async () => {
    const scan = await collectScan(session, acme);
    const crm = emu.impersonationRoles(acme.organizationId).find((role) => role.name === 'CRM sync')!;
    const atlas = scan.directory.resources.find((r) => r.name === 'room-atlas')!;
    const projector = scan.directory.resources.find((r) => r.name === 'projector-1')!;
    emu.setFaults({
      rules: [
        { operation: 'ListResourceDelegates', match: { ResourceId: atlas.id }, error: 'EntityStateException', status: 400, message: 'resource is locked' },
        { operation: 'DescribeResource', match: { ResourceId: projector.id }, error: 'AccessDeniedException', status: 403, message: 'not allowed' },
        { operation: 'GetImpersonationRole', match: { ImpersonationRoleId: crm.id }, error: 'AccessDeniedException', status: 403, message: 'not allowed' },
        { operation: 'ListAccessControlRules', error: 'AccessDeniedException', status: 403, message: 'not allowed' },
      ],
    });
    const snapshot = await snapshotFromScan(session, scan);
    const routes = snapshot.routes!;
    const atlasRoutes = routes.resources.find((r) => r.resourceId === atlas.id)!;
    assert.equal(atlasRoutes.delegates, undefined, 'unknown delegates are not shown as none');
    assert.match(atlasRoutes.delegatesUnreadable!, /^EntityStateException: /);
    assert.ok(atlasRoutes.bookingOptions, 'its booking options were read');
    const projectorRoutes = routes.resources.find((r) => r.resourceId === projector.id)!;
    assert.equal(projectorRoutes.bookingOptions, undefined);
    assert.match(projectorRoutes.bookingOptionsUnreadable!, /^AccessDenied/);
    assert.deepEqual(projectorRoutes.delegates, [], 'the projector has no delegate, and that was read');
    const crmRole = routes.impersonationRoles!.find((role) => role.id === crm.id)!;
    assert.deepEqual({ name: crmRole.name, type: crmRole.type, rules: crmRole.rules }, { name: 'CRM sync', type: 'FULL_ACCESS', rules: undefined }, 'the role is kept, its rules unknown');
    assert.match(crmRole.rulesUnreadable!, /^AccessDenied/);
    assert.equal(routes.impersonationRoles!.length, 3);
    assert.equal(routes.accessRules, undefined);
    assert.match(routes.accessRulesUnreadable!, /^AccessDenied/);
    const file = path.join(dir, 'partial.json');
    await writeSnapshot(file, snapshot);
    assert.deepEqual(await readSnapshot(file), snapshot);

    emu.setFaults({ rules: [{ operation: 'ListImpersonationRoles', error: 'AccessDeniedException', status: 403, message: 'not allowed' }] });
    const noRoles = (await snapshotFromScan(session, scan)).routes!;
    assert.equal(noRoles.impersonationRoles, undefined);
    assert.match(noRoles.impersonationRolesUnreadable!, /^AccessDenied/);
    assert.equal(noRoles.accessRules!.length, 3);
  });

  it('keeps names and descriptions no file or line can be broken by, exactly', async () => {
    const hostile = 'Zq-sync "},{"id":"x" | *bold* \u202Eevil\u202C \u2028 ✉';
    const client = new WorkMailClient({ endpoint: emu.url, region: 'us-east-1', credentials: EMULATOR_CREDENTIALS.default });
    try {
      await client.send(
        new CreateImpersonationRoleCommand({
          OrganizationId: acme.organizationId,
          Name: hostile,
          Type: 'READ_ONLY',
          Description: 'line one\nline two "quoted"',
          Rules: [{ ImpersonationRuleId: 'all', Name: 'a | b', Effect: 'ALLOW' }],
        }),
      );
    } finally {
      client.destroy();
    }
    const scan = await collectScan(session, acme);
    const snapshot = await snapshotFromScan(session, scan);
    const role = snapshot.routes!.impersonationRoles!.find((r) => r.name === hostile)!;
    assert.equal(role.description, 'line one\nline two "quoted"');
    const file = path.join(dir, 'hostile.json');
    await writeSnapshot(file, snapshot);
    assert.deepEqual(await readSnapshot(file), snapshot);
    const text = fs.readFileSync(file, 'utf8');
    assert.equal(text.split('\n').filter((line) => line.includes('Zq-sync')).length, 1, 'the role stays on one line');
  });
});

/** A parsed file, each field open to any value (the tests put wrong ones in), each list open to change. */
type Loose<T> = T extends readonly (infer U)[] ? Loose<U>[] : T extends object ? { -readonly [K in keyof T]-?: Loose<NonNullable<T[K]>> } : unknown;
type Doc = Loose<Snapshot>;
const drop = (value: object, key: string): void => void Reflect.deleteProperty(value, key);

describe('migration snapshot: routes in the file', () => {
  const mutate = (change: (doc: Doc) => void): string => {
    const doc = JSON.parse(JSON.stringify(sampleCurrentSnapshot())) as Doc;
    change(doc);
    return JSON.stringify(doc, null, 2);
  };

  it('a version 1 file still loads, and whoever reads its routes is told they were not recorded', () => {
    const old = parseSnapshot(JSON.stringify(sampleSnapshot()), 'old.json');
    assert.equal(old.version, 1);
    assert.equal(old.routes, undefined);
    assert.deepEqual(recordedRoutes(old), { recorded: false, why: 'not recorded (snapshot version 1)' });
    // A routes field in a version 1 file is no part of that version: ignored like any unknown field.
    const withRoutes = JSON.parse(JSON.stringify(sampleSnapshot()));
    withRoutes.routes = { resources: 'nonsense' };
    assert.equal(parseSnapshot(JSON.stringify(withRoutes)).routes, undefined);
    const current = parseSnapshot(JSON.stringify(sampleCurrentSnapshot()));
    assert.deepEqual(recordedRoutes(current), { recorded: true, routes: sampleCurrentSnapshot().routes });
  });

  it('a version 2 file without its routes is refused, naming the field', () => {
    assert.throws(() => parseSnapshot(mutate((doc) => drop(doc, 'routes')), 'v2.json'), /^WorkMailError: v2\.json is not a valid snapshot: routes: missing\./);
  });

  it('names the field and the allowed values when a route value is wrong', () => {
    const cases: Array<[string, (doc: Doc) => void, RegExp]> = [
      ['delegate type', (doc) => (doc.routes.resources[0].delegates[1].type = 'ROOM'), /routes\.resources\[0\]\.delegates\[1\]\.type: "ROOM" is not a delegate type \(USER, GROUP\)/],
      ['option', (doc) => (doc.routes.resources[0].bookingOptions.autoAcceptRequests = 'yes'), /routes\.resources\[0\]\.bookingOptions\.autoAcceptRequests: "yes" is not true or false/],
      ['role type', (doc) => (doc.routes.impersonationRoles[0].type = 'ADMIN'), /routes\.impersonationRoles\[0\]\.type: "ADMIN" is not a role type \(FULL_ACCESS, READ_ONLY\)/],
      ['rule effect', (doc) => (doc.routes.impersonationRoles[0].rules[0].effect = 'MAYBE'), /routes\.impersonationRoles\[0\]\.rules\[0\]\.effect: "MAYBE" is not an effect \(ALLOW, DENY\)/],
      ['rule name', (doc) => drop(doc.routes.accessRules[1], 'name'), /routes\.accessRules\[1\]\.name: missing/],
      ['date', (doc) => (doc.routes.impersonationRoles[0].dateCreated = 'last year'), /routes\.impersonationRoles\[0\]\.dateCreated: "last year" is not an ISO 8601 time/],
    ];
    for (const [name, change, expected] of cases) {
      assert.throws(() => parseSnapshot(mutate(change), 's.json'), expected, name);
    }
  });

  it('refuses what only the whole file shows about the routes', () => {
    const cases: Array<[string, (doc: Doc) => void, RegExp]> = [
      ['a resource without an entry', (doc) => void doc.routes.resources.pop(), /routes\.resources: no entry for the resource entities\[5\] \("r-proj"\)/],
      ['an entry on nobody', (doc) => (doc.routes.resources[1].resourceId = 'r-gone'), /routes\.resources\[1\]\.resourceId: "r-gone" is not one of the entities/],
      ['an entry on a user', (doc) => (doc.routes.resources[1].resourceId = 'u-ana'), /routes\.resources\[1\]\.resourceId: "u-ana" is a user, not a resource/],
      ['a resource twice', (doc) => doc.routes.resources.push({ ...doc.routes.resources[0], delegates: [] }), /routes\.resources\[2\]\.resourceId: "r-atlas" is also routes\.resources\[0\]/],
      ['a delegate twice', (doc) => doc.routes.resources[0].delegates.push({ id: 'u-ana', type: 'USER' }), /routes\.resources\[0\]\.delegates\[2\]\.id: "u-ana" is also delegates\[0\]/],
      ['delegates neither read nor unread', (doc) => drop(doc.routes.resources[0], 'delegates'), /routes\.resources\[0\]\.delegates: missing \(or delegatesUnreadable/],
      ['delegates both', (doc) => (doc.routes.resources[1].delegates = []), /routes\.resources\[1\]\.delegates: delegates that could not be read \(delegatesUnreadable\) lists none/],
      ['roles neither', (doc) => drop(doc.routes, 'impersonationRoles'), /routes\.impersonationRoles: missing/],
      ['a role twice', (doc) => doc.routes.impersonationRoles.push(doc.routes.impersonationRoles[0]), /routes\.impersonationRoles\[2\]\.id: "role-archiver" is also routes\.impersonationRoles\[0\]/],
      ['a role rule twice', (doc) => doc.routes.impersonationRoles[0].rules.push(doc.routes.impersonationRoles[0].rules[0]), /routes\.impersonationRoles\[0\]\.rules\[2\]\.id: "everyone" is also rules\[0\]/],
      ['rules neither', (doc) => drop(doc.routes.impersonationRoles[1], 'rulesUnreadable'), /routes\.impersonationRoles\[1\]\.rules: missing/],
      ['an access rule twice', (doc) => doc.routes.accessRules.push(doc.routes.accessRules[1]), /routes\.accessRules\[2\]\.name: "imap-office-only" is also routes\.accessRules\[1\]/],
      ['default on a rule with conditions', (doc) => (doc.routes.accessRules[1].default = true), /routes\.accessRules\[1\]\.default: only the rule that allows everything/],
    ];
    for (const [name, change, expected] of cases) {
      assert.throws(() => parseSnapshot(mutate(change), 's.json'), expected, name);
    }
  });

  it('is never written without its routes, so no file the reader refuses is left behind', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-snapshot-routes-'));
    try {
      const { routes: _routes, ...bare } = sampleCurrentSnapshot();
      await assert.rejects(writeSnapshot(path.join(dir, 'x.json'), bare as Snapshot), /carries its routes/);
      assert.deepEqual(fs.readdirSync(dir), []);
      // A version 1 snapshot is written as it is (the writer of older files for these tests).
      await writeSnapshot(path.join(dir, 'old.json'), sampleSnapshot());
      assert.deepEqual(await readSnapshot(path.join(dir, 'old.json')), sampleSnapshot());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
