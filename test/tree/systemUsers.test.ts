import * as assert from 'node:assert/strict';
import { calls, categoryNode, children, clearCalls, description, loadAll, mailboxes, setSetting, useFreshTree } from './support';

describe('tree: system users', () => {
  useFreshTree({ pageSize: 100, showSystemUsers: false });

  it('hides SYSTEM_USER users unless workmail.showSystemUsers, without calling WorkMail again', async () => {
    const users = await categoryNode('acme-labs', 'user');
    const hidden = mailboxes(await loadAll(users));
    const system = users.loadedItems.filter((node) => node.entity.userRole === 'SYSTEM_USER');
    assert.ok(system.length > 0, 'the seed has system users in acme-labs');
    assert.ok(!hidden.some((node) => node.entity.userRole === 'SYSTEM_USER'));
    assert.equal(hidden.length, users.loadedItems.length - system.length);
    // The row says how many are listed and that some are left out.
    const left = system.length === 1 ? '1 system user hidden' : `${system.length} system users hidden`;
    assert.equal(description(users), `${hidden.length} · ${left}`);

    await clearCalls();
    await setSetting('showSystemUsers', true);
    const shown = mailboxes(await children(users));
    assert.equal(shown.length, users.loadedItems.length);
    assert.ok(system.every((node) => shown.includes(node)));
    assert.equal((await calls()).length, 0, 'showing them needs no call');
    assert.equal(description(users), String(users.loadedItems.length), 'nothing hidden, nothing said');
  });
});
