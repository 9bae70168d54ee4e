import assert from 'node:assert/strict';
import type { GroupMember } from '../../../src/workmail/groups';
import type { ImpersonationRole } from '../../../src/workmail/routes/impersonation';
import { ownersReached, roleReach, whoCanOpen, type BookingDelegate, type OpenRoute } from '../../../src/workmail/routes/whoCanOpen';
import type { GrantRecord } from '../../../src/workmail/scan';
import type { DirectoryEntity, Right } from '../../../src/workmail/types';

const org = { organizationId: 'm-1', region: 'us-east-1' };
const user = (id: string, name: string): DirectoryEntity => ({ id, name, kind: 'user', state: 'ENABLED', email: `${name}@acme.example.com` });
const alice = user('u-alice', 'alice.johnson');
const bob = user('u-bob', 'bob.martinez');
const maya = user('u-maya', 'maya.patel');
const tom = user('u-tom', 'tom.weber');
const room: DirectoryEntity = { id: 'r-atlas', name: 'room-atlas', kind: 'resource', state: 'ENABLED' };
const finance: DirectoryEntity = { id: 'g-finance', name: 'finance', kind: 'group', state: 'ENABLED' };
const audit: DirectoryEntity = { id: 'g-audit', name: 'audit', kind: 'group', state: 'ENABLED' };
const directory = new Map([alice, bob, maya, tom, room, finance, audit].map((e) => [e.id, e]));
const membership = new Map<string, GroupMember[]>([
  [finance.id, [{ id: bob.id, kind: 'user', name: bob.name }, { id: audit.id, kind: 'group', name: audit.name }]],
  [audit.id, [{ id: maya.id, kind: 'user', name: maya.name }]],
]);

function grant(mailbox: DirectoryEntity, grantee: DirectoryEntity, rights: Right[]): GrantRecord {
  return { type: 'grant', org, mailbox, granteeId: grantee.id, granteeType: grantee.kind === 'group' ? 'GROUP' : 'USER', grantee, rights, readAt: new Date(0) };
}

const archiver: ImpersonationRole = {
  id: 'role-archiver',
  name: 'Archiver',
  type: 'READ_ONLY',
  rules: [
    { id: 'all', effect: 'ALLOW' },
    { id: 'not-ceo', effect: 'DENY', targetUsers: ['alice.johnson'] },
  ],
};
const onlyTom: ImpersonationRole = { id: 'role-tom', name: 'Tom only', type: 'FULL_ACCESS', rules: [{ id: 'tom', effect: 'ALLOW', targetUsers: ['u-tom'] }] };

const facts = {
  grants: [grant(alice, finance, ['FULL_ACCESS']), grant(alice, tom, ['SEND_AS']), grant(bob, maya, ['SEND_ON_BEHALF'])],
  membership,
  directory,
  delegates: new Map<string, BookingDelegate[]>([[room.id, [{ id: tom.id, type: 'USER' }, { id: audit.id, type: 'GROUP' }]]]),
  roles: [archiver, onlyTom],
};

function describe_(route: OpenRoute): string {
  if (route.route === 'impersonation') {
    return `${route.role.name} ${route.through ? `via ${route.through.person?.name} (${route.through.route})` : 'as the owner'}`;
  }
  return [route.route, route.person?.name, route.rights.join('+'), route.via.map((v) => v.name).join('>')].filter(Boolean).join(' ');
}

describe('who can open a mailbox, by every route', () => {
  it('the chief executive: people through nested groups, and an application denied her that reaches her through Bob', () => {
    assert.deepEqual(whoCanOpen(alice, facts).map(describe_), [
      'permission bob.martinez FULL_ACCESS finance',
      'permission maya.patel FULL_ACCESS finance>audit',
      'permission tom.weber SEND_AS',
      // The archiver may not act as Alice, but acts as Bob and Maya, who have Full access.
      'Archiver via bob.martinez (permission)',
      'Archiver via maya.patel (permission)',
    ]);
  });

  it('a room: its booking delegates, a group delegate expanded, and the roles that act as them', () => {
    assert.deepEqual(whoCanOpen(room, facts).map(describe_), [
      'bookingDelegate tom.weber',
      'bookingDelegate maya.patel audit',
      'Archiver via tom.weber (bookingDelegate)',
      'Archiver via maya.patel (bookingDelegate)',
      'Tom only via tom.weber (bookingDelegate)',
    ]);
  });

  it('send rights alone give an application nothing to open through that person', () => {
    // Maya has only Send on behalf on Bob: the roles reach Bob as the owner, not through her.
    assert.deepEqual(whoCanOpen(bob, facts).map(describe_), ['permission maya.patel SEND_ON_BEHALF', 'Archiver as the owner']);
  });

  it('a disabled person is no way in for an application: WorkMail impersonates enabled users only', () => {
    const disabledBob = { ...bob, state: 'DISABLED' as const };
    const routes = whoCanOpen(alice, { ...facts, directory: new Map([...directory, [bob.id, disabledBob]]) }).map(describe_);
    assert.ok(routes.includes('permission bob.martinez FULL_ACCESS finance'), 'he still holds the right');
    assert.ok(!routes.includes('Archiver via bob.martinez (permission)'));
    assert.ok(routes.includes('Archiver via maya.patel (permission)'));
  });

  it('a role reaches its targets\' mailboxes and what they can open', () => {
    const mailboxes = [alice, bob, maya, tom, room];
    assert.deepEqual(roleReach(onlyTom, mailboxes, facts).map((m) => m.name), ['tom.weber', 'room-atlas']);
    assert.deepEqual(roleReach(archiver, mailboxes, facts).map((m) => m.name), ['alice.johnson', 'bob.martinez', 'maya.patel', 'tom.weber', 'room-atlas']);
  });

  it('what the directory alone tells of a role\'s reach: the mailboxes of the users it acts as, the same the report lists it on as the owner', () => {
    const disabledTom = { ...tom, state: 'DISABLED' as const };
    const mailboxes = [alice, bob, maya, disabledTom, room, finance];
    assert.deepEqual(ownersReached(archiver, mailboxes).map((m) => m.name), ['bob.martinez', 'maya.patel'], 'not Alice (denied), not Tom (disabled), no group or room');
    assert.deepEqual(ownersReached(onlyTom, mailboxes), [], 'its one target is disabled');
    const withDisabledTom = { ...facts, directory: new Map([...directory, [tom.id, disabledTom]]) };
    for (const role of [archiver, onlyTom]) {
      const asOwner = mailboxes.filter((mailbox) => whoCanOpen(mailbox, { ...withDisabledTom, roles: [role] }).some((route) => route.route === 'impersonation' && !route.through));
      assert.deepEqual(ownersReached(role, mailboxes), asOwner, role.name);
      const reach = roleReach(role, mailboxes, { ...withDisabledTom, roles: [role] });
      assert.ok(ownersReached(role, mailboxes).every((mailbox) => reach.includes(mailbox)), 'a part of the whole reach');
    }
  });
});

describe('the other routes of one person', () => {
  it('booking delegations directly and through nested groups, and the roles that may act as them', async () => {
    const { routesOfPerson } = await import('../../../src/workmail/routes/personRoutes');
    const ofMaya = routesOfPerson(maya, facts);
    assert.deepEqual(ofMaya.bookingDelegations.map((d) => `${d.resource?.name} ${d.via.map((v) => v.name).join('>')}`), ['room-atlas audit']);
    assert.deepEqual(ofMaya.applications.map((role) => role.name), ['Archiver']);
    const ofTom = routesOfPerson(tom, facts);
    assert.deepEqual(ofTom.bookingDelegations.map((d) => `${d.resource?.name}|${d.via.length}`), ['room-atlas|0']);
    assert.deepEqual(ofTom.applications.map((role) => role.name), ['Archiver', 'Tom only']);
    assert.deepEqual(routesOfPerson(alice, facts).applications, [], 'the archiver\'s DENY names her');
    assert.deepEqual(routesOfPerson({ ...tom, state: 'DISABLED' }, facts).applications, [], 'a disabled user is impersonated by nothing');
  });
});
