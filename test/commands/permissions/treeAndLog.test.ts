// The commands on the real tree's nodes: the tree shows a change at once even while WorkMail's
// list still lags (and the person is told it lags), and every change is logged without secrets.
import * as assert from 'node:assert/strict';
import type { GranteeNode } from '../../../src/tree/granteeNode';
import type { MailboxNode } from '../../../src/tree/mailboxNode';
import { categoryNode, children, description, label, loadAll, mailboxes } from '../../tree/support';
import { calls, clearCalls } from '../../tree/support';
import { acme, changeOutOfBand, delay, entity, extensionApi, freshStart, Recorder, run, setFaults, truth } from './support';

const GRANT = 'workmail.grantPermissions';
const REVOKE = 'workmail.revokePermissions';

async function userMailbox(displayName: string): Promise<MailboxNode> {
  const users = await loadAll(await categoryNode('acme', 'user'));
  const found = mailboxes(users).find((node) => label(node) === displayName);
  assert.ok(found, `${displayName} is listed under acme's users`);
  return found;
}

describe('Permission commands with the tree and the log', () => {
  beforeEach(async () => {
    await freshStart();
  });

  afterEach(async () => {
    await setFaults({});
  });

  it('while WorkMail still lists the old rights, the tree shows the new ones and the person is told', async () => {
    const org = await acme();
    const keiko = await entity(org, 'keiko.tanaka');
    const liam = await entity(org, 'liam.obrien');
    const mailbox = await userMailbox("Liam O'Brien");
    await children(mailbox);
    await setFaults({ consistencyDelayMs: 60_000 });
    const recorder = new Recorder();

    const result = await run(GRANT, mailbox, [mailbox], { grantee: 'keiko.tanaka', rights: ['SEND_AS'], observe: recorder.observe });

    assert.equal(result.items[0]?.status, 'changed');
    assert.equal(result.items[0]?.verified, false, 'the read-back still shows the old rights');
    assert.deepEqual(await truth(liam.id, keiko.id), ['FULL_ACCESS', 'SEND_AS'], 'the write itself happened');
    assert.match(recorder.messages('warning')[0] ?? '', /does not show it yet: it lists Full access for Keiko Tanaka on .* instead of Full access · Send as/);
    const grantees = (await children(mailbox)) as GranteeNode[];
    const shown = grantees.find((node) => node.grant?.granteeId === keiko.id);
    assert.ok(shown, 'Keiko is still listed under the mailbox');
    assert.match(label(shown), /^Full access · Send as — Keiko Tanaka$/, 'the written rights');
    assert.match(description(shown), /^not yet listed by WorkMail/, 'marked as not listed yet');
  });

  it('a change over an earlier write WorkMail does not list yet waits, unless the person explicitly takes what it lists', async () => {
    const org = await acme();
    const keiko = await entity(org, 'keiko.tanaka');
    const liam = await entity(org, 'liam.obrien');
    const mailbox = await userMailbox("Liam O'Brien");
    await setFaults({ consistencyDelayMs: 60_000 });
    const first = await run(GRANT, mailbox, [mailbox], { grantee: 'keiko.tanaka', rights: ['SEND_AS'] });
    assert.equal(first.items[0]?.verified, false);
    // Someone else puts Keiko back to Full access: WorkMail will never list the Send as written above.
    await changeOutOfBand(liam.id, keiko.id, ['FULL_ACCESS']);
    await setFaults({});
    const recorder = new Recorder();
    const waiting = await run(GRANT, mailbox, [mailbox], { grantee: 'keiko.tanaka', rights: ['SEND_ON_BEHALF'], observe: recorder.observe });
    assert.equal(waiting.items[0]?.errorCode, 'ListLagging', 'by default the person waits for the list');
    assert.match(recorder.questions()[0]?.text ?? '', /WorkMail does not list your last change to Keiko Tanaka/);
    assert.deepEqual(await truth(liam.id, keiko.id), ['FULL_ACCESS']);

    const taken = await run(GRANT, mailbox, [mailbox], { grantee: 'keiko.tanaka', rights: ['SEND_ON_BEHALF'], acceptListed: true });
    assert.equal(taken.items[0]?.status, 'changed');
    assert.deepEqual(taken.items[0]?.before, ['FULL_ACCESS'], 'made on top of what WorkMail lists');
    assert.deepEqual(await truth(liam.id, keiko.id), ['FULL_ACCESS', 'SEND_ON_BEHALF']);
  });

  it('a write whose outcome is unknown marks the grantee in doubt, and a second change to it waits', async () => {
    const org = await acme();
    const keiko = await entity(org, 'keiko.tanaka');
    const liam = await entity(org, 'liam.obrien');
    const mailbox = await userMailbox("Liam O'Brien");
    await children(mailbox);
    // The Put's connection is reset before WorkMail acts: the client cannot tell whether it did.
    await setFaults({ rules: [{ operation: 'PutMailboxPermissions', resetConnection: true, times: 1 }] });
    const recorder = new Recorder();

    const result = await run(GRANT, mailbox, [mailbox], { grantee: 'keiko.tanaka', rights: ['SEND_AS'], observe: recorder.observe });
    assert.equal(result.items[0]?.errorCode, 'InDoubt');
    assert.match(recorder.messages('error').join(' ') + recorder.messages('warning').join(' '), /not known whether WorkMail carried out the change/);
    let grantees: GranteeNode[] = [];
    for (let i = 0; i < 100; i++) {
      grantees = (await children(mailbox)) as GranteeNode[];
      if (grantees.some((node) => node.inDoubt)) break;
      await delay(20);
    }
    const shown = grantees.find((node) => node.grant?.granteeId === keiko.id);
    assert.match(label(shown!), /^Full access — Keiko Tanaka$/);
    assert.match(description(shown!), /^in doubt until /, 'the grantee is marked in doubt');

    await clearCalls();
    const again = await run(GRANT, mailbox, [mailbox], { grantee: 'keiko.tanaka', rights: ['SEND_ON_BEHALF'] });
    assert.equal(again.items[0]?.errorCode, 'InDoubt', 'a change to an in-doubt pair is refused');
    assert.ok(!(await calls()).some((call) => call.operation === 'PutMailboxPermissions'), 'nothing written while in doubt');
    assert.deepEqual(await truth(liam.id, keiko.id), ['FULL_ACCESS']);
  });

  it('when reading back after the write fails, the person is told the write happened but is unconfirmed', async () => {
    const org = await acme();
    const keiko = await entity(org, 'keiko.tanaka');
    const liam = await entity(org, 'liam.obrien');
    const mailbox = await userMailbox("Liam O'Brien");
    await clearCalls();
    // The Put is held long enough to make the read-back fail only after the fresh read went through.
    const slowPut = { operation: 'PutMailboxPermissions', delayMs: 1500 };
    await setFaults({ rules: [slowPut] });
    const recorder = new Recorder();

    const running = run(GRANT, mailbox, [mailbox], { grantee: 'keiko.tanaka', rights: ['SEND_AS'], observe: recorder.observe });
    // The dialog's read and the writer's own fresh read both come before the (held) Put; only the
    // read-back after it may meet the fault.
    for (let i = 0; i < 150 && (await calls('ListMailboxPermissions')).length < 2; i++) {
      await delay(20);
    }
    await setFaults({ rules: [slowPut, { operation: 'ListMailboxPermissions', error: 'AccessDeniedException', status: 400, message: 'Not allowed to list' }] });
    const result = await running;

    assert.equal(result.items[0]?.status, 'changed');
    assert.equal(result.items[0]?.verified, false);
    assert.ok(result.items[0]?.verifyError, 'the read-back failure is carried in the result');
    assert.deepEqual(await truth(liam.id, keiko.id), ['FULL_ACCESS', 'SEND_AS'], 'the write itself happened');
    const warning = recorder.messages('warning')[0] ?? '';
    assert.match(warning, /The change was written \(Full access · Send as for Keiko Tanaka on .*\), but reading it back failed/);
    assert.doesNotMatch(warning, /instead of/, 'it does not claim WorkMail lists something it never read');
  });

  it('logs profile, organization, mailbox, grantee and rights before and after, and no credentials', async () => {
    const org = await acme();
    const carol = await entity(org, 'carol.nguyen');
    const david = await entity(org, 'david.okafor');
    const api = await extensionApi();
    const lines: string[] = [];
    const log = api.services.log;
    const original = log.info.bind(log);
    // Listen to the real channel's input; it still receives every line.
    log.info = (message: string, ...args: unknown[]) => {
      lines.push(message);
      original(message, ...args);
    };
    try {
      await run(REVOKE, { kind: 'grantee', org, mailbox: david, grant: { granteeId: carol.id, granteeType: 'USER', rights: ['FULL_ACCESS'] }, grantee: carol }, undefined, { confirm: true });
    } finally {
      log.info = original;
    }

    const line = lines.find((text) => text.startsWith('revoke:'));
    assert.ok(line, `a revoke line among: ${lines.join(' | ')}`);
    assert.match(line, /profile=emulator/);
    assert.ok(line.includes(`organization=${org.organizationId}`));
    assert.ok(line.includes(`mailbox=${david.id}`));
    assert.ok(line.includes(`grantee=${carol.id} (Carol Nguyen)`));
    assert.match(line, /before=\[FULL_ACCESS\] after=\[\]/);
    assert.doesNotMatch(lines.join('\n'), /AKID|ASIA|secret|Signature=|Authorization/i);
  });
});
