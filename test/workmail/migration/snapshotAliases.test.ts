// The aliases in the snapshot (version 3): read with the real SDK against the emulator's sample
// organization (Alice with one on another domain, Bob, William disabled, the sales and support
// groups, room-atlas), one ListAliases walk per entity with an address, written on the entity's line
// and read back exactly; an entity whose aliases cannot be read recorded so with the reason, never
// as none; a version 2 file still loading and saying it did not record them; and the checks that
// name the field.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EMULATOR_CREDENTIALS, SAMPLE_ORGS, startEmulator, type Emulator } from '../../../emulator/index';
import { SNAPSHOT_VERSION, type Snapshot } from '../../../src/workmail/migration/schema';
import { parseSnapshot, readSnapshot, snapshotFromScan, writeSnapshot } from '../../../src/workmail/migration/snapshot';
import { recordedAliases } from '../../../src/workmail/migration/snapshotAliases';
import { collectScan } from '../../../src/workmail/scan';
import { WorkMailSession } from '../../../src/workmail/session';
import { sampleId } from '../../emulator/helpers';
import { sampleCurrentSnapshot } from './support';

const acme = { organizationId: SAMPLE_ORGS.acme, region: 'us-east-1' };
const id = (name: string): string => sampleId('acme', name);

describe('migration snapshot: aliases (real SDK against the sample organization)', function () {
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
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-snapshot-aliases-'));
  });
  afterEach(() => {
    emu.setFaults({});
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records the aliases of every user, group and resource with an address, one ListAliases walk each, and reads back exactly', async () => {
    const scan = await collectScan(session, acme);
    emu.clearCalls();
    const snapshot = await snapshotFromScan(session, scan, { organization: { alias: 'acme' } });
    assert.equal(snapshot.version, SNAPSHOT_VERSION);
    const byId = new Map(snapshot.entities.map((e) => [e.id, e]));
    assert.deepEqual(byId.get(id('alice.johnson'))!.aliases, ['alice.johnson@acme.com', 'alice@acme.example.com', 'ceo@acme.example.com'], 'one on another domain of the organization');
    assert.deepEqual(byId.get(id('bob.martinez'))!.aliases, ['bob@acme.example.com']);
    assert.deepEqual(byId.get(id('william.chen'))!.aliases, ['w.chen@acme.example.com'], 'a disabled user keeps its aliases');
    assert.deepEqual(byId.get(id('sales'))!.aliases, ['sales-team@acme.example.com', 'sales@acme.com']);
    assert.deepEqual(byId.get(id('room-atlas'))!.aliases, ['atlas@acme.example.com'], 'a resource alias');
    assert.deepEqual(byId.get(id('grace.kim'))!.aliases, [], 'none is []');
    const starter = byId.get(id('new.starter'))!;
    assert.equal(starter.email, undefined);
    assert.equal('aliases' in starter || 'aliasesUnreadable' in starter, false, 'no address, nothing asked');

    const withAddress = snapshot.entities.filter((e) => e.email && e.state !== 'DELETED');
    const asked = emu.calls().filter((c) => c.operation === 'ListAliases');
    assert.equal(asked.length, withAddress.length, 'one call per entity with an address, not deleted');
    assert.deepEqual(new Set(asked.map((c) => (c.params as { EntityId: string }).EntityId)), new Set(withAddress.map((e) => e.id)));

    // The deleted user is not asked (WorkMail may refuse, and it is not migrated): the file says so rather than "no alias".
    const xavier = byId.get(id('xavier.dubois'))!;
    assert.equal(xavier.aliases, undefined);
    assert.equal(xavier.aliasesUnreadable, 'NotRead: deleted in WorkMail, its aliases are not read');

    const file = path.join(dir, 'acme.json');
    await writeSnapshot(file, snapshot);
    assert.deepEqual(await readSnapshot(file), snapshot);
    const aliceLine = fs.readFileSync(file, 'utf8').split('\n').find((line) => line.includes(id('alice.johnson')) && line.includes('"kind"'))!;
    assert.match(aliceLine, /"aliases":\["alice\.johnson@acme\.com","alice@acme\.example\.com","ceo@acme\.example\.com"\]/, 'on the entity’s own line');
  });

  it('records an entity whose aliases cannot be read as unreadable with the reason, never as none, and the file still loads', async () => {
    emu.setFaults({ rules: [{ operation: 'ListAliases', match: { EntityId: id('alice.johnson') }, error: 'AccessDeniedException', status: 400, message: 'not allowed' }] });
    const scan = await collectScan(session, acme);
    const snapshot = await snapshotFromScan(session, scan);
    const alice = snapshot.entities.find((e) => e.id === id('alice.johnson'))!;
    assert.equal(alice.aliases, undefined);
    assert.match(alice.aliasesUnreadable!, /^AccessDenied: /);
    assert.deepEqual(recordedAliases(snapshot, alice), { recorded: false, why: `could not be read (${alice.aliasesUnreadable})` });
    assert.deepEqual(snapshot.entities.find((e) => e.id === id('bob.martinez'))!.aliases, ['bob@acme.example.com'], 'the others are read');
    const file = path.join(dir, 'partial.json');
    await writeSnapshot(file, snapshot);
    assert.deepEqual(await readSnapshot(file), snapshot);
  });
});

/** A parsed file open to wrong values. */
type Doc = { version: unknown; entities: Array<Record<string, unknown>> } & Record<string, unknown>;

describe('migration snapshot: aliases in the file', () => {
  const mutate = (change: (doc: Doc) => void, from: Snapshot = sampleCurrentSnapshot()): string => {
    const doc = JSON.parse(JSON.stringify(from)) as Doc;
    change(doc);
    return JSON.stringify(doc, null, 2);
  };

  it('a version 2 file still loads, and whoever reads its aliases is told they were not recorded', () => {
    const v2 = parseSnapshot(
      mutate((doc) => {
        doc.version = 2;
        for (const entity of doc.entities) delete entity['aliases'];
        // An aliases field in a version 2 file is no part of that version: ignored like any unknown field.
        doc.entities[1]!['aliases'] = ['nonsense'];
        delete doc.entities[1]!['aliasesUnreadable'];
      }),
      'v2.json',
    );
    assert.equal(v2.version, 2);
    assert.equal(v2.entities.some((e) => 'aliases' in e || 'aliasesUnreadable' in e), false);
    assert.deepEqual(recordedAliases(v2, v2.entities[0]!), { recorded: false, why: 'not recorded (snapshot version 2)' });
    const current = parseSnapshot(JSON.stringify(sampleCurrentSnapshot()));
    const ana = current.entities.find((e) => e.id === 'u-ana')!;
    assert.deepEqual(recordedAliases(current, ana), { recorded: true, aliases: ['ana.silva@acme.example.com', 'ana@acme.example.org'] });
    assert.deepEqual(recordedAliases(current, current.entities.find((e) => e.id === 'r-proj')!), { recorded: true, aliases: [] }, 'no address, no alias');
  });

  it('refuses what only the whole file shows about the aliases, naming the field', () => {
    const ana = (doc: Doc) => doc.entities.find((e) => e['id'] === 'u-ana')!;
    const cases: Array<[string, (doc: Doc) => void, RegExp]> = [
      ['missing', (doc) => delete ana(doc)['aliases'], /entities\[0\]\.aliases: missing \(or aliasesUnreadable/],
      ['both', (doc) => (ana(doc)['aliasesUnreadable'] = 'ThrottlingException: x'), /entities\[0\]\.aliases: aliases that could not be read \(aliasesUnreadable\) lists none/],
      ['its own address', (doc) => (ana(doc)['aliases'] = ['ANA@acme.example.com']), /entities\[0\]\.aliases\[0\]: "ANA@acme\.example\.com" is also entities\[0\]\.email/],
      ['another’s address', (doc) => (ana(doc)['aliases'] = ['bob@acme.example.com']), /entities\[0\]\.aliases\[0\]: "bob@acme\.example\.com" is also entities\[1\]\.email/],
      ['twice', (doc) => (ana(doc)['aliases'] = ['a@acme.example.com', 'A@acme.example.com']), /entities\[0\]\.aliases\[1\]: "A@acme\.example\.com" is also entities\[0\]\.aliases\[0\]/],
      ['on an entity without an address', (doc) => (doc.entities.find((e) => e['id'] === 'g-locked')!['aliases'] = ['x@acme.example.com']), /entities\[3\]\.aliases: an entity without an email has no aliases/],
      ['not text', (doc) => (ana(doc)['aliases'] = ['']), /entities\[0\]\.aliases\[0\]: an alias is empty/],
    ];
    for (const [name, change, expected] of cases) {
      assert.throws(() => parseSnapshot(mutate(change), 's.json'), expected, name);
    }
  });

  it('is not written as the current version without the aliases', async () => {
    const snapshot = sampleCurrentSnapshot();
    const without: Snapshot = { ...snapshot, entities: snapshot.entities.map(({ aliases: _a, aliasesUnreadable: _u, ...rest }) => rest) };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-snapshot-aliases-'));
    try {
      await assert.rejects(writeSnapshot(path.join(dir, 'x.json'), without), /carries the aliases of every entity with an address/);
      assert.deepEqual(fs.readdirSync(dir), [], 'nothing written');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
