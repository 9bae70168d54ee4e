// Regression tests for the write-path holes found by hostile testing (issue "No right lost under
// any interleaving"): each names the failure it reproduces. Real SDK against the emulator.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, promises as fsPromises, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../emulator';
import { ConcurrentChangeError, InDoubtError, WorkMailError } from '../../src/workmail/errors';
import { PendingWriteStore } from '../../src/workmail/pendingWrites';
import { PermissionWriter, type ChangeRequest } from '../../src/workmail/permissions';
import { mergeOwnChange } from '../../src/workmail/rights';
import { WorkMailSession } from '../../src/workmail/session';
import type { Right } from '../../src/workmail/types';
import { ACME, ANA, BOB, DEFAULT_KEYS, seed, staffId, staticCredentials } from './fixture';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `body` with the disk full after `renames` records were written (each record is renamed into place). */
async function withDiskFullAfter<T>(renames: number, body: () => Promise<T>): Promise<T> {
  const original = fsPromises.rename;
  const fsModule = fsPromises as { rename: typeof original };
  let done = 0;
  fsModule.rename = (async (...args: Parameters<typeof original>) => {
    if (++done > renames) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    return original(...args);
  }) as typeof original;
  try {
    return await body();
  } finally {
    fsModule.rename = original;
  }
}

describe('write safety: no right lost under any interleaving', function () {
  this.timeout(30_000);
  let emu: Emulator;
  let directory: string;
  const sessions: WorkMailSession[] = [];

  /** A writer as one window (or the command-line tool) would make it: its own session, the machine's store. */
  const windowWriter = (options: { requestTimeoutMs?: number; settleMs?: number; listLagMs?: number; maxAttempts?: number; staleLockMs?: number } = {}): PermissionWriter => {
    const session = new WorkMailSession({ endpoint: emu.url, credentials: staticCredentials(DEFAULT_KEYS), maxAttempts: options.maxAttempts ?? 4, requestTimeoutMs: options.requestTimeoutMs ?? 5_000 });
    sessions.push(session);
    return new PermissionWriter(session, { store: new PendingWriteStore(directory, { lockWaitMs: 10_000, staleLockMs: options.staleLockMs }), settleMs: options.settleMs ?? 1_500, listLagMs: options.listLagMs ?? 100, throttleBackoffMs: 20 });
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

  it('a held Delete whose answer is lost while another administrator removes the same grant: listed as asked, yet the next change waits for the held Delete', async () => {
    const writer = windowWriter({ requestTimeoutMs: 300, settleMs: 1_200 });
    emu.setFaults({ rules: [{ operation: 'DeleteMailboxPermissions', delayMs: 800, times: 1 }] });
    const revoke = writer.apply(request({ kind: 'revoke' }, { expectedBefore: ['FULL_ACCESS'] }));
    for (let i = 0; i < 200 && emu.writesInFlight().length === 0; i++) await sleep(5);
    // Meanwhile someone else removes the grant too: the list now shows what the held Delete asked for.
    emu.putGrantDirect(ACME.organizationId, ANA, BOB, []);
    const result = await revoke;
    assert.equal(result.verified, true, 'WorkMail lists what was asked for');
    assert.ok(result.settleAt !== undefined, 'and says until when the pair waits');
    const early = await failure(writer.apply(request({ kind: 'grant', add: ['FULL_ACCESS'] }, { expectedBefore: [] })));
    assert.ok(early instanceof InDoubtError, 'a grant now could be undone by the held Delete');
    await heldWritesLanded();
    await sleep(Math.max(0, result.settleAt! - Date.now()) + 30);
    await writer.apply(request({ kind: 'grant', add: ['FULL_ACCESS'] }, { expectedBefore: [] }));
    assert.deepEqual(truth(), ['FULL_ACCESS'], 'the grant made after the window stays');
  });

  it('an in-doubt Delete is not settled early by someone else removing the same grant: the next grant waits for it', async () => {
    const writer = windowWriter({ requestTimeoutMs: 300, settleMs: 1_200 });
    emu.setFaults({ rules: [{ operation: 'DeleteMailboxPermissions', delayMs: 800, times: 1 }] });
    const doubt = await failure(writer.apply(request({ kind: 'revoke' }, { expectedBefore: ['FULL_ACCESS'] })));
    assert.ok(doubt instanceof InDoubtError);
    emu.putGrantDirect(ACME.organizationId, ANA, BOB, []);
    const early = await failure(writer.apply(request({ kind: 'grant', add: ['FULL_ACCESS'] }, { expectedBefore: [] })));
    assert.ok(early instanceof InDoubtError, 'the list showing what the Delete asked for proves nothing');
    await heldWritesLanded();
    assert.deepEqual(emu.writeOverlaps(), []);
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

  describe('found by a hostile review of the write path', () => {
    const inDoubtGrant = async (writer: PermissionWriter): Promise<InDoubtError> => {
      emu.setFaults({ rules: [{ operation: 'PutMailboxPermissions', delayMs: 1_000, times: 1 }] });
      const err = await failure(writer.apply(request({ kind: 'grant', add: ['SEND_AS'] }, { expectedBefore: ['FULL_ACCESS'] })));
      assert.ok(err instanceof InDoubtError, String(err));
      return err;
    };

    it('a read is decisive only after the settle window AND the list lag: a write landing late in the window and listed late is not missed', async () => {
      // Carried out 1.7 s after it was sent (inside a 1.5 s + timeout window), listed 1 s after that.
      emu.setFaults({ consistencyDelayMs: 1_000, rules: [{ operation: 'DeleteMailboxPermissions', delayMs: 1_700, times: 1 }] });
      const doubt = await failure(windowWriter({ requestTimeoutMs: 300, settleMs: 1_500, listLagMs: 1_200 }).apply(request({ kind: 'revoke' }, { expectedBefore: ['FULL_ACCESS'] })));
      assert.ok(doubt instanceof InDoubtError);
      await sleep(Math.max(0, doubt.settleAt - Date.now()) + 30);
      const after = await windowWriter().apply(request({ kind: 'grant', add: ['FULL_ACCESS'] }, { expectedBefore: [] }));
      assert.equal(after.noop, false, 'the read after the window sees the Delete that landed');
      await heldWritesLanded();
      assert.deepEqual(truth(), ['FULL_ACCESS'], 'what the person was last told');
    });

    for (const [what, content] of [
      ['emptied (power lost after the rename)', ''],
      ['cut short', '{"generation":3,"pending":{"state":"in-doub'],
      ['written by a newer version with a state this one does not know', JSON.stringify({ generation: 4, holder: 'x', pending: { state: 'sending', before: [], requested: ['SEND_AS'], at: Date.now() } })],
    ] as const) {
      it(`an unreadable record (${what}) keeps the pair in doubt, never "nothing pending"`, async () => {
        await inDoubtGrant(windowWriter({ requestTimeoutMs: 300, settleMs: 60_000 }));
        const [file] = readdirSync(directory).filter((name) => name.endsWith('.json'));
        writeFileSync(join(directory, file!), content);
        const refused = await failure(windowWriter({ settleMs: 60_000 }).apply(request({ kind: 'revoke' }, { expectedBefore: ['FULL_ACCESS'] })));
        assert.ok(refused instanceof InDoubtError, String(refused));
        assert.match(refused.message, /cannot be read/);
        await heldWritesLanded();
        assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS']);
        assert.deepEqual(emu.writeOverlaps(), []);
      });
    }

    it('a profile that may not read the organization keys the pair as every other profile does', async () => {
      emu.setFaults({ rules: [{ operation: 'DescribeOrganization', error: 'AccessDeniedException', times: 1 }, { operation: 'PutMailboxPermissions', delayMs: 1_000, times: 1 }] });
      const a = windowWriter({ requestTimeoutMs: 300, settleMs: 60_000 });
      await failure(a.apply(request({ kind: 'grant', add: ['SEND_AS'] }, { expectedBefore: ['FULL_ACCESS'] })));
      const refused = await failure(windowWriter({ settleMs: 60_000 }).apply(request({ kind: 'revoke' }, { expectedBefore: ['FULL_ACCESS'] })));
      assert.ok(refused instanceof InDoubtError, String(refused));
      await heldWritesLanded();
      assert.deepEqual(emu.writeOverlaps(), []);
    });

    it('a record that cannot be updated after the write was sent does not turn a landed write into a failure', async () => {
      emu.setFaults({ consistencyDelayMs: 1_000 });
      // Disk full once the write was sent: the claim and the "writing" record are saved (two
      // renames), the outcome ("not listed yet") is not.
      const result = await withDiskFullAfter(2, () => windowWriter().apply(request({ kind: 'grant', add: ['SEND_AS'] }, { expectedBefore: ['FULL_ACCESS'] })));
      assert.equal(result.verified, false, 'written, not listed yet: told as it is');
      assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS']);
      // The record written before the send still guards the pair.
      const next = await failure(windowWriter().apply(request({ kind: 'revoke' })));
      assert.ok(next instanceof InDoubtError, String(next));
    });

    it('a record that cannot be written before the send stops the write and says nothing was changed', async () => {
      emu.clearCalls();
      // The claim is saved (one rename); the "writing" record before the send is not.
      const err = await withDiskFullAfter(1, () => failure(windowWriter().apply(request({ kind: 'grant', add: ['SEND_AS'] }))));
      assert.equal((err as WorkMailError).code, 'PendingStoreUnavailable');
      assert.match((err as WorkMailError).message, /ENOSPC.*Nothing was changed\.$/);
      assert.ok(!emu.calls().some((c) => c.operation === 'PutMailboxPermissions'), 'nothing sent');
      assert.deepEqual(truth(), ['FULL_ACCESS']);
    });

    it('a user whose name looks like an ID is not taken for one: the grant is refused instead of replacing their rights', async () => {
      const service = '00000000-0000-4000-8000-000000000777';
      const document = seed() as unknown as { accounts: Array<{ organizations: Array<{ users: unknown[]; grants: unknown[] }> }> };
      document.accounts[0]!.organizations[0]!.users.push({ id: service, name: 's-1-5-21-42', displayName: 'Service account', email: 'svc@acme.example.com' });
      document.accounts[0]!.organizations[0]!.grants.push({ mailbox: ANA, grantee: service, rights: ['FULL_ACCESS'] });
      emu.reset(document as unknown as Parameters<Emulator['reset']>[0]);
      const err = await failure(windowWriter().apply(request({ kind: 'grant', add: ['SEND_AS'] }, { granteeId: 's-1-5-21-42' })));
      assert.equal((err as WorkMailError).code, 'GranteeNotCanonical');
      assert.match((err as WorkMailError).message, /is the name of the user 00000000-0000-4000-8000-000000000777/);
      assert.deepEqual(emu.grants(ACME.organizationId).find((g) => g.mailboxId === ANA && g.granteeId === service)?.rights, ['FULL_ACCESS']);
    });

    it('a 408 RequestTimeoutException is a timeout, not a refusal: in doubt, never "nothing was changed"', async () => {
      emu.setFaults({ rules: [{ operation: 'PutMailboxPermissions', error: 'RequestTimeoutException', status: 408, times: 1 }] });
      const err = await failure(windowWriter().apply(request({ kind: 'grant', add: ['SEND_AS'] })));
      assert.ok(err instanceof InDoubtError, String(err));
    });

    it('a window stalled past the stale-lock time: the window that takes the stale lock waits instead of writing beside it', async function () {
      this.timeout(60_000);
      const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'support', 'stalledWriter.ts'), emu.url, directory, '4500', '2000'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      const exited = new Promise((resolve) => child.on('exit', resolve));
      for (let i = 0; i < 600 && !output.includes('read'); i++) await sleep(25);
      assert.match(output, /read/, 'the stalled window holds the lock and has read');
      // Every window judges a lock stale by the same time (2 s here, 60 s by default). The stale
      // lock's owner never gave the pair back, so whatever it was doing may still be sent.
      const other = await failure(windowWriter({ staleLockMs: 2_000 }).apply(request({ kind: 'grant', add: ['SEND_ON_BEHALF'] }, { expectedBefore: ['FULL_ACCESS'] })));
      assert.ok(other instanceof InDoubtError, String(other));
      assert.match(other.message, /interrupted before it finished/);
      await exited;
      // The stalled window either finishes its change or, seeing its lock taken, stops unsent; what
      // it says matches what WorkMail holds, and no write overlapped another.
      if (/told \{"verified":true/.test(output)) {
        assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS']);
      } else {
        assert.match(output, /refused PairTakenOver/);
        assert.deepEqual(truth(), ['FULL_ACCESS'], 'nothing written by either window');
      }
      assert.deepEqual(emu.writeOverlaps(), []);
    });

    it('a window that died holding the pair (no release) leaves it in doubt from its last write', async () => {
      // What a killed window leaves: a claim with no "released" mark.
      await windowWriter().apply(request({ kind: 'grant', add: ['SEND_AS'] }));
      const [file] = readdirSync(directory).filter((name) => name.endsWith('.json'));
      const record = JSON.parse(readFileSync(join(directory, file!), 'utf8')) as Record<string, unknown>;
      delete record['released'];
      writeFileSync(join(directory, file!), JSON.stringify(record));
      const refused = await failure(windowWriter({ settleMs: 60_000 }).apply(request({ kind: 'revoke' })));
      assert.ok(refused instanceof InDoubtError, String(refused));
      assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS']);
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
