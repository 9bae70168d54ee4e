// The directory's oddities as the sample seed holds them and the real service has them: a user
// and a group synchronised from a directory, with IDs of the S-1-1-… form and an empty display
// name, and a user created but never enabled, with neither a display name nor an email address.
// The tree must name each of them, use the odd IDs as any other, and never show an empty label.
import * as assert from 'node:assert/strict';
import type { GranteeNode } from '../../src/tree/granteeNode';
import type { GroupMemberNode } from '../../src/tree/groupMemberNode';
import type { MailboxNode } from '../../src/tree/mailboxNode';
import { categoryNode, children, description, label, loadAll, mailboxes, useFreshTree } from './support';

function grantees(nodes: readonly unknown[]): GranteeNode[] {
  return (nodes as GranteeNode[]).filter((node) => node.contextValue === 'grantee');
}

async function listed(kind: 'user' | 'group', name: string): Promise<MailboxNode> {
  const node = mailboxes(await loadAll(await categoryNode('acme', kind))).find((n) => n.entity.name === name);
  assert.ok(node, `${name} is listed among the ${kind}s`);
  return node;
}

describe('tree: the directory\'s odd IDs and names', () => {
  useFreshTree();

  it('names a user whose display name is empty by the user name, as a mailbox and as a grantee', async () => {
    const nina = await listed('user', 'nina.kowalski');
    assert.match(nina.entity.id, /^S-1-1-11-/);
    assert.equal(nina.entity.displayName, '');
    assert.equal(label(nina), 'nina.kowalski');
    // Her S-1-1 ID is a mailbox like any other: her grantees are read by it.
    const onHers = grantees(await loadAll(nina));
    assert.deepEqual(onHers.map((node) => label(node)), ['Send on behalf — Zoe Campbell']);
    const olivia = await listed('user', 'olivia.brown');
    const asGrantee = grantees(await loadAll(olivia)).find((node) => node.grant.granteeId === nina.entity.id);
    assert.ok(asGrantee, 'Nina Kowalski holds a grant on Olivia Brown');
    assert.equal(label(asGrantee), 'Full access — nina.kowalski');
    assert.notEqual(description(asGrantee), 'unknown or deleted');
  });

  it('lists a user with neither display name nor email by its name, marked disabled', async () => {
    const starter = await listed('user', 'new.starter');
    assert.equal(label(starter), 'new.starter');
    assert.equal(starter.entity.email, undefined);
    assert.match(description(starter), /disabled/);
  });

  it('expands a group with an S-1-1-12 ID, held as a grantee, to its members', async () => {
    const support = await listed('group', 'support');
    const helpdesk = grantees(await loadAll(support)).find((node) => node.grantee?.name === 'helpdesk');
    assert.ok(helpdesk, 'helpdesk holds a grant on support');
    assert.match(helpdesk.grant.granteeId, /^S-1-1-12-/);
    assert.match(label(helpdesk), /^Send as — helpdesk/);
    const members = (await children(helpdesk)) as GroupMemberNode[];
    // ListGroupMembers gives user names; the S-1-1 member is listed like the other.
    assert.deepEqual(members.map((node) => label(node)).sort(), ['nina.kowalski', 'zoe.campbell']);
  });
});
