// The migration subcommands from a shell: `snapshot` against the emulator (the file equals what
// WorkMail holds), then `mapping draft`, `mapping check` and `waves` from that file alone, with
// their exit codes and messages.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { readSeedFile } from '../../emulator/seed';
import { startEmulator, type Emulator } from '../../emulator/index';
import type { Snapshot } from '../../src/workmail/migration/schema';
import { FIXTURE_ORG, FIXTURE_SEED_PATH } from '../workmail/auditWorld';
import { cli } from './support';

const ours = (stderr: string) => stderr.split('\n').filter((line) => !line.startsWith('npm warn')).join('\n');

describe('workmail-permissions snapshot, mapping, waves', function () {
  this.timeout(90_000);
  let emu: Emulator;
  let dir: string;
  let snapshotFile: string;
  const connect = () => ['--profile', 'emulator', '--endpoint', emu.url, '--organization', 'fixture'];

  before(async () => {
    emu = await startEmulator({ port: 0, seed: readSeedFile(FIXTURE_SEED_PATH) });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-cli-migration-'));
    snapshotFile = path.join(dir, 'fixture.snapshot.json');
  });
  after(async () => {
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => emu.setFaults({}));

  it('snapshot writes every entity and grant of the organization, exit 0', async () => {
    const result = await cli(['snapshot', ...connect(), '--out', snapshotFile]);
    assert.equal(result.code, 0, ours(result.stderr));
    assert.equal(result.stdout, '');
    assert.match(ours(result.stderr), /Snapshot of fixture \(m-a0d17000000000000000000000000002\) as of .*: 13 entities, 17 grants, 0 unread mailboxes; 0 booking delegates of 2 resources, 0 impersonation roles, 1 access rule; written to /);
    const snapshot = JSON.parse(fs.readFileSync(snapshotFile, 'utf8')) as Snapshot;
    assert.equal(snapshot.format, 'workmail-permissions-snapshot');
    assert.deepEqual(snapshot.organization, { id: FIXTURE_ORG.organizationId, alias: 'fixture', region: 'us-east-1', state: 'Active', defaultMailDomain: 'fixture.example.com' });
    const truth = emu.grants(FIXTURE_ORG.organizationId);
    assert.deepEqual(
      snapshot.grants.map((g) => `${g.mailboxId}|${g.granteeId}|${[...g.rights].sort().join(',')}`).sort(),
      truth.map((g) => `${g.mailboxId}|${g.granteeId}|${[...g.rights].sort().join(',')}`).sort(),
    );
    const seed = readSeedFile(FIXTURE_SEED_PATH).accounts.flatMap((a) => a.organizations ?? []).find((o) => o?.id === FIXTURE_ORG.organizationId)!;
    for (const group of seed.groups ?? []) {
      const saved = snapshot.entities.find((e) => e.id === group.id)!;
      assert.deepEqual(saved.members, group.state === 'DELETED' ? [] : [...(group.members ?? [])].sort(), `members of ${group.name}`);
    }
    assert.deepEqual(fs.readdirSync(dir), ['fixture.snapshot.json'], 'no temporary file left behind');
  });

  it('snapshot exits 3 naming what could not be read, and still writes the file saying so', async () => {
    const seed = readSeedFile(FIXTURE_SEED_PATH).accounts.flatMap((a) => a.organizations ?? []).find((o) => o?.id === FIXTURE_ORG.organizationId)!;
    const ana = seed.users!.find((u) => u.name === 'ana')!;
    const group = seed.groups!.find((g) => g.state !== 'DELETED')!;
    emu.setFaults({
      rules: [
        { operation: 'ListMailboxPermissions', match: { EntityId: ana.id }, error: 'EntityStateException', status: 400 },
        { operation: 'ListGroupMembers', match: { GroupId: group.id }, error: 'EntityStateException', status: 400 },
      ],
    });
    const file = path.join(dir, 'partial.json');
    const result = await cli(['snapshot', ...connect(), '--out', file, '--quiet']);
    assert.equal(result.code, 3, ours(result.stderr));
    assert.match(result.stderr, /incomplete: 2 items could not be read/);
    assert.match(result.stderr, /mailbox Ana Silva <ana@fixture\.example\.com>/);
    assert.match(result.stderr, new RegExp(`members of group ${group.name}`));
    const snapshot = JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
    assert.deepEqual(snapshot.unreadMailboxes.map((u) => u.mailboxId), [ana.id]);
    assert.match(snapshot.entities.find((e) => e.id === group.id)!.membersUnreadable!, /^EntityStateException: /);
  });

  it('snapshot refuses without --out, and file options elsewhere', async () => {
    const noOut = await cli(['snapshot', ...connect()]);
    assert.equal(noOut.code, 2);
    assert.match(noOut.stderr, /--out is required \(the snapshot file to write\)/);
    const wrong = await cli(['export', ...connect(), '--snapshot', snapshotFile]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--snapshot goes with migration-script, verify, mapping or waves, not export/);
  });

  it('mapping draft moves every address to the new domain and leaves the ones without an address empty', async () => {
    const result = await cli(['mapping', 'draft', '--snapshot', snapshotFile, '--domain', 'new.example']);
    assert.equal(result.code, 0, ours(result.stderr));
    const rows = parse(result.stdout, { columns: true }) as Array<Record<string, string>>;
    assert.equal(rows.length, 13);
    assert.equal(rows.find((r) => r.workmail_address === 'ana@fixture.example.com')!.destination_address, 'ana@new.example');
    const noAddress = rows.filter((r) => r.workmail_address === '');
    assert.ok(noAddress.length > 0);
    assert.ok(noAddress.every((r) => r.destination_address === '' && /no WorkMail address/.test(r.comment!)));
    assert.match(ours(result.stderr), /13 entities of fixture .*: \d+ with a destination, \d+ without \(the comment column says why\)/);
  });

  it('mapping check exits 4 listing what is left out, and 0 once everything named by a grant is mapped', async () => {
    const mappingFile = path.join(dir, 'mapping.csv');
    const draft = await cli(['mapping', 'draft', '--snapshot', snapshotFile, '--domain', 'new.example', '--out', mappingFile, '--quiet']);
    assert.equal(draft.code, 0, ours(draft.stderr));
    fs.appendFileSync(mappingFile, 'nobody@fixture.example.com,,,,nobody@new.example,\r\n');
    const check = await cli(['mapping', 'check', '--snapshot', snapshotFile, '--mapping', mappingFile]);
    assert.equal(check.code, 4, ours(check.stderr));
    assert.match(check.stdout, /\d+ of \d+ entities named by grants have a destination\./);
    assert.match(check.stdout, /Without a destination \(\d+\)/);
    // Line 16, not 15: Eve's display name holds a line break, so her quoted row spans two lines.
    assert.match(check.stdout, /Rows naming nobody in the snapshot \(1\):\n {4}line 16: nobody@fixture\.example\.com -> nobody@new\.example/);

    // Fill in every empty destination (by entity ID) and drop the stray row: nothing left to fix.
    const snapshot = JSON.parse(fs.readFileSync(snapshotFile, 'utf8')) as Snapshot;
    const complete = ['entity_id,destination_address', ...snapshot.entities.map((e, i) => `${e.id},person${i}@new.example`)].join('\n');
    fs.writeFileSync(mappingFile, complete);
    const clean = await cli(['mapping', 'check', '--snapshot', snapshotFile, '--mapping', mappingFile]);
    assert.equal(clean.code, 0, clean.stdout + ours(clean.stderr));
    assert.match(clean.stdout, /Nothing to fix\./);
  });

  it('mapping check refuses a bad row naming file, line and column, exit 1', async () => {
    const mappingFile = path.join(dir, 'bad.csv');
    fs.writeFileSync(mappingFile, 'workmail_address,destination_address\r\nana@fixture.example.com,ana(at)new.example\r\n');
    const result = await cli(['mapping', 'check', '--snapshot', snapshotFile, '--mapping', mappingFile]);
    assert.equal(result.code, 1);
    assert.match(ours(result.stderr), /bad\.csv line 2, column 2: "ana\(at\)new\.example" is not an email address \(destination_address\)\. Fix the file and try again; nothing was changed\./);
  });

  it('waves writes the CSV and the report; every mailbox once, no wave over the maximum', async () => {
    const out = path.join(dir, 'waves.csv');
    const report = path.join(dir, 'waves.md');
    const result = await cli(['waves', '--snapshot', snapshotFile, '--max-size', '3', '--out', out, '--report', report]);
    assert.equal(result.code, 0, ours(result.stderr));
    assert.match(ours(result.stderr), /\d+ waves? of \d+ (mailbox|mailboxes); \d+ delegations? between them, \d+ cut/);
    const rows = parse(fs.readFileSync(out, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    const ids = rows.map((r) => r.mailbox_id);
    assert.equal(new Set(ids).size, ids.length);
    const sizes = new Map<string, number>();
    for (const row of rows) sizes.set(row.wave!, (sizes.get(row.wave!) ?? 0) + 1);
    assert.ok([...sizes.values()].every((n) => n <= 3));
    const text = fs.readFileSync(report, 'utf8');
    assert.match(text, /^# Migration waves: fixture/);
    assert.match(text, /## Cut delegations/);

    const free = await cli(['waves', '--snapshot', snapshotFile, '--quiet']);
    assert.equal(free.code, 0);
    assert.match(free.stdout, /^wave,mailbox_id,mailbox_address,display_name,kind,state,delegations,cut_delegations,applications\r\n/);
    assert.ok((parse(free.stdout, { columns: true }) as Array<Record<string, string>>).every((r) => r.cut_delegations === '0'));
  });

  it('waves moves a room with its booking delegate, notes an application spanning waves, and exits 3 when a room\'s delegates could not be read', async () => {
    const snapshot = JSON.parse(fs.readFileSync(snapshotFile, 'utf8')) as Snapshot;
    const [room, other] = snapshot.entities.filter((e) => e.kind === 'resource');
    assert.ok(room && other, 'the fixture has two resources');
    // Two new users no grant links to anyone: alone they would make the last wave; the booking delegation takes one to the room.
    const newUser = (n: number) => ({ id: `u-new${n}`, kind: 'user' as const, name: `new${n}`, email: `new${n}@fixture.example.com`, state: 'ENABLED' as const, userRole: 'USER' as const, aliases: [] });
    const loner = newUser(1);
    const entities = [...snapshot.entities, loner, newUser(2)];
    const routes = {
      ...snapshot.routes!,
      resources: snapshot.routes!.resources.map((r) => (r.resourceId === room.id ? { ...r, delegates: [{ id: loner.id, type: 'USER' as const }] } : r)),
      impersonationRoles: [{ id: 'role-crm', name: 'CRM sync', type: 'FULL_ACCESS' as const, rules: [{ id: 'all', effect: 'ALLOW' as const }] }],
    };
    const file = path.join(dir, 'routes.snapshot.json');
    fs.writeFileSync(file, JSON.stringify({ ...snapshot, entities, routes }));
    const report = path.join(dir, 'routes-waves.md');
    const result = await cli(['waves', '--snapshot', file, '--report', report]);
    assert.equal(result.code, 0, ours(result.stderr));
    assert.match(ours(result.stderr), /delegations between them \(1 booking delegation among them\), 0 cut\.\n/);
    assert.match(ours(result.stderr), /^The application CRM sync reaches mailboxes in waves 1 and 2: keep it working on both systems from the first to the last\.$/m);
    const rows = parse(result.stdout, { columns: true }) as Array<Record<string, string>>;
    const waveOf = (id: string) => rows.find((r) => r.mailbox_id === id)!.wave;
    assert.equal(waveOf(room.id), waveOf(loner.id), 'the room moves with its delegate');
    assert.equal(waveOf('u-new2'), '2', 'the other new user, linked to no one, is the last wave');
    assert.equal(rows.find((r) => r.mailbox_id === loner.id)!.applications, 'CRM sync');
    assert.match(fs.readFileSync(report, 'utf8'), /- the application \*\*CRM sync\*\* \(full access\) reaches mailboxes in waves 1 and 2 /);

    fs.writeFileSync(file, JSON.stringify({ ...snapshot, entities, routes: { ...routes, resources: routes.resources.map((r) => (r.resourceId === other.id ? { resourceId: r.resourceId, delegatesUnreadable: 'ThrottlingException: Rate exceeded' } : r)) } }));
    const unread = await cli(['waves', '--snapshot', file, '--quiet']);
    assert.equal(unread.code, 3, ours(unread.stderr));
    assert.match(ours(unread.stderr), /incomplete: the snapshot could not read 1 item, so delegations may be missing from the plan:\n {2}booking delegates of .*: ThrottlingException: Rate exceeded\n/);
  });

  it('waves refuses wrong options and a damaged snapshot, naming the field', async () => {
    const zero = await cli(['waves', '--snapshot', snapshotFile, '--max-size', '0']);
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /--max-size must be a whole number of at least 1, not "0"/);
    const connected = await cli(['waves', '--snapshot', snapshotFile, '--organization', 'fixture']);
    assert.equal(connected.code, 2);
    assert.match(connected.stderr, /--organization does not apply to waves: it reads the snapshot file, not WorkMail/);
    const damaged = path.join(dir, 'damaged.json');
    const document = JSON.parse(fs.readFileSync(snapshotFile, 'utf8'));
    document.grants[2].rights = ['READ'];
    fs.writeFileSync(damaged, JSON.stringify(document));
    const result = await cli(['waves', '--snapshot', damaged]);
    assert.equal(result.code, 1);
    assert.match(ours(result.stderr), /damaged\.json is not a valid snapshot: grants\[2\]\.rights\[0\]: "READ" is not a right \(FULL_ACCESS, SEND_AS, SEND_ON_BEHALF\)/);
    const sub = await cli(['mapping', 'apply', '--snapshot', snapshotFile]);
    assert.equal(sub.code, 2);
    assert.match(sub.stderr, /mapping takes draft or check, not "apply"/);
  });
});
