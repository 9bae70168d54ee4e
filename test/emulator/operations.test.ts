import assert from 'node:assert/strict';
import {
  CreateUserCommand,
  DeleteMailboxPermissionsCommand,
  DescribeEntityCommand,
  DescribeGroupCommand,
  DescribeOrganizationCommand,
  DescribeResourceCommand,
  DescribeUserCommand,
  ListGroupMembersCommand,
  ListGroupsCommand,
  ListMailboxPermissionsCommand,
  ListOrganizationsCommand,
  ListResourcesCommand,
  ListUsersCommand,
  PutMailboxPermissionsCommand,
  type PermissionType,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import { startEmulator, type Emulator } from '../../emulator/index';
import { EMULATOR_CREDENTIALS, SAMPLE_ORGS, clientFor, rejectsWith, sampleId, signedFetch } from './helpers';

const ACME = SAMPLE_ORGS.acme;
const id = (name: string): string => sampleId('acme', name);

describe('emulator: WorkMail operations with the real SDK', () => {
  let emu: Emulator;
  let east: WorkMailClient;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    east = clientFor(emu, 'us-east-1');
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => emu.reset());

  const rightsOf = (mailbox: string, grantee: string): string[] | undefined =>
    emu.grants(ACME).find((g) => g.mailboxId === id(mailbox) && g.granteeId === grantee)?.rights;

  describe('organizations', () => {
    it('lists only the caller account’s organizations in the request region', async () => {
      const eastOrgs = await east.send(new ListOrganizationsCommand({}));
      assert.deepEqual(eastOrgs.OrganizationSummaries?.map((o) => o.Alias).sort(), ['acme', 'acme-archive']);
      const west = await clientFor(emu, 'us-west-2').send(new ListOrganizationsCommand({}));
      assert.deepEqual(west.OrganizationSummaries?.map((o) => o.OrganizationId), [SAMPLE_ORGS.acmeLabs]);
      const other = await clientFor(emu, 'us-east-1', EMULATOR_CREDENTIALS.other).send(new ListOrganizationsCommand({}));
      assert.deepEqual(other.OrganizationSummaries?.map((o) => o.Alias), ['globex']);
    });

    it('describes an organization, including an inactive one, with its state and ARN', async () => {
      const acme = await east.send(new DescribeOrganizationCommand({ OrganizationId: ACME }));
      assert.equal(acme.Alias, 'acme');
      assert.equal(acme.State, 'Active');
      assert.equal(acme.DefaultMailDomain, 'acme.example.com');
      assert.equal(acme.ARN, `arn:aws:workmail:us-east-1:111122223333:organization/${ACME}`);
      assert.ok(acme.CompletedDate instanceof Date);
      const archive = await east.send(new DescribeOrganizationCommand({ OrganizationId: SAMPLE_ORGS.acmeArchive }));
      assert.equal(archive.State, 'Inactive');
    });

    it('hides organizations of another region or another account', async () => {
      await rejectsWith(clientFor(emu, 'eu-west-1').send(new DescribeOrganizationCommand({ OrganizationId: ACME })), 'OrganizationNotFoundException');
      await rejectsWith(east.send(new DescribeOrganizationCommand({ OrganizationId: SAMPLE_ORGS.globex })), 'OrganizationNotFoundException');
      await rejectsWith(east.send(new ListUsersCommand({ OrganizationId: 'm-00000000000000000000000000000000' })), 'OrganizationNotFoundException');
    });

    it('refuses directory and permission calls on an organization that is not Active', async () => {
      await rejectsWith(east.send(new ListUsersCommand({ OrganizationId: SAMPLE_ORGS.acmeArchive })), 'OrganizationStateException');
      await rejectsWith(
        east.send(new ListMailboxPermissionsCommand({ OrganizationId: SAMPLE_ORGS.acmeArchive, EntityId: 'records.keeper' })),
        'OrganizationStateException',
      );
    });
  });

  describe('directory', () => {
    it('lists users, groups and resources of the sample', async () => {
      const users = await east.send(new ListUsersCommand({ OrganizationId: ACME }));
      assert.equal(users.Users?.length, 29);
      const system = users.Users?.find((u) => u.Name === 'mail.archiver');
      assert.equal(system?.UserRole, 'SYSTEM_USER');
      assert.equal(users.Users?.find((u) => u.Name === 'xavier.dubois')?.State, 'DELETED');
      assert.ok(users.Users?.filter((u) => u.State === 'ENABLED').every((u) => u.EnabledDate instanceof Date));
      // A user created in the directory and never enabled for WorkMail: no display name, email or dates.
      const neverEnabled = users.Users?.find((u) => u.Name === 'new.starter');
      assert.deepEqual([neverEnabled?.State, neverEnabled?.DisplayName, neverEnabled?.Email, neverEnabled?.EnabledDate], ['DISABLED', undefined, undefined, undefined]);
      // An ID of the S-1-1-… form and an empty display name, as directory-synchronised users have.
      const synchronised = users.Users?.find((u) => u.Name === 'nina.kowalski');
      assert.match(synchronised?.Id ?? '', /^S-1-1-11-/);
      assert.equal(synchronised?.DisplayName, '');
      const groups = await east.send(new ListGroupsCommand({ OrganizationId: ACME }));
      assert.deepEqual(groups.Groups?.map((g) => g.Name).sort(), ['executives', 'finance', 'helpdesk', 'sales', 'sales-emea', 'sales-emea-dach', 'support']);
      const resources = await east.send(new ListResourcesCommand({ OrganizationId: ACME }));
      assert.deepEqual(resources.Resources?.map((r) => `${r.Name}:${r.Type}`).sort(), ['projector-1:EQUIPMENT', 'room-atlas:ROOM', 'room-borealis:ROOM']);
    });

    it('finds a user by ID, name or email, and reports disabled and deleted users with their state', async () => {
      for (const identifier of [id('alice.johnson'), 'alice.johnson', 'Alice.Johnson@acme.example.com']) {
        const user = await east.send(new DescribeUserCommand({ OrganizationId: ACME, UserId: identifier }));
        assert.equal(user.UserId, id('alice.johnson'), identifier);
        assert.equal(user.DisplayName, 'Alice Johnson');
      }
      const disabled = await east.send(new DescribeUserCommand({ OrganizationId: ACME, UserId: 'william.chen' }));
      assert.equal(disabled.State, 'DISABLED');
      assert.ok(disabled.DisabledDate instanceof Date);
      const deleted = await east.send(new DescribeUserCommand({ OrganizationId: ACME, UserId: 'xavier.dubois' }));
      assert.equal(deleted.State, 'DELETED');
    });

    it('answers EntityNotFoundException for unknown entities and for entities of another kind', async () => {
      await rejectsWith(east.send(new DescribeUserCommand({ OrganizationId: ACME, UserId: 'nobody.here' })), 'EntityNotFoundException');
      await rejectsWith(east.send(new DescribeUserCommand({ OrganizationId: ACME, UserId: id('sales') })), 'EntityNotFoundException');
      await rejectsWith(east.send(new DescribeGroupCommand({ OrganizationId: ACME, GroupId: 'alice.johnson' })), 'EntityNotFoundException');
      await rejectsWith(east.send(new DescribeResourceCommand({ OrganizationId: ACME, ResourceId: 'sales' })), 'EntityNotFoundException');
      await rejectsWith(east.send(new DescribeEntityCommand({ OrganizationId: ACME, Email: 'ghost@acme.example.com' })), 'EntityNotFoundException');
    });

    it('describes groups, resources and entities by email', async () => {
      const group = await east.send(new DescribeGroupCommand({ OrganizationId: ACME, GroupId: 'sales@acme.example.com' }));
      assert.equal(group.GroupId, id('sales'));
      assert.equal(group.State, 'ENABLED');
      const room = await east.send(new DescribeResourceCommand({ OrganizationId: ACME, ResourceId: 'room-atlas' }));
      assert.equal(room.ResourceId, id('room-atlas'));
      assert.equal(room.Type, 'ROOM');
      assert.match(room.ResourceId!, /^r-[0-9a-f]{32}$/);
      const entity = await east.send(new DescribeEntityCommand({ OrganizationId: ACME, Email: 'finance@acme.example.com' }));
      assert.deepEqual([entity.EntityId, entity.Type, entity.Name], [id('finance'), 'GROUP', 'finance']);
      const user = await east.send(new DescribeEntityCommand({ OrganizationId: ACME, Email: 'tara.singh@acme.example.com' }));
      assert.equal(user.Type, 'USER');
    });

    it('lists direct group members, nested groups included, three levels deep', async () => {
      const sales = await east.send(new ListGroupMembersCommand({ OrganizationId: ACME, GroupId: 'sales' }));
      const nested = sales.Members?.find((m) => m.Type === 'GROUP');
      assert.equal(nested?.Id, id('sales-emea'));
      const emea = await east.send(new ListGroupMembersCommand({ OrganizationId: ACME, GroupId: nested!.Id! }));
      const dach = emea.Members?.find((m) => m.Type === 'GROUP');
      assert.equal(dach?.Name, 'sales-emea-dach');
      const dachMembers = await east.send(new ListGroupMembersCommand({ OrganizationId: ACME, GroupId: dach!.Id! }));
      assert.deepEqual(dachMembers.Members?.map((m) => m.Name).sort(), ['emma.schmidt', 'william.chen', 'yasmin.ali']);
      assert.equal(dachMembers.Members?.find((m) => m.Name === 'william.chen')?.State, 'DISABLED');
    });

    it('refuses to list the members of a deleted group', async () => {
      emu.setEntityState(ACME, id('support'), 'DELETED');
      await rejectsWith(east.send(new ListGroupMembersCommand({ OrganizationId: ACME, GroupId: 'support' })), 'EntityStateException');
    });
  });

  describe('mailbox permissions', () => {
    it('lists grants with grantee types, including grants to IDs not in the directory', async () => {
      const alice = await east.send(new ListMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'alice.johnson' }));
      const byGrantee = new Map(alice.Permissions?.map((p) => [p.GranteeId, p]));
      assert.deepEqual(byGrantee.get(id('tara.singh'))?.PermissionValues, ['FULL_ACCESS', 'SEND_ON_BEHALF']);
      assert.equal(byGrantee.get(id('executives'))?.GranteeType, 'GROUP');
      assert.equal(byGrantee.get(id('tara.singh'))?.GranteeType, 'USER');
      const quinn = await east.send(new ListMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'quinn.murphy' }));
      assert.deepEqual(quinn.Permissions, [{ GranteeId: '6f1c2e3d-0b9a-4c8d-9e7f-5a4b3c2d1e0f', GranteeType: 'USER', PermissionValues: ['FULL_ACCESS'] }]);
    });

    it('Put replaces exactly that grantee’s rights on that mailbox and nothing else', async () => {
      const before = emu.grants(ACME);
      assert.deepEqual(rightsOf('alice.johnson', id('tara.singh')), ['FULL_ACCESS', 'SEND_ON_BEHALF']);
      await east.send(new PutMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'alice.johnson', GranteeId: 'tara.singh', PermissionValues: ['SEND_AS'] }));
      assert.deepEqual(rightsOf('alice.johnson', id('tara.singh')), ['SEND_AS']);
      const isTheChangedGrant = (g: { mailboxId: string; granteeId: string }): boolean => g.mailboxId === id('alice.johnson') && g.granteeId === id('tara.singh');
      assert.deepEqual(emu.grants(ACME).filter((g) => !isTheChangedGrant(g)), before.filter((g) => !isTheChangedGrant(g)));
      const listed = await east.send(new ListMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: id('alice.johnson') }));
      assert.deepEqual(listed.Permissions?.find((p) => p.GranteeId === id('tara.singh'))?.PermissionValues, ['SEND_AS']);
    });

    it('Put accepts names and emails and stores IDs; duplicate values are stored once', async () => {
      await east.send(
        new PutMailboxPermissionsCommand({
          OrganizationId: ACME,
          EntityId: 'grace.kim@acme.example.com',
          GranteeId: 'maya.patel',
          PermissionValues: ['SEND_AS', 'FULL_ACCESS', 'SEND_AS'],
        }),
      );
      assert.deepEqual(rightsOf('grace.kim', id('maya.patel')), ['FULL_ACCESS', 'SEND_AS']);
    });

    it('SEND_AS on a group is allowed, FULL_ACCESS on a group is refused', async () => {
      await east.send(new PutMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'finance', GranteeId: 'jack.thompson', PermissionValues: ['SEND_AS'] }));
      assert.deepEqual(rightsOf('finance', id('jack.thompson')), ['SEND_AS']);
      const error = await rejectsWith(
        east.send(new PutMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'finance', GranteeId: 'jack.thompson', PermissionValues: ['FULL_ACCESS'] })),
        'InvalidParameterException',
      );
      assert.match(error.message, /FULL_ACCESS/);
      assert.deepEqual(rightsOf('finance', id('jack.thompson')), ['SEND_AS']);
    });

    it('refuses resource grantees, self grants and empty permission lists, changing nothing', async () => {
      const before = emu.grants(ACME);
      const put = (EntityId: string, GranteeId: string, PermissionValues: PermissionType[]) =>
        east.send(new PutMailboxPermissionsCommand({ OrganizationId: ACME, EntityId, GranteeId, PermissionValues }));
      assert.match((await rejectsWith(put('alice.johnson', 'room-atlas', ['SEND_AS']), 'InvalidParameterException')).message, /resource/);
      assert.match((await rejectsWith(put('alice.johnson', 'alice.johnson', ['FULL_ACCESS']), 'InvalidParameterException')).message, /itself/);
      assert.match((await rejectsWith(put('alice.johnson', 'tara.singh', []), 'InvalidParameterException')).message, /PermissionValues/);
      assert.deepEqual(emu.grants(ACME), before);
    });

    it('refuses Put and Delete involving disabled or deleted mailboxes and grantees', async () => {
      const put = (EntityId: string, GranteeId: string) =>
        east.send(new PutMailboxPermissionsCommand({ OrganizationId: ACME, EntityId, GranteeId, PermissionValues: ['SEND_AS'] }));
      await rejectsWith(put('william.chen', 'carol.nguyen'), 'EntityStateException');
      await rejectsWith(put('alice.johnson', 'xavier.dubois'), 'EntityStateException');
      await rejectsWith(
        east.send(new DeleteMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'alice.johnson', GranteeId: 'william.chen' })),
        'EntityStateException',
      );
      assert.deepEqual(rightsOf('alice.johnson', id('william.chen')), ['FULL_ACCESS']);
      emu.setEntityState(ACME, id('william.chen'), 'ENABLED');
      await east.send(new DeleteMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'alice.johnson', GranteeId: 'william.chen' }));
      assert.equal(rightsOf('alice.johnson', id('william.chen')), undefined);
    });

    it('answers EntityNotFoundException for an unknown mailbox or grantee', async () => {
      await rejectsWith(
        east.send(new PutMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'no.such.user', GranteeId: 'tara.singh', PermissionValues: ['SEND_AS'] })),
        'EntityNotFoundException',
      );
      await rejectsWith(
        east.send(new PutMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'alice.johnson', GranteeId: 'no.such.user', PermissionValues: ['SEND_AS'] })),
        'EntityNotFoundException',
      );
      await rejectsWith(east.send(new ListMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'no.such.user' })), 'EntityNotFoundException');
    });

    it('Delete removes only that grantee, succeeds when there is nothing to remove, and can remove a grant to an unknown ID', async () => {
      await east.send(new DeleteMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'alice.johnson', GranteeId: 'tara.singh' }));
      assert.equal(rightsOf('alice.johnson', id('tara.singh')), undefined);
      assert.deepEqual(rightsOf('alice.johnson', id('bob.martinez')), ['SEND_ON_BEHALF']);
      await east.send(new DeleteMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'alice.johnson', GranteeId: 'tara.singh' }));
      await east.send(new DeleteMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'quinn.murphy', GranteeId: '6f1c2e3d-0b9a-4c8d-9e7f-5a4b3c2d1e0f' }));
      assert.equal(emu.grants(ACME).some((g) => g.granteeId === '6f1c2e3d-0b9a-4c8d-9e7f-5a4b3c2d1e0f'), false);
    });
  });

  describe('validation from the model', () => {
    it('names the organizationId member when the ID does not match the pattern', async () => {
      const error = await rejectsWith(east.send(new ListUsersCommand({ OrganizationId: 'm-ZZZZ0000000000000000000000000001' })), 'InvalidParameterException');
      assert.match(error.message, /'organizationId'.*regular expression pattern/);
      assert.equal(error.$metadata?.httpStatusCode, 400);
    });

    it('enforces the MaxResults range 1..100', async () => {
      for (const MaxResults of [0, 101]) {
        const error = await rejectsWith(east.send(new ListUsersCommand({ OrganizationId: ACME, MaxResults })), 'InvalidParameterException');
        assert.match(error.message, /'maxResults'/);
      }
      await east.send(new ListUsersCommand({ OrganizationId: ACME, MaxResults: 100 }));
      await east.send(new ListUsersCommand({ OrganizationId: ACME, MaxResults: 1 }));
    });

    it('rejects values outside an enum, in nested structures and in lists', async () => {
      const filters = await rejectsWith(
        east.send(new ListUsersCommand({ OrganizationId: ACME, Filters: { State: 'ACTIVE' as 'ENABLED' } })),
        'InvalidParameterException',
      );
      assert.match(filters.message, /'filters\.state'.*enum/);
      const values = await rejectsWith(
        east.send(new PutMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'alice.johnson', GranteeId: 'tara.singh', PermissionValues: ['READ' as PermissionType] })),
        'InvalidParameterException',
      );
      assert.match(values.message, /'permissionValues\.1\.member'/);
      assert.deepEqual(rightsOf('alice.johnson', id('tara.singh')), ['FULL_ACCESS', 'SEND_ON_BEHALF']);
    });

    it('reports missing required members and bad identifiers by name', async () => {
      const missing = await rejectsWith(
        east.send(new PutMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: 'alice.johnson', PermissionValues: ['SEND_AS'] } as never)),
        'InvalidParameterException',
      );
      assert.match(missing.message, /'granteeId'.*must not be null/);
      const badId = await rejectsWith(
        east.send(new DescribeUserCommand({ OrganizationId: ACME, UserId: 'has spaces' })),
        'InvalidParameterException',
      );
      assert.match(badId.message, /'userId'/);
    });

    it('ignores members the model does not know, as AWS does', async () => {
      const response = await signedFetch(emu, {
        region: 'us-east-1',
        target: 'WorkMailService.DescribeUser',
        body: JSON.stringify({ OrganizationId: ACME, UserId: 'alice.johnson', Unexpected: 42 }),
      });
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { UserId: string }).UserId, id('alice.johnson'));
    });
  });

  describe('protocol', () => {
    it('answers UnknownOperationException for an operation the emulator does not serve', async () => {
      const error = await rejectsWith(east.send(new CreateUserCommand({ OrganizationId: ACME, Name: 'x', DisplayName: 'X' })), 'UnknownOperationException');
      assert.equal(error.$metadata?.httpStatusCode, 400);
    });

    it('frames errors as AWS JSON: __type, Message, x-amzn-errortype and a request id', async () => {
      const response = await signedFetch(emu, {
        region: 'us-east-1',
        target: 'WorkMailService.DescribeUser',
        body: JSON.stringify({ OrganizationId: ACME, UserId: 'nobody' }),
      });
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('x-amzn-errortype'), 'EntityNotFoundException');
      assert.ok(response.headers.get('x-amzn-requestid'));
      const body = (await response.json()) as { __type: string; Message: string };
      assert.equal(body.__type, 'EntityNotFoundException');
      assert.match(body.Message, /nobody/);
    });

    it('answers SerializationException for a body that is not a JSON object', async () => {
      const response = await signedFetch(emu, { region: 'us-east-1', target: 'WorkMailService.ListUsers', body: '{not json' });
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as { __type: string }).__type, 'SerializationException');
    });

    it('answers Put and Delete with an empty JSON object', async () => {
      const response = await signedFetch(emu, {
        region: 'us-east-1',
        target: 'WorkMailService.PutMailboxPermissions',
        body: JSON.stringify({ OrganizationId: ACME, EntityId: 'grace.kim', GranteeId: 'henry.walker', PermissionValues: ['SEND_ON_BEHALF'] }),
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/x-amz-json-1.1');
      assert.deepEqual(await response.json(), {});
    });
  });
});
