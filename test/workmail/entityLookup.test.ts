// What a person types, or a change file names, as one entity: by ID, email, name or display name
// in any case; a display name shared by several is refused with their addresses; against the
// emulator through the real SDK.
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../emulator/index';
import { lookUpEntity, type WholeLists } from '../../src/workmail/entityLookup';
import { WorkMailSession } from '../../src/workmail/session';
import { ACME, ANA, BOB, DEFAULT_KEYS, ROOM, SALES, seed, staticCredentials } from './fixture';

const OTHER_ANA = '00000000-0000-4000-8000-000000000701';

describe('looking up what a person typed', function () {
  this.timeout(30_000);
  let emu: Emulator;
  let session: WorkMailSession;

  before(async () => {
    emu = await startEmulator({ port: 0, seed: seed() });
    session = new WorkMailSession({ endpoint: emu.url, credentials: staticCredentials(DEFAULT_KEYS), maxAttempts: 1 });
  });
  after(async () => {
    session.dispose();
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    emu.setVariants({});
    emu.clearCalls();
  });

  const found = async (typed: string, kinds: Parameters<typeof lookUpEntity>[3] = ['user', 'group']) => {
    const lookup = await lookUpEntity(session, ACME, typed, kinds);
    assert.equal(lookup.outcome, 'found', `${typed}: ${JSON.stringify(lookup)}`);
    return lookup.outcome === 'found' ? lookup.entity.id : undefined;
  };

  it('finds a user by display name in any case, and by ID, user name and email as before', async () => {
    assert.equal(await found('Bob Jones'), BOB);
    assert.equal(await found('bob jones'), BOB);
    assert.equal(await found('  BOB JONES '), BOB);
    assert.equal(await found(BOB), BOB);
    assert.equal(await found('bob'), BOB);
    assert.equal(await found('bob@acme.example.com'), BOB);
  });

  it("finds a group and a resource by the name people see, only among the kinds asked for", async () => {
    assert.equal(await found('Sales'), SALES);
    assert.equal(await found('Boardroom', ['user', 'group', 'resource']), ROOM);
    assert.deepEqual(await lookUpEntity(session, ACME, 'Boardroom', ['user', 'group']), { outcome: 'none' });
  });

  it('a display name only the start of one is nobody (a prefix is not a match)', async () => {
    assert.deepEqual(await lookUpEntity(session, ACME, 'Bob Jon', ['user', 'group']), { outcome: 'none' });
    assert.deepEqual(await lookUpEntity(session, ACME, 'Nobody Here', ['user', 'group']), { outcome: 'none' });
  });

  it('refuses a display name two entities share, naming each by its address', async () => {
    emu.addUser(ACME.organizationId, { id: OTHER_ANA, name: 'ana.s', displayName: 'ANA SILVA', email: 'ana.s@acme.example.com' });
    const lookup = await lookUpEntity(session, ACME, 'Ana Silva', ['user', 'group']);
    assert.equal(lookup.outcome, 'refused');
    assert.match(lookup.outcome === 'refused' ? lookup.reason : '', /^"Ana Silva" names 2 entities: .*ana@acme\.example\.com \(user\).*ana\.s@acme\.example\.com \(user\).*give the email address or ID/);
    // Either one is still reached by what only it has.
    assert.equal(await found('ana@acme.example.com'), ANA);
    assert.equal(await found('ana.s'), OTHER_ANA);
  });

  it('prefers the live entity over a deleted one of the same display name', async () => {
    emu.addUser(ACME.organizationId, { id: OTHER_ANA, name: 'ana.old', displayName: 'Ana Silva', email: 'ana.old@acme.example.com', state: 'DELETED' });
    assert.equal(await found('Ana Silva'), ANA);
  });

  it('says what is wrong with an address WorkMail would not accept, without a call', async () => {
    emu.clearCalls();
    const lookup = await lookUpEntity(session, ACME, 'bob@@acme', ['user', 'group']);
    assert.equal(lookup.outcome, 'refused');
    assert.match(lookup.outcome === 'refused' ? lookup.reason : '', /"bob@@acme" is not valid as an email address/);
    assert.deepEqual(emu.calls(), []);
  });

  it('with filters that mind case, lists the kind once and matches it here, for every name of a plan', async () => {
    emu.setVariants({ 'list-filter-case': 'sensitive' });
    const wholeLists: WholeLists = new Map();
    const lookup = (typed: string) => lookUpEntity(session, ACME, typed, ['user'], undefined, wholeLists);
    const bob = await lookup('bob jones');
    assert.equal(bob.outcome === 'found' && bob.entity.id, BOB);
    const ana = await lookup('ana silva');
    assert.equal(ana.outcome === 'found' && ana.entity.id, ANA);
    const listUsers = emu.calls().filter((c) => c.operation === 'ListUsers').map((c) => c.params as { Filters?: unknown; NextToken?: string });
    assert.equal(listUsers.filter((p) => p.Filters).length, 2, 'one filtered call per name');
    // One whole listing (its first page asked once) served both names.
    assert.equal(listUsers.filter((p) => !p.Filters && !p.NextToken).length, 1);
  });
});
