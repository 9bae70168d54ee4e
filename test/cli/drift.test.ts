// `diff` from a shell: a snapshot against a fresh scan of the emulator (exit 0 when nothing
// changed, 4 with the changes listed when something did), and two snapshot files; on the sample
// organization, the booking delegates, booking options, applications and access rules another
// administrator changed (with the real SDK), and a version 1 snapshot saying it did not record them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AssociateDelegateToResourceCommand,
  DeleteAccessControlRuleCommand,
  DescribeResourceCommand,
  GetImpersonationRoleCommand,
  PutAccessControlRuleCommand,
  UpdateImpersonationRoleCommand,
  UpdateResourceCommand,
  WorkMailClient,
} from '@aws-sdk/client-workmail';
import { readSeedFile } from '../../emulator/seed';
import { EMULATOR_CREDENTIALS, SAMPLE_ORGS, startEmulator, type Emulator } from '../../emulator/index';
import { snapshotFromScan, writeSnapshot } from '../../src/workmail/migration/snapshot';
import { collectScan } from '../../src/workmail/scan';
import { WorkMailSession } from '../../src/workmail/session';
import { AUDIT_KEYS, FIXTURE_ORG, FIXTURE_SEED_PATH } from '../workmail/auditWorld';
import { cli } from './support';

const ANA = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';

describe('workmail-permissions diff', function () {
  this.timeout(90_000);
  let emu: Emulator;
  let dir: string;

  async function snapshotFile(name: string): Promise<string> {
    const session = new WorkMailSession({ endpoint: emu.url, credentials: async () => AUDIT_KEYS });
    try {
      const file = path.join(dir, name);
      await writeSnapshot(file, await snapshotFromScan(session, await collectScan(session, FIXTURE_ORG), { organization: { alias: 'fixture' } }));
      return file;
    } finally {
      session.dispose();
    }
  }
  const live = () => ['live', '--profile', 'emulator', '--endpoint', emu.url];

  before(async () => {
    emu = await startEmulator({ port: 0, seed: readSeedFile(FIXTURE_SEED_PATH) });
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-diff-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a snapshot against live: exit 0 and "no difference" when nothing changed', async () => {
    const file = await snapshotFile('monday.json');
    emu.clearCalls();
    const result = await cli(['diff', file, ...live(), '--quiet']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /no difference/);
    // Drift does not compare aliases: the live side reads none (one call per entity saved).
    assert.equal(emu.calls().filter((call) => call.operation === 'ListAliases').length, 0);
  });

  it('a snapshot against live: exit 4 and each change listed when someone changed a grant', async () => {
    const file = await snapshotFile('monday.json');
    emu.putGrantDirect(FIXTURE_ORG.organizationId, BOB, ANA, ['FULL_ACCESS', 'SEND_AS']);
    emu.putGrantDirect(FIXTURE_ORG.organizationId, ANA, BOB, []);
    const result = await cli(['diff', file, ...live(), '--quiet']);
    assert.equal(result.code, 4, result.stderr);
    assert.match(result.stdout, /~ grant {3}Ana Silva on Bob Jones: FULL_ACCESS -> FULL_ACCESS, SEND_AS/);
    assert.match(result.stdout, /- grant {3}Bob Jones on Ana Silva: had FULL_ACCESS, SEND_AS, SEND_ON_BEHALF/);
    assert.doesNotMatch(result.stdout, /\+ grant/);
  });

  it('two snapshot files, as JSON for a script; a damaged file is refused with what to do', async () => {
    const before = await snapshotFile('before.json');
    emu.putGrantDirect(FIXTURE_ORG.organizationId, BOB, ANA, ['SEND_ON_BEHALF']);
    const after = await snapshotFile('after.json');
    const result = await cli(['diff', before, after, '--format', 'json']);
    assert.equal(result.code, 4, result.stderr);
    const drift = JSON.parse(result.stdout);
    assert.deepEqual(drift.grantsChanged.map((g: { before: string[]; after: string[] }) => [g.before, g.after]), [[['FULL_ACCESS'], ['SEND_ON_BEHALF']]]);
    fs.writeFileSync(after, '{"format":"workmail-permissions-snapshot","version":1}');
    const damaged = await cli(['diff', before, after]);
    assert.equal(damaged.code, 1);
    assert.match(damaged.stderr, /is not a valid snapshot/);
  });
});

describe('workmail-permissions diff: booking delegates, applications and access rules (sample organization)', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let dir: string;
  const OrganizationId = SAMPLE_ORGS.acme;
  const connect = () => ['--profile', 'emulator', '--endpoint', emu.url];

  async function snapshotOfAcme(name: string): Promise<string> {
    const file = path.join(dir, name);
    const result = await cli(['snapshot', ...connect(), '--organization', 'acme', '--region', 'us-east-1', '--out', file]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /; 3 booking delegates of 3 resources, 3 impersonation roles, 3 access rules; written to /);
    return file;
  }

  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-diff-routes-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the snapshot command records every route; unchanged, diff with live is exit 0', async () => {
    const file = await snapshotOfAcme('acme.json');
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(saved.version, 3);
    assert.deepEqual(saved.routes.accessRules.map((r: { name: string }) => r.name), ['default-rule', 'imap-office-only', 'no-webmail-noah']);
    const result = await cli(['diff', file, 'live', ...connect(), '--quiet']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /no difference/);
  });

  it('lists what another administrator changed: delegates, booking options, a role, access rules and their order; exit 4, and the same as JSON', async () => {
    const file = await snapshotOfAcme('monday.json');
    const client = new WorkMailClient({ endpoint: emu.url, region: 'us-east-1', credentials: EMULATOR_CREDENTIALS.default });
    try {
      await client.send(new AssociateDelegateToResourceCommand({ OrganizationId, ResourceId: 'projector-1', EntityId: 'olivia.brown@acme.example.com' }));
      const atlas = await client.send(new DescribeResourceCommand({ OrganizationId, ResourceId: 'room-atlas' }));
      await client.send(new UpdateResourceCommand({ OrganizationId, ResourceId: atlas.ResourceId, BookingOptions: { ...atlas.BookingOptions, AutoAcceptRequests: false } }));
      const roles = emu.impersonationRoles(OrganizationId);
      const crm = await client.send(new GetImpersonationRoleCommand({ OrganizationId, ImpersonationRoleId: roles.find((r) => r.name === 'CRM sync')!.id }));
      await client.send(new UpdateImpersonationRoleCommand({ OrganizationId, ImpersonationRoleId: crm.ImpersonationRoleId, Name: crm.Name, Type: 'READ_ONLY', Description: crm.Description, Rules: crm.Rules }));
      await client.send(new DeleteAccessControlRuleCommand({ OrganizationId, Name: 'no-webmail-noah' }));
      await client.send(new PutAccessControlRuleCommand({ OrganizationId, Name: 'no-smtp-outside', Effect: 'DENY', Description: 'SMTP only from the office', Actions: ['SMTP'], NotIpRanges: ['198.51.100.0/24'] }));
    } finally {
      client.destroy();
    }
    const text = await cli(['diff', file, 'live', ...connect(), '--quiet']);
    assert.equal(text.code, 4, text.stdout + text.stderr);
    assert.match(text.stdout, /^ {2}\+ delegate Olivia Brown \(user\) on projector-1$/m);
    assert.match(text.stdout, /^ {2}~ booking room-atlas: Accepts automatically · declines conflicts -> Delegates approve every request \(autoAcceptRequests true → false\)$/m);
    assert.match(text.stdout, /^ {2}~ role {4}CRM sync: type FULL_ACCESS → READ_ONLY$/m);
    assert.match(text.stdout, /^ {2}- rule {4}no-webmail-noah \(was 3rd\): Deny WebMail from every address, for Noah Fischer$/m);
    assert.match(text.stdout, /^ {2}\+ rule {4}no-smtp-outside \(3rd\): Deny SMTP from outside 198\.51\.100\.0\/24, for everyone$/m);
    assert.doesNotMatch(text.stdout, /grant|\? routes/);

    const json = await cli(['diff', file, 'live', ...connect(), '--quiet', '--format', 'json']);
    assert.equal(json.code, 4);
    const routes = JSON.parse(json.stdout).routes;
    assert.deepEqual(routes.delegatesAdded.map((d: { resource: string; type: string }) => [d.resource, d.type]), [['projector-1', 'USER']]);
    assert.deepEqual(routes.delegatesRemoved, []);
    assert.deepEqual(routes.bookingOptionsChanged.map((o: { resource: string; changes: string[] }) => [o.resource, o.changes]), [['room-atlas', ['autoAcceptRequests true → false']]]);
    assert.deepEqual(routes.rolesChanged.map((r: { name: string; changes: string[] }) => [r.name, r.changes]), [['CRM sync', ['type FULL_ACCESS → READ_ONLY']]]);
    assert.deepEqual(routes.accessRulesAdded.map((r: { name: string }) => r.name), ['no-smtp-outside']);
    assert.deepEqual(routes.accessRulesRemoved.map((r: { name: string }) => r.name), ['no-webmail-noah']);
    assert.equal(routes.accessRuleOrder, undefined, 'the rules left keep their order');
    assert.deepEqual(routes.notCompared, []);

    const markdown = await cli(['diff', file, 'live', ...connect(), '--quiet', '--format', 'markdown']);
    assert.match(markdown.stdout, /## Booking delegates added \(1\)/);
    assert.match(markdown.stdout, /## Access rules removed \(1\)/);
  });

  it('with a version 1 snapshot, says the routes were not recorded there rather than listing them all as added; exit 3', async () => {
    const file = await snapshotOfAcme('now.json');
    const older = JSON.parse(fs.readFileSync(file, 'utf8'));
    delete older.routes;
    older.version = 1;
    const oldFile = path.join(dir, 'old.json');
    fs.writeFileSync(oldFile, JSON.stringify(older, null, 2));
    const result = await cli(['diff', oldFile, 'live', ...connect(), '--quiet']);
    assert.equal(result.code, 3, result.stdout + result.stderr);
    assert.match(result.stdout, /no difference/);
    assert.match(result.stdout, /^ {2}\? routes {2}booking delegates, applications and access rules not compared: not recorded in .*old\.json \(snapshot version 1\)$/m);
    assert.doesNotMatch(result.stdout, /\+ (delegate|role|rule)/);
    const json = JSON.parse((await cli(['diff', oldFile, file, '--format', 'json'])).stdout);
    assert.match(json.routes.notRecorded, /^not recorded in .*old\.json \(snapshot version 1\)$/);
    assert.deepEqual(json.routes.delegatesAdded, []);
  });
});
