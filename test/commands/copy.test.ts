import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { categoryNode, children, freshStart, mailboxes, organizationNode, SettingsSnapshot } from '../tree/support';

describe('commands: copy ID and email', () => {
  let settings: SettingsSnapshot;

  beforeEach(async () => {
    settings = await SettingsSnapshot.take();
    await freshStart();
    await vscode.env.clipboard.writeText('');
  });

  afterEach(async () => {
    await settings.restore();
  });

  it('copies the ID of the clicked mailbox', async () => {
    const mailbox = mailboxes(await children(await categoryNode('acme', 'user')))[0]!;
    await vscode.commands.executeCommand('workmail.copyId', mailbox);
    assert.equal(await vscode.env.clipboard.readText(), mailbox.entity.id);
  });

  it('copies the IDs of the whole selection, one per line', async () => {
    const org = await organizationNode('acme');
    const [first, second] = mailboxes(await children(await categoryNode('acme', 'user')));
    await vscode.commands.executeCommand('workmail.copyId', first, [org, first, second]);
    assert.equal(await vscode.env.clipboard.readText(), [org.org.organizationId, first!.entity.id, second!.entity.id].join('\n'));
  });

  it('copies the email address of a mailbox', async () => {
    const mailbox = mailboxes(await children(await categoryNode('acme', 'user'))).find((node) => node.entity.email)!;
    await vscode.commands.executeCommand('workmail.copyEmail', mailbox);
    assert.equal(await vscode.env.clipboard.readText(), mailbox.entity.email);
  });
});
