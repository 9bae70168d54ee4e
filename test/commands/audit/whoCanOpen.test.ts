// Who Can Open This Mailbox… in the extension: the report of every route into one mailbox, from the
// tree's node or the palette, with the archiver reaching the chief executive only through her
// delegates, a room's booking delegates and options, and what an access rule denies.
import * as assert from 'node:assert/strict';
import type { WhoCanOpenResult } from '../../../src/commands/audit';
import { mailboxNode } from '../permissions/support';
import { acme, entity, freshStart, Recorder, runCommand, setFaults } from './support';

const WHO = 'workmail.whoCanOpen';

describe('Who Can Open This Mailbox…', () => {
  beforeEach(async () => {
    await freshStart();
  });
  afterEach(async () => {
    await setFaults({});
  });

  it('the chief executive from her tree row: people with their paths, and applications only through someone who can open it', async () => {
    const org = await acme();
    const alice = await entity(org, 'alice.johnson');
    const recorder = new Recorder();
    const result = await runCommand<WhoCanOpenResult>(WHO, mailboxNode(org, alice), undefined, { open: false, rescan: true, observe: recorder.observe });
    assert.equal(result.outcome, 'done', result.reason);
    const texts = (result.routes ?? []).map((route) => route.text);
    assert.ok(texts.some((text) => /^Tara Singh .*Full access/.test(text)), texts.join('\n'));
    const archiver = texts.filter((text) => text.startsWith('application "Mail archiver"'));
    assert.ok(archiver.length > 0, 'the archiver reaches her');
    assert.ok(archiver.every((text) => text.includes('via impersonating')), 'never as her own self: a DENY rule names her');
    assert.match(result.text ?? '', /^## Applications \(impersonation roles\)$/m);
    assert.match(recorder.messages('info')[0] ?? '', /Alice Johnson: \d+ people and \d+ applications can use it/);
  });

  it('a room from the palette: its booking options and delegates, and the IMAP denial WorkMail names', async () => {
    const result = await runCommand<WhoCanOpenResult>(WHO, { organization: 'acme', entity: 'room-atlas', open: false });
    assert.equal(result.outcome, 'done', result.reason);
    assert.match(result.text ?? '', /^- Booking: Accepts automatically/m);
    const delegates = (result.routes ?? []).filter((route) => route.route === 'bookingDelegate');
    assert.ok(delegates.some((route) => route.text.startsWith('Tara Singh')), delegates.map((d) => d.text).join('\n'));
    assert.ok(delegates.some((route) => route.text.includes('via executives')), 'a group delegate expanded');
    assert.ok(delegates.every((route) => route.deniedBy.some((mark) => mark.startsWith('IMAP ') && mark.endsWith('imap-office-only'))));
  });

  it('says what it could not read, and the answer is partial', async () => {
    await setFaults({ rules: [{ operation: 'ListAccessControlRules', error: 'InternalFailure', status: 500 }] });
    const result = await runCommand<WhoCanOpenResult>(WHO, { organization: 'acme', entity: 'olivia.brown', open: false, rescan: true });
    assert.equal(result.outcome, 'partial');
    assert.match(result.text ?? '', /## Not read\n\n- the access rules/);
  });
});
