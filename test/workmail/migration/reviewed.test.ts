// Found by a hostile review of the migration scripts' new sections (booking delegates, aliases,
// applications, access rules) and of their verification: each test is a finding, fixed.
import assert from 'node:assert/strict';
import { BOOKING_DELEGATE, bookingDelegations, planDestination, renderDestination, type DestinationOptions } from '../../../src/workmail/migration/destinations';
import { unchangedAddresses } from '../../../src/workmail/migration/destinations/common';
import { compare, verifyMigration } from '../../../src/workmail/migration/verify';
import { readExchangeExports } from '../../../src/workmail/migration/verify/exchange';
import type { Snapshot, SnapshotAccessRule, SnapshotEntity, SnapshotImpersonationRole, SnapshotResourceRoutes } from '../../../src/workmail/migration/schema';
import { grant, group, resource, snapshotOf, user } from './support';

const base: DestinationOptions = { generatedAt: new Date('2026-03-02T14:02:00Z') };

function withRoutes(entities: SnapshotEntity[], resources: SnapshotResourceRoutes[]): Snapshot {
  return snapshotOf(entities, [grant('u-ana', 'u-bob', ['FULL_ACCESS'])], { routes: { resources, impersonationRoles: [], accessRules: [] } });
}

describe('migration scripts: found by a hostile review', () => {
  for (const target of ['exchange', 'google', 'grommunio', 'zoho'] as const) {
    for (const [shape, groups] of [
      ['whose only member is an empty group', [group('g-outer', 'outer@x.example.com', ['g-empty']), group('g-empty', 'empty@x.example.com', [])]],
      ['in a membership loop with no user', [group('g-outer', 'outer@x.example.com', ['g-b']), group('g-b', 'b@x.example.com', ['g-outer'])]],
    ] as const) {
      it(`${target}: a group delegate ${shape} is listed as not migrated, never dropped`, () => {
        const snap = withRoutes([user('u-ana', 'ana@x.example.com'), user('u-bob', 'bob@x.example.com'), ...groups, resource('r-room', 'room@x.example.com')], [{ resourceId: 'r-room', delegates: [{ id: 'g-outer', type: 'GROUP' }] }]);
        const plan = planDestination(target, snap, unchangedAddresses(), base);
        assert.equal(bookingDelegations(plan).length, 0);
        const listed = plan.notCarried.filter((n) => n.right === BOOKING_DELEGATE && n.granteeId === 'g-outer');
        assert.equal(listed.length, 1, JSON.stringify(plan.notCarried));
        assert.match(listed[0]!.reason, /no user among its members/);
        assert.match(renderDestination(plan), /outer@x\.example\.com/);
      });
    }
  }

  it('verify: an alias the destination knows as someone else\'s address stays theirs (never counts their delegation as ours)', () => {
    const entities = [user('u-ana', 'ana@x.example.com'), { ...user('u-bob', 'bob@x.example.com'), aliases: ['sales@x.example.com'] }, user('u-cy', 'cy@x.example.com'), resource('r-room', 'room@x.example.com')];
    const snap = withRoutes(entities, [{ resourceId: 'r-room', delegates: [{ id: 'u-bob', type: 'USER' }] }]);
    const plan = planDestination('exchange', snap, unchangedAddresses(), base);
    // At Exchange Online bob was never made a delegate; cy was, and cy holds sales@ as a proxy address.
    const recipients = [
      '"Name","DisplayName","DistinguishedName","PrimarySmtpAddress","Alias","EmailAddresses"',
      '"ana","ana","CN=ana","ana@x.example.com","ana","SMTP:ana@x.example.com"',
      '"bob","bob","CN=bob","bob@x.example.com","bob","SMTP:bob@x.example.com"',
      '"cy","cy","CN=cy","cy@x.example.com","cy","SMTP:cy@x.example.com;smtp:sales@x.example.com"',
      '"room","room","CN=room","room@x.example.com","room","SMTP:room@x.example.com"',
    ].join('\r\n');
    const calendar = ['"Mailbox","Identity","ResourceDelegates"', '"room@x.example.com","room","cy"'].join('\r\n');
    const result = compare(plan, readExchangeExports([{ file: 'recipients.csv', text: recipients }, { file: 'calendar.csv', text: calendar }]), unchangedAddresses());
    const delegates = result.items.filter((i) => i.right === 'ResourceDelegate');
    assert.deepEqual(delegates.map((i) => `${i.status} ${i.grantee}`).sort(), ['extra cy@x.example.com', 'missing bob@x.example.com']);
  });
});

describe('applications and access rules: found by a hostile review', () => {
  const people = [user('u-ana', 'ana@x.example.com'), user('u-bob', 'bob@x.example.com')];
  const withRules = (roles: SnapshotImpersonationRole[], rules: SnapshotAccessRule[] = [], entities: SnapshotEntity[] = people): Snapshot =>
    snapshotOf(entities, [], { routes: { resources: [], impersonationRoles: roles, accessRules: rules } });
  const archiver: SnapshotImpersonationRole = { id: 'role-x', name: 'Archiver', type: 'READ_ONLY', rules: [{ id: 'r', name: 'all', effect: 'ALLOW' }] };

  it('exchange: a DENY of EWS for one application is never advised as turning EWS off for every mailbox', () => {
    const snap = withRules([archiver], [{ name: 'no-ews-for-archiver', effect: 'DENY', actions: ['EWS'], impersonationRoleIds: ['role-x'] } as SnapshotAccessRule]);
    const script = renderDestination(planDestination('exchange', snap, unchangedAddresses(), base));
    assert.doesNotMatch(script, /for every mailbox/);
    assert.match(script, /to set up: It is about applications/);
  });

  it('exchange: a DENY of everything for named users is advised as blocking their sign-in', () => {
    const snap = withRules([], [{ name: 'block-bob', effect: 'DENY', userIds: ['u-bob'] } as SnapshotAccessRule]);
    const script = renderDestination(planDestination('exchange', snap, unchangedAddresses(), base));
    assert.match(script, /to set up: These users may not use any protocol: block their sign-in/);
  });

  it('zoho csv: a role none of whose users has a destination address, and one whose rules could not be read, each still have a row saying why', () => {
    const roles: SnapshotImpersonationRole[] = [
      { id: 'role-x', name: 'Archiver', type: 'READ_ONLY', rules: [{ id: 'r', name: 'bob', effect: 'ALLOW', targetUsers: ['u-bob'] }] },
      { id: 'role-y', name: 'Unread', type: 'FULL_ACCESS', rulesUnreadable: 'AccessDenied' } as SnapshotImpersonationRole,
    ];
    const csv = renderDestination(planDestination('zoho', withRules(roles, [], [user('u-ana', 'ana@x.example.com'), user('u-bob', undefined)]), unchangedAddresses(), base), 'csv');
    const rows = csv.split('\r\n').filter((row) => row.includes('IMPERSONATION_ROLE'));
    assert.ok(rows.some((row) => row.includes('role-x')), csv);
    assert.ok(rows.some((row) => row.includes('role-y') && /could not be read/.test(row)), csv);
  });

  it('a role whose rules could not be read never says it reaches no mailbox', () => {
    const unread = { id: 'role-y', name: 'Unread', type: 'FULL_ACCESS', rulesUnreadable: 'AccessDenied' } as SnapshotImpersonationRole;
    const script = renderDestination(planDestination('exchange', withRules([unread]), unchangedAddresses(), base));
    assert.doesNotMatch(script, /It reaches no mailbox/);
    assert.match(script, /recreate it by hand once WorkMail shows its rules/);
  });

  it('bidirectional and invisible characters in a name never reach a script line', () => {
    const script = renderDestination(planDestination('exchange', withRules([{ ...archiver, name: 'Arch\u202Eiver\u200B' }]), unchangedAddresses(), base));
    assert.doesNotMatch(script, /[\u202a-\u202e\u2066-\u2069\u200b]/);
    assert.match(script, /New-ServicePrincipal .*-DisplayName 'Archiver'/);
  });

  it('zoho verify: a ticked row whose address starts with "-" (written formula-guarded) is the delegation it names', () => {
    const snap = withRoutes([user('u-ana', 'ana@x.example.com'), user('u-bob', '-bob@x.example.com'), resource('r-room', 'room@x.example.com')], [{ resourceId: 'r-room', delegates: [{ id: 'u-bob', type: 'USER' }] }]);
    const plan = planDestination('zoho', snap, unchangedAddresses(), base);
    const csv = renderDestination(plan, 'csv').replace(/^,/gm, 'x,');
    assert.match(csv, /'-bob@x\.example\.com/);
    const result = verifyMigration('zoho', snap, unchangedAddresses(), base, [{ file: 'z.csv', text: csv }]);
    assert.equal(result.items.find((i) => i.right === BOOKING_DELEGATE)?.status, 'arrived');
    assert.equal(result.counts.extra, 0);
  });
});

describe('booking options at Google: found by a hostile review', () => {
  const room = (options: SnapshotResourceRoutes['bookingOptions'], delegate: SnapshotEntity) =>
    withRoutes([user('u-ana', 'ana@x.example.com'), delegate, resource('r-room', 'room@x.example.com')], [{ resourceId: 'r-room', delegates: [{ id: delegate.id, type: 'USER' }], bookingOptions: options }]);

  it('a room that accepts conflicting and recurring bookings says so (false is a choice too), never drops it', () => {
    const plan = planDestination('google', room({ autoDeclineConflictingRequests: false, autoDeclineRecurringRequests: false }, user('u-bob', 'bob@x.example.com')), unchangedAddresses(), base);
    const reasons = plan.notCarried.filter((n) => n.mailboxId === 'r-room').map((n) => n.reason);
    assert.ok(reasons.some((r) => /AutoDeclineConflictingRequests=false \(WorkMail accepted conflicting bookings\)/.test(r)), reasons.join('\n'));
    assert.ok(reasons.some((r) => /AutoDeclineRecurringRequests=false \(WorkMail accepted recurring bookings\)/.test(r)));
  });

  it('delegates approve every request but none is carried: no step turning auto-accept off (nobody would answer); listed instead', () => {
    const plan = planDestination('google', room({ autoAcceptRequests: false }, user('u-bob', 'bob@x.example.com', { state: 'DISABLED' })), unchangedAddresses(), base);
    const script = renderDestination(plan);
    assert.doesNotMatch(script, /turn the resource's "Auto-accept invitations" setting off/);
    assert.ok(plan.notCarried.some((n) => n.mailboxId === 'r-room' && /no delegate of this resource is carried/.test(n.reason)));
  });
});

describe('booking delegates at Exchange Online: found by a hostile review', () => {
  it('in a wave script, a delegate outside the wave carries the wave note, as a grant does', () => {
    const snap = withRoutes(
      [user('u-ana', 'ana@x.example.com'), user('u-bob', 'bob@x.example.com'), user('u-cy', 'cy@x.example.com'), resource('r-room', 'room@x.example.com')],
      [{ resourceId: 'r-room', delegates: [{ id: 'u-bob', type: 'USER' }, { id: 'u-cy', type: 'USER' }], bookingOptions: { autoAcceptRequests: false } }],
    );
    const plan = planDestination('exchange', snap, unchangedAddresses(), { ...base, mailboxIds: new Set(['r-room', 'u-bob']), wave: 1 });
    const cy = bookingDelegations(plan).find((d) => d.delegate.id === 'u-cy');
    assert.match(cy?.note ?? '', /not in this wave/);
    assert.equal(bookingDelegations(plan).find((d) => d.delegate.id === 'u-bob')?.note, undefined);
    // The booking options it sets replace the room's own: the header does not say "removes nothing" alone.
    assert.match(renderDestination(plan), /# It removes nothing, but the booking options it sets replace those the rooms had at the destination\./);
  });
});

describe('Zoho markdown checklist: found by a hostile review', () => {
  it('a name that is a web address or asks for strikethrough renders as text, not a link or markup', () => {
    const snap = snapshotOf([user('u-ana', 'ana@x.example.com'), user('u-bob', 'bob@x.example.com')], [], {
      routes: { resources: [], impersonationRoles: [{ id: 'role-x', name: 'https://evil.example ~~gone~~ www.evil.example', type: 'READ_ONLY', rules: [{ id: 'r', effect: 'ALLOW' }] }], accessRules: [] },
    });
    const markdown = renderDestination(planDestination('zoho', snap, unchangedAddresses(), base));
    assert.ok(markdown.includes('https\\://evil.example \\~\\~gone\\~\\~ www\\.evil.example'), markdown);
    assert.doesNotMatch(markdown, /https:\/\/evil|(^|[^\\])~~|(^|[^\\])www\.evil/m);
  });
});
