import assert from 'node:assert/strict';
import { readSeedFile } from '../../emulator/seed';
import { collectScan } from '../../src/workmail/scan';
import { currentStaleReasons, findStaleGrants, type StaleGrant } from '../../src/workmail/stale';
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

  beforeEach(async () => {
    running = await startWorld(readSeedFile(FIXTURE_SEED_PATH));
  });
  afterEach(async () => {
    await running.stop();
  });

  async function stale(): Promise<StaleGrant[]> {
    const snapshot = await collectScan(running.session, FIXTURE_ORG);
    return findStaleGrants(snapshot.grants);
  }
  const summary = (items: readonly StaleGrant[]) => items.map((s) => [s.record.mailbox.id, s.record.granteeId, s.reasons.join(',')]).sort();

  it('finds grants to disabled, deleted and unknown grantees, and grants on disabled mailboxes; nothing else', async () => {
    assert.deepEqual(summary(await stale()), [
      [BOB, CAROL, 'grantee-disabled'],
      [BOB, DAVE, 'grantee-deleted'],
      [BOB, GHOST, 'grantee-unknown'],
      [CAROL, ANA, 'mailbox-disabled'],
    ].sort());
  });

  it('checked again just before a revoke: still stale as scanned', async () => {
    const items = await stale();
    for (const item of items) {
      assert.deepEqual(await currentStaleReasons(running.session, item.record), [...item.reasons], `${item.record.mailbox.id} <- ${item.record.granteeId}`);
    }
  });

  it('checked again: a grantee enabled since the scan is no longer stale, and neither are grants on its mailbox', async () => {
    const items = await stale();
    running.emu.setEntityState(ORG_ID, CAROL, 'ENABLED');
    const carolGrantee = items.find((s) => s.record.granteeId === CAROL)!;
    const onCarolsMailbox = items.find((s) => s.record.mailbox.id === CAROL)!;
    assert.deepEqual(await currentStaleReasons(running.session, carolGrantee.record), []);
    assert.deepEqual(await currentStaleReasons(running.session, onCarolsMailbox.record), []);
  });

  it('checked again: a grantee unknown at scan time that the directory knows now is no longer stale', async () => {
    const ghost = (await stale()).find((s) => s.record.granteeId === GHOST)!;
    const directory = {
      describeEntity: running.session.describeEntity.bind(running.session),
      findEntity: async () => ({ id: GHOST, kind: 'user' as const, name: 'ghost', state: 'ENABLED' as const }),
    };
    assert.deepEqual(await currentStaleReasons(directory, ghost.record), []);
    assert.deepEqual(await currentStaleReasons(running.session, ghost.record), ['grantee-unknown']);
  });

  it('checked again: a mailbox gone altogether counts as deleted', async () => {
    const item = (await stale()).find((s) => s.record.granteeId === CAROL)!;
    const directory = { describeEntity: async () => undefined, findEntity: async () => undefined };
    assert.ok((await currentStaleReasons(directory, item.record)).includes('mailbox-deleted'));
  });
});

describe('stale grants: a grantee listed in two rows', () => {
  it('becomes one item whose rights are the union, as the writer reads them', () => {
    const org = { region: 'us-east-1', organizationId: 'm-00000000000000000000000000000001' };
    const mailbox = { id: 'mailbox-1', kind: 'user' as const, name: 'ann', state: 'ENABLED' as const };
    const row = (rights: Array<'FULL_ACCESS' | 'SEND_AS'>) => ({ type: 'grant' as const, org, mailbox, granteeId: 'gone-1', granteeType: 'USER' as const, grantee: null, rights, readAt: new Date() });
    const stale = findStaleGrants([row(['SEND_AS']), row(['FULL_ACCESS'])]);
    assert.equal(stale.length, 1);
    assert.deepEqual([...(stale[0]?.record.rights ?? [])], ['FULL_ACCESS', 'SEND_AS']);
    assert.deepEqual(stale[0]?.reasons, ['grantee-unknown']);
  });
});
