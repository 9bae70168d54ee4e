// A grantee that another administrator named by email, under both answers to which form
// ListMailboxPermissions reports (emulator variant grantee-id-form): the tree shows the person,
// not a bare address, and knows the entity's own ID (which every change and Copy ID use).
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { admin, categoryNode, children, label, loadAll, mailboxes, treeItem, useFreshTree } from './support';

const ACME_ID = 'm-ac0e0000000000000000000000000001';

describe('tree: a grantee named by email elsewhere, under each variant', () => {
  useFreshTree({ pageSize: 100 }, () => admin('PUT', '/variants', {}));

  for (const form of ['as-stored', 'as-given'] as const) {
    it(`grantee-id-form=${form}: shown by name, with the entity's ID`, async () => {
      await admin('PUT', '/variants', { 'grantee-id-form': form });
      const users = mailboxes(await loadAll(await categoryNode('acme', 'user')));
      const emma = users.find((node) => node.entity.name === 'emma.schmidt');
      const farid = users.find((node) => node.entity.name === 'farid.haddad');
      assert.ok(emma && farid, 'the sample seed has emma.schmidt and farid.haddad');
      await admin('PUT', `/organizations/${ACME_ID}/mailboxes/${emma.entity.id}/grants/farid.haddad@acme.example.com`, { rights: ['SEND_AS'] });
      const rows = (await children(emma)) as unknown as Array<{ grant?: { granteeId: string }; grantee?: { id: string } | null }>;
      const row = rows.find((node) => node.grantee?.id === farid.entity.id);
      assert.ok(row, `Farid's row is known as Farid: ${rows.map((node) => label(node as never)).join(' | ')}`);
      assert.notEqual(label(row as never), 'farid.haddad@acme.example.com');
      assert.equal(row.grant?.granteeId, form === 'as-given' ? 'farid.haddad@acme.example.com' : farid.entity.id, 'as WorkMail lists it');
      // Markdown-escaped (names may hold markup): compared without the escapes.
      const tooltip = (treeItem(row as never).tooltip as vscode.MarkdownString).value.replace(/\\/g, '');
      assert.ok(tooltip.includes(farid.entity.id), 'the tooltip names the entity ID');
      assert.equal(tooltip.includes('Listed by WorkMail as'), form === 'as-given');
    });
  }
});
