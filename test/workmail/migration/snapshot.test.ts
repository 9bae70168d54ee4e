// The migration snapshot: made from a scan with the real SDK against the emulator (every entity,
// grant and group membership equal to what the emulator holds), written and read back unchanged,
// and refused on load with an error that names the file and the field.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectScan } from '../../../src/workmail/scan';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type Snapshot } from '../../../src/workmail/migration/schema';
import { buildSnapshot, parseSnapshot, readSnapshot, snapshotFromScan, writeSnapshot, WRITTEN_BY } from '../../../src/workmail/migration/snapshot';
import { snapshotJsonSchema } from './jsonSchema';
import { sampleSnapshot } from './support';
import { AUDIT_ORG, GHOST_GRANTEE, OLD_TEAM, auditWorld, startWorld, type Running } from '../auditWorld';

const world = auditWorld();
const ROOT = path.join(__dirname, '..', '..', '..');

function tempDir(): { dir: string; dispose: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-snapshot-'));
  return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function mutate(change: (doc: Record<string, unknown> & { grants: Array<Record<string, unknown>>; entities: Array<Record<string, unknown>> }) => void): string {
  const doc = JSON.parse(JSON.stringify(sampleSnapshot()));
  change(doc);
  return JSON.stringify(doc, null, 2);
}

describe('migration snapshot (real SDK against the emulator)', function () {
  this.timeout(60_000);
  let running: Running;
  let temp: ReturnType<typeof tempDir>;

  beforeEach(async () => {
    running = await startWorld(world.seed);
    temp = tempDir();
  });
  afterEach(async () => {
    running.emu.setFaults({});
    await running.stop();
    temp.dispose();
  });

  it('holds every entity, grant and group membership WorkMail holds, and reads back exactly as written', async () => {
    const { session, emu } = running;
    const scan = await collectScan(session, AUDIT_ORG, { pageSize: 50 });
    const snapshot = await snapshotFromScan(session, scan, { organization: { alias: 'audit', state: 'Active', defaultMailDomain: 'audit.example.com' } });

    assert.equal(snapshot.format, SNAPSHOT_FORMAT);
    assert.equal(snapshot.version, 3);
    assert.equal(snapshot.writtenBy, WRITTEN_BY);
    assert.deepEqual(snapshot.organization, { id: AUDIT_ORG.organizationId, alias: 'audit', region: 'us-east-1', state: 'Active', defaultMailDomain: 'audit.example.com' });
    assert.equal(snapshot.readAt, scan.readAt.toISOString());

    const seeded = [...world.org.users!, ...world.org.groups!, ...world.org.resources!];
    assert.deepEqual(snapshot.entities.map((e) => e.id).sort(), seeded.map((e) => e.id).sort(), 'every entity, whatever its state');
    const byId = new Map(snapshot.entities.map((e) => [e.id, e]));
    for (const entity of seeded) {
      const saved = byId.get(entity.id)!;
      assert.equal(saved.email, entity.email || undefined, `${entity.id} email`);
      assert.equal(saved.state, entity.state ?? 'ENABLED', `${entity.id} state`);
    }
    for (const group of world.org.groups!) {
      const saved = byId.get(group.id)!;
      // WorkMail refuses to list a deleted group's members; it reaches no one.
      const expected = group.state === 'DELETED' ? [] : [...new Set(group.members ?? [])].sort();
      assert.deepEqual(saved.members, expected, `members of ${group.name}`);
      assert.equal(saved.membersUnreadable, undefined);
    }
    assert.deepEqual(byId.get(OLD_TEAM)!.members, []);

    const truth = emu.grants(AUDIT_ORG.organizationId);
    assert.deepEqual(
      snapshot.grants.map((g) => `${g.mailboxId}|${g.granteeId}|${g.granteeType}|${[...g.rights].sort().join(',')}`).sort(),
      truth.map((g) => `${g.mailboxId}|${g.granteeId}|${g.granteeType}|${[...g.rights].sort().join(',')}`).sort(),
    );
    const ghost = snapshot.grants.find((g) => g.granteeId === GHOST_GRANTEE)!;
    assert.equal(ghost.granteeUnknown, true, 'a grantee WorkMail does not know is marked, not dropped');
    const known = new Set(seeded.map((e) => e.id));
    assert.deepEqual(
      snapshot.grants.filter((g) => g.granteeUnknown).map((g) => g.granteeId).sort(),
      truth.filter((g) => !known.has(g.granteeId)).map((g) => g.granteeId).sort(),
    );
    assert.deepEqual(snapshot.unreadMailboxes, []);

    const file = path.join(temp.dir, 'audit.snapshot.json');
    await writeSnapshot(file, snapshot);
    assert.deepEqual(fs.readdirSync(temp.dir), ['audit.snapshot.json'], 'no temporary file left behind');
    const back = await readSnapshot(file);
    assert.deepEqual(back, snapshot);
    // One entity, grant or mailbox read a line (and inside routes, one resource, role or rule a line): the file diffs line by line.
    const text = fs.readFileSync(file, 'utf8');
    assert.equal(text.split('\n').filter((line) => /^ {4}\{"/.test(line)).length, snapshot.entities.length + snapshot.grants.length + snapshot.mailboxesRead!.length);
    const routes = snapshot.routes!;
    assert.equal(text.split('\n').filter((line) => /^ {6}\{"/.test(line)).length, routes.resources.length + routes.impersonationRoles!.length + routes.accessRules!.length);
    assert.deepEqual(routes.resources.map((r) => r.resourceId), world.org.resources!.map((r) => r.id).sort(), 'every resource, whatever its state');
  });

  it('keeps a group whose members cannot be read as unreadable, and a mailbox that cannot be read as unread', async () => {
    const { session, emu } = running;
    const cycleA = world.org.groups!.find((g) => g.name === 'cycle-a')!;
    const someone = world.org.users!.find((u) => u.state === 'ENABLED' && u.role !== 'SYSTEM_USER')!;
    emu.setFaults({
      rules: [
        { operation: 'ListGroupMembers', match: { GroupId: cycleA.id }, error: 'EntityStateException', status: 400, message: 'group is locked' },
        { operation: 'ListMailboxPermissions', match: { EntityId: someone.id }, error: 'EntityStateException', status: 400, message: 'mailbox is locked' },
      ],
    });
    const scan = await collectScan(session, AUDIT_ORG);
    const snapshot = await snapshotFromScan(session, scan);
    const group = snapshot.entities.find((e) => e.id === cycleA.id)!;
    assert.equal(group.members, undefined, 'unknown members are not shown as none');
    assert.match(group.membersUnreadable ?? '', /^EntityStateException: /);
    assert.deepEqual(snapshot.unreadMailboxes.map((u) => u.mailboxId), [someone.id]);
    assert.equal(snapshot.unreadMailboxes[0]!.code, 'EntityStateException');
    assert.ok(!snapshot.grants.some((g) => g.mailboxId === someone.id));
    const file = path.join(temp.dir, 's.json');
    await writeSnapshot(file, snapshot);
    assert.deepEqual(await readSnapshot(file), snapshot);
  });
});

describe('migration snapshot: file', () => {
  let temp: ReturnType<typeof tempDir>;
  beforeEach(() => (temp = tempDir()));
  afterEach(() => temp.dispose());

  it('round-trips a large snapshot, streamed', async () => {
    const base = sampleSnapshot();
    const users = Array.from({ length: 5000 }, (_, i) => ({ id: `u-${i}`, kind: 'user' as const, email: `user${i}@acme.example.com`, state: 'ENABLED' as const }));
    const grants = Array.from({ length: 60_000 }, (_, i) => ({ mailboxId: `u-${i % 5000}`, granteeId: `u-${(i * 7 + 1 + Math.floor(i / 5000)) % 5000}-x${i}`, granteeType: 'USER' as const, rights: ['SEND_AS' as const] }));
    const snapshot: Snapshot = { ...base, version: 2, entities: users, grants, unreadMailboxes: [], routes: { resources: [], impersonationRoles: [], accessRules: [] } };
    const file = path.join(temp.dir, 'big.json');
    await writeSnapshot(file, snapshot);
    assert.deepEqual(await readSnapshot(file), snapshot);
  });

  it('writes nothing over a good file when the write fails', async () => {
    const file = path.join(temp.dir, 'missing-folder', 'x.json');
    await assert.rejects(writeSnapshot(file, sampleSnapshot()), /Could not write/);
    assert.ok(!fs.existsSync(path.dirname(file)));
  });

  it('reads a file with a byte-order mark and ignores fields it does not know', () => {
    const text = `\ufeff${mutate((doc) => {
      doc.comment = 'added by a later version';
      doc.grants[0]!.note = 'x';
    })}`;
    const snapshot = parseSnapshot(text, 'x.json');
    assert.deepEqual(snapshot, sampleSnapshot());
  });

  it('names the field and the allowed values when a value is wrong', () => {
    const text = mutate((doc) => ((doc.grants[1]!.rights as string[])[0] = 'READ'));
    assert.throws(
      () => parseSnapshot(text, 'acme.json'),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'InvalidSnapshot');
        assert.match(err.message, /^acme\.json is not a valid snapshot: grants\[1\]\.rights\[0\]: "READ" is not a right \(FULL_ACCESS, SEND_AS, SEND_ON_BEHALF\)\./);
        assert.match(err.message, /Nothing was changed\.$/);
        return true;
      },
    );
  });

  it('lists several problems, each by field', () => {
    const text = mutate((doc) => {
      doc.entities[1]!.kind = 'mailbox';
      delete doc.grants[0]!.granteeId;
      doc.readAt = 'yesterday';
    });
    assert.throws(() => parseSnapshot(text, 's.json'), (err: Error) => {
      assert.match(err.message, /readAt: "yesterday" is not an ISO 8601 time/);
      assert.match(err.message, /entities\[1\]\.kind: "mailbox" is not an entity kind \(user, group, resource\)/);
      assert.match(err.message, /grants\[0\]\.granteeId: missing/);
      return true;
    });
  });

  it('refuses what only the whole file shows: duplicates, grants on unknown mailboxes, members on a user', () => {
    const cases: Array<[string, (doc: Parameters<Parameters<typeof mutate>[0]>[0]) => void, RegExp]> = [
      ['duplicate entity', (doc) => doc.entities.push({ ...doc.entities[0]! }), /entities\[4\]\.id: "u-ana" is also entities\[0\]/],
      ['grant on nobody', (doc) => (doc.grants[0]!.mailboxId = 'u-nobody'), /grants\[0\]\.mailboxId: "u-nobody" is not one of the entities/],
      ['duplicate pair', (doc) => doc.grants.push({ ...doc.grants[0]! }), /grants\[2\]: the same mailbox and grantee as grants\[0\]/],
      ['members on a user', (doc) => (doc.entities[0]!.members = ['u-bob']), /entities\[0\]\.members: only groups have members, and this is a user/],
      ['members and unreadable', (doc) => (doc.entities[3]!.members = []), /entities\[3\]\.members: a group whose members could not be read/],
      ['right twice', (doc) => (doc.grants[0]!.rights = ['SEND_AS', 'SEND_AS']), /grants\[0\]\.rights: a right is listed twice/],
      ['a mailbox read that is nobody', (doc) => (doc.mailboxesRead = [{ mailboxId: 'u-nobody', readAt: '2026-03-02T14:00:00.000Z' }]), /mailboxesRead\[0\]\.mailboxId: "u-nobody" is not one of the entities/],
      [
        'a mailbox read twice',
        (doc) => (doc.mailboxesRead = [{ mailboxId: 'u-ana', readAt: '2026-03-02T14:00:00.000Z' }, { mailboxId: 'u-ana', readAt: '2026-03-02T14:01:00.000Z' }]),
        /mailboxesRead\[1\]\.mailboxId: "u-ana" is also mailboxesRead\[0\]/,
      ],
      ['a resume without its time', (doc) => (doc.resumed = { checkpointWrittenAt: '2026-03-02T14:00:00.000Z', mailboxesFromCheckpoint: 3 }), /resumed\.resumedAt: missing/],
    ];
    for (const [name, change, expected] of cases) {
      assert.throws(() => parseSnapshot(mutate(change), 's.json'), expected, name);
    }
  });

  it('refuses another format, a newer version and damaged JSON, saying what to do', () => {
    assert.throws(() => parseSnapshot('{"grants": []}', 'export.json'), /^WorkMailError: export\.json is not a WorkMail Permissions snapshot: it has no "format" field\. Choose a file written by "workmail-permissions snapshot"/);
    assert.throws(() => parseSnapshot(mutate((doc) => (doc.format = 'other')), 'o.json'), /its format is "other", not "workmail-permissions-snapshot"/);
    assert.throws(
      () => parseSnapshot(mutate((doc) => (doc.version = 4)), 'new.json'),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'SnapshotVersion');
        assert.match(err.message, /new\.json is a version 4 snapshot; this version of WorkMail Permissions reads versions 1 to 3\. Update WorkMail Permissions/);
        return true;
      },
    );
    assert.throws(() => parseSnapshot(mutate((doc) => (doc.version = '1')), 'v.json'), /version: "1" is not a snapshot version \(1, 2, 3\)/);
    const damaged = JSON.stringify(sampleSnapshot(), null, 2).slice(0, 200);
    assert.throws(() => parseSnapshot(damaged, 'cut.json'), /^WorkMailError: cut\.json is not a snapshot: it is not valid JSON \(/);
    assert.throws(() => parseSnapshot('{\n  "format": x\n}', 'bad.json'), /not valid JSON \(line 2, column 13: InvalidSymbol\)/);
  });

  it('says so when the file cannot be read', async () => {
    await assert.rejects(readSnapshot(path.join(temp.dir, 'none.json')), /Could not read the snapshot .*none\.json: no such file\./);
  });

  it('builds from data already read, without calls, in a stable order', () => {
    const org = { organizationId: 'm-1', region: 'us-east-1' };
    const ana = { id: 'b', kind: 'user' as const, email: 'ana@x.example', state: 'ENABLED' as const };
    const bob = { id: 'a', kind: 'user' as const, email: '', state: 'ENABLED' as const };
    const group = { id: 'g', kind: 'group' as const, state: 'ENABLED' as const };
    const described = { id: 'd', kind: 'user' as const, email: 'old@x.example', state: 'DELETED' as const };
    const scan = {
      org,
      startedAt: new Date('2026-01-01T00:00:00Z'),
      readAt: new Date('2026-01-01T00:01:00Z'),
      mailboxReadAt: new Map(),
      directory: { entities: new Map(), users: [ana, bob], groups: [group], resources: [] },
      grants: [
        { type: 'grant' as const, org, mailbox: ana, granteeId: 'd', granteeType: 'USER' as const, grantee: described, rights: ['SEND_AS' as const], readAt: new Date('2026-01-01T00:00:30Z') },
        { type: 'grant' as const, org, mailbox: ana, granteeId: 'a', granteeType: 'USER' as const, grantee: bob, rights: ['FULL_ACCESS' as const], readAt: new Date('2026-01-01T00:00:30Z') },
        { type: 'grant' as const, org, mailbox: bob, granteeId: 'z', granteeType: 'USER' as const, grantee: null, granteeLookupFailed: true, rights: ['FULL_ACCESS' as const], readAt: new Date('2026-01-01T00:00:40Z') },
      ],
      failures: [],
    };
    const routes = { delegates: new Map(), bookingOptions: new Map(), roles: [], accessRules: [], unreadableRules: 0, failures: [] };
    const aliases = { aliases: new Map([['b', ['ana.silva@x.example']]]), failures: [] };
    const snapshot = buildSnapshot(scan, { membership: new Map([['g', [{ id: 'b', kind: 'user' as const }, { id: 'a', kind: 'user' as const }]]]), failures: [] }, { writtenBy: 'test', routes, aliases });
    assert.deepEqual(snapshot.entities.map((e) => e.id), ['a', 'b', 'd', 'g'], 'users then groups, by ID; a described grantee is kept');
    assert.equal(snapshot.entities[0]!.email, undefined, 'an empty address is no address');
    assert.deepEqual(snapshot.entities[3]!.members, ['a', 'b']);
    assert.deepEqual(snapshot.entities[1]!.aliases, ['ana.silva@x.example']);
    assert.equal(snapshot.entities[2]!.aliasesUnreadable, 'NotRead: deleted in WorkMail, its aliases are not read', 'a deleted entity is not asked, and not recorded as having none');
    assert.equal(snapshot.entities[0]!.aliases, undefined, 'no address, no aliases');
    assert.deepEqual(snapshot.grants.map((g) => `${g.mailboxId}>${g.granteeId}`), ['a>z', 'b>a', 'b>d']);
    assert.equal(snapshot.grants[0]!.granteeLookupFailed, true);
    assert.equal(snapshot.grants[0]!.granteeUnknown, undefined, 'not looked up is not unknown');
    assert.deepEqual(parseSnapshot(JSON.stringify(snapshot)), snapshot);
  });

  it('the example in docs/SNAPSHOT.md is a valid snapshot of the current version, with its routes and aliases', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'SNAPSHOT.md'), 'utf8');
    const example = /```json\n([\s\S]*?)\n```/.exec(doc)![1]!;
    const snapshot = parseSnapshot(example, 'docs/SNAPSHOT.md');
    assert.equal(snapshot.version, SNAPSHOT_VERSION);
    assert.equal(snapshot.grants.length, 3);
    assert.ok(snapshot.routes!.resources.length > 0 && snapshot.routes!.impersonationRoles!.length > 0 && snapshot.routes!.accessRules!.length > 0);
    assert.ok(snapshot.entities.some((e) => (e.aliases ?? []).length > 0) && snapshot.entities.some((e) => e.aliasesUnreadable !== undefined));
  });

  it('schemas/snapshot.schema.json is generated from the validator', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'snapshot.schema.json'), 'utf8'));
    assert.deepEqual(committed, snapshotJsonSchema(), 'run `npx tsx scripts/snapshot-schema.ts` and commit schemas/snapshot.schema.json');
  });
});
