// A user without a mailbox (never registered for mail: no email) under both answers WorkMail may
// give for its permissions (emulator variant mailboxless-list): shown as having no mailbox, never
// as a failed read, and the other mailboxes unaffected.
import * as assert from 'node:assert/strict';
import { admin, categoryNode, children, label, loadAll, mailboxes, useFreshTree } from './support';

describe('tree: a user without a mailbox, under each variant', () => {
  useFreshTree({ pageSize: 100 }, () => admin('PUT', '/variants', {}));

  for (const answer of ['lists', 'entity-state-error']) {
    it(`mailboxless-list=${answer}: "No mailbox", no error item`, async () => {
      await admin('PUT', '/variants', { 'mailboxless-list': answer });
      const users = mailboxes(await loadAll(await categoryNode('acme-labs', 'user')));
      const mailboxless = users.find((node) => !node.entity.email && node.entity.userRole !== 'SYSTEM_USER');
      assert.ok(mailboxless, 'the sample seed has a user without a mailbox in acme-labs');
      const shown = await children(mailboxless);
      assert.deepEqual(shown.map(label), ['No mailbox (this user is not registered for mail)']);
      assert.ok(!shown.some((node) => node.contextValue === 'error'));
      const withMailbox = users.find((node) => node.entity.email && node.entity.state === 'ENABLED');
      assert.ok(!(await children(withMailbox!)).some((node) => node.contextValue === 'error'), 'a user with a mailbox lists as before');
    });
  }
});
