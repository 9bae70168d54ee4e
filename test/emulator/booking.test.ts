// Resource booking through the real SDK: booking options (DescribeResource, UpdateResource), the
// delegates of a resource (List/Associate/Disassociate), their errors, the booking variants, the
// ground truth, and the seed's booking checked on load.
import assert from 'node:assert/strict';
import {
  AssociateDelegateToResourceCommand,
  DescribeResourceCommand,
  DisassociateDelegateFromResourceCommand,
  ListMailboxPermissionsCommand,
  ListResourceDelegatesCommand,
  UpdateResourceCommand,
  type Delegate,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import { startEmulator, type Emulator } from '../../emulator/index';
import { InvalidSeedError, checkSeed, type SeedDocument } from '../../emulator/seed';
import { SAMPLE_ORGS, clientFor, rejectsWith, sampleId, sampleSeed } from './helpers';

const ACME = SAMPLE_ORGS.acme;
const id = (name: string): string => sampleId('acme', name);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('emulator: resource booking with the real SDK', () => {
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
    emu.setVariants({});
    emu.setFaults({});
  });

  const options = async (resource: string) => (await east.send(new DescribeResourceCommand({ OrganizationId: ACME, ResourceId: resource }))).BookingOptions;
  const delegates = async (resource: string): Promise<Delegate[]> => {
    const all: Delegate[] = [];
    let NextToken: string | undefined;
    do {
      const page = await east.send(new ListResourceDelegatesCommand({ OrganizationId: ACME, ResourceId: resource, NextToken, MaxResults: 1 }));
      all.push(...(page.Delegates ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return all;
  };
  const associate = (resource: string, entity: string) => east.send(new AssociateDelegateToResourceCommand({ OrganizationId: ACME, ResourceId: resource, EntityId: entity }));
  const disassociate = (resource: string, entity: string) => east.send(new DisassociateDelegateFromResourceCommand({ OrganizationId: ACME, ResourceId: resource, EntityId: entity }));
  const update = (resource: string, fields: Omit<ConstructorParameters<typeof UpdateResourceCommand>[0], 'OrganizationId' | 'ResourceId'>) =>
    east.send(new UpdateResourceCommand({ OrganizationId: ACME, ResourceId: resource, ...fields }));

  describe('the sample', () => {
    it('describes each booking option of the sample resources', async () => {
      assert.deepEqual(await options('room-atlas'), { AutoAcceptRequests: true, AutoDeclineRecurringRequests: false, AutoDeclineConflictingRequests: true });
      assert.deepEqual(await options('room-borealis@acme.example.com'), { AutoAcceptRequests: false, AutoDeclineRecurringRequests: false, AutoDeclineConflictingRequests: true });
      assert.deepEqual(await options(id('projector-1')), { AutoAcceptRequests: true, AutoDeclineRecurringRequests: true, AutoDeclineConflictingRequests: false });
    });

    it('lists a user and a group delegate of room-atlas by ID order, one page at a time, and none on ListMailboxPermissions', async () => {
      const expected = [
        { Id: id('tara.singh'), Type: 'USER' },
        { Id: id('executives'), Type: 'GROUP' },
      ].sort((a, b) => (a.Id < b.Id ? -1 : 1));
      assert.deepEqual(await delegates('room-atlas'), expected);
      assert.deepEqual(await delegates('room-borealis'), [{ Id: id('umar.farouk'), Type: 'USER' }]);
      assert.deepEqual(await delegates('projector-1'), []);
      const listCalls = emu.calls().filter((c) => c.operation === 'ListResourceDelegates' && (c.params as { ResourceId: string }).ResourceId === 'room-atlas');
      assert.equal(listCalls.length, 2, 'two pages of one');
      // Tara is a delegate and holds Full access too; the group is a delegate only: ListMailboxPermissions shows grants alone.
      const permissions = await east.send(new ListMailboxPermissionsCommand({ OrganizationId: ACME, EntityId: id('room-atlas') }));
      assert.deepEqual(
        (permissions.Permissions ?? []).map((p) => p.GranteeId).sort(),
        emu.grants(ACME).filter((g) => g.mailboxId === id('room-atlas')).map((g) => g.granteeId).sort(),
      );
      assert.ok(!(permissions.Permissions ?? []).some((p) => p.GranteeId === id('executives')), 'a delegate is not a mailbox permission');
    });

    it('gives the ground truth: options, delegates and who receives the requests (group members expanded)', async () => {
      const atlas = emu.booking(ACME).find((b) => b.resourceId === id('room-atlas'))!;
      assert.deepEqual(atlas.delegates.map((d) => d.type).sort(), ['GROUP', 'USER']);
      assert.deepEqual(atlas.recipients, ['tara.singh', 'alice.johnson', 'bob.martinez', 'carol.nguyen', 'samuel.osei'].map(id).sort());
      const viaHttp = (await (await fetch(`${emu.url}/__emulator/organizations/${ACME}/booking`)).json()) as typeof atlas[];
      assert.deepEqual(viaHttp, emu.booking(ACME));
      assert.equal(viaHttp.length, 3, 'every resource, with or without delegates');
    });
  });

  describe('ListResourceDelegates', () => {
    it('refuses what the model refuses, an unknown resource, a user named as the resource, and a token of another resource', async () => {
      await rejectsWith(east.send(new ListResourceDelegatesCommand({ OrganizationId: ACME, ResourceId: 'room-atlas', MaxResults: 101 })), 'InvalidParameterException');
      await rejectsWith(east.send(new ListResourceDelegatesCommand({ OrganizationId: ACME, ResourceId: 'room-atlas', MaxResults: 0 })), 'InvalidParameterException');
      await rejectsWith(east.send(new ListResourceDelegatesCommand({ OrganizationId: ACME, ResourceId: 'room-nowhere' })), 'EntityNotFoundException');
      await rejectsWith(east.send(new ListResourceDelegatesCommand({ OrganizationId: ACME, ResourceId: 'tara.singh' })), 'EntityNotFoundException');
      await rejectsWith(east.send(new ListResourceDelegatesCommand({ OrganizationId: SAMPLE_ORGS.acmeArchive, ResourceId: 'room-atlas' })), 'OrganizationStateException');
      const first = await east.send(new ListResourceDelegatesCommand({ OrganizationId: ACME, ResourceId: 'room-atlas', MaxResults: 1 }));
      assert.ok(first.NextToken);
      const other = rejectsWith(east.send(new ListResourceDelegatesCommand({ OrganizationId: ACME, ResourceId: 'room-borealis', NextToken: first.NextToken })), 'InvalidParameterException');
      assert.match((await other).message, /NextToken/);
    });
  });

  describe('AssociateDelegateToResource and DisassociateDelegateFromResource', () => {
    it('associate a user by name and a group by email, idempotently, and disassociate by ID, idempotently', async () => {
      await associate('projector-1', 'maya.patel');
      await associate('projector-1@acme.example.com', 'support@acme.example.com');
      await associate(id('projector-1'), id('maya.patel'));
      assert.deepEqual(
        (await delegates('projector-1')).map((d) => `${d.Id}:${d.Type}`).sort(),
        [`${id('maya.patel')}:USER`, `${id('support')}:GROUP`].sort(),
      );
      await disassociate('projector-1', id('maya.patel'));
      await disassociate('projector-1', id('maya.patel'));
      await disassociate('projector-1', 'grace.kim');
      assert.deepEqual(await delegates('projector-1'), [{ Id: id('support'), Type: 'GROUP' }]);
      assert.deepEqual(emu.booking(ACME).find((b) => b.resourceId === id('projector-1'))!.delegates, [{ id: id('support'), type: 'GROUP' }]);
    });

    it('refuses a resource as delegate, a disabled or deleted delegate, an unknown entity or resource, and changes nothing', async () => {
      const before = emu.booking(ACME);
      assert.match((await rejectsWith(associate('projector-1', 'room-atlas'), 'InvalidParameterException')).message, /users or groups/);
      await rejectsWith(associate('projector-1', 'william.chen'), 'EntityStateException');
      await rejectsWith(associate('projector-1', 'xavier.dubois'), 'EntityStateException');
      await rejectsWith(associate('projector-1', 'nobody.here'), 'EntityNotFoundException');
      await rejectsWith(associate('maya.patel', 'grace.kim'), 'EntityNotFoundException');
      await rejectsWith(disassociate('projector-1', 'nobody.here'), 'EntityNotFoundException');
      await rejectsWith(disassociate('room-nowhere', 'grace.kim'), 'EntityNotFoundException');
      emu.setEntityState(ACME, id('projector-1'), 'DISABLED');
      await rejectsWith(associate('projector-1', 'grace.kim'), 'EntityStateException');
      assert.deepEqual(emu.booking(ACME), before);
    });

    it('removes a delegate who was disabled since', async () => {
      emu.setEntityState(ACME, id('umar.farouk'), 'DISABLED');
      await associate('room-borealis', 'grace.kim');
      await disassociate('room-borealis', 'umar.farouk');
      assert.deepEqual(await delegates('room-borealis'), [{ Id: id('grace.kim'), Type: 'USER' }]);
    });

    it('reports a held delegate write in flight, under its own pair', async () => {
      const impatient = clientFor(emu, 'us-east-1', undefined, { requestHandler: { requestTimeout: 100, throwOnRequestTimeout: true } });
      emu.setFaults({ rules: [{ operation: 'AssociateDelegateToResource', delayMs: 300, times: 1 }] });
      await assert.rejects(impatient.send(new AssociateDelegateToResourceCommand({ OrganizationId: ACME, ResourceId: 'projector-1', EntityId: 'grace.kim' })), /timed out|timeout/i);
      assert.deepEqual(emu.writesInFlight(), [`${ACME}/projector-1/delegate/grace.kim`]);
      await sleep(350);
      assert.deepEqual(emu.writesInFlight(), []);
      assert.deepEqual(await delegates('projector-1'), [{ Id: id('grace.kim'), Type: 'USER' }], 'carried out after the client gave up');
      impatient.destroy();
    });
  });

  describe('UpdateResource', () => {
    it('replaces the data set: what the request leaves out is reset (update-resource-omitted=reset)', async () => {
      await update('room-borealis', { Description: 'Meeting room, 8 seats', HiddenFromGlobalAddressList: true });
      const described = await east.send(new DescribeResourceCommand({ OrganizationId: ACME, ResourceId: 'room-borealis' }));
      assert.equal(described.Description, 'Meeting room, 8 seats');
      assert.equal(described.HiddenFromGlobalAddressList, true);
      assert.deepEqual(described.BookingOptions, { AutoAcceptRequests: true, AutoDeclineRecurringRequests: false, AutoDeclineConflictingRequests: true }, 'options back to a new resource’s');
      await update('room-borealis', { BookingOptions: { AutoAcceptRequests: false } });
      const again = await east.send(new DescribeResourceCommand({ OrganizationId: ACME, ResourceId: 'room-borealis' }));
      assert.equal(again.Description, undefined, 'description reset');
      assert.equal(again.HiddenFromGlobalAddressList, false);
      assert.deepEqual(again.BookingOptions, { AutoAcceptRequests: false, AutoDeclineRecurringRequests: false, AutoDeclineConflictingRequests: true });
      assert.equal(again.Name, 'room-borealis', 'the name is kept');
    });

    it('keeps what the request leaves out under update-resource-omitted=kept', async () => {
      emu.setVariants({ 'update-resource-omitted': 'kept' });
      await update('projector-1', { Description: 'Projector, HDMI' });
      const described = await east.send(new DescribeResourceCommand({ OrganizationId: ACME, ResourceId: 'projector-1' }));
      assert.equal(described.Description, 'Projector, HDMI');
      assert.deepEqual(described.BookingOptions, { AutoAcceptRequests: true, AutoDeclineRecurringRequests: true, AutoDeclineConflictingRequests: false });
      await update('projector-1', { BookingOptions: { AutoDeclineConflictingRequests: true } });
      assert.deepEqual(await options('projector-1'), { AutoAcceptRequests: true, AutoDeclineRecurringRequests: true, AutoDeclineConflictingRequests: true });
      assert.equal((await east.send(new DescribeResourceCommand({ OrganizationId: ACME, ResourceId: 'projector-1' }))).Description, 'Projector, HDMI');
    });

    it('renames and retypes; a taken name, no delegate for manual booking, an unknown or deleted resource are refused, and nothing changes', async () => {
      await update('projector-1', { Name: 'beamer-1', Type: 'EQUIPMENT', BookingOptions: { AutoAcceptRequests: true, AutoDeclineRecurringRequests: true, AutoDeclineConflictingRequests: false } });
      assert.equal((await east.send(new DescribeResourceCommand({ OrganizationId: ACME, ResourceId: 'beamer-1' }))).ResourceId, id('projector-1'));
      await rejectsWith(east.send(new DescribeResourceCommand({ OrganizationId: ACME, ResourceId: 'projector-1' })), 'EntityNotFoundException');
      await rejectsWith(update('beamer-1', { Name: 'room-atlas' }), 'NameAvailabilityException');
      await rejectsWith(update('beamer-1', { Name: 'alice.johnson' }), 'NameAvailabilityException');
      const refused = await rejectsWith(update('beamer-1', { Name: 'beamer-2', BookingOptions: { AutoAcceptRequests: false } }), 'InvalidConfigurationException');
      assert.match(refused.message, /no delegate/);
      const after = await east.send(new DescribeResourceCommand({ OrganizationId: ACME, ResourceId: 'beamer-1' }));
      assert.deepEqual(after.BookingOptions, { AutoAcceptRequests: true, AutoDeclineRecurringRequests: true, AutoDeclineConflictingRequests: false }, 'nothing changed');
      await rejectsWith(update('room-nowhere', {}), 'EntityNotFoundException');
      await rejectsWith(update('alice.johnson', {}), 'EntityNotFoundException');
      emu.setEntityState(ACME, id('room-atlas'), 'DELETED');
      await rejectsWith(update('room-atlas', {}), 'EntityStateException');
      await rejectsWith(update('room-borealis', { Description: 'x'.repeat(65) }), 'InvalidParameterException');
    });
  });

  describe('variants', () => {
    it('delegate-with-auto-accept: a delegate joins a resource that accepts automatically, or only once automatic acceptance is off', async () => {
      await associate('projector-1', 'grace.kim');
      emu.reset();
      emu.setVariants({ 'delegate-with-auto-accept': 'refused' });
      assert.match((await rejectsWith(associate('projector-1', 'grace.kim'), 'EntityStateException')).message, /AutoAcceptRequests/);
      // The only order left: automatic acceptance off (no delegate needed then), then the delegate.
      await update('projector-1', { BookingOptions: { AutoAcceptRequests: false } });
      await associate('projector-1', 'grace.kim');
      await associate('room-borealis', 'grace.kim');
      // Already a delegate: idempotent whatever the options.
      await associate('room-atlas', 'tara.singh');
      assert.deepEqual(await delegates('projector-1'), [{ Id: id('grace.kim'), Type: 'USER' }]);
    });

    it('last-delegate-removal: the last delegate of a resource that does not accept automatically may go, or stays', async () => {
      await disassociate('room-borealis', 'umar.farouk');
      assert.deepEqual(await delegates('room-borealis'), []);
      emu.reset();
      emu.setVariants({ 'last-delegate-removal': 'refused' });
      assert.match((await rejectsWith(disassociate('room-borealis', 'umar.farouk'), 'InvalidConfigurationException')).message, /last delegate/);
      assert.deepEqual(await delegates('room-borealis'), [{ Id: id('umar.farouk'), Type: 'USER' }]);
      // Not the last, or automatic acceptance on: it goes.
      await associate('room-borealis', 'grace.kim');
      await disassociate('room-borealis', 'umar.farouk');
      await disassociate('room-atlas', 'tara.singh');
      await disassociate('room-atlas', 'executives');
      assert.deepEqual(await delegates('room-atlas'), []);
    });

    it('auto-decline-without-auto-accept: the decline flags of a resource booked by hand are kept, or reported cleared', async () => {
      await update('room-borealis', { BookingOptions: { AutoAcceptRequests: false, AutoDeclineRecurringRequests: true, AutoDeclineConflictingRequests: true } });
      assert.deepEqual(await options('room-borealis'), { AutoAcceptRequests: false, AutoDeclineRecurringRequests: true, AutoDeclineConflictingRequests: true });
      emu.setVariants({ 'auto-decline-without-auto-accept': 'cleared' });
      assert.deepEqual(await options('room-borealis'), { AutoAcceptRequests: false, AutoDeclineRecurringRequests: false, AutoDeclineConflictingRequests: false });
      assert.deepEqual(emu.booking(ACME).find((b) => b.resourceId === id('room-borealis'))!.bookingOptions, await options('room-borealis'));
      assert.deepEqual(await options('projector-1'), { AutoAcceptRequests: true, AutoDeclineRecurringRequests: true, AutoDeclineConflictingRequests: false }, 'automatic acceptance on: as set');
    });

    it('group-delegate-members: every member of a group delegate receives the requests (nested groups too), or none', async () => {
      await associate('projector-1', 'sales');
      const recipients = () => emu.booking(ACME).find((b) => b.resourceId === id('projector-1'))!.recipients;
      // sales ⊃ sales-emea ⊃ sales-emea-dach; william.chen is disabled.
      assert.deepEqual(recipients(), ['carol.nguyen', 'david.okafor', 'farid.haddad', 'emma.schmidt', 'yasmin.ali'].map(id).sort());
      emu.setVariants({ 'group-delegate-members': 'no-member' });
      assert.deepEqual(recipients(), []);
      await associate('projector-1', 'grace.kim');
      assert.deepEqual(recipients(), [id('grace.kim')]);
    });
  });
});

describe('emulator: booking in the seed', () => {
  const withAcme = (change: (acme: Record<string, unknown>) => void): SeedDocument => {
    const seed = JSON.parse(JSON.stringify(sampleSeed)) as SeedDocument;
    change(seed.accounts[0]!.organizations![0] as unknown as Record<string, unknown>);
    return seed;
  };
  const refused = (change: (acme: Record<string, unknown>) => void, message: RegExp) =>
    assert.throws(() => checkSeed(withAcme(change)), (error: Error) => error instanceof InvalidSeedError && message.test(error.message));

  it('is checked on load, naming the path and what is wrong', () => {
    checkSeed(sampleSeed);
    refused((acme) => (acme['booking'] = [{ resource: id('alice.johnson') }]), /organizations\[0\]\.booking\[0\]\.resource .* is not a resource of the organization/);
    refused((acme) => (acme['booking'] = [{ resource: id('room-atlas') }, { resource: id('room-atlas') }]), /booking\[1\]\.resource .* twice/);
    refused((acme) => (acme['booking'] = [{ resource: id('room-atlas'), delegates: [id('projector-1')] }]), /booking\[0\]\.delegates\[0\] .* is not a user or group/);
    refused((acme) => (acme['booking'] = [{ resource: id('room-atlas'), delegates: [id('tara.singh'), id('tara.singh')] }]), /delegates\[1\] .* twice/);
    refused((acme) => (acme['booking'] = [{ resource: id('room-atlas'), autoAcceptRequests: 'no' }]), /booking\[0\]\.autoAcceptRequests must be true or false/);
    refused((acme) => (acme['booking'] = { resource: id('room-atlas') }), /booking must be a list/);
  });
});
