// The emulator's variants: one switch per behaviour the real service does not document, each
// shown to change exactly that behaviour (through the real SDK), chosen by option, seed, admin API
// or setVariants, and refused when unknown.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DeleteMailboxPermissionsCommand, DescribeEntityCommand, DescribeUserCommand, ListGroupMembersCommand, ListMailboxPermissionsCommand, ListUsersCommand, PutMailboxPermissionsCommand, type WorkMailClient } from '@aws-sdk/client-workmail';
import { ALL_VARIANTS, DEFAULT_VARIANTS, ROUTE_VARIANTS, startEmulator, VARIANTS, type Emulator } from '../../emulator/index';
import { ACME, ANA, BOB, GHOST, NOBOX, SALES, seedWithMailboxlessUser } from '../workmail/fixture';

const NEWBIE = '00000000-0000-4000-8000-000000000777';
import { clientFor, rejectsWith } from './helpers';

describe('emulator: variants where the real service is undocumented', () => {
  let emu: Emulator;
  let east: WorkMailClient;
  const org = ACME.organizationId;

  before(async () => {
    emu = await startEmulator({ port: 0, seed: seedWithMailboxlessUser() });
    east = clientFor(emu, 'us-east-1');
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    emu.setVariants({});
  });

  it('starts with the defaults and names every variant with its values', () => {
    assert.deepEqual(emu.variants(), DEFAULT_VARIANTS);
    assert.deepEqual(Object.keys(ALL_VARIANTS).sort(), [...Object.keys(VARIANTS), ...Object.keys(ROUTE_VARIANTS)].sort());
    assert.deepEqual(Object.keys(DEFAULT_VARIANTS).sort(), Object.keys(ALL_VARIANTS).sort());
    for (const [name, values] of Object.entries(ALL_VARIANTS)) {
      assert.ok((values as readonly string[]).includes(DEFAULT_VARIANTS[name as keyof typeof DEFAULT_VARIANTS]), name);
    }
  });

  it("docs/EMULATOR.md's two tables name every variant with its values, the default first", () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'EMULATOR.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Variants'), doc.indexOf('\n## ', doc.indexOf('## Variants') + 1));
    const split = section.indexOf('### Variants of the other routes');
    assert.ok(split > 0, 'the second table has its heading');
    // A row: | `name` | `value`, `value` | what changes | evidence |
    const rows = (text: string): Record<string, string[]> =>
      Object.fromEntries([...text.matchAll(/^\| `([a-z0-9-]+)` \| ([^|]+) \|/gm)].map((m) => [m[1]!, [...m[2]!.matchAll(/`([^`]+)`/g)].map((v) => v[1]!)]));
    const asListed = (table: Record<string, readonly string[]>): Record<string, string[]> => Object.fromEntries(Object.entries(table).map(([name, values]) => [name, [...values]]));
    assert.deepEqual(rows(section.slice(0, split)), asListed(VARIANTS));
    assert.deepEqual(rows(section.slice(split)), asListed(ROUTE_VARIANTS));
    for (const [name, values] of Object.entries(ALL_VARIANTS)) assert.equal(values[0], DEFAULT_VARIANTS[name as keyof typeof DEFAULT_VARIANTS], `${name}: the default first`);
  });

  it('orphan-delete: the Delete of a grant to an ID no longer in the directory succeeds, or answers EntityNotFoundException', async () => {
    await east.send(new DeleteMailboxPermissionsCommand({ OrganizationId: org, EntityId: ANA, GranteeId: GHOST }));
    assert.ok(!emu.grants(org).some((g) => g.granteeId === GHOST));
    emu.reset();
    emu.setVariants({ 'orphan-delete': 'not-found' });
    await rejectsWith(east.send(new DeleteMailboxPermissionsCommand({ OrganizationId: org, EntityId: ANA, GranteeId: GHOST })), 'EntityNotFoundException');
    assert.ok(emu.grants(org).some((g) => g.granteeId === GHOST), 'nothing changed');
  });

  it('mailboxless-list: ListMailboxPermissions on a user without a mailbox lists (nothing), or answers EntityStateException', async () => {
    const listed = await east.send(new ListMailboxPermissionsCommand({ OrganizationId: org, EntityId: NOBOX }));
    assert.deepEqual(listed.Permissions ?? [], []);
    emu.setVariants({ 'mailboxless-list': 'entity-state-error' });
    await rejectsWith(east.send(new ListMailboxPermissionsCommand({ OrganizationId: org, EntityId: NOBOX })), 'EntityStateException');
    // A user with a mailbox still lists.
    assert.ok((await east.send(new ListMailboxPermissionsCommand({ OrganizationId: org, EntityId: ANA }))).Permissions?.length);
  });

  it("describe-user-of-group: DescribeUser with a group's ID answers EntityNotFoundException, or InvalidParameterException", async () => {
    await rejectsWith(east.send(new DescribeUserCommand({ OrganizationId: org, UserId: SALES })), 'EntityNotFoundException');
    emu.setVariants({ 'describe-user-of-group': 'invalid-parameter' });
    await rejectsWith(east.send(new DescribeUserCommand({ OrganizationId: org, UserId: SALES })), 'InvalidParameterException');
  });

  it('group-grantee-full-access: a group grantee may hold Full access, or the Put is refused', async () => {
    await east.send(new PutMailboxPermissionsCommand({ OrganizationId: org, EntityId: BOB, GranteeId: SALES, PermissionValues: ['FULL_ACCESS'] }));
    assert.deepEqual(emu.grants(org).find((g) => g.mailboxId === BOB && g.granteeId === SALES)?.rights, ['FULL_ACCESS']);
    emu.reset();
    emu.setVariants({ 'group-grantee-full-access': 'refused' });
    await rejectsWith(east.send(new PutMailboxPermissionsCommand({ OrganizationId: org, EntityId: BOB, GranteeId: SALES, PermissionValues: ['FULL_ACCESS'] })), 'InvalidParameterException');
    await east.send(new PutMailboxPermissionsCommand({ OrganizationId: org, EntityId: BOB, GranteeId: SALES, PermissionValues: ['SEND_AS'] }));
  });

  it('grantee-id-form: ListMailboxPermissions reports the entity ID whatever the Put named, or the form the Put was given', async () => {
    const listed = async (): Promise<string[]> =>
      ((await east.send(new ListMailboxPermissionsCommand({ OrganizationId: org, EntityId: ANA }))).Permissions ?? []).map((p) => `${p.GranteeId}:${(p.PermissionValues ?? []).join('+')}`);
    // Bob holds FULL_ACCESS on Ana's mailbox; a Put naming him by email replaces it (one grant per entity).
    await east.send(new PutMailboxPermissionsCommand({ OrganizationId: org, EntityId: ANA, GranteeId: 'bob@acme.example.com', PermissionValues: ['SEND_AS'] }));
    assert.deepEqual(emu.grants(org).filter((g) => g.mailboxId === ANA && g.granteeId === BOB).map((g) => g.rights), [['SEND_AS']]);
    assert.ok((await listed()).includes(`${BOB}:SEND_AS`));
    emu.setVariants({ 'grantee-id-form': 'as-given' });
    assert.ok((await listed()).includes('bob@acme.example.com:SEND_AS'));
    assert.ok(!(await listed()).some((row) => row.startsWith(BOB)), 'one row for Bob, under the form given');
    // The next Put by ID replaces the rights and the form listed.
    await east.send(new PutMailboxPermissionsCommand({ OrganizationId: org, EntityId: ANA, GranteeId: BOB, PermissionValues: ['FULL_ACCESS'] }));
    assert.ok((await listed()).includes(`${BOB}:FULL_ACCESS`));
    // An out-of-band grant by name (another administrator) is listed by that name.
    emu.putGrantDirect(org, ANA, 'bob', ['SEND_ON_BEHALF']);
    assert.ok((await listed()).includes('bob:SEND_ON_BEHALF'));
  });

  it('directory-lag: a new user, and a change of state, are seen by every call at once, or only after the lag', async () => {
    emu.setVariants({ 'directory-lag': 'lagging' });
    emu.addUser(org, { id: NEWBIE, name: 'newbie', displayName: 'New Hire', email: 'newbie@acme.example.com' });
    emu.setEntityState(org, BOB, 'DISABLED');
    const users = async () => (await east.send(new ListUsersCommand({ OrganizationId: org }))).Users ?? [];
    assert.ok(!(await users()).some((u) => u.Id === NEWBIE), 'the new user is not listed yet');
    assert.equal((await users()).find((u) => u.Id === BOB)?.State, 'ENABLED', 'Bob is still listed as he was');
    await rejectsWith(east.send(new DescribeUserCommand({ OrganizationId: org, UserId: 'newbie' })), 'EntityNotFoundException');
    await rejectsWith(east.send(new DescribeEntityCommand({ OrganizationId: org, Email: 'newbie@acme.example.com' })), 'EntityNotFoundException');
    await rejectsWith(east.send(new PutMailboxPermissionsCommand({ OrganizationId: org, EntityId: ANA, GranteeId: NEWBIE, PermissionValues: ['SEND_AS'] })), 'EntityNotFoundException');
    assert.equal((await east.send(new DescribeUserCommand({ OrganizationId: org, UserId: BOB }))).State, 'ENABLED');
    assert.ok(((await east.send(new ListGroupMembersCommand({ OrganizationId: org, GroupId: SALES }))).Members ?? []).some((m) => m.Id === BOB && m.State === 'ENABLED'));
    assert.ok(!emu.grants(org).some((g) => g.granteeId === NEWBIE), 'nothing written');
    // Without the lag (or once it has passed) every call sees the directory as it is.
    emu.setVariants({ 'directory-lag': 'none' });
    assert.ok((await users()).some((u) => u.Id === NEWBIE));
    assert.equal((await east.send(new DescribeUserCommand({ OrganizationId: org, UserId: BOB }))).State, 'DISABLED');
    await east.send(new PutMailboxPermissionsCommand({ OrganizationId: org, EntityId: ANA, GranteeId: 'newbie', PermissionValues: ['SEND_AS'] }));
    assert.deepEqual(emu.grants(org).find((g) => g.granteeId === NEWBIE)?.rights, ['SEND_AS']);
  });

  it('adds a user through the admin API, and refuses one whose id or name is taken', async () => {
    const add = (body: unknown) => fetch(`${emu.url}/__emulator/organizations/${org}/users`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal((await add({ id: NEWBIE, name: 'newbie', email: 'newbie@acme.example.com' })).status, 204);
    assert.equal((await east.send(new DescribeUserCommand({ OrganizationId: org, UserId: 'newbie' }))).UserId, NEWBIE);
    const again = await add({ id: NEWBIE, name: 'someone-else' });
    assert.equal(again.status, 400);
    assert.match(((await again.json()) as { error: string }).error, /already has an entity/);
  });

  it('is chosen by the seed, by the start option over the seed, and by the admin API; unknown names and values are refused', async () => {
    const seeded = await startEmulator({
      port: 0,
      seed: { ...seedWithMailboxlessUser(), variants: { 'orphan-delete': 'not-found', 'grantee-id-form': 'as-given' } },
      variants: { 'mailboxless-list': 'entity-state-error', 'directory-lag': 'lagging' },
    });
    try {
      assert.equal(seeded.variants()['orphan-delete'], 'not-found');
      assert.equal(seeded.variants()['mailboxless-list'], 'entity-state-error');
      assert.equal(seeded.variants()['grantee-id-form'], 'as-given');
      assert.equal(seeded.variants()['directory-lag'], 'lagging');
      const put = await fetch(`${seeded.url}/__emulator/variants`, { method: 'PUT', body: JSON.stringify({ 'describe-user-of-group': 'invalid-parameter' }) });
      assert.equal(put.status, 200);
      assert.equal(seeded.variants()['describe-user-of-group'], 'invalid-parameter');
      const bad = await fetch(`${seeded.url}/__emulator/variants`, { method: 'PUT', body: JSON.stringify({ 'orphan-delete': 'sometimes' }) });
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as { error: string }).error, /orphan-delete is one of succeeds, not-found/);
    } finally {
      await seeded.stop();
    }
    assert.throws(() => emu.setVariants({ bogus: 'x' }), /Unknown variant "bogus"/);
  });
});
