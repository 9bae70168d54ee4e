// Secrets in the running extension: while the service refuses signatures and answers errors that
// echo the request's secret, session token and Authorization header, nothing of them reaches the
// WorkMail log channel, a message shown to the person, or an item of the tree.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PermissionUiEvent } from '../../src/commands/permissions';
import type { ExplorerNode } from '../../src/tree/explorerNode';
import { acme, entity, freshStart, mailboxNode, run, setFaults } from '../commands/permissions/support';
import { byContext, categoryNode, children, label, mailboxes, treeItem } from '../tree/support';
import { captureLog, messagesOf, reliabilityLog } from './support';

const log = reliabilityLog('host-secrets');

const SECRETS = ['emulator-secret-do-not-use-in-aws', 'emulator-other-secret-do-not-use', 'emulator-temp-secret', 'emulator-session-token'];
const SIGNED_PARTS = [/AWS4-HMAC-SHA256/, /Signature=[0-9a-f]{16}/i, /Authorization:\s*AWS4/i, /\b[0-9a-f]{64}\b/];
const ECHO = [
  `Authorization: AWS4-HMAC-SHA256 Credential=AKIDWORKMAILEMULATOR/20250101/us-east-1/workmail/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'9f'.repeat(32)}`,
  `expected secret ${SECRETS[0]}`,
  `x-amz-security-token: ${SECRETS[3]}`,
].join(' ');

function shownText(node: ExplorerNode): string {
  const item = treeItem(node);
  const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? '');
  return [label(node), String(item.description ?? ''), tooltip].join('\n');
}

function leaks(text: string): string[] {
  return [...SECRETS.filter((secret) => text.includes(secret)), ...SIGNED_PARTS.filter((pattern) => pattern.test(text)).map(String)];
}

describe('reliability: no secret in the log, messages or tree', function () {
  this.timeout(90_000);

  afterEach(async () => {
    await setFaults({});
  });

  it('signature refusals and errors echoing secrets', async () => {
    await log.check(
      {
        area: 'secrets',
        name: 'log channel, messages and tree items',
        action: 'expand acme → Users, open a mailbox, grant Send as, while the service refuses or echoes',
        fault: '403 InvalidSignatureException and 500 InternalFailure whose messages carry the secret key, session token, an Authorization header and a signature',
        expected: 'the person is told what failed; no secret (either account, temporary key or token) or signature in the log, any message or any tree item',
      },
      async () => {
        const org = await acme();
        const liam = await entity(org, 'liam.obrien');
        const events: PermissionUiEvent[] = [];
        const shown: string[] = [];
        const { text } = await captureLog(async () => {
          await freshStart();
          const usersCategory = await categoryNode('acme', 'user');
          await setFaults({ rules: [{ operation: 'ListUsers', error: 'InvalidSignatureException', status: 403, message: ECHO }] });
          const failed = await children(usersCategory);
          const errorItem = byContext(failed, 'error')[0];
          assert.ok(errorItem, 'the refused list shows an error item');
          shown.push(shownText(errorItem));
          assert.match(label(errorItem), /did not accept the credentials/);

          await setFaults({ rules: [{ operation: 'ListMailboxPermissions', error: 'InternalFailure', status: 500, message: ECHO }] });
          usersCategory.refresh();
          const users = mailboxes(await children(usersCategory));
          const mailbox = users.find((node) => node.entity.id === liam.id);
          assert.ok(mailbox, 'liam.obrien is listed');
          const grants = await children(mailbox);
          const grantError = byContext(grants, 'error')[0];
          assert.ok(grantError, 'the failed permission list shows an error item');
          shown.push(shownText(grantError));

          await setFaults({ rules: [{ operation: 'PutMailboxPermissions', error: 'InvalidSignatureException', status: 403, message: ECHO }] });
          await run('workmail.grantPermissions', mailboxNode(org, liam), undefined, { grantee: 'keiko.tanaka', rights: ['SEND_AS'], observe: (event: PermissionUiEvent) => events.push(event) });
        });
        const messages = messagesOf(events);
        assert.ok(messages.some((message) => /error: Could not grant permissions/.test(message)), `the grant failure was shown: ${messages.join(' / ')}`);
        assert.ok(text.includes('InvalidSignatureException'), 'the log names the failures');
        const found = leaks([text, ...messages, ...shown].join('\n'));
        assert.deepEqual(found, [], 'nothing secret anywhere');
        return `log ${text.split('\n').length} lines, ${messages.length} messages, ${shown.length} error items searched; nothing secret found`;
      },
    );
  });
});
