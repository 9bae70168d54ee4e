import assert from 'node:assert/strict';
import { readSeedFile } from '../../emulator/seed';
import { PermissionWriter } from '../../src/workmail/permissions';
import { tempPendingStore } from './fixture';
import { collectScan } from '../../src/workmail/scan';
import { cleanUpStaleGrants, findStaleGrants, undoCleanup, type StaleGrant } from '../../src/workmail/stale';
import { FIXTURE_ORG, FIXTURE_SEED_PATH, startWorld, type Running } from './auditWorld';

const ANA = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';
const CAROL = '00000000-0000-4000-8000-00000000000c';
const DAVE = '00000000-0000-4000-8000-00000000000d';
const GHOST = '99999999-0000-4000-8000-000000000999';
const ORG_ID = FIXTURE_ORG.organizationId;

describe('stale grants (real SDK against the emulator)', function () {
  this.timeout(30_000);
  let running: Running;
  let writer: PermissionWriter;

  beforeEach(async () => {
    running = await startWorld(readSeedFile(FIXTURE_SEED_PATH));
    writer = new PermissionWriter(running.session, { store: tempPendingStore(), settleMs: 300, listLagMs: 100 });
  });
  afterEach(async () => {
    await running.stop();
  });

  async function stale(): Promise<StaleGrant[]> {
    const snapshot = await collectScan(running.session, FIXTURE_ORG);
    return findStaleGrants(snapshot.grants);
  }
  const summary = (items: readonly StaleGrant[]) => items.map((s) => [s.record.mailbox.id, s.record.granteeId, s.reasons.join(',')]).sort();
  const rightsOf = (mailboxId: string, granteeId: string) => running.emu.grants(ORG_ID).find((g) => g.mailboxId === mailboxId && g.granteeId === granteeId)?.rights;

  it('finds grants to disabled, deleted and unknown grantees, and grants on disabled mailboxes; nothing else', async () => {
    assert.deepEqual(summary(await stale()), [
      [BOB, CAROL, 'grantee-disabled'],
      [BOB, DAVE, 'grantee-deleted'],
      [BOB, GHOST, 'grantee-unknown'],
      [CAROL, ANA, 'mailbox-disabled'],
    ].sort());
  });

  it('revokes through the safe write path and reports each item: what WorkMail allows goes, what it refuses stays, with the reason', async () => {
    const items = await stale();
    const progress: number[] = [];
    const results = await cleanUpStaleGrants(writer, items, { directory: running.session, onProgress: (done) => progress.push(done) });
    assert.deepEqual(progress, [1, 2, 3, 4]);
    const byGrantee = new Map(results.map((r) => [`${r.item.record.mailbox.id}|${r.item.record.granteeId}`, r]));
    const ghost = byGrantee.get(`${BOB}|${GHOST}`)!;
    assert.equal(ghost.status, 'succeeded');
    assert.deepEqual(ghost.before, ['SEND_ON_BEHALF'], 'the rights it had, for an undo');
    assert.equal(rightsOf(BOB, GHOST), undefined, 'really removed in WorkMail');
    for (const [mailbox, grantee] of [[BOB, CAROL], [BOB, DAVE], [CAROL, ANA]] as const) {
      const result = byGrantee.get(`${mailbox}|${grantee}`)!;
      assert.equal(result.status, 'failed');
      assert.equal(result.error?.code, 'EntityStateException');
      assert.match(result.reason ?? '', /disabled or deleted/);
      assert.ok(rightsOf(mailbox, grantee), 'left as it was');
    }
    const deletes = running.emu.calls().filter((c) => c.operation === 'DeleteMailboxPermissions');
    assert.equal(deletes.length, 4);
    assert.equal(running.emu.calls().filter((c) => c.operation === 'PutMailboxPermissions').length, 0, 'a revoke never writes rights');
  });

  it('leaves a grant that changed since the scan alone and says so', async () => {
    const items = (await stale()).filter((s) => s.record.granteeId === GHOST);
    running.emu.putGrantDirect(ORG_ID, BOB, GHOST, ['FULL_ACCESS', 'SEND_ON_BEHALF']);
    const [result] = await cleanUpStaleGrants(writer, items, { directory: running.session });
    assert.equal(result!.status, 'failed');
    assert.equal(result!.error?.code, 'ConcurrentChange');
    assert.deepEqual(rightsOf(BOB, GHOST), ['FULL_ACCESS', 'SEND_ON_BEHALF']);
  });

  it('does nothing once cancelled', async () => {
    const items = await stale();
    running.emu.clearCalls();
    const controller = new AbortController();
    controller.abort();
    const results = await cleanUpStaleGrants(writer, items, { directory: running.session, signal: controller.signal });
    assert.deepEqual(results.map((r) => r.status), ['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    assert.equal(running.emu.calls().length, 0);
  });

  it('leaves alone a grantee enabled again between the scan and the clean-up, and says so', async () => {
    const items = (await stale()).filter((s) => s.record.granteeId === CAROL);
    running.emu.setEntityState(ORG_ID, CAROL, 'ENABLED');
    running.emu.clearCalls();
    const results = await cleanUpStaleGrants(writer, items, { directory: running.session });
    assert.equal(results[0]!.status, 'not-stale');
    assert.match(results[0]!.reason ?? '', /no longer stale/);
    assert.deepEqual(rightsOf(BOB, CAROL), ['SEND_AS'], 'the grant to a grantee who is no longer stale is kept');
    assert.ok(!running.emu.calls().some((c) => c.operation === 'DeleteMailboxPermissions'));
  });

  it('leaves alone a grantee unknown at scan time that the directory knows now', async () => {
    const items = (await stale()).filter((s) => s.record.granteeId === GHOST);
    // As if the look-up at scan time had missed it: the fresh look-up finds Ana under that ID.
    const directory = {
      describeEntity: running.session.describeEntity.bind(running.session),
      findEntity: async () => ({ id: GHOST, kind: 'user' as const, name: 'ghost', state: 'ENABLED' as const }),
    };
    const results = await cleanUpStaleGrants(writer, items, { directory });
    assert.equal(results[0]!.status, 'not-stale');
    assert.ok(rightsOf(BOB, GHOST));
  });

  it('an undo puts back exactly the rights it removed', async () => {
    // The emulator refuses writes involving a disabled grantee, so Carol is enabled for the write
    // while the look-up just before it still reports her as the scan saw her (disabled).
    const items = (await stale()).filter((s) => s.record.granteeId === CAROL);
    const asScanned = {
      describeEntity: async (_org: unknown, id: string) => (id === CAROL ? items[0]!.record.grantee! : items[0]!.record.mailbox),
      findEntity: async () => undefined,
    };
    running.emu.setEntityState(ORG_ID, CAROL, 'ENABLED');
    const results = await cleanUpStaleGrants(writer, items, { directory: asScanned });
    assert.equal(results[0]!.status, 'succeeded');
    assert.equal(rightsOf(BOB, CAROL), undefined);
    const undone = await undoCleanup(writer, results);
    assert.deepEqual(undone.map((u) => u.status), ['succeeded']);
    assert.deepEqual(rightsOf(BOB, CAROL), ['SEND_AS']);
  });
});

describe('stale grants: a grantee listed in two rows', () => {
  it('becomes one item whose rights are the union, as the writer reads them', () => {
    const org = { region: 'us-east-1', organizationId: 'm-00000000000000000000000000000001' };
    const mailbox = { id: 'mailbox-1', kind: 'user' as const, name: 'ann', state: 'ENABLED' as const };
    const row = (rights: Array<'FULL_ACCESS' | 'SEND_AS'>) => ({ type: 'grant' as const, org, mailbox, granteeId: 'gone-1', granteeType: 'USER' as const, grantee: null, rights });
    const stale = findStaleGrants([row(['SEND_AS']), row(['FULL_ACCESS'])]);
    assert.equal(stale.length, 1);
    assert.deepEqual([...(stale[0]?.record.rights ?? [])], ['FULL_ACCESS', 'SEND_AS']);
    assert.deepEqual(stale[0]?.reasons, ['grantee-unknown']);
  });
});
