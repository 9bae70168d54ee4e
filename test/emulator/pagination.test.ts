import assert from 'node:assert/strict';
import {
  ListGroupMembersCommand,
  ListGroupsCommand,
  ListResourcesCommand,
  ListMailboxPermissionsCommand,
  ListUsersCommand,
  paginateListGroupMembers,
  paginateListGroups,
  paginateListMailboxPermissions,
  paginateListOrganizations,
  paginateListResources,
  paginateListUsers,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import { startEmulator, type Emulator } from '../../emulator/index';
import { SAMPLE_ORGS, clientFor, rejectsWith, sampleId } from './helpers';

const LABS = SAMPLE_ORGS.acmeLabs;
const ACME = SAMPLE_ORGS.acme;

describe('emulator: pagination and filters', () => {
  let emu: Emulator;
  let west: WorkMailClient;
  let east: WorkMailClient;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    west = clientFor(emu, 'us-west-2');
    east = clientFor(emu, 'us-east-1');
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    emu.clearCalls();
  });

  it('walks 260 users in three pages of at most 100 with the SDK paginator, each user exactly once', async () => {
    const ids: string[] = [];
    const pageSizes: number[] = [];
    for await (const page of paginateListUsers({ client: west, pageSize: 100 }, { OrganizationId: LABS })) {
      pageSizes.push(page.Users!.length);
      ids.push(...page.Users!.map((u) => u.Id!));
    }
    assert.deepEqual(pageSizes, [100, 100, 60]);
    assert.equal(new Set(ids).size, 260);
    const calls = emu.calls().filter((c) => c.operation === 'ListUsers');
    assert.equal(calls.length, 3);
    assert.equal((calls[1]!.params as { NextToken?: string }).NextToken !== undefined, true);
  });

  it('uses a default page size of 100 when MaxResults is absent', async () => {
    const first = await west.send(new ListUsersCommand({ OrganizationId: LABS }));
    assert.equal(first.Users?.length, 100);
    assert.ok(first.NextToken);
  });

  it('returns every item exactly once with small odd page sizes, for every paginated list', async () => {
    const walk = async <T>(pages: AsyncIterable<T>, itemsOf: (page: T) => string[]): Promise<string[]> => {
      const all: string[] = [];
      for await (const page of pages) all.push(...itemsOf(page));
      return all;
    };
    const users = await walk(paginateListUsers({ client: west, pageSize: 7 }, { OrganizationId: LABS }), (p) => p.Users!.map((u) => u.Id!));
    assert.equal(users.length, 260);
    assert.equal(new Set(users).size, 260);
    const groups = await walk(paginateListGroups({ client: west, pageSize: 5 }, { OrganizationId: LABS }), (p) => p.Groups!.map((g) => g.Id!));
    assert.equal(new Set(groups).size, groups.length);
    assert.equal(groups.length, 12);
    const resources = await walk(paginateListResources({ client: west, pageSize: 2 }, { OrganizationId: LABS }), (p) => p.Resources!.map((r) => r.Id!));
    assert.equal(resources.length, 5);
    const orgs = await walk(paginateListOrganizations({ client: east, pageSize: 1 }, {}), (p) => p.OrganizationSummaries!.map((o) => o.OrganizationId!));
    assert.deepEqual(orgs.sort(), [ACME, SAMPLE_ORGS.acmeArchive].sort());
    const alice = await walk(
      paginateListMailboxPermissions({ client: east, pageSize: 2 }, { OrganizationId: ACME, EntityId: 'alice.johnson' }),
      (p) => p.Permissions!.map((g) => g.GranteeId!),
    );
    assert.deepEqual(alice.sort(), emu.grants(ACME).filter((g) => g.mailboxId === sampleId('acme', 'alice.johnson')).map((g) => g.granteeId).sort());
    const sales = await walk(paginateListGroupMembers({ client: east, pageSize: 1 }, { OrganizationId: ACME, GroupId: 'sales' }), (p) => p.Members!.map((m) => m.Id!));
    assert.equal(sales.length, 4);
  });

  it('keeps a walk exactly-once for the remaining items when a grant is added behind the cursor', async () => {
    const mailbox = sampleId('acme', 'alice.johnson');
    const original = emu.grants(ACME).filter((g) => g.mailboxId === mailbox).map((g) => g.granteeId);
    const first = await east.send(new ListMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: mailbox, MaxResults: 2 }));
    const seen = first.Permissions!.map((p) => p.GranteeId!);
    // A grantee ID that sorts before everything already returned.
    emu.putGrantDirect(ACME, mailbox, '00000000-0000-0000-0000-000000000000', ['SEND_AS']);
    let token = first.NextToken;
    while (token) {
      const page = await east.send(new ListMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: mailbox, MaxResults: 2, NextToken: token }));
      seen.push(...page.Permissions!.map((p) => p.GranteeId!));
      token = page.NextToken;
    }
    // Nothing already returned comes back, nothing that was there is skipped.
    assert.deepEqual([...seen].sort(), [...original].sort());
  });

  describe('NextToken', () => {
    const firstToken = async (): Promise<string> => {
      const page = await west.send(new ListUsersCommand({ OrganizationId: LABS, MaxResults: 10 }));
      return page.NextToken!;
    };

    it('rejects a malformed token', async () => {
      const error = await rejectsWith(west.send(new ListUsersCommand({ OrganizationId: LABS, NextToken: 'not-a-token' })), 'InvalidParameterException');
      assert.match(error.message, /NextToken/);
    });

    it('rejects a token whose content was altered', async () => {
      const token = await firstToken();
      const [body, mac] = token.split('.') as [string, string];
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
      const forged = `${Buffer.from(JSON.stringify({ ...payload, k: '' }), 'utf8').toString('base64url')}.${mac}`;
      await rejectsWith(west.send(new ListUsersCommand({ OrganizationId: LABS, NextToken: forged })), 'InvalidParameterException');
      const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
      await rejectsWith(west.send(new ListUsersCommand({ OrganizationId: LABS, NextToken: flipped })), 'InvalidParameterException');
    });

    it('rejects a token used for another operation, organization, mailbox or filter', async () => {
      const token = await firstToken();
      await rejectsWith(west.send(new ListUsersCommand({ OrganizationId: LABS, NextToken: token, Filters: { State: 'ENABLED' } })), 'InvalidParameterException');
      const groupsPaginatorMisuse = west.send(new ListGroupMembersCommand({ OrganizationId: LABS, GroupId: 'sales', NextToken: token }));
      await rejectsWith(groupsPaginatorMisuse, 'InvalidParameterException');
      const alice = await east.send(new ListMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'alice.johnson', MaxResults: 1 }));
      await rejectsWith(
        east.send(new ListMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'bob.martinez', NextToken: alice.NextToken })),
        'InvalidParameterException',
      );
      await rejectsWith(east.send(new ListUsersCommand({ OrganizationId: ACME, NextToken: token })), 'InvalidParameterException');
    });

    it('accepts a token with a different page size for the next page', async () => {
      const token = await firstToken();
      const next = await west.send(new ListUsersCommand({ OrganizationId: LABS, NextToken: token, MaxResults: 50 }));
      assert.equal(next.Users?.length, 50);
    });
  });

  describe('filters', () => {
    it('filters users by name, display name and primary email prefix, ignoring case', async () => {
      const byName = await east.send(new ListUsersCommand({ OrganizationId: ACME, Filters: { UsernamePrefix: 'ALI' } }));
      assert.deepEqual(byName.Users?.map((u) => u.Name), ['alice.johnson']);
      const byDisplay = await east.send(new ListUsersCommand({ OrganizationId: ACME, Filters: { DisplayNamePrefix: 'Maya' } }));
      assert.deepEqual(byDisplay.Users?.map((u) => u.Name), ['maya.patel']);
      const byEmail = await east.send(new ListUsersCommand({ OrganizationId: ACME, Filters: { PrimaryEmailPrefix: 'tara.' } }));
      assert.deepEqual(byEmail.Users?.map((u) => u.Name), ['tara.singh']);
    });

    it('filters by state, and refuses more than one filter per request, as documented', async () => {
      const disabled = await east.send(new ListUsersCommand({ OrganizationId: ACME, Filters: { State: 'DISABLED' } }));
      assert.deepEqual(disabled.Users?.map((u) => u.Name).sort(), ['new.starter', 'william.chen']);
      const refused = await rejectsWith(east.send(new ListUsersCommand({ OrganizationId: ACME, Filters: { UsernamePrefix: 'w', State: 'ENABLED' } })), 'InvalidParameterException');
      assert.match(refused.message, /Only one filter per request/);
      await rejectsWith(east.send(new ListGroupsCommand({ OrganizationId: ACME, Filters: { NamePrefix: 's', PrimaryEmailPrefix: 's' } })), 'InvalidParameterException');
      const groups = await east.send(new ListGroupsCommand({ OrganizationId: ACME, Filters: { NamePrefix: 'sales' } }));
      assert.deepEqual(groups.Groups?.map((g) => g.Name).sort(), ['sales', 'sales-emea', 'sales-emea-dach']);
      const rooms = await east.send(new ListResourcesCommand({ OrganizationId: ACME, Filters: { PrimaryEmailPrefix: 'room-' } }));
      assert.deepEqual(rooms.Resources?.map((r) => r.Name).sort(), ['room-atlas', 'room-borealis']);
    });

    it('pages through filtered results exactly once', async () => {
      const names: string[] = [];
      for await (const page of paginateListUsers({ client: west, pageSize: 3 }, { OrganizationId: LABS, Filters: { State: 'ENABLED' } })) {
        assert.ok(page.Users!.every((u) => u.State === 'ENABLED'));
        names.push(...page.Users!.map((u) => u.Id!));
      }
      const all = await west.send(new ListUsersCommand({ OrganizationId: LABS, MaxResults: 100 }));
      assert.ok(names.length > 200 && names.length < 260);
      assert.equal(new Set(names).size, names.length);
      assert.ok(all.Users!.filter((u) => u.State === 'ENABLED').every((u) => names.includes(u.Id!)));
    });
  });
});

