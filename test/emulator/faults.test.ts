import assert from 'node:assert/strict';
import {
  DeleteMailboxPermissionsCommand,
  ListMailboxPermissionsCommand,
  ListOrganizationsCommand,
  PutMailboxPermissionsCommand,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import { startEmulator, type Emulator } from '../../emulator/index';
import { SAMPLE_ORGS, clientFor, rejectsWith, sampleId } from './helpers';

const ACME = SAMPLE_ORGS.acme;
const id = (name: string): string => sampleId('acme', name);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('emulator: faults, call log and admin API', () => {
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
    emu.setFaults({});
    emu.clearCalls();
  });

  const rightsOnAlice = async (grantee: string): Promise<string[] | undefined> => {
    const listed = await east.send(new ListMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'alice.johnson' }));
    return listed.Permissions?.find((p) => p.GranteeId === id(grantee))?.PermissionValues;
  };

  describe('throttling', () => {
    it('answers ThrottlingException past the token bucket and recovers as it refills', async () => {
      emu.setFaults({ rateLimitPerSecond: 4, rateLimitBurst: 2 });
      await east.send(new ListOrganizationsCommand({}));
      await east.send(new ListOrganizationsCommand({}));
      const error = await rejectsWith(east.send(new ListOrganizationsCommand({})), 'ThrottlingException');
      assert.equal(error.$metadata?.httpStatusCode, 400);
      await sleep(300);
      await east.send(new ListOrganizationsCommand({}));
    });

    it('is retried by the SDK when retries are allowed', async () => {
      emu.setFaults({ rules: [{ operation: 'ListOrganizations', error: 'ThrottlingException', message: 'Rate exceeded', times: 1 }] });
      const retrying = clientFor(emu, 'us-east-1', undefined, { maxAttempts: 3 });
      const result = await retrying.send(new ListOrganizationsCommand({}));
      assert.equal(result.$metadata.attempts, 2);
      assert.deepEqual(emu.calls().map((c) => c.errorCode ?? c.status), ['ThrottlingException', 200]);
    });
  });

  describe('rules', () => {
    it('fails only matching calls, only `times` times, and changes nothing when it fires', async () => {
      emu.setFaults({
        rules: [{ operation: 'PutMailboxPermissions', match: { GranteeId: 'tara.singh' }, error: 'EntityStateException', message: 'Injected for the test', times: 1 }],
      });
      const putTara = () =>
        east.send(new PutMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'alice.johnson', GranteeId: 'tara.singh', PermissionValues: ['SEND_AS'] }));
      const error = await rejectsWith(putTara(), 'EntityStateException');
      assert.equal(error.message, 'Injected for the test');
      assert.deepEqual(await rightsOnAlice('tara.singh'), ['FULL_ACCESS', 'SEND_ON_BEHALF']);
      await east.send(new PutMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'alice.johnson', GranteeId: 'bob.martinez', PermissionValues: ['SEND_AS'] }));
      await putTara();
      assert.deepEqual(await rightsOnAlice('tara.singh'), ['SEND_AS']);
      assert.deepEqual(emu.faults().rules, []);
    });

    it('answers with the status a rule gives', async () => {
      emu.setFaults({ rules: [{ error: 'ServiceUnavailable', status: 503 }] });
      const error = await rejectsWith(east.send(new ListOrganizationsCommand({})), 'ServiceUnavailable');
      assert.equal(error.$metadata?.httpStatusCode, 503);
    });

    it('resets the connection mid-call and records it', async () => {
      emu.setFaults({ rules: [{ operation: 'DeleteMailboxPermissions', resetConnection: true, times: 1 }] });
      await assert.rejects(
        east.send(new DeleteMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'alice.johnson', GranteeId: 'tara.singh' })),
        (error: Error & { $metadata?: unknown }) => !('$fault' in error) && /socket|ECONNRESET|hang up|closed/i.test(`${error.message} ${(error as { code?: string }).code ?? ''}`),
      );
      assert.deepEqual(await rightsOnAlice('tara.singh'), ['FULL_ACCESS', 'SEND_ON_BEHALF']);
      assert.equal(emu.calls()[0]!.status, 0);
      assert.equal(emu.calls()[0]!.errorCode, 'ConnectionReset');
    });

    it('delays a matching call by delayMs, then serves it', async () => {
      emu.setFaults({ rules: [{ operation: 'ListOrganizations', delayMs: 200 }] });
      const started = Date.now();
      await east.send(new ListOrganizationsCommand({}));
      assert.ok(Date.now() - started >= 190);
      assert.ok(emu.calls()[0]!.durationMs >= 190);
    });
  });

  it('carries out a held write after its client has given up, and reports it in flight until then and any write that overlaps it', async () => {
    const impatient = clientFor(emu, 'us-east-1', undefined, { requestHandler: { requestTimeout: 100, throwOnRequestTimeout: true } });
    emu.setFaults({ rules: [{ operation: 'PutMailboxPermissions', delayMs: 400, times: 1 }] });
    const pair = `${ACME}/${id('alice.johnson')}/${id('tara.singh')}`;
    const put = (rights: Array<'SEND_AS' | 'FULL_ACCESS'>) =>
      impatient.send(new PutMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: id('alice.johnson'), GranteeId: id('tara.singh'), PermissionValues: rights }));
    await assert.rejects(put(['SEND_AS']), /timed out|timeout/i);
    assert.deepEqual(emu.writesInFlight(), [pair], 'still held after the client gave up');
    assert.notDeepEqual(await rightsOnAlice('tara.singh'), ['SEND_AS'], 'not carried out yet');
    // A second write to the same pair while the first is held is what the write path must never do.
    await put(['FULL_ACCESS']);
    assert.deepEqual(emu.writeOverlaps().map((o) => [o.pair, o.operation]), [[pair, 'PutMailboxPermissions']]);
    await sleep(450);
    assert.deepEqual(emu.writesInFlight(), []);
    assert.deepEqual(await rightsOnAlice('tara.singh'), ['SEND_AS'], 'the held write landed last and replaced the later one');
    emu.clearWriteOverlaps();
    assert.deepEqual(emu.writeOverlaps(), []);
    impatient.destroy();
  });

  it('answers a region without WorkMail (us-east-2) with a connection failure, as the real missing endpoint would, and records it', async () => {
    const ohio = clientFor(emu, 'us-east-2');
    await assert.rejects(ohio.send(new ListOrganizationsCommand({})), (err: Error) => /socket hang up|ECONNRESET/i.test(`${err.name} ${err.message} ${(err as { code?: string }).code ?? ''}`));
    assert.equal(emu.calls().at(-1)?.errorCode, 'NoWorkMailEndpoint');
    ohio.destroy();
  });

  it('adds the configured latency to every call', async () => {
    emu.setFaults({ latencyMs: 120, jitterMs: 50, seed: 7 });
    const started = Date.now();
    await east.send(new ListOrganizationsCommand({}));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 115, `elapsed ${elapsed}`);
    // No upper bound: a loaded machine can add any wall time to a call.
    assert.ok((emu.calls().at(-1)?.durationMs ?? 0) >= 115, 'the emulator records the delay it added');
  });

  it('fails the given fraction with 500 InternalFailure, reproducibly for a seed', async () => {
    emu.setFaults({ failRate: 1 });
    const error = await rejectsWith(east.send(new ListOrganizationsCommand({})), 'InternalFailure');
    assert.equal(error.$metadata?.httpStatusCode, 500);

    const outcomes = async (): Promise<string> => {
      emu.setFaults({ failRate: 0.5, seed: 42 });
      let pattern = '';
      for (let i = 0; i < 20; i++) {
        pattern += await east.send(new ListOrganizationsCommand({})).then(
          () => '.',
          () => 'x',
        );
      }
      return pattern;
    };
    const first = await outcomes();
    assert.equal(await outcomes(), first);
    assert.match(first, /x/);
    assert.match(first, /\./);
  });

  it('keeps showing the old grants for consistencyDelayMs after Put and Delete, while the truth changes at once', async () => {
    emu.setFaults({ consistencyDelayMs: 300 });
    await east.send(new PutMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'alice.johnson', GranteeId: 'tara.singh', PermissionValues: ['SEND_AS'] }));
    await east.send(new DeleteMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'alice.johnson', GranteeId: 'bob.martinez' }));
    assert.deepEqual(await rightsOnAlice('tara.singh'), ['FULL_ACCESS', 'SEND_ON_BEHALF']);
    assert.deepEqual(await rightsOnAlice('bob.martinez'), ['SEND_ON_BEHALF']);
    assert.deepEqual(emu.grants(ACME).find((g) => g.granteeId === id('tara.singh') && g.mailboxId === id('alice.johnson'))?.rights, ['SEND_AS']);
    await sleep(350);
    assert.deepEqual(await rightsOnAlice('tara.singh'), ['SEND_AS']);
    assert.equal(await rightsOnAlice('bob.martinez'), undefined);
  });

  it('records every call with sequence, operation, region, key, params, status, error code and duration', async () => {
    await east.send(new ListOrganizationsCommand({ MaxResults: 5 }));
    await east.send(new ListMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'nobody' })).catch(() => undefined);
    const [first, second] = emu.calls();
    assert.equal(first!.seq + 1, second!.seq);
    assert.equal(first!.operation, 'ListOrganizations');
    assert.equal(first!.region, 'us-east-1');
    assert.equal(first!.accessKeyId, 'AKIDWORKMAILEMULATOR');
    assert.deepEqual(first!.params, { MaxResults: 5 });
    assert.equal(first!.status, 200);
    assert.ok(!Number.isNaN(Date.parse(first!.time)));
    assert.ok(first!.durationMs >= 0);
    assert.equal(second!.status, 400);
    assert.equal(second!.errorCode, 'EntityNotFoundException');
    emu.clearCalls();
    assert.deepEqual(emu.calls(), []);
  });

  it('rejects invalid fault settings', () => {
    assert.throws(() => emu.setFaults({ failRate: 2 }), /failRate/);
    assert.throws(() => emu.setFaults({ latencyMs: -1 }), /latencyMs/);
    assert.throws(() => emu.setFaults({ rules: [{ operation: 'ListUsers' }] }), /rules\[0\]/);
  });

  describe('admin HTTP API', () => {
    const admin = (path: string, init?: RequestInit) => fetch(`${emu.url}/__emulator${path}`, init);
    const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    it('reads and replaces faults', async () => {
      const put = await admin('/faults', json('PUT', { latencyMs: 5, rules: [{ operation: 'ListUsers', error: 'ThrottlingException', times: 2 }] }));
      assert.equal(put.status, 200);
      const current = (await (await admin('/faults')).json()) as { latencyMs: number; rules: { times: number }[] };
      assert.equal(current.latencyMs, 5);
      assert.equal(current.rules[0]!.times, 2);
      assert.equal((await admin('/faults', json('PUT', { failRate: 3 }))).status, 400);
      assert.equal(emu.faults().latencyMs, 5);
    });

    it('changes grants and entity states out of band, shows ground truth, and resets', async () => {
      const grantPath = `/organizations/${ACME}/mailboxes/${id('alice.johnson')}/grants/${id('maya.patel')}`;
      assert.equal((await admin(grantPath, json('PUT', { rights: ['SEND_AS'] }))).status, 200);
      assert.deepEqual(await rightsOnAlice('maya.patel'), ['SEND_AS']);
      const truth = (await (await admin(`/organizations/${ACME}/grants`)).json()) as { mailboxId: string; granteeId: string; rights: string[] }[];
      assert.deepEqual(truth.find((g) => g.granteeId === id('maya.patel'))?.rights, ['SEND_AS']);
      assert.equal((await admin(grantPath, json('PUT', { rights: [] }))).status, 200);
      assert.equal(await rightsOnAlice('maya.patel'), undefined);

      assert.equal((await admin(`/organizations/${ACME}/entities/${id('tara.singh')}/state`, json('PUT', { state: 'DISABLED' }))).status, 204);
      await rejectsWith(
        east.send(new PutMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'alice.johnson', GranteeId: 'tara.singh', PermissionValues: ['SEND_AS'] })),
        'EntityStateException',
      );
      assert.equal((await admin(`/organizations/${ACME}/entities/${id('tara.singh')}/state`, json('PUT', { state: 'ASLEEP' }))).status, 400);

      await admin(grantPath, json('PUT', { rights: ['FULL_ACCESS'] }));
      assert.equal((await admin('/reset', { method: 'POST' })).status, 200);
      assert.equal(await rightsOnAlice('maya.patel'), undefined);
      await east.send(new PutMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'alice.johnson', GranteeId: 'tara.singh', PermissionValues: ['SEND_AS'] }));
    });

    it('lists organizations and calls, clears calls, and answers 404 for unknown routes', async () => {
      const orgs = (await (await admin('/organizations')).json()) as { id: string; alias: string; region: string; state: string; account: string }[];
      assert.deepEqual(orgs.find((o) => o.alias === 'globex'), { id: SAMPLE_ORGS.globex, alias: 'globex', region: 'us-east-1', state: 'Active', account: 'other', accountId: '444455556666' });
      await east.send(new ListOrganizationsCommand({}));
      const calls = (await (await admin('/calls')).json()) as { operation: string }[];
      assert.deepEqual(calls.map((c) => c.operation), ['ListOrganizations']);
      assert.equal((await admin('/calls', { method: 'DELETE' })).status, 204);
      assert.deepEqual(emu.calls(), []);
      assert.equal((await admin('/nothing-here')).status, 404);
    });
  });
});
