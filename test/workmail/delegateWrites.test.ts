// Booking delegates through the one write path (PermissionWriter, route 'booking-delegate') and
// the one batch engine, with the real SDK against the emulator's sample organization: a fresh read
// before, one Associate or Disassociate, a read-back; a lost answer holds the pair in doubt like a
// lost Put; the last delegate of a resource that does not accept requests automatically goes only
// on an explicit answer; and under each write variant WorkMail's refusal reaches the person.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSeedFile } from '../../emulator/seed';
import { EMULATOR_CREDENTIALS, SAMPLE_ORGS, startEmulator } from '../../emulator/index';
import { applyBatch, type BatchItem } from '../../src/workmail/batch';
import { ConcurrentChangeError, InDoubtError, WorkMailError } from '../../src/workmail/errors';
import { endpointKey, pairKeyId, PendingWriteStore, type PairKey } from '../../src/workmail/pendingWrites';
import { PermissionWriter, type ChangeRequest } from '../../src/workmail/permissions';
import { WorkMailSession } from '../../src/workmail/session';
import { operations, tempPendingStore } from './fixture';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const acme = { organizationId: SAMPLE_ORGS.acme, region: 'us-east-1' };
const sample = readSeedFile('emulator/seeds/sample.json');
const acmeSeed = sample.accounts[0]!.organizations!.find((org) => org.alias === 'acme')!;
const idOf = (name: string): string => [...(acmeSeed.users ?? []), ...(acmeSeed.groups ?? []), ...(acmeSeed.resources ?? [])].find((e) => e.name === name)!.id;
const ATLAS = idOf('room-atlas');
const BOREALIS = idOf('room-borealis');
const TARA = idOf('tara.singh');
const UMAR = idOf('umar.farouk');
const EXECUTIVES = idOf('executives');

describe('booking delegates through the write path and the batch engine', () => {
  let emu: Emulator;
  let session: WorkMailSession;
  let writer: PermissionWriter;
  let store: PendingWriteStore;

  const delegatesOf = (resourceId: string): string[] => (emu.booking(acme.organizationId).find((info) => info.resourceId === resourceId)?.delegates ?? []).map((d) => d.id).sort();
  const request = (overrides: Partial<ChangeRequest> & Pick<ChangeRequest, 'change'>): ChangeRequest => ({
    org: acme,
    route: 'booking-delegate',
    mailboxId: ATLAS,
    mailboxKind: 'resource',
    granteeId: UMAR,
    granteeFromDirectory: true,
    ...overrides,
  });
  const item = (resourceId: string, delegateId: string, add: boolean): BatchItem => ({
    org: acme,
    route: 'booking-delegate',
    mailbox: { id: resourceId, kind: 'resource', name: resourceId },
    mailboxLabel: resourceId,
    grantee: { id: delegateId, type: 'USER', label: delegateId },
    change: add ? { kind: 'grant', add: ['BOOKING_DELEGATE'] } : { kind: 'revoke' },
  });

  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    emu.setFaults({});
    emu.setVariants({});
    session = new WorkMailSession({ endpoint: emu.url, credentials: async () => EMULATOR_CREDENTIALS.default, maxAttempts: 1 });
    store = tempPendingStore();
    writer = new PermissionWriter(session, { store, settleMs: 300, listLagMs: 100 });
    emu.clearCalls();
  });
  afterEach(() => session.dispose());

  it('adds a delegate with one fresh read, one Associate and one read-back, and reads it as BOOKING_DELEGATE', async () => {
    assert.deepEqual(await writer.readRights(acme, ATLAS, UMAR, undefined, 'booking-delegate'), []);
    emu.clearCalls();
    const result = await writer.apply(request({ change: { kind: 'grant', add: ['BOOKING_DELEGATE'] } }));
    assert.deepEqual(result, { before: [], requested: ['BOOKING_DELEGATE'], after: ['BOOKING_DELEGATE'], verified: true, noop: false, mailboxId: ATLAS, granteeId: UMAR });
    assert.deepEqual(operations(emu.calls()), ['ListResourceDelegates', 'AssociateDelegateToResource', 'ListResourceDelegates']);
    assert.deepEqual(delegatesOf(ATLAS), [EXECUTIVES, TARA, UMAR].sort());
  });

  it('removes a delegate while another remains, and makes no call for a delegate that is already so', async () => {
    const removed = await writer.apply(request({ granteeId: TARA, change: { kind: 'revoke' }, expectedBefore: ['BOOKING_DELEGATE'] }));
    assert.deepEqual([removed.before, removed.after, removed.verified], [['BOOKING_DELEGATE'], [], true]);
    assert.deepEqual(delegatesOf(ATLAS), [EXECUTIVES]);
    emu.clearCalls();
    const again = await writer.apply(request({ granteeId: TARA, change: { kind: 'revoke' } }));
    assert.equal(again.noop, true);
    assert.deepEqual(operations(emu.calls()), ['ListResourceDelegates']);
  });

  it('a permission pair and a delegate pair of the same two IDs are separate: a delegate write never touches mailbox permissions', async () => {
    const grantsBefore = JSON.stringify(emu.grants(acme.organizationId));
    await writer.apply(request({ change: { kind: 'grant', add: ['BOOKING_DELEGATE'] } }));
    assert.equal(JSON.stringify(emu.grants(acme.organizationId)), grantsBefore);
    assert.equal(operations(emu.calls()).some((op) => op.includes('MailboxPermissions')), false);
  });

  it('refuses a delegate on a mailbox that is not a resource, and a delegate word in a permission write, before any call', async () => {
    await assert.rejects(writer.apply(request({ mailboxId: TARA, mailboxKind: 'user', change: { kind: 'grant', add: ['BOOKING_DELEGATE'] } })), (err: WorkMailError) => err.code === 'InvalidInput' && /rooms and equipment/.test(err.message));
    await assert.rejects(writer.apply(request({ route: 'permission', mailboxId: TARA, mailboxKind: 'user', change: { kind: 'grant', add: ['BOOKING_DELEGATE'] } })), (err: WorkMailError) => err.code === 'InvalidInput' && /not a mailbox right/.test(err.message));
    await assert.rejects(writer.apply(request({ change: { kind: 'grant', add: ['FULL_ACCESS'] } })), (err: WorkMailError) => err.code === 'InvalidInput');
    // A delegation that lost its route on the way (an undo of an add): never a revoke of the same IDs' permissions.
    await assert.rejects(writer.apply(request({ route: 'permission', change: { kind: 'revoke' }, expectedBefore: ['BOOKING_DELEGATE'] })), (err: WorkMailError) => err.code === 'InvalidInput' && /not a mailbox right/.test(err.message));
    assert.deepEqual(emu.calls(), []);
  });

  it('someone else added the delegate since the person looked: a concurrent change, not a silent write', async () => {
    await assert.rejects(writer.apply(request({ granteeId: TARA, change: { kind: 'grant', add: ['BOOKING_DELEGATE'] }, expectedBefore: [] })), (err: Error) => err instanceof ConcurrentChangeError && err.actual.includes('BOOKING_DELEGATE'));
    assert.equal(operations(emu.calls()).includes('AssociateDelegateToResource'), false);
  });

  it('the last delegate of a resource that does not accept automatically goes only on an explicit answer; the batch asks once', async () => {
    // room-borealis: AutoAcceptRequests false, umar.farouk its only delegate.
    assert.deepEqual(delegatesOf(BOREALIS), [UMAR]);
    await assert.rejects(writer.apply(request({ mailboxId: BOREALIS, change: { kind: 'revoke' } })), (err: WorkMailError) => err.code === 'LeavesResourceUnattended' && /wait for nobody/.test(err.message) && /Nothing was changed/.test(err.message));
    assert.deepEqual(delegatesOf(BOREALIS), [UMAR]);
    assert.equal(operations(emu.calls()).includes('DisassociateDelegateFromResource'), false);

    // Without the hook (a reviewed plan on the command line): failed, nothing written.
    const [refused] = await applyBatch(writer, [item(BOREALIS, UMAR, false)]);
    assert.equal(refused!.status, 'failed');
    assert.equal(refused!.errorCode, 'LeavesResourceUnattended');
    assert.deepEqual(delegatesOf(BOREALIS), [UMAR]);

    // Declined: nothing written. Accepted: removed, and the question was asked once each time.
    const asked: string[] = [];
    const [declined] = await applyBatch(writer, [item(BOREALIS, UMAR, false)], { onLeavesUnattended: async (i) => (asked.push(i.mailbox.id), false) });
    assert.equal(declined!.status, 'failed');
    assert.deepEqual(delegatesOf(BOREALIS), [UMAR]);
    const [accepted] = await applyBatch(writer, [item(BOREALIS, UMAR, false)], { onLeavesUnattended: async (i) => (asked.push(i.mailbox.id), true) });
    assert.equal(accepted!.status, 'changed');
    assert.deepEqual(asked, [BOREALIS, BOREALIS]);
    assert.deepEqual(delegatesOf(BOREALIS), []);
  });

  it('two windows removing the two delegates of a waiting room at once: one goes, the other is refused as the last, never both unasked', async () => {
    const grace = idOf('grace.kim');
    await writer.apply(request({ mailboxId: BOREALIS, granteeId: grace, change: { kind: 'grant', add: ['BOOKING_DELEGATE'] } }));
    const store = tempPendingStore();
    const windows = [0, 1].map(() => new PermissionWriter(session, { store, settleMs: 300, listLagMs: 100 }));
    const results = await Promise.allSettled([
      windows[0]!.apply(request({ mailboxId: BOREALIS, granteeId: UMAR, change: { kind: 'revoke' } })),
      windows[1]!.apply(request({ mailboxId: BOREALIS, granteeId: grace, change: { kind: 'revoke' } })),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    assert.equal((refused.reason as WorkMailError).code, 'LeavesResourceUnattended');
    assert.equal(delegatesOf(BOREALIS).length, 1);
  });

  it('a removal of another delegate that may still land counts as gone: the in-doubt removal of one and the removal of the other never empty the room unasked', async () => {
    const grace = idOf('grace.kim');
    await writer.apply(request({ mailboxId: BOREALIS, granteeId: grace, change: { kind: 'grant', add: ['BOOKING_DELEGATE'] } }));
    // umar's removal is lost on the way: WorkMail still lists umar, but the request may yet arrive.
    emu.setFaults({ rules: [{ operation: 'DisassociateDelegateFromResource', resetConnection: true, times: 1 }] });
    await assert.rejects(writer.apply(request({ mailboxId: BOREALIS, granteeId: UMAR, change: { kind: 'revoke' } })), (err: Error) => err instanceof InDoubtError);
    emu.setFaults({});
    assert.deepEqual(delegatesOf(BOREALIS), [UMAR, grace].sort());
    emu.clearCalls();
    await assert.rejects(
      writer.apply(request({ mailboxId: BOREALIS, granteeId: grace, change: { kind: 'revoke' } })),
      (err: WorkMailError) => err.code === 'LeavesResourceUnattended' && err.message.includes(`the other is ${UMAR} (being removed)`),
    );
    assert.equal(operations(emu.calls()).includes('DisassociateDelegateFromResource'), false);
    // Once umar's removal can no longer arrive, the list decides again: umar is there, grace may go.
    await new Promise((resolve) => setTimeout(resolve, 450));
    const removed = await writer.apply(request({ mailboxId: BOREALIS, granteeId: grace, change: { kind: 'revoke' } }));
    assert.equal(removed.verified, true);
    assert.deepEqual(delegatesOf(BOREALIS), [UMAR]);
  });

  it('a removal WorkMail does not list yet counts as landed: the lagging list never lets the other delegate go unasked', async () => {
    const grace = idOf('grace.kim');
    await writer.apply(request({ mailboxId: BOREALIS, granteeId: grace, change: { kind: 'grant', add: ['BOOKING_DELEGATE'] } }));
    // WorkMail's delegate list lags behind writes (as its permission list can).
    emu.setFaults({ consistencyDelayMs: 60_000 });
    const removed = await writer.apply(request({ mailboxId: BOREALIS, granteeId: grace, change: { kind: 'revoke' } }));
    assert.equal(removed.verified, false, 'written, not listed yet');
    assert.deepEqual(delegatesOf(BOREALIS), [UMAR], 'grace is gone in truth');
    assert.ok((await session.routes.listAllResourceDelegates(acme, BOREALIS)).some((d) => d.id === grace), 'and still listed');
    emu.clearCalls();
    await assert.rejects(
      writer.apply(request({ mailboxId: BOREALIS, granteeId: UMAR, change: { kind: 'revoke' } })),
      (err: WorkMailError) => err.code === 'LeavesResourceUnattended' && err.message.includes(`the other is ${grace} (being removed)`),
    );
    assert.equal(operations(emu.calls()).includes('DisassociateDelegateFromResource'), false);
    assert.deepEqual(delegatesOf(BOREALIS), [UMAR]);
  });

  it('a delegate nobody certainly stands behind does not count: a disabled user, a group (whatever its members)', async () => {
    for (const entity of [TARA, idOf('helpdesk')]) await writer.apply(request({ mailboxId: BOREALIS, granteeId: entity, change: { kind: 'grant', add: ['BOOKING_DELEGATE'] } }));
    emu.setEntityState(acme.organizationId, TARA, 'DISABLED');
    // Under group-delegate-members=no-member a group's members receive nothing, and no call tells.
    await assert.rejects(
      writer.apply(request({ mailboxId: BOREALIS, granteeId: UMAR, change: { kind: 'revoke' } })),
      (err: WorkMailError) => err.code === 'LeavesResourceUnattended' && err.message.includes(`the others are tara.singh (disabled), ${idOf('helpdesk')} (a group: WorkMail does not document that its members receive the requests)`),
    );
    assert.ok(delegatesOf(BOREALIS).includes(UMAR));
    emu.setEntityState(acme.organizationId, TARA, 'ENABLED');
    await writer.apply(request({ mailboxId: BOREALIS, granteeId: UMAR, change: { kind: 'revoke' } }));
    assert.equal(delegatesOf(BOREALIS).includes(UMAR), false);
  });

  it('a removal whose hold on the resource was taken over before it sent sends nothing', async () => {
    const grace = idOf('grace.kim');
    await writer.apply(request({ mailboxId: BOREALIS, granteeId: grace, change: { kind: 'grant', add: ['BOOKING_DELEGATE'] } }));
    const resourceFile = join(store.directory, `${pairKeyId({ endpoint: endpointKey(emu.url, 'us-east-1'), region: 'us-east-1', organizationId: acme.organizationId, mailboxId: BOREALIS, granteeId: '*', route: 'booking-delegate' })}.json`);
    // Another window takes the resource over while this one decides (as after a stall past the stale-lock time).
    class TakenOver extends PendingWriteStore {
      override async peek(key: PairKey) {
        writeFileSync(resourceFile, JSON.stringify({ generation: 99, holder: 'another window' }));
        return super.peek(key);
      }
    }
    const stalled = new PermissionWriter(session, { store: new TakenOver(store.directory), settleMs: 300, listLagMs: 100 });
    emu.clearCalls();
    await assert.rejects(stalled.apply(request({ mailboxId: BOREALIS, granteeId: UMAR, change: { kind: 'revoke' } })), (err: WorkMailError) => err.code === 'PairTakenOver' && /Nothing was changed/.test(err.message));
    assert.equal(operations(emu.calls()).includes('DisassociateDelegateFromResource'), false);
    assert.deepEqual(delegatesOf(BOREALIS), [UMAR, grace].sort());
    // Nothing of it is left in doubt on umar's pair.
    assert.equal((await writer.apply(request({ mailboxId: BOREALIS, granteeId: UMAR, change: { kind: 'revoke' } }))).verified, true);
  });

  it('removing the last delegate of a resource that accepts automatically asks nothing', async () => {
    const projector = idOf('projector-1');
    await writer.apply(request({ mailboxId: projector, change: { kind: 'grant', add: ['BOOKING_DELEGATE'] } }));
    const options = await session.routes.bookingOptions(acme, projector);
    assert.equal(options?.autoAcceptRequests, true);
    const removed = await writer.apply(request({ mailboxId: projector, change: { kind: 'revoke' } }));
    assert.equal(removed.verified, true);
    assert.deepEqual(delegatesOf(projector), []);
  });

  it('a lost answer to Associate holds the pair in doubt (never reported as done or not done), and the next change waits for it', async () => {
    emu.setFaults({ rules: [{ operation: 'AssociateDelegateToResource', resetConnection: 'after', times: 1 }] });
    const result = await writer.apply(request({ change: { kind: 'grant', add: ['BOOKING_DELEGATE'] } }));
    // The write landed and the read-back shows it: done, but held until the request can no longer arrive late.
    assert.ok(result.writeError);
    assert.ok(result.settleAt);
    assert.deepEqual(result.after, ['BOOKING_DELEGATE']);
    await assert.rejects(writer.apply(request({ change: { kind: 'revoke' } })), (err: Error) => err instanceof InDoubtError);
    assert.deepEqual(delegatesOf(ATLAS), [EXECUTIVES, TARA, UMAR].sort());
  });

  it('a reset before WorkMail acts: in doubt, with what WorkMail lists now', async () => {
    emu.setFaults({ rules: [{ operation: 'DisassociateDelegateFromResource', resetConnection: true, times: 1 }] });
    await assert.rejects(writer.apply(request({ granteeId: TARA, change: { kind: 'revoke' } })), (err: Error) => err instanceof InDoubtError && /not known whether WorkMail carried out/.test(err.message));
    assert.deepEqual(delegatesOf(ATLAS), [EXECUTIVES, TARA].sort());
  });

  it('WorkMail refusing a disabled delegate says so, not that the resource accepts automatically', async () => {
    await assert.rejects(
      writer.apply(request({ mailboxId: BOREALIS, granteeId: idOf('william.chen'), change: { kind: 'grant', add: ['BOOKING_DELEGATE'] } })),
      (err: WorkMailError) => err.code === 'EntityStateException' && /the delegate or the resource is disabled or deleted/.test(err.message) && !/automatically/.test(err.message) && /Nothing was changed/.test(err.message),
    );
  });

  for (const [variant, value, run, code] of [
    ['delegate-with-auto-accept', 'refused', (w: PermissionWriter) => w.apply(request({ mailboxId: idOf('projector-1'), change: { kind: 'grant', add: ['BOOKING_DELEGATE'] } })), 'EntityStateException'],
    ['last-delegate-removal', 'refused', (w: PermissionWriter) => w.apply(request({ mailboxId: BOREALIS, change: { kind: 'revoke' }, allowUnattended: true })), 'InvalidConfigurationException'],
  ] as const) {
    it(`under ${variant}=${value}, WorkMail's refusal is the outcome and nothing changed`, async () => {
      emu.setVariants({ [variant]: value });
      const before = JSON.stringify(emu.booking(acme.organizationId));
      await assert.rejects(run(writer), (err: WorkMailError) => err.code === code && /Nothing was changed/.test(err.message) && (code !== 'EntityStateException' || /accepts booking requests automatically: WorkMail may take delegates only once automatic acceptance is off/.test(err.message)));
      assert.equal(JSON.stringify(emu.booking(acme.organizationId)), before);
    });
  }
});
