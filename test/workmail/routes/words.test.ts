import assert from 'node:assert/strict';
import { ACCESS_RULE_CONDITIONS, accessRuleRecord, blocksEveryone, isAllowEverything, type AccessRule } from '../../../src/workmail/routes/accessRules';
import { accessRuleInWords, bookingOptionsInWords, impersonationRuleInWords } from '../../../src/workmail/routes/words';

const names = new Map([['u-alice', 'Alice Johnson'], ['u-bob', 'Bob Martinez'], ['role-archiver', 'Archiver']]);
const nameOf = (id: string) => names.get(id);

describe('the other routes in words', () => {
  it('booking options: automatic acceptance with what it declines, or delegates who approve', () => {
    assert.equal(bookingOptionsInWords({ autoAcceptRequests: true }), 'Accepts automatically');
    assert.equal(bookingOptionsInWords({ autoAcceptRequests: true, autoDeclineRecurringRequests: true, autoDeclineConflictingRequests: true }), 'Accepts automatically · declines recurring meetings · declines conflicts');
    assert.equal(bookingOptionsInWords({ autoAcceptRequests: false, autoDeclineConflictingRequests: true }), 'Delegates approve every request');
    assert.equal(bookingOptionsInWords(undefined), 'Booking options not read');
  });

  it('impersonation rules: everyone, named users, exceptions, and an identifier nobody has kept as given', () => {
    assert.equal(impersonationRuleInWords({ id: 'r', effect: 'ALLOW' }, nameOf), 'Allow: everyone');
    assert.equal(impersonationRuleInWords({ id: 'r', effect: 'DENY', targetUsers: ['u-alice', 'gone.person'] }, nameOf), 'Deny: Alice Johnson, gone.person (unknown)');
    assert.equal(impersonationRuleInWords({ id: 'r', effect: 'ALLOW', notTargetUsers: ['u-bob'] }, nameOf), 'Allow: everyone except Bob Martinez');
  });

  it('access rules: the default rule marked, protocols, address ranges, users and applications', () => {
    const everything = { name: 'default', effect: 'ALLOW' as const };
    assert.ok(isAllowEverything(everything));
    assert.equal(accessRuleInWords(everything, nameOf), 'Allow every protocol from every address, for everyone (the default rule)');
    assert.equal(accessRuleInWords({ name: 'no-imap', effect: 'DENY', actions: ['IMAP'], notIpRanges: ['10.0.0.0/8'] }, nameOf), 'Deny IMAP from outside 10.0.0.0/8, for everyone');
    assert.equal(accessRuleInWords({ name: 'no-webmail', effect: 'DENY', actions: ['WebMail'], userIds: ['u-bob'] }, nameOf), 'Deny WebMail from every address, for Bob Martinez');
    assert.equal(
      accessRuleInWords({ name: 'ews', effect: 'ALLOW', actions: ['EWS'], ipRanges: ['192.0.2.0/24'], notUserIds: ['u-alice'], impersonationRoleIds: ['role-archiver', 'role-gone'] }, nameOf),
      'Allow EWS from 192.0.2.0/24, for all but Alice Johnson; applications: Archiver, role-gone (unknown)',
    );
    assert.equal(accessRuleInWords({ name: 'x', effect: 'DENY', notActions: ['SMTP'] }, nameOf), 'Deny all but SMTP from every address, for everyone');
  });

  it('no rule at all blocks every mailbox', () => {
    assert.ok(blocksEveryone([]));
    assert.ok(!blocksEveryone([{ name: 'default', effect: 'ALLOW' }]));
  });

  it('an access rule as a file records it (snapshot and export alike): every condition set, none empty, dates as text', () => {
    // One list per condition, each different, so a condition dropped or crossed with another shows.
    const lists = Object.fromEntries(ACCESS_RULE_CONDITIONS.map((field, i) => [field, [`${field}-${i}`]]));
    const rule: AccessRule = { name: 'all-set', effect: 'DENY', description: 'every list', ...lists, dateCreated: new Date('2024-01-02T03:04:05Z'), dateModified: new Date(Number.NaN) };
    const recorded = accessRuleRecord(rule);
    assert.deepEqual(recorded, { name: 'all-set', effect: 'DENY', description: 'every list', ...lists, dateCreated: '2024-01-02T03:04:05.000Z' });
    assert.notEqual(recorded.actions, rule.actions, 'lists are copies');
    assert.ok(!isAllowEverything(recorded));
    for (const field of ACCESS_RULE_CONDITIONS) {
      assert.ok(!isAllowEverything({ effect: 'ALLOW', [field]: ['x'] }), `${field} is a condition`);
    }
    // Empty and missing lists are left out: the file says only what the rule does.
    const bare = accessRuleRecord({ name: 'default', effect: 'ALLOW', actions: [], userIds: undefined });
    assert.deepEqual(Object.keys(bare), ['name', 'effect']);
    assert.ok(isAllowEverything(bare));
  });
});
