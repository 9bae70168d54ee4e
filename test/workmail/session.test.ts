import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { startEmulator } from '../../emulator/index';
import { CancelledError, WorkMailError } from '../../src/workmail/errors';
import { WorkMailSession, type CallRecord } from '../../src/workmail/session';
import type { DirectoryEntity } from '../../src/workmail/types';
import { AwsEnv } from './awsEnv';
import {
  ACME, ACME_EU, ACME_PAUSED, ALL_STAFF, ANA, BOB, CAROL, DEFAULT_KEYS, GHOST, OTHER_CO, OTHER_KEYS, ROOM, SALES, SHARED, SYSTEM,
  TEMP_KEYS, operations, paramsOf, seed, staticCredentials,
} from './fixture';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe('WorkMailSession against the emulator', () => {
  let emu: Emulator;
  let session: WorkMailSession;
  let records: CallRecord[];

  before(async () => {
    emu = await startEmulator({ port: 0, seed: seed() });
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    emu.setFaults({});
    emu.clearCalls();
    records = [];
    session = new WorkMailSession({ endpoint: emu.url, credentials: staticCredentials(DEFAULT_KEYS), onCall: (r) => records.push(r), maxAttempts: 2 });
  });
  afterEach(() => session.dispose());

  describe('organizations', () => {
    it('lists the organizations of each region separately', async () => {
      const east = await session.listOrganizations('us-east-1');
      assert.deepEqual(east.map((o) => o.alias).sort(), ['acme', 'acme-paused']);
      const acme = east.find((o) => o.alias === 'acme');
      assert.equal(acme?.organizationId, ACME.organizationId);
      assert.equal(acme?.region, 'us-east-1');
      assert.equal(acme?.state, 'Active');
      assert.equal(acme?.defaultMailDomain, 'acme.example.com');
      assert.equal(east.find((o) => o.alias === 'acme-paused')?.state, 'Inactive');
      assert.deepEqual((await session.listOrganizations('eu-west-1')).map((o) => [o.organizationId, o.region]), [[ACME_EU.organizationId, 'eu-west-1']]);
      assert.deepEqual(await session.listOrganizations('us-west-2'), []);
    });

    it('lists only the organizations of the account the credentials belong to', async () => {
      const other = new WorkMailSession({ endpoint: emu.url, credentials: staticCredentials(OTHER_KEYS) });
      try {
        assert.deepEqual((await other.listOrganizations('us-east-1')).map((o) => o.organizationId), [OTHER_CO.organizationId]);
      } finally {
        other.dispose();
      }
    });

    it('always sends MaxResults', async () => {
      await session.listOrganizations('us-east-1');
      const calls = emu.calls();
      assert.deepEqual(operations(calls), ['ListOrganizations']);
      assert.equal(paramsOf(calls[0]).MaxResults, 100);
    });

    it('works with temporary credentials carrying a session token', async () => {
      const temp = new WorkMailSession({ endpoint: emu.url, credentials: staticCredentials(TEMP_KEYS) });
      try {
        assert.equal((await temp.listOrganizations('us-east-1')).length, 2);
      } finally {
        temp.dispose();
      }
    });
  });

  describe('directory pages', () => {
    it('pages through users with the requested page size until the token runs out', async () => {
      const seen: DirectoryEntity[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = await session.listEntitiesPage(ACME, 'user', { maxResults: 10, nextToken });
        assert.ok(page.items.length <= 10);
        seen.push(...page.items);
        nextToken = page.nextToken;
        pages++;
      } while (nextToken);
      assert.equal(seen.length, 30);
      assert.equal(new Set(seen.map((e) => e.id)).size, 30);
      assert.equal(pages, 3);
      assert.ok(emu.calls().every((call) => paramsOf(call).MaxResults === 10));
    });

    it('maps users, groups and resources to directory entities', async () => {
      const users = (await session.listEntitiesPage(ACME, 'user', { maxResults: 100 })).items;
      assert.deepEqual(users.find((u) => u.id === ANA), {
        id: ANA, kind: 'user', name: 'ana', displayName: 'Ana Silva', email: 'ana@acme.example.com', state: 'ENABLED', userRole: 'USER',
      });
      assert.equal(users.find((u) => u.id === CAROL)?.state, 'DISABLED');
      assert.equal(users.find((u) => u.id === SYSTEM)?.userRole, 'SYSTEM_USER');
      const groups = (await session.listEntitiesPage(ACME, 'group', { maxResults: 100 })).items;
      assert.deepEqual(groups.find((g) => g.id === SALES), { id: SALES, kind: 'group', name: 'sales', email: 'sales@acme.example.com', state: 'ENABLED' });
      const resources = (await session.listEntitiesPage(ACME, 'resource', { maxResults: 100 })).items;
      assert.equal(resources.length, 1);
      assert.equal(resources[0].kind, 'resource');
      assert.equal(resources[0].resourceType, 'ROOM');
      assert.equal(resources[0].id, ROOM);
    });

    it('filters by name, display name and email prefix with the API filters', async () => {
      const byName = await session.listEntitiesPage(ACME, 'user', { maxResults: 100, filter: { field: 'name', prefix: 'staff1' } });
      assert.deepEqual(byName.items.map((u) => u.name).sort(), ['staff10', 'staff11', 'staff12', 'staff13', 'staff14', 'staff15', 'staff16', 'staff17', 'staff18', 'staff19']);
      const byDisplay = await session.listEntitiesPage(ACME, 'user', { maxResults: 100, filter: { field: 'displayName', prefix: 'Ana' } });
      assert.deepEqual(byDisplay.items.map((u) => u.id), [ANA]);
      const byEmail = await session.listEntitiesPage(ACME, 'group', { maxResults: 100, filter: { field: 'email', prefix: 'all@' } });
      assert.deepEqual(byEmail.items.map((g) => g.id), [ALL_STAFF]);
      const groupByDisplay = await session.listEntitiesPage(ACME, 'group', { maxResults: 100, filter: { field: 'displayName', prefix: 'sal' } });
      assert.deepEqual(groupByDisplay.items.map((g) => g.id), [SALES]);
      const filters = emu.calls().map((call) => paramsOf(call).Filters);
      assert.deepEqual(filters, [{ UsernamePrefix: 'staff1' }, { DisplayNamePrefix: 'Ana' }, { PrimaryEmailPrefix: 'all@' }, { NamePrefix: 'sal' }]);
    });

    it('lists group members, nested groups included', async () => {
      const page = await session.listGroupMembersPage(ACME, ALL_STAFF, { maxResults: 100 });
      assert.deepEqual(
        [...page.items].sort((a, b) => a.id.localeCompare(b.id)).map((m) => [m.id, m.kind, m.state]),
        [[CAROL, 'user', 'DISABLED'], [SALES, 'group', 'ENABLED']].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      );
    });
  });

  describe('grants', () => {
    it('lists one page of grants with the page size asked for', async () => {
      const first = await session.listGrantsPage(ACME, SHARED, { maxResults: 50 });
      assert.equal(first.items.length, 50);
      assert.ok(first.nextToken);
      const second = await session.listGrantsPage(ACME, SHARED, { maxResults: 50, nextToken: first.nextToken });
      assert.equal(second.items.length, 50);
      assert.equal(new Set([...first.items, ...second.items].map((g) => g.granteeId)).size, 100);
    });

    it('reports grantee type and rights as the service does, including grantees not in the directory', async () => {
      const grants = await session.listAllGrants(ACME, ANA);
      const byId = new Map(grants.map((g) => [g.granteeId, g]));
      assert.deepEqual(byId.get(BOB), { granteeId: BOB, granteeType: 'USER', rights: ['FULL_ACCESS'] });
      assert.deepEqual(byId.get(SALES), { granteeId: SALES, granteeType: 'GROUP', rights: ['SEND_AS'] });
      assert.deepEqual(byId.get(GHOST)?.rights, ['SEND_ON_BEHALF']);
    });

    it('reads all pages with MaxResults 100', async () => {
      const grants = await session.listAllGrants(ACME, SHARED);
      assert.equal(grants.length, 130);
      const calls = emu.calls();
      assert.deepEqual(operations(calls), ['ListMailboxPermissions', 'ListMailboxPermissions']);
      assert.ok(calls.every((call) => paramsOf(call).MaxResults === 100));
    });
  });

  describe('describe and find', () => {
    it('describes users, groups and resources by ID and returns undefined for an unknown ID', async () => {
      assert.equal((await session.describeEntity(ACME, ANA, 'user'))?.displayName, 'Ana Silva');
      assert.equal((await session.describeEntity(ACME, SALES, 'group'))?.name, 'sales');
      assert.equal((await session.describeEntity(ACME, ROOM, 'resource'))?.resourceType, 'ROOM');
      assert.equal(await session.describeEntity(ACME, GHOST, 'user'), undefined);
    });

    it('finds a typed grantee by email, user name or group name, with the canonical ID', async () => {
      assert.equal((await session.findEntity(ACME, 'bob@acme.example.com'))?.id, BOB);
      assert.equal((await session.findEntity(ACME, 'sales@acme.example.com'))?.kind, 'group');
      assert.equal((await session.findEntity(ACME, ' ana '))?.id, ANA);
      const group = await session.findEntity(ACME, 'all-staff');
      assert.equal(group?.id, ALL_STAFF);
      assert.equal(group?.kind, 'group');
      assert.equal(await session.findEntity(ACME, 'nobody'), undefined);
      assert.equal(await session.findEntity(ACME, 'nobody@acme.example.com'), undefined);
    });

    it('refuses a malformed name before any call', async () => {
      await assert.rejects(session.findEntity(ACME, 'Ana Silva'), (err: WorkMailError) => err.code === 'InvalidInput');
      assert.equal(emu.calls().length, 0);
    });
  });

  describe('call records', () => {
    it('records operation, region, organization, outcome and request id for each call', async () => {
      await session.listEntitiesPage(ACME, 'user', { maxResults: 5 });
      await session.describeEntity(ACME, GHOST, 'user');
      assert.equal(records.length, 2);
      assert.equal(records[0].operation, 'ListUsers');
      assert.equal(records[0].region, 'us-east-1');
      assert.equal(records[0].organizationId, ACME.organizationId);
      assert.equal(records[0].outcome, 'ok');
      assert.ok(records[0].requestId);
      assert.ok(records[0].durationMs >= 0);
      assert.equal(records[1].operation, 'DescribeUser');
      assert.equal(records[1].outcome, 'EntityNotFoundException');
    });

    it('records one call, not one per retry, and its final outcome', async () => {
      emu.setFaults({ rules: [{ operation: 'ListUsers', error: 'ThrottlingException', times: 1 }] });
      await session.listEntitiesPage(ACME, 'user', { maxResults: 5 });
      assert.deepEqual(operations(emu.calls()), ['ListUsers', 'ListUsers']);
      assert.deepEqual(records.map((r) => [r.operation, r.outcome]), [['ListUsers', 'ok']]);
    });
  });

  describe('failures become WorkMailErrors people can act on', () => {
    it('an inactive organization', async () => {
      await assert.rejects(session.listEntitiesPage(ACME_PAUSED, 'user', { maxResults: 10 }), (err: WorkMailError) => {
        assert.equal(err.code, 'OrganizationStateException');
        assert.match(err.message, /is not active/);
        return true;
      });
    });

    it('an organization of another region', async () => {
      await assert.rejects(session.listEntitiesPage({ ...ACME_EU, region: 'us-east-1' }, 'user', { maxResults: 10 }), (err: WorkMailError) => err.code === 'OrganizationNotFoundException');
    });

    it('throttling that outlasts the retries', async () => {
      emu.setFaults({ rules: [{ operation: 'ListUsers', error: 'ThrottlingException' }] });
      await assert.rejects(session.listEntitiesPage(ACME, 'user', { maxResults: 10 }), (err: WorkMailError) => {
        assert.equal(err.message, 'WorkMail is throttling requests; wait and retry.');
        assert.equal(err.retryable, true);
        return true;
      });
      assert.deepEqual(records.map((r) => r.outcome), ['ThrottlingException']);
    });

    it('a wrong secret key, without repeating it', async () => {
      const wrongSecret = 'wrong-secret-that-must-not-leak-anywhere';
      const bad = new WorkMailSession({
        endpoint: emu.url,
        credentials: staticCredentials({ accessKeyId: DEFAULT_KEYS.accessKeyId, secretAccessKey: wrongSecret }),
        onCall: (r) => records.push(r),
      });
      try {
        await assert.rejects(bad.listOrganizations('us-east-1'), (err: WorkMailError) => {
          assert.equal(err.code, 'InvalidCredentials');
          assert.match(err.message, /credentials/);
          for (const text of [err.message, err.detail ?? '', JSON.stringify(records)]) {
            assert.ok(!text.includes(wrongSecret));
          }
          return true;
        });
      } finally {
        bad.dispose();
      }
    });

    it('an unreachable endpoint names it', async () => {
      const stopped = await startEmulator({ port: 0, seed: seed() });
      const url = stopped.url;
      await stopped.stop();
      const offline = new WorkMailSession({ endpoint: url, credentials: staticCredentials(DEFAULT_KEYS), maxAttempts: 1 });
      try {
        await assert.rejects(offline.listOrganizations('us-east-1'), (err: WorkMailError) => {
          assert.equal(err.code, 'NetworkError');
          assert.ok(err.message.startsWith(`Could not reach WorkMail at ${url}`), err.message);
          return true;
        });
      } finally {
        offline.dispose();
      }
    });

    it('a request that takes longer than the timeout', async () => {
      emu.setFaults({ latencyMs: 2000 });
      const impatient = new WorkMailSession({ endpoint: emu.url, credentials: staticCredentials(DEFAULT_KEYS), maxAttempts: 1, requestTimeoutMs: 200 });
      try {
        await assert.rejects(impatient.listOrganizations('us-east-1'), (err: WorkMailError) => err.code === 'NetworkError' && /timed out/.test(err.message));
      } finally {
        impatient.dispose();
      }
    });

    it('cancellation is a CancelledError, before or during a call', async () => {
      const aborted = new AbortController();
      aborted.abort();
      await assert.rejects(session.listOrganizations('us-east-1', aborted.signal), CancelledError);
      assert.equal(emu.calls().length, 0);

      emu.setFaults({ latencyMs: 1000 });
      const during = new AbortController();
      const pending = session.listAllGrants(ACME, ANA, during.signal);
      setTimeout(() => during.abort(), 100);
      await assert.rejects(pending, CancelledError);
    });
  });

  describe('profiles against the emulator', () => {
    let env: AwsEnv;
    const fixtures = join(__dirname, '..', 'fixtures', 'aws');
    beforeEach(() => {
      env = new AwsEnv('', '');
      process.env.AWS_CONFIG_FILE = join(fixtures, 'config');
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(fixtures, 'credentials');
    });
    afterEach(() => env.restore());

    it('a static-key profile reaches its own account', async () => {
      for (const [profile, expected] of [['emulator', ACME.organizationId], ['emulator-other', OTHER_CO.organizationId]] as const) {
        const byProfile = new WorkMailSession({ profile, endpoint: emu.url });
        try {
          assert.ok((await byProfile.listOrganizations('us-east-1')).some((o) => o.organizationId === expected));
        } finally {
          byProfile.dispose();
        }
      }
    });

    it('the chosen profile wins over environment keys', async () => {
      process.env.AWS_ACCESS_KEY_ID = 'AKIDNOTKNOWNTOEMULATOR';
      process.env.AWS_SECRET_ACCESS_KEY = 'environment-secret-not-valid';
      const byProfile = new WorkMailSession({ profile: 'emulator-other', endpoint: emu.url });
      try {
        assert.deepEqual((await byProfile.listOrganizations('us-east-1')).map((o) => o.organizationId), [OTHER_CO.organizationId]);
      } finally {
        byProfile.dispose();
      }
    });

    it('no record or error carries the profile secret', async () => {
      const collected: CallRecord[] = [];
      const byProfile = new WorkMailSession({ profile: 'emulator', endpoint: emu.url, onCall: (r) => collected.push(r) });
      emu.setFaults({ rules: [{ operation: 'ListUsers', error: 'AccessDeniedException', message: 'Denied for emulator-secret-do-not-use-in-aws' }] });
      try {
        await byProfile.listOrganizations('us-east-1');
        await assert.rejects(byProfile.listEntitiesPage(ACME, 'user', { maxResults: 10 }), (err: WorkMailError) => {
          assert.equal(err.code, 'AccessDenied');
          assert.match(err.message, /profile "emulator"/);
          const cause = err.cause as Error;
          assert.equal(cause.name, 'AccessDeniedException');
          for (const text of [err.message, err.detail ?? '', err.stack ?? '', cause.message, cause.stack ?? '', inspect(err, { depth: 5 })]) {
            assert.ok(!text.includes('emulator-secret-do-not-use-in-aws'), text);
          }
          return true;
        });
        assert.equal(collected.length, 2);
        assert.ok(!JSON.stringify(collected).includes('emulator-secret-do-not-use-in-aws'));
      } finally {
        byProfile.dispose();
      }
    });
  });

  it('refuses a malformed organization ID before any call', async () => {
    await assert.rejects(session.listEntitiesPage({ region: 'us-east-1', organizationId: 'acme' }, 'user', { maxResults: 10 }), (err: WorkMailError) => err.code === 'InvalidInput');
    assert.equal(emu.calls().length, 0);
  });
});
