import * as assert from 'node:assert/strict';
import { startEmulator } from '../../emulator/index';
import { CancelledError, ConcurrentChangeError, WorkMailError } from '../../src/workmail/errors';
import { PermissionWriter, type ChangeRequest } from '../../src/workmail/permissions';
import { WorkMailSession } from '../../src/workmail/session';
import type { Right } from '../../src/workmail/types';
import { ACME, ANA, BOB, CAROL, DEFAULT_KEYS, GHOST, SALES, SHARED, operations, paramsOf, seed, staffId, staticCredentials, tempPendingStore } from './fixture';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe('PermissionWriter against the emulator', () => {
  let emu: Emulator;
  let session: WorkMailSession;
  let writer: PermissionWriter;

  /** What WorkMail really holds for the grantee on the mailbox. */
  const truth = (mailboxId: string, granteeId: string): Right[] =>
    emu.grants(ACME.organizationId).find((g) => g.mailboxId === mailboxId && g.granteeId === granteeId)?.rights ?? [];

  const request = (overrides: Partial<ChangeRequest> & Pick<ChangeRequest, 'change'>): ChangeRequest => ({
    org: ACME,
    mailboxId: ANA,
    mailboxKind: 'user',
    granteeId: BOB,
    ...overrides,
  });

  before(async () => {
    emu = await startEmulator({ port: 0, seed: seed() });
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(async () => {
    emu.reset();
    emu.setFaults({});
    session = new WorkMailSession({ endpoint: emu.url, credentials: staticCredentials(DEFAULT_KEYS), maxAttempts: 1 });
    writer = new PermissionWriter(session, { store: tempPendingStore(), settleMs: 300, listLagMs: 100 });
    emu.clearCalls();
  });
  afterEach(() => session.dispose());

  it('reads one grantee\'s rights fresh, [] when it has none', async () => {
    assert.deepEqual(await writer.readRights(ACME, ANA, BOB), ['FULL_ACCESS']);
    assert.deepEqual(await writer.readRights(ACME, ANA, CAROL), []);
  });

  it('granting Send as to a Full access holder keeps both, in one List, one Put and one verifying List', async () => {
    const result = await writer.apply(request({ change: { kind: 'grant', add: ['SEND_AS'] } }));
    assert.deepEqual(truth(ANA, BOB), ['FULL_ACCESS', 'SEND_AS']);
    assert.deepEqual(result, { before: ['FULL_ACCESS'], requested: ['FULL_ACCESS', 'SEND_AS'], after: ['FULL_ACCESS', 'SEND_AS'], verified: true, noop: false, mailboxId: ANA, granteeId: BOB });
    const calls = emu.calls();
    assert.deepEqual(operations(calls), ['ListMailboxPermissions', 'PutMailboxPermissions', 'ListMailboxPermissions']);
    assert.deepEqual(paramsOf(calls[1]), { OrganizationId: ACME.organizationId, EntityId: ANA, GranteeId: BOB, PermissionValues: ['FULL_ACCESS', 'SEND_AS'] });
  });

  it('grants to a new grantee', async () => {
    const result = await writer.apply(request({ granteeId: staffId(3), change: { kind: 'grant', add: ['SEND_ON_BEHALF'] } }));
    assert.deepEqual(result.before, []);
    assert.deepEqual(truth(ANA, staffId(3)), ['SEND_ON_BEHALF']);
    assert.equal(result.verified, true);
  });

  it('a grant to a grantee the mailbox does not list proves the ID with one Describe, unless it came from the directory', async () => {
    await writer.apply(request({ granteeId: staffId(4), change: { kind: 'grant', add: ['SEND_AS'] } }));
    assert.deepEqual(operations(emu.calls()), ['ListMailboxPermissions', 'DescribeUser', 'PutMailboxPermissions', 'ListMailboxPermissions']);
    emu.clearCalls();
    await writer.apply(request({ granteeId: staffId(5), change: { kind: 'grant', add: ['SEND_AS'] }, granteeFromDirectory: true }));
    assert.deepEqual(operations(emu.calls()), ['ListMailboxPermissions', 'PutMailboxPermissions', 'ListMailboxPermissions']);
  });

  it('finds the grantee on a later page of a long list before merging', async () => {
    // staff25 is listed after the first 100 grantees of the shared mailbox.
    const result = await writer.apply(request({ mailboxId: SHARED, granteeId: staffId(25), change: { kind: 'grant', add: ['FULL_ACCESS'] } }));
    assert.deepEqual(result.before, ['SEND_AS']);
    assert.deepEqual(truth(SHARED, staffId(25)), ['FULL_ACCESS', 'SEND_AS']);
  });

  it('set replaces exactly', async () => {
    const result = await writer.apply(request({ change: { kind: 'set', rights: ['SEND_ON_BEHALF', 'SEND_AS'] } }));
    assert.deepEqual(truth(ANA, BOB), ['SEND_AS', 'SEND_ON_BEHALF']);
    assert.deepEqual(result.requested, ['SEND_AS', 'SEND_ON_BEHALF']);
  });

  it('set [] deletes and never sends an empty Put', async () => {
    const result = await writer.apply(request({ change: { kind: 'set', rights: [] } }));
    assert.deepEqual(truth(ANA, BOB), []);
    assert.deepEqual(operations(emu.calls()), ['ListMailboxPermissions', 'DeleteMailboxPermissions', 'ListMailboxPermissions']);
    assert.deepEqual(paramsOf(emu.calls()[1]), { OrganizationId: ACME.organizationId, EntityId: ANA, GranteeId: BOB });
    assert.deepEqual(result.after, []);
    assert.equal(result.verified, true);
  });

  it('revoke deletes', async () => {
    await writer.apply(request({ granteeId: SALES, change: { kind: 'revoke' } }));
    assert.deepEqual(truth(ANA, SALES), []);
    assert.ok(!operations(emu.calls()).includes('PutMailboxPermissions'));
    assert.ok(operations(emu.calls()).includes('DeleteMailboxPermissions'));
  });

  it('can revoke a grantee that is no longer in the directory', async () => {
    await writer.apply(request({ granteeId: GHOST, change: { kind: 'revoke' } }));
    assert.deepEqual(truth(ANA, GHOST), []);
  });

  it('writes nothing when the rights changed since the person looked, and says what they are now', async () => {
    emu.putGrantDirect(ACME.organizationId, ANA, BOB, ['FULL_ACCESS', 'SEND_ON_BEHALF']);
    emu.clearCalls();
    await assert.rejects(
      writer.apply(request({ change: { kind: 'set', rights: ['SEND_AS'] }, expectedBefore: ['FULL_ACCESS'] })),
      (err: unknown) => {
        assert.ok(err instanceof ConcurrentChangeError);
        assert.deepEqual(err.expected, ['FULL_ACCESS']);
        assert.deepEqual(err.actual, ['FULL_ACCESS', 'SEND_ON_BEHALF']);
        return true;
      },
    );
    assert.deepEqual(operations(emu.calls()), ['ListMailboxPermissions']);
    assert.deepEqual(truth(ANA, BOB), ['FULL_ACCESS', 'SEND_ON_BEHALF']);

    // Asked again with what is there now, the change goes through.
    const retried = await writer.apply(request({ change: { kind: 'set', rights: ['SEND_AS'] }, expectedBefore: ['SEND_ON_BEHALF', 'FULL_ACCESS'] }));
    assert.equal(retried.verified, true);
    assert.deepEqual(truth(ANA, BOB), ['SEND_AS']);
  });

  it('refuses Full access on a group mailbox before any call', async () => {
    for (const change of [{ kind: 'grant', add: ['FULL_ACCESS'] }, { kind: 'set', rights: ['SEND_AS', 'FULL_ACCESS'] }] as const) {
      await assert.rejects(
        writer.apply(request({ mailboxId: SALES, mailboxKind: 'group', granteeId: ANA, change })),
        (err: WorkMailError) => err.code === 'FullAccessOnGroup' && /groups have no mailbox/.test(err.message),
      );
    }
    assert.equal(emu.calls().length, 0);
    // Sending rights on a group are fine.
    await writer.apply(request({ mailboxId: SALES, mailboxKind: 'group', granteeId: BOB, change: { kind: 'grant', add: ['SEND_ON_BEHALF'] } }));
    assert.deepEqual(truth(SALES, BOB), ['SEND_ON_BEHALF']);
  });

  it('does not write when nothing would change', async () => {
    const granted = await writer.apply(request({ change: { kind: 'grant', add: ['FULL_ACCESS'] } }));
    const same = await writer.apply(request({ change: { kind: 'set', rights: ['FULL_ACCESS'] } }));
    const revokeNothing = await writer.apply(request({ granteeId: CAROL, change: { kind: 'revoke' } }));
    for (const result of [granted, same, revokeNothing]) {
      assert.equal(result.noop, true);
      assert.equal(result.verified, true);
    }
    assert.deepEqual(operations(emu.calls()), ['ListMailboxPermissions', 'ListMailboxPermissions', 'ListMailboxPermissions']);
  });

  it('reports an unverified write while List still lags, and the change shows once it catches up', async () => {
    emu.setFaults({ consistencyDelayMs: 400 });
    const result = await writer.apply(request({ change: { kind: 'grant', add: ['SEND_AS'] } }));
    assert.equal(result.verified, false);
    assert.deepEqual(result.after, ['FULL_ACCESS']);
    assert.deepEqual(result.requested, ['FULL_ACCESS', 'SEND_AS']);
    assert.deepEqual(truth(ANA, BOB), ['FULL_ACCESS', 'SEND_AS']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(await writer.readRights(ACME, ANA, BOB), ['FULL_ACCESS', 'SEND_AS']);
  });

  it('reports a write whose read-back failed as unverified, not as failed', async () => {
    // The Put is held at the emulator; while it is, the verifying List is made to fail.
    emu.setFaults({ rules: [{ operation: 'PutMailboxPermissions', delayMs: 300 }] });
    const pending = writer.apply(request({ change: { kind: 'grant', add: ['SEND_AS'] } }));
    while (!operations(emu.calls()).includes('ListMailboxPermissions')) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.deepEqual(operations(emu.calls()), ['ListMailboxPermissions'], 'the first List is done and the Put is held');
    emu.setFaults({ rules: [{ operation: 'ListMailboxPermissions', error: 'InternalFailure', status: 500 }] });
    const result = await pending;
    assert.equal(result.verified, false);
    assert.ok(result.verifyError instanceof WorkMailError);
    assert.equal(result.verifyError.retryable, true);
    assert.deepEqual(truth(ANA, BOB), ['FULL_ACCESS', 'SEND_AS']);
  });

  it('explains a Put refused because the grantee is disabled, and leaves rights alone', async () => {
    emu.setEntityState(ACME.organizationId, CAROL, 'DELETED');
    emu.clearCalls();
    await assert.rejects(writer.apply(request({ granteeId: CAROL, change: { kind: 'grant', add: ['SEND_AS'] } })), (err: WorkMailError) => {
      assert.equal(err.code, 'EntityStateException');
      assert.match(err.message, /disabled or deleted/);
      assert.match(err.message, new RegExp(CAROL));
      return true;
    });
    assert.deepEqual(truth(ANA, CAROL), []);
  });

  it('refuses a grantee given by email or by a differently spelled ID, without writing', async () => {
    await assert.rejects(writer.apply(request({ granteeId: 'bob@acme.example.com', change: { kind: 'grant', add: ['SEND_AS'] } })), (err: WorkMailError) => err.code === 'GranteeNotCanonical');
    assert.equal(emu.calls().length, 0);
    await assert.rejects(writer.apply(request({ granteeId: SALES.toLowerCase(), change: { kind: 'grant', add: ['SEND_ON_BEHALF'] } })), (err: WorkMailError) => err.code === 'GranteeNotCanonical');
    assert.deepEqual(operations(emu.calls()), ['ListMailboxPermissions']);
    assert.deepEqual(truth(ANA, SALES), ['SEND_AS']);
  });

  it('writes without reading the organization\'s account; the account (for undo) is read once per session', async () => {
    const fresh = new WorkMailSession({ endpoint: emu.url, credentials: staticCredentials(DEFAULT_KEYS), maxAttempts: 1 });
    const freshWriter = new PermissionWriter(fresh, { store: tempPendingStore(), settleMs: 300, listLagMs: 100 });
    await freshWriter.apply(request({ change: { kind: 'grant', add: ['SEND_AS'] } }));
    assert.ok(!operations(emu.calls()).includes('DescribeOrganization'), 'the pair is keyed by organization ID, which names one account');
    assert.equal(await fresh.accountOf(ACME), '111111111111');
    assert.equal(await fresh.accountOf(ACME), '111111111111');
    assert.equal(operations(emu.calls()).filter((op) => op === 'DescribeOrganization').length, 1);
    fresh.dispose();
  });

  it('stops before writing when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(writer.apply(request({ change: { kind: 'revoke' }, signal: controller.signal })), CancelledError);
    assert.equal(emu.calls().length, 0);
    assert.deepEqual(truth(ANA, BOB), ['FULL_ACCESS']);
  });
});
