// Aliases cross-checked with the AWS CLI (botocore), a client that shares no code with the
// JavaScript SDK the product uses: `aws workmail list-aliases`, page by page, lists what the
// product's read (WorkMailSession.listAllAliases, paginateListAliases) reads, and what the snapshot
// records. If the emulator only agreed with the SDK's serialization of ListAliases, this shows it.
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../emulator/index';
import { loadAliases } from '../../src/workmail/aliases';
import { WorkMailSession } from '../../src/workmail/session';
import { AwsCli, EMULATOR_CREDENTIALS, SAMPLE_ORGS, sampleId, type CliResult } from './helpers';

const REGION = 'us-east-1';
const acme = { organizationId: SAMPLE_ORGS.acme, region: REGION };

describe('emulator: aliases listed by the AWS CLI and read by the product', function () {
  // Installing awscli with apt-get on a fresh machine can take a minute or two.
  this.timeout(240_000);
  let emu: Emulator;
  let aws: AwsCli;
  let session: WorkMailSession;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    aws = AwsCli.open(emu.url);
  });
  after(async () => {
    await emu?.stop();
    aws?.dispose();
  });
  beforeEach(() => {
    emu.reset();
    session = new WorkMailSession({ endpoint: emu.url, credentials: async () => EMULATOR_CREDENTIALS.default, maxAttempts: 1 });
    emu.clearCalls();
  });
  afterEach(() => session.dispose());

  const cli = (args: string[]): Promise<CliResult> => aws.run(REGION, args);
  const listAliases = async (entity: string, extra: string[] = []): Promise<string[]> => {
    const result = await cli(['list-aliases', '--organization-id', acme.organizationId, '--entity-id', entity, ...extra]);
    assert.equal(result.status, 0, `aws workmail list-aliases failed: ${result.stderr}`);
    return ((JSON.parse(result.stdout) as { Aliases?: string[] }).Aliases ?? []);
  };
  const calls = () => emu.calls().filter((c) => c.operation === 'ListAliases').length;

  it('pages through a user’s aliases with --page-size 1 (one call a page) and lists what the product reads', async () => {
    const alice = sampleId('acme', 'alice.johnson');
    const byCli = await listAliases(alice, ['--page-size', '1']);
    assert.equal(calls(), 3, 'one ListAliases call per page');
    assert.deepEqual(byCli, ['alice.johnson@acme.com', 'alice@acme.example.com', 'ceo@acme.example.com']);
    assert.deepEqual(await session.listAllAliases(acme, alice), byCli);
  });

  it('agrees with the product’s loadAliases for a group, a resource, a disabled user and a user with none', async () => {
    const names = ['sales', 'room-atlas', 'william.chen', 'grace.kim'];
    const entities = names.map((name) => ({ id: sampleId('acme', name), kind: 'user' as const, name, email: `${name}@acme.example.com` }));
    const loaded = await loadAliases(session, acme, entities);
    assert.deepEqual(loaded.failures, []);
    for (const entity of entities) {
      const byCli = await listAliases(entity.id);
      assert.deepEqual([...(loaded.aliases.get(entity.id) ?? [])].sort(), [...byCli].sort(), entity.name);
    }
    assert.deepEqual(loaded.aliases.get(sampleId('acme', 'grace.kim')), []);
  });

  it('fails as the product’s read does for a deleted entity (EntityStateException), which loadAliases does not ask', async () => {
    const bob = sampleId('acme', 'bob.martinez');
    emu.setEntityState(acme.organizationId, bob, 'DELETED');
    const result = await cli(['list-aliases', '--organization-id', acme.organizationId, '--entity-id', bob]);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /EntityStateException/);
    await assert.rejects(session.listAllAliases(acme, bob), (err: Error & { code?: string }) => err.code === 'EntityStateException');
    emu.clearCalls();
    const loaded = await loadAliases(session, acme, [{ id: bob, kind: 'user', name: 'bob.martinez', email: 'bob.martinez@acme.example.com', state: 'DELETED' }]);
    assert.deepEqual([loaded.failures.length, loaded.aliases.has(bob), calls()], [0, false, 0], 'not asked, and not given as none');
  });
});
