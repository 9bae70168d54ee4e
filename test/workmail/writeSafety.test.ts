// Regression tests for the write-path holes found by hostile testing (issue "No right lost under
// any interleaving"): each names the failure it reproduces. Real SDK against the emulator.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../emulator';
import { ConcurrentChangeError, InDoubtError, WorkMailError } from '../../src/workmail/errors';
import { PendingWriteStore } from '../../src/workmail/pendingWrites';
import { mergeOwnChange, PermissionWriter, type ChangeRequest } from '../../src/workmail/permissions';
import { WorkMailSession } from '../../src/workmail/session';
import type { Right } from '../../src/workmail/types';
import { ACME, ANA, BOB, DEFAULT_KEYS, seed, staffId, staticCredentials } from './fixture';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('write safety: no right lost under any interleaving', function () {
  this.timeout(30_000);
  let emu: Emulator;
  let directory: string;
  const sessions: WorkMailSession[] = [];

  /** A writer as one window (or the command-line tool) would make it: its own session, the machine's store. */
  const windowWriter = (options: { requestTimeoutMs?: number; settleMs?: number; maxAttempts?: number } = {}): PermissionWriter => {
    const session = new WorkMailSession({ endpoint: emu.url, credentials: staticCredentials(DEFAULT_KEYS), maxAttempts: options.maxAttempts ?? 4, requestTimeoutMs: options.requestTimeoutMs ?? 5_000 });
    sessions.push(session);
    return new PermissionWriter(session, { store: new PendingWriteStore(directory, { lockWaitMs: 10_000 }), settleMs: options.settleMs ?? 1_500, throttleBackoffMs: 20 });
  };
  const truth = (mailbox = ANA, grantee = BOB): Right[] =>
    [...(emu.grants(ACME.organizationId).find((g) => g.mailboxId === mailbox && g.granteeId === grantee)?.rights ?? [])].sort() as Right[];
  const request = (change: ChangeRequest['change'], extra: Partial<ChangeRequest> = {}): ChangeRequest => ({ org: ACME, mailboxId: ANA, mailboxKind: 'user', granteeId: BOB, change, ...extra });
  const failure = (promise: Promise<unknown>): Promise<unknown> =>
    promise.then(
      (value) => assert.fail(`expected a refusal, got ${JSON.stringify(value)}`),
      (err: unknown) => err,
    );
  const heldWritesLanded = async (): Promise<void> => {
    for (let i = 0; i < 200 && emu.writesInFlight().length > 0; i++) await sleep(20);
    assert.deepEqual(emu.writesInFlight(), []);
  };

  before(async () => {
    emu = await startEmulator({ port: 0, seed: seed() });
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    emu.setFaults({});
    emu.clearCalls();
    emu.clearWriteOverlaps();
    directory = mkdtempSync(join(tmpdir(), 'workmail-pending-'));
  });
  afterEach(() => {
    sessions.splice(0).forEach((s) => s.dispose());
  });

  describe('1. a write that lands late, after a later change', () => {
    it('a Put held past the timeout is not re-sent; the pair is in doubt until it settles, and the next grant keeps both rights', async () => {
      const writer = windowWriter({ requestTimeoutMs: 300, settleMs: 1_200 });
      // The service holds the first Put for 800 ms and carries it out after the client gave up.
      emu.setFaults({ rules: [{ operation: 'PutMailboxPermissions', delayMs: 800, times: 1 }] });
      const doubt = await failure(writer.apply(request({ kind: 'grant', add: ['SEND_AS'] })));
      assert.ok(doubt instanceof InDoubtError, String(doubt));
      assert.doesNotMatch(doubt.message, /Nothing was changed/);
      assert.match(doubt.message, /may still be carried out until/);

      const refused = await failure(writer.apply(request({ kind: 'grant', add: ['SEND_ON_BEHALF'] })));
      assert.ok(refused instanceof InDoubtError, 'a change to an in-doubt pair is refused');
      assert.match(refused.message, /Nothing was changed\.$/);

      await heldWritesLanded();
      assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS'], 'the held Put was carried out late');
      await sleep(1_300);
      const second = await writer.apply(request({ kind: 'grant', add: ['SEND_ON_BEHALF'] }));
      assert.deepEqual(second.before, ['FULL_ACCESS', 'SEND_AS']);
      assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF']);
      assert.equal(emu.calls().filter((c) => c.operation === 'PutMailboxPermissions').length, 2, 'one Put per change: no blind re-send');
      assert.deepEqual(emu.writeOverlaps(), []);
    });

    it('a held Delete followed by a restore: the restore waits for the Delete to settle and then puts the rights back', async () => {
      const writer = windowWriter({ requestTimeoutMs: 300, settleMs: 1_200 });
      emu.setFaults({ rules: [{ operation: 'DeleteMailboxPermissions', delayMs: 800, times: 1 }] });
      const doubt = await failure(writer.apply(request({ kind: 'revoke' })));
      assert.ok(doubt instanceof InDoubtError);
      assert.doesNotMatch(doubt.message, /Nothing was changed/, 'never "nothing was changed" while the Delete may land');
      // The undo-style restore comes at once and must not be overtaken by the held Delete.
      const early = await failure(writer.apply(request({ kind: 'set', rights: ['FULL_ACCESS'] }, { expectedBefore: [] })));
      assert.ok(early instanceof InDoubtError);
      await heldWritesLanded();
      assert.deepEqual(truth(), []);
      await sleep(1_300);
      const restored = await writer.apply(request({ kind: 'set', rights: ['FULL_ACCESS'] }, { expectedBefore: [] }));
      assert.equal(restored.verified, true);
      await sleep(200);
      assert.deepEqual(truth(), ['FULL_ACCESS'], 'the restored rights stay');
    });
  });

  describe('2. the memory of unlisted writes outlives the writer', () => {
    it('a grant made while the list lags is not dropped by a new writer (profile switched and back, window reloaded)', async () => {
      emu.setFaults({ consistencyDelayMs: 1_500 });
      const first = await windowWriter().apply(request({ kind: 'grant', add: ['SEND_AS'] }));
      assert.equal(first.verified, false, 'the list does not show it yet');
      // A new session and a new store object over the same folder: what a profile switch or a reload builds.
      const err = await failure(windowWriter().apply(request({ kind: 'grant', add: ['SEND_ON_BEHALF'] })));
      assert.ok(err instanceof WorkMailError);
      assert.equal(err.code, 'ListLagging');
      assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS']);
    });

    it('an undo after the switch does not report "already as requested" over a write the list does not show yet', async () => {
      emu.setFaults({ consistencyDelayMs: 1_500 });
      const first = await windowWriter().apply(request({ kind: 'grant', add: ['SEND_AS'] }));
      const undo = await failure(windowWriter().apply(request({ kind: 'set', rights: first.before }, { expectedBefore: first.requested })));
      assert.ok(undo instanceof WorkMailError);
      assert.equal(undo.code, 'ListLagging');
      await sleep(1_600);
      const undone = await windowWriter().apply(request({ kind: 'set', rights: first.before }, { expectedBefore: first.requested }));
      assert.equal(undone.noop, false);
      await sleep(50);
      emu.setFaults({});
      assert.deepEqual(truth(), ['FULL_ACCESS']);
    });

    it('a person may explicitly take what WorkMail lists over an unlisted write of theirs', async () => {
      emu.setFaults({ consistencyDelayMs: 1_500 });
      await windowWriter().apply(request({ kind: 'grant', add: ['SEND_AS'] }));
      emu.setFaults({});
      // Someone else put it back meanwhile: the list will never show the write.
      emu.putGrantDirect(ACME.organizationId, ANA, BOB, ['FULL_ACCESS']);
      const refused = await failure(windowWriter().apply(request({ kind: 'grant', add: ['SEND_ON_BEHALF'] })));
      assert.equal((refused as WorkMailError).code, 'ListLagging');
      const accepted = await windowWriter().apply(request({ kind: 'grant', add: ['SEND_ON_BEHALF'] }, { acceptListed: true }));
      assert.deepEqual(accepted.before, ['FULL_ACCESS']);
      assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_ON_BEHALF']);
    });
  });

  describe('3. a grantee given by name is not taken for an ID', () => {
    it('a grant to "bob" keeps the Full access Bob has', async () => {
      const result = await windowWriter().apply(request({ kind: 'grant', add: ['SEND_AS'] }, { granteeId: 'bob' }));
      assert.equal(result.granteeId, BOB);
      assert.deepEqual(result.before, ['FULL_ACCESS']);
      assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS']);
    });

    it('a mailbox given by name is resolved too, and a name that names nobody is refused before any write', async () => {
      const result = await windowWriter().apply(request({ kind: 'grant', add: ['SEND_AS'] }, { mailboxId: 'ana' }));
      assert.equal(result.mailboxId, ANA);
      assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS']);
      emu.clearCalls();
      const err = await failure(windowWriter().apply(request({ kind: 'grant', add: ['SEND_AS'] }, { granteeId: 'nobody.here' })));
      assert.equal((err as WorkMailError).code, 'GranteeNotFound');
      assert.match((err as WorkMailError).message, /choose the grantee from the directory/);
      assert.ok(!emu.calls().some((c) => c.operation === 'PutMailboxPermissions' || c.operation === 'DeleteMailboxPermissions'));
    });
  });

  describe('6. two changes to the same grantee never overlap', () => {
    it('two windows granting different rights at once: both rights kept, no write overlapping another', async () => {
      emu.setFaults({ latencyMs: 60 });
      const [a, b] = await Promise.all([
        windowWriter().apply(request({ kind: 'grant', add: ['SEND_AS'] })),
        windowWriter().apply(request({ kind: 'grant', add: ['SEND_ON_BEHALF'] })),
      ]);
      assert.ok(a.verified && b.verified);
      assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF']);
      assert.deepEqual(emu.writeOverlaps(), []);
    });

    it('an edit while a bulk grant to the same grantee runs: the edit reads after the grant, and is told it changed', async () => {
      emu.setFaults({ latencyMs: 40 });
      const writer = windowWriter();
      const bulk = Promise.all([ANA, staffId(1)].map((mailbox) => writer.apply(request({ kind: 'grant', add: ['SEND_AS'] }, { mailboxId: mailbox }))));
      // The edit dialog showed Full access only, and the person removes nothing, adds Send on behalf.
      const edit = writer.apply(request({ kind: 'set', rights: ['FULL_ACCESS', 'SEND_ON_BEHALF'] }, { expectedBefore: ['FULL_ACCESS'] }));
      const [editResult] = await Promise.allSettled([edit, bulk]);
      if (editResult.status === 'rejected') {
        // Serialised behind the grant: the edit sees Send as it did not expect, and writes nothing.
        assert.ok(editResult.reason instanceof ConcurrentChangeError, String(editResult.reason));
        assert.deepEqual(editResult.reason.mine, ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF']);
        assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS']);
      } else {
        // Or ahead of it: the grant then adds to what the edit wrote.
        assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF']);
      }
      assert.deepEqual(emu.writeOverlaps(), []);
    });
  });

  describe('a session closed mid-write (profile switched)', () => {
    it('finishes the write it started and reads it back on the same session, then refuses new work', async () => {
      const writer = windowWriter();
      const session = sessions.at(-1)!;
      emu.setFaults({ rules: [{ operation: 'PutMailboxPermissions', delayMs: 300, times: 1 }] });
      const running = writer.apply(request({ kind: 'grant', add: ['SEND_AS'] }));
      for (let i = 0; i < 200 && !emu.calls().some((c) => c.operation === 'PutMailboxPermissions') && emu.writesInFlight().length === 0; i++) await sleep(5);
      session.dispose();
      const result = await running;
      assert.equal(result.verified, true, 'read back after the close');
      assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS']);
      await assert.rejects(session.listAllGrants(ACME, ANA), (err: WorkMailError) => err.code === 'Disposed');
    });
  });

  describe('7. a concurrent change merges three ways', () => {
    it('adding Send as to what was seen keeps another administrator\'s removal of Send on behalf', async () => {
      emu.putGrantDirect(ACME.organizationId, ANA, BOB, ['FULL_ACCESS', 'SEND_ON_BEHALF']);
      const seen: Right[] = ['FULL_ACCESS', 'SEND_ON_BEHALF'];
      // Meanwhile another administrator removes Send on behalf.
      emu.putGrantDirect(ACME.organizationId, ANA, BOB, ['FULL_ACCESS']);
      const err = await failure(windowWriter().apply(request({ kind: 'set', rights: ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF'] }, { expectedBefore: seen })));
      assert.ok(err instanceof ConcurrentChangeError);
      assert.deepEqual(err.mine, ['FULL_ACCESS', 'SEND_AS'], 'my change: add Send as, nothing else');
      assert.deepEqual(err.exact, ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF'], 'taken literally it would restore the removed right');
      assert.deepEqual(truth(), ['FULL_ACCESS'], 'nothing written before the person chooses');
    });

    it('mergeOwnChange: what I added and removed, applied to what is there now', () => {
      assert.deepEqual(mergeOwnChange({ kind: 'set', rights: ['SEND_AS'] }, ['FULL_ACCESS'], ['FULL_ACCESS', 'SEND_ON_BEHALF']), ['SEND_AS', 'SEND_ON_BEHALF']);
      assert.deepEqual(mergeOwnChange({ kind: 'revoke' }, ['SEND_AS'], ['SEND_AS', 'FULL_ACCESS']), ['FULL_ACCESS']);
      assert.deepEqual(mergeOwnChange({ kind: 'grant', add: ['SEND_AS'] }, [], ['FULL_ACCESS']), ['FULL_ACCESS', 'SEND_AS']);
    });
  });
});
