import assert from 'node:assert/strict';
import fc from 'fast-check';
import { impersonatedUsers, impersonationEffect, namesUser, ruleMatches, unknownTargets, type ImpersonationRule } from '../../../src/workmail/routes/impersonation';

const alice = { id: 'u-alice', name: 'alice.johnson', email: 'alice.johnson@acme.example.com' };
const bob = { id: 'u-bob', name: 'bob.martinez', email: 'bob.martinez@acme.example.com' };
const carol = { id: 'S-1-1-11-1-2-3-4', name: 'carol.nguyen', email: undefined };
const users = [alice, bob, carol];

const allowAll: ImpersonationRule = { id: 'r1', name: 'everyone', effect: 'ALLOW' };

describe('impersonation roles: who a role may act as', () => {
  it('names a user by ID, user name or email, names and addresses in any case', () => {
    assert.ok(namesUser('u-alice', alice));
    assert.ok(namesUser('Alice.Johnson', alice));
    assert.ok(namesUser('ALICE.JOHNSON@acme.example.com', alice));
    assert.ok(!namesUser('U-ALICE', alice), 'IDs are exact');
    assert.ok(!namesUser('alice', alice));
  });

  it('ALLOW with no conditions reaches every user; a DENY for one executive leaves them out', () => {
    assert.deepEqual(impersonatedUsers({ rules: [allowAll] }, users), users);
    const archiver = { rules: [allowAll, { id: 'r2', name: 'not the CEO', effect: 'DENY' as const, targetUsers: ['alice.johnson'] }] };
    assert.deepEqual(impersonatedUsers(archiver, users), [bob, carol]);
    const effect = impersonationEffect(archiver, alice);
    assert.equal(effect.effect, 'DENY');
    assert.deepEqual(effect.matchedRules.map((rule) => rule.id), ['r2']);
  });

  it('no rule that applies denies; NotTargetUsers leaves users out of a rule', () => {
    assert.equal(impersonationEffect({ rules: [] }, alice).effect, 'DENY');
    const some = { rules: [{ id: 'r', effect: 'ALLOW' as const, targetUsers: ['u-alice', 'bob.martinez'], notTargetUsers: ['bob.martinez@acme.example.com'] }] };
    assert.deepEqual(impersonatedUsers(some, users), [alice]);
    assert.ok(!ruleMatches({ id: 'x', effect: 'ALLOW', notTargetUsers: ['carol.nguyen'] }, carol));
    assert.ok(ruleMatches({ id: 'x', effect: 'ALLOW', notTargetUsers: ['carol.nguyen'] }, bob));
  });

  it('keeps the identifiers a rule names that are no user, to show them', () => {
    const role = { rules: [{ id: 'r', effect: 'ALLOW' as const, targetUsers: ['u-alice', 'gone.person'], notTargetUsers: ['u-gone'] }] };
    assert.deepEqual(unknownTargets(role, users), ['gone.person', 'u-gone']);
  });

  describe('properties', () => {
    const identifier = fc.constantFrom('u-alice', 'BOB.martinez', 'carol.nguyen', 'alice.johnson@acme.example.com', 'nobody');
    const rule = fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }),
      effect: fc.constantFrom('ALLOW' as const, 'DENY' as const),
      targetUsers: fc.option(fc.array(identifier, { minLength: 1, maxLength: 3 }), { nil: undefined }),
      notTargetUsers: fc.option(fc.array(identifier, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    });
    const rules = fc.array(rule, { maxLength: 6 });
    const user = fc.constantFrom(...users);

    it('the order of the rules never matters', () => {
      fc.assert(fc.property(rules, user, (list, who) => impersonationEffect({ rules: list }, who).effect === impersonationEffect({ rules: [...list].reverse() }, who).effect));
    });

    it('adding a DENY rule never lets a role act as someone it could not; adding an ALLOW rule never stops it', () => {
      fc.assert(
        fc.property(rules, rule, user, (list, extra, who) => {
          const before = impersonationEffect({ rules: list }, who).effect;
          const after = impersonationEffect({ rules: [...list, extra] }, who).effect;
          return extra.effect === 'DENY' ? !(before === 'DENY' && after === 'ALLOW') : !(before === 'ALLOW' && after === 'DENY');
        }),
      );
    });

    it('a matching DENY rule always wins', () => {
      fc.assert(fc.property(rules, user, (list, who) => impersonationEffect({ rules: [...list, { id: 'deny', effect: 'DENY', targetUsers: [who.id] }] }, who).effect === 'DENY'));
    });
  });
});
