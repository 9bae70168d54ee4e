// ListAliases through the real SDK: the sample's aliases (users, a group, a resource, one on another
// domain of the organization), pagination and its tokens, the errors, the seed's aliases checked on
// load, and the generator's aliases.
import assert from 'node:assert/strict';
import { ListAliasesCommand, type WorkMailClient } from '@aws-sdk/client-workmail';
import { generateDirectory } from '../../emulator/generate';
import { startEmulator, type Emulator } from '../../emulator/index';
import { InvalidSeedError, checkSeed, expandSeed, type SeedDocument } from '../../emulator/seed';
import { SAMPLE_ORGS, clientFor, rejectsWith, sampleId, sampleSeed } from './helpers';

const ACME = SAMPLE_ORGS.acme;
const id = (name: string): string => sampleId('acme', name);

describe('emulator: ListAliases with the real SDK', () => {
  let emu: Emulator;
  let east: WorkMailClient;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    east = clientFor(emu, 'us-east-1');
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    emu.clearCalls();
  });

  const allAliases = async (entity: string, pageSize?: number): Promise<string[]> => {
    const all: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await east.send(new ListAliasesCommand({ OrganizationId: ACME, EntityId: entity, NextToken, MaxResults: pageSize }));
      all.push(...(page.Aliases ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return all;
  };

  it('lists the aliases of a user (one on another domain of the organization), a group and a resource, never the primary address', async () => {
    assert.deepEqual(await allAliases(id('alice.johnson')), ['alice.johnson@acme.com', 'alice@acme.example.com', 'ceo@acme.example.com']);
    assert.deepEqual(await allAliases(id('sales')), ['sales-team@acme.example.com', 'sales@acme.com']);
    assert.deepEqual(await allAliases(id('room-atlas')), ['atlas@acme.example.com']);
    assert.deepEqual(await allAliases(id('grace.kim')), [], 'a user without an alias');
    assert.deepEqual(await allAliases(id('new.starter')), [], 'a user without an address');
  });

  it('takes the entity by ID, name or primary address, and a disabled entity keeps its aliases', async () => {
    assert.deepEqual(await allAliases('bob.martinez'), ['bob@acme.example.com']);
    assert.deepEqual(await allAliases('bob.martinez@acme.example.com'), ['bob@acme.example.com']);
    assert.deepEqual(await allAliases(id('william.chen')), ['w.chen@acme.example.com']);
  });

  it('pages by MaxResults, one call a page, and refuses a token of another entity', async () => {
    assert.deepEqual(await allAliases(id('alice.johnson'), 1), ['alice.johnson@acme.com', 'alice@acme.example.com', 'ceo@acme.example.com']);
    assert.equal(emu.calls().filter((c) => c.operation === 'ListAliases').length, 3);
    const first = await east.send(new ListAliasesCommand({ OrganizationId: ACME, EntityId: id('alice.johnson'), MaxResults: 1 }));
    assert.ok(first.NextToken);
    await rejectsWith(east.send(new ListAliasesCommand({ OrganizationId: ACME, EntityId: id('sales'), MaxResults: 1, NextToken: first.NextToken })), 'InvalidParameterException');
    await rejectsWith(east.send(new ListAliasesCommand({ OrganizationId: ACME, EntityId: id('sales'), MaxResults: 101 })), 'InvalidParameterException');
  });

  it('answers EntityNotFoundException for an unknown entity and EntityStateException for a deleted one', async () => {
    await rejectsWith(east.send(new ListAliasesCommand({ OrganizationId: ACME, EntityId: 'nobody.at.all' })), 'EntityNotFoundException');
    emu.setEntityState(ACME, id('bob.martinez'), 'DELETED');
    await rejectsWith(east.send(new ListAliasesCommand({ OrganizationId: ACME, EntityId: id('bob.martinez') })), 'EntityStateException');
  });

  it('refuses a seed whose alias is not an address, is another address of the organization, or is on an entity without one', () => {
    const withAliases = (change: (org: Record<string, unknown>) => void): SeedDocument => {
      const seed = JSON.parse(JSON.stringify(sampleSeed)) as { accounts: Array<{ organizations: Array<Record<string, unknown>> }> };
      change(seed.accounts[0]!.organizations[0]!);
      return seed as unknown as SeedDocument;
    };
    const users = (org: Record<string, unknown>) => org['users'] as Array<Record<string, unknown>>;
    assert.throws(() => checkSeed(withAliases((org) => (users(org)[2]!['aliases'] = ['not an address']))), (e: unknown) => e instanceof InvalidSeedError && /users\[2\]\.aliases\[0\] must be an email address/.test(e.message));
    assert.throws(() => checkSeed(withAliases((org) => (users(org)[2]!['aliases'] = ['Bob@acme.example.com']))), (e: unknown) => e instanceof InvalidSeedError && /already an address of .*users\[1\]/.test(e.message));
    assert.throws(() => checkSeed(withAliases((org) => (users(org)[2]!['aliases'] = ['grace.kim@acme.example.com']))), (e: unknown) => e instanceof InvalidSeedError && /already an address/.test(e.message));
    const starter = () => (org: Record<string, unknown>) => (users(org).find((u) => u['name'] === 'new.starter')!['aliases'] = ['starter@acme.example.com']);
    assert.throws(() => checkSeed(withAliases(starter())), (e: unknown) => e instanceof InvalidSeedError && /without an email has no aliases/.test(e.message));
  });

  it('generates aliases on some users (one on another domain), groups and resources, each address of the organization once', () => {
    const options = { users: 260, groups: 12, resources: 5, grants: 600, seed: 260, domain: 'labs.acme.example.com' };
    const dir = generateDirectory(options);
    assert.deepEqual(generateDirectory(options).aliases, dir.aliases, 'deterministic');
    const kinds = new Map([...dir.users.map((u) => [u.id, 'user'] as const), ...dir.groups.map((g) => [g.id, 'group'] as const), ...dir.resources.map((r) => [r.id, 'resource'] as const)]);
    const aliased = new Set(dir.aliases.map((a) => kinds.get(a.entity)));
    assert.deepEqual([...aliased].sort(), ['group', 'resource', 'user']);
    const every = dir.aliases.flatMap((a) => a.aliases);
    assert.ok(every.some((alias) => alias.endsWith('@mail.labs.acme.example.com')), 'one on another domain');
    const addresses = [...dir.users, ...dir.groups, ...dir.resources].flatMap((e) => (e.email ? [e.email] : [])).concat(every).map((a) => a.toLowerCase());
    assert.equal(new Set(addresses).size, addresses.length, 'no address twice');
    // expandSeed puts them on the entities, and its checks accept them.
    const expanded = expandSeed({ accounts: [{ name: 'a', accessKeys: [{ accessKeyId: 'AKIDX', secretAccessKey: 's' }], organizations: [{ id: `m-${'0'.repeat(31)}1`, alias: 'labs', region: 'us-east-1', generate: { ...options, domain: undefined } }] }] });
    const org = expanded.accounts[0]!.organizations![0]!;
    const withAliases = [...org.users!, ...org.groups!, ...org.resources!].filter((e) => (e.aliases ?? []).length > 0);
    assert.equal(withAliases.length, dir.aliases.length);
  });
});
