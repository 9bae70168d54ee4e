// The commands under the emulator variants where WorkMail documents nothing (emulator/variants.ts):
// a clear message with what to do, nothing wrong written. (The tree's matrix for mailboxless-list
// is in test/tree/mailboxless.test.ts; the access layer's over every variant in
// test/workmail/variants.test.ts.)
import * as assert from 'node:assert/strict';
import type { StaleReviewResult } from '../../src/commands/audit';
import { ACME_ID, admin, acme, changeOutOfBand, entity, freshStart, granteeNode, mailboxNode, run, truth, writes } from './permissions/support';
import { runCommand } from './audit/support';

const UNKNOWN = '6f1c2e3d-0b9a-4c8d-9e7f-5a4b3c2d1e0f';
const NEW_HIRE = '0e0e0e0e-0000-4000-8000-00000000beef';

describe('commands under each emulator variant', () => {
  beforeEach(async () => {
    await freshStart();
  });
  afterEach(async () => {
    await admin('PUT', '/variants', {});
  });

  for (const answer of ['succeeds', 'not-found'] as const) {
    it(`orphan-delete=${answer}: the stale clean-up of a grant to an unknown ID is revoked, or refused with what to do`, async () => {
      await admin('PUT', '/variants', { 'orphan-delete': answer });
      const org = await acme();
      const quinn = await entity(org, 'quinn.murphy');
      const result = await runCommand<StaleReviewResult>('workmail.reviewStaleGrants', { organization: 'acme', confirm: true, select: [`${quinn.id}/${UNKNOWN}`] });
      const item = result.items?.[0];
      if (answer === 'succeeds') {
        assert.equal(item?.status, 'revoked');
        assert.deepEqual(await truth(quinn.id, UNKNOWN), []);
      } else {
        assert.equal(item?.status, 'failed');
        assert.match(item?.reason ?? '', /no longer knows .* refuses to remove its grant .* gives no one access/);
        assert.notDeepEqual(await truth(quinn.id, UNKNOWN), [], 'nothing changed');
      }
    });
  }

  for (const answer of ['not-found', 'invalid-parameter'] as const) {
    it(`describe-user-of-group=${answer}: a group typed by name is found and granted to`, async () => {
      await admin('PUT', '/variants', { 'describe-user-of-group': answer });
      const org = await acme();
      const emma = await entity(org, 'emma.schmidt');
      const result = await run('workmail.grantPermissions', mailboxNode(org, emma), undefined, { grantee: 'support', rights: ['SEND_ON_BEHALF'] });
      assert.equal(result.outcome, 'done', result.reason);
      const support = await entity(org, 'support');
      assert.ok((await truth(emma.id, support.id)).includes('SEND_ON_BEHALF'));
    });
  }

  for (const answer of ['allowed', 'refused'] as const) {
    it(`group-grantee-full-access=${answer}: Full access for a group is given, or refused with WorkMail's reason and nothing written`, async () => {
      await admin('PUT', '/variants', { 'group-grantee-full-access': answer });
      const org = await acme();
      const emma = await entity(org, 'emma.schmidt');
      const support = await entity(org, 'support');
      const before = await truth(emma.id, support.id);
      const result = await run('workmail.grantPermissions', mailboxNode(org, emma), undefined, { grantee: 'support', rights: ['FULL_ACCESS'] });
      if (answer === 'allowed') {
        assert.equal(result.outcome, 'done', result.reason);
        assert.ok((await truth(emma.id, support.id)).includes('FULL_ACCESS'));
      } else {
        assert.equal(result.items[0]?.status, 'failed');
        assert.match(result.items[0]?.reason ?? '', /FULL_ACCESS cannot be granted to group .*Nothing was changed/);
        assert.deepEqual(await truth(emma.id, support.id), before);
      }
    });
  }

  for (const form of ['as-stored', 'as-given'] as const) {
    it(`grantee-id-form=${form}: a grantee another administrator named by email keeps Full access when granted more, and an edit of the row as WorkMail lists it is written by ID`, async () => {
      await admin('PUT', '/variants', { 'grantee-id-form': form });
      const org = await acme();
      const emma = await entity(org, 'emma.schmidt');
      const farid = await entity(org, 'farid.haddad');
      await changeOutOfBand(emma.id, 'farid.haddad@acme.example.com', ['FULL_ACCESS']);
      const granted = await run('workmail.grantPermissions', mailboxNode(org, emma), undefined, { grantee: 'farid.haddad', rights: ['SEND_AS'] });
      assert.equal(granted.outcome, 'done', granted.reason);
      assert.deepEqual(await truth(emma.id, farid.id), ['FULL_ACCESS', 'SEND_AS'], 'Full access kept');
      // Named by email once more; his row as the tree has it (listed under that email under as-given).
      await changeOutOfBand(emma.id, 'farid.haddad@acme.example.com', ['FULL_ACCESS', 'SEND_AS']);
      const listedAs = form === 'as-given' ? 'farid.haddad@acme.example.com' : farid.id;
      const row = { ...granteeNode(org, emma, farid, ['FULL_ACCESS', 'SEND_AS']), grant: { granteeId: listedAs, granteeType: 'USER' as const, rights: ['FULL_ACCESS', 'SEND_AS'] as const } };
      const edited = await run('workmail.editPermissions', row, undefined, { rights: ['SEND_AS'] });
      assert.equal(edited.outcome, 'done', edited.reason);
      assert.deepEqual(await truth(emma.id, farid.id), ['SEND_AS']);
      assert.ok((await writes()).every((call) => call.params?.['GranteeId'] === farid.id), 'written by ID');
    });
  }

  for (const lag of ['none', 'lagging'] as const) {
    it(`directory-lag=${lag}: a user created a moment ago is granted to, or refused with what to do and nothing written`, async () => {
      await admin('PUT', '/variants', { 'directory-lag': lag });
      await admin('POST', `/organizations/${ACME_ID}/users`, { id: NEW_HIRE, name: 'new.hire', displayName: 'New Hire', email: 'new.hire@acme.example.com' });
      const org = await acme();
      const emma = await entity(org, 'emma.schmidt');
      const result = await run('workmail.grantPermissions', mailboxNode(org, emma), undefined, { grantee: 'new.hire', rights: ['SEND_AS'] });
      if (lag === 'none') {
        assert.equal(result.outcome, 'done', result.reason);
        assert.deepEqual(await truth(emma.id, NEW_HIRE), ['SEND_AS']);
      } else {
        assert.notEqual(result.outcome, 'done');
        assert.match(result.reason ?? result.items[0]?.reason ?? '', /No user or group "new\.hire" in acme .*\. If it was created or enabled in the last few minutes, WorkMail may not show it yet: wait a few minutes and try again/);
        assert.deepEqual(await writes(), [], 'nothing written');
        assert.deepEqual(await truth(emma.id, NEW_HIRE), []);
      }
    });
  }

  for (const lag of ['none', 'lagging'] as const) {
    it(`directory-lag=${lag}: the stale clean-up keeps the grant of a user enabled again a moment ago, and says why`, async () => {
      await admin('PUT', '/variants', { 'directory-lag': lag });
      const org = await acme();
      const alice = await entity(org, 'alice.johnson');
      const william = await entity(org, 'william.chen');
      const before = await truth(alice.id, william.id);
      assert.notDeepEqual(before, [], 'the sample seed gives the disabled william.chen rights on alice.johnson');
      await admin('PUT', `/organizations/${ACME_ID}/entities/${william.id}/state`, { state: 'ENABLED' });
      const pair = `${alice.id}/${william.id}`;
      // Under the lag WorkMail still reports him disabled, so his grant is offered as stale.
      const result = await runCommand<StaleReviewResult>('workmail.reviewStaleGrants', { organization: 'acme', confirm: true, select: lag === 'lagging' ? [pair] : [] });
      assert.equal(result.stale?.some((item) => item.id === pair), lag === 'lagging');
      if (lag === 'lagging') {
        const item = result.items?.find((i) => i.id === pair);
        assert.equal(item?.status, 'failed');
        assert.match(item?.reason ?? '', /If it was enabled in the last few minutes, WorkMail may not show it yet: review again in a few minutes/);
      }
      assert.deepEqual(await truth(alice.id, william.id), before, 'his rights kept');
    });
  }
});
