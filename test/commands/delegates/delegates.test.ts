// Add Booking Delegate… and Remove Booking Delegate in the real extension host, against the
// emulator's sample organization: from the tree's rows, in bulk, from the palette; read back and
// logged through the one batch engine; undone by Undo Last Change; and the question before a
// resource that does not accept requests automatically is left without any delegate.
import * as assert from 'node:assert/strict';
import { acme, admin, clearCalls, calls, delay, entity, extensionApi, freshStart, mailboxNode, Recorder, run, setFaults } from '../permissions/support';
import { categoryNode, children, description, loadAll, mailboxes } from '../../tree/support';
import type { BookingDelegateNode, BookingDelegatesNode } from '../../../src/tree/routeNodes';
import type { DirectoryEntity, Organization } from '../../../src/workmail/types';

const ADD = 'workmail.addBookingDelegate';
const REMOVE = 'workmail.removeBookingDelegate';
const UNDO = 'workmail.undoLastChange';

interface BookingInfo {
  resourceId: string;
  delegates: Array<{ id: string; type: string }>;
}

async function delegatesOf(org: Organization, resource: DirectoryEntity): Promise<string[]> {
  const booking = await admin<BookingInfo[]>('GET', `/organizations/${org.organizationId}/booking`);
  return (booking.find((info) => info.resourceId === resource.id)?.delegates ?? []).map((d) => d.id).sort();
}

function delegateNode(org: Organization, resource: DirectoryEntity, delegate: DirectoryEntity) {
  return { kind: 'bookingDelegate' as const, org, resource, delegate: { id: delegate.id, type: delegate.kind === 'group' ? ('GROUP' as const) : ('USER' as const) }, grantee: delegate };
}

async function delegateWrites(): Promise<string[]> {
  return (await calls()).flatMap((call) => (call.operation === 'AssociateDelegateToResource' || call.operation === 'DisassociateDelegateFromResource' ? [call.operation] : []));
}

describe('Booking delegate commands', () => {
  beforeEach(async () => {
    await freshStart();
  });

  it('adds a delegate from the resource row, reads it back, and Undo removes it again', async () => {
    const org = await acme();
    const atlas = await entity(org, 'room-atlas');
    const umar = await entity(org, 'umar.farouk');
    const before = await delegatesOf(org, atlas);
    const seen = new Recorder();

    const added = await run(ADD, mailboxNode(org, atlas), undefined, { grantee: 'umar.farouk', observe: seen.observe });

    assert.equal(added.outcome, 'done');
    assert.deepEqual(await delegatesOf(org, atlas), [...before, umar.id].sort());
    assert.equal(added.items[0]?.verified, true);
    assert.match(seen.messages('info').join('\n'), /is now a booking delegate of/);
    assert.deepEqual(await delegateWrites(), ['AssociateDelegateToResource']);
    assert.equal((await calls()).some((call) => /MailboxPermissions/.test(call.operation ?? '') && call.operation !== 'ListMailboxPermissions'), false, 'no permission write');

    await clearCalls();
    const asked = new Recorder();
    const undone = await run(UNDO, { confirm: true, observe: asked.observe });
    assert.equal(undone.outcome, 'done');
    assert.match(asked.questions()[0]?.text ?? '', /^Undo the last change: remove Umar Farouk from the booking delegates of room-atlas/);
    assert.doesNotMatch(asked.questions().map((q) => q.text).join('\n'), /give .* back|no rights/);
    assert.deepEqual(await delegatesOf(org, atlas), before);
    assert.deepEqual(await delegateWrites(), ['DisassociateDelegateFromResource']);
  });

  it('adds the same delegate to several resources at once after one confirmation', async () => {
    const org = await acme();
    const atlas = await entity(org, 'room-atlas');
    const projector = await entity(org, 'projector-1');
    const grace = await entity(org, 'grace.kim');
    const nodes = [mailboxNode(org, atlas), mailboxNode(org, projector)];
    const seen = new Recorder();

    const declined = await run(ADD, nodes[0], nodes, { grantee: 'grace.kim', confirm: false, observe: seen.observe });
    assert.equal(declined.outcome, 'cancelled');
    assert.match(seen.questions()[0]?.text ?? '', /booking delegate of 2 resources/);
    assert.deepEqual(await delegateWrites(), []);

    const result = await run(ADD, nodes[0], nodes, { grantee: 'grace.kim', confirm: true });
    assert.equal(result.outcome, 'done');
    assert.ok((await delegatesOf(org, atlas)).includes(grace.id));
    assert.ok((await delegatesOf(org, projector)).includes(grace.id));
  });

  it('refuses a selection of resources of two organizations before asking anything, and writes nothing', async () => {
    const org = await acme();
    const api = await extensionApi();
    const eu = (await api.services.session().listOrganizations('eu-west-1')).find((o) => o.alias === 'acme-eu');
    assert.ok(eu, 'the sample seed has acme-eu');
    const nodes = [mailboxNode(org, await entity(org, 'room-atlas')), mailboxNode(eu, await entity(eu, 'room-liffey'))];
    const seen = new Recorder();
    const refused = await run(ADD, nodes[0], nodes, { grantee: 'grace.kim', confirm: true, observe: seen.observe });
    assert.equal(refused.outcome, 'failed');
    assert.match(seen.messages('error').join('\n'), /belong to different organizations; select rooms or equipment of one organization/);
    assert.deepEqual(seen.questions(), []);
    assert.deepEqual(await delegateWrites(), []);
  });

  it('removes a delegate from its row after a confirmation; declined writes nothing', async () => {
    const org = await acme();
    const atlas = await entity(org, 'room-atlas');
    const tara = await entity(org, 'tara.singh');
    const node = delegateNode(org, atlas, tara);
    const seen = new Recorder();

    const declined = await run(REMOVE, node, undefined, { confirm: false, observe: seen.observe });
    assert.equal(declined.outcome, 'cancelled');
    assert.match(seen.questions()[0]?.text ?? '', /Remove Tara Singh as booking delegate of/);
    assert.ok((await delegatesOf(org, atlas)).includes(tara.id));

    const removed = await run(REMOVE, node, undefined, { confirm: true });
    assert.equal(removed.outcome, 'done');
    assert.equal((await delegatesOf(org, atlas)).includes(tara.id), false);
    assert.deepEqual(await delegateWrites(), ['DisassociateDelegateFromResource']);
  });

  it('a removal whose answer is lost marks the delegate in doubt in the tree, and the next change to it waits', async () => {
    const org = await acme();
    const atlas = await entity(org, 'room-atlas');
    const tara = await entity(org, 'tara.singh');
    const resourceRow = mailboxes(await loadAll(await categoryNode('acme', 'resource'))).find((n) => n.entity.id === atlas.id)!;
    const bookingRow = (await children(resourceRow))[0] as BookingDelegatesNode;
    await children(bookingRow);
    // The connection is reset before WorkMail acts: the client cannot tell whether it did.
    await setFaults({ rules: [{ operation: 'DisassociateDelegateFromResource', resetConnection: true, times: 1 }] });
    try {
      const lost = await run(REMOVE, delegateNode(org, atlas, tara), undefined, { confirm: true });
      assert.equal(lost.items[0]?.errorCode, 'InDoubt');
    } finally {
      await setFaults({});
    }
    let rows: BookingDelegateNode[] = [];
    for (let i = 0; i < 100 && !rows.some((row) => row.inDoubt); i++) {
      rows = (await children((await children(resourceRow))[0]!)) as BookingDelegateNode[];
      if (!rows.some((row) => row.inDoubt)) await delay(20);
    }
    const shown = rows.find((row) => row.delegate.id === tara.id);
    assert.ok(shown, 'Tara is still listed');
    assert.match(description(shown), /^in doubt until /, 'the delegate is marked in doubt');
    await clearCalls();
    const again = await run(REMOVE, delegateNode(org, atlas, tara), undefined, { confirm: true });
    assert.equal(again.items[0]?.errorCode, 'InDoubt', 'a change to an in-doubt delegation is refused');
    assert.deepEqual(await delegateWrites(), [], 'nothing written while in doubt');
  });

  it('a removal WorkMail carried out though its answer was lost: said as a delegation and held, and the tree no longer shows the delegate', async () => {
    const org = await acme();
    const atlas = await entity(org, 'room-atlas');
    const tara = await entity(org, 'tara.singh');
    const resourceRow = mailboxes(await loadAll(await categoryNode('acme', 'resource'))).find((n) => n.entity.id === atlas.id)!;
    await children((await children(resourceRow))[0]!);
    await setFaults({ rules: [{ operation: 'DisassociateDelegateFromResource', resetConnection: 'after', times: 1 }] });
    const seen = new Recorder();
    try {
      const removed = await run(REMOVE, delegateNode(org, atlas, tara), undefined, { confirm: true, observe: seen.observe });
      assert.equal(removed.items[0]?.status, 'changed');
    } finally {
      await setFaults({});
    }
    const told = seen.messages('info').join('\n');
    assert.match(told, /Tara Singh is no longer a booking delegate of room-atlas\. WorkMail's answer was lost on the way, so in case a late copy of the request still arrives, no other change to Tara Singh as booking delegate of room-atlas is made before /);
    assert.doesNotMatch(told, /rights/);
    // Gone for certain (a late copy can only remove her again): no row for her, in doubt or not.
    let rows: BookingDelegateNode[] = [];
    for (let i = 0; i < 100; i++) {
      rows = (await children((await children(resourceRow))[0]!)) as BookingDelegateNode[];
      if (!rows.some((row) => row.delegate.id === tara.id)) break;
      await delay(20);
    }
    assert.deepEqual(rows.filter((row) => row.delegate.id === tara.id), []);
  });

  it('the last delegate of a room that does not accept automatically: asked again, and only "Remove Last Delegate" removes it', async () => {
    const org = await acme();
    const borealis = await entity(org, 'room-borealis');
    const umar = await entity(org, 'umar.farouk');
    const node = delegateNode(org, borealis, umar);
    const seen = new Recorder();

    const kept = await run(REMOVE, node, undefined, { confirm: true, leaveUnattended: false, observe: seen.observe });
    assert.equal(kept.outcome, 'failed');
    const question = seen.questions().find((q) => q.kind === 'leavesUnattended');
    assert.ok(question, 'the question was asked');
    assert.match(question.text, /last booking delegate of/);
    assert.deepEqual(question.choices, ['Remove Last Delegate']);
    assert.deepEqual(await delegatesOf(org, borealis), [umar.id]);
    assert.deepEqual(await delegateWrites(), []);

    const removed = await run(REMOVE, node, undefined, { confirm: true, leaveUnattended: true });
    assert.equal(removed.outcome, 'done');
    assert.deepEqual(await delegatesOf(org, borealis), []);
  });

  it('from the palette: organization, resource and delegate named as options', async () => {
    const org = await acme();
    const atlas = await entity(org, 'room-atlas');
    const executives = await entity(org, 'executives');
    const removed = await run(REMOVE, { organization: 'acme', mailbox: 'room-atlas', grantee: 'executives', confirm: true });
    assert.equal(removed.outcome, 'done');
    assert.equal((await delegatesOf(org, atlas)).includes(executives.id), false);
    const added = await run(ADD, { organization: 'acme', mailbox: 'room-atlas', grantee: 'executives' });
    assert.equal(added.outcome, 'done');
    assert.ok((await delegatesOf(org, atlas)).includes(executives.id));
  });

  it('bad input is refused with what to do, and nothing is written', async () => {
    const org = await acme();
    const alice = await entity(org, 'alice.johnson');
    const seen = new Recorder();
    const notResource = await run(ADD, { organization: 'acme', mailbox: 'alice.johnson', grantee: 'tara.singh', observe: seen.observe });
    assert.equal(notResource.outcome, 'failed');
    assert.match(seen.messages('error').join('\n'), /choose a resource|is a user/);
    const notDelegate = await run(REMOVE, { organization: 'acme', mailbox: 'room-atlas', grantee: alice.email, observe: seen.observe });
    assert.equal(notDelegate.outcome, 'failed');
    assert.match(seen.messages('error').join('\n'), /is not a booking delegate of/);
    assert.deepEqual(await delegateWrites(), []);
  });
});
