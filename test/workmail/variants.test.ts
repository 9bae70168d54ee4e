// The product's access layer under every emulator variant (a matrix over emulator/variants.ts):
// whatever the real service does where its documentation is silent, nothing wrong is written, a
// refusal says what happened, and a user without a mailbox is not a failed read.
import assert from 'node:assert/strict';
import { startEmulator, VARIANTS, type Emulator, type VariantName } from '../../emulator/index';
import { WorkMailError } from '../../src/workmail/errors';
import { PermissionWriter } from '../../src/workmail/permissions';
import { collectScan } from '../../src/workmail/scan';
import { WorkMailSession } from '../../src/workmail/session';
import { ACME, ANA, BOB, DEFAULT_KEYS, GHOST, NOBOX, SALES, seedWithMailboxlessUser, staticCredentials, tempPendingStore } from './fixture';

interface World {
  readonly emu: Emulator;
  readonly session: WorkMailSession;
  readonly writer: PermissionWriter;
}

/** What the product must do under each value of each variant. */
const EXPECTATIONS: { readonly [N in VariantName]: (world: World, value: string) => Promise<void> } = {
  'orphan-delete': async ({ emu, writer }, value) => {
    const revoke = writer.apply({ org: ACME, mailboxId: ANA, mailboxKind: 'user', granteeId: GHOST, change: { kind: 'revoke' }, expectedBefore: ['SEND_ON_BEHALF'] });
    const orphan = () => emu.grants(ACME.organizationId).find((g) => g.mailboxId === ANA && g.granteeId === GHOST);
    if (value === 'succeeds') {
      assert.equal((await revoke).verified, true);
      assert.equal(orphan(), undefined);
    } else {
      await assert.rejects(revoke, (err: WorkMailError) => err.code === 'EntityNotFoundException' && /Nothing was changed/.test(err.message));
      assert.ok(orphan(), 'nothing changed');
    }
  },
  'mailboxless-list': async ({ session }) => {
    const scan = await collectScan(session, ACME);
    assert.ok(!scan.failures.some((f) => f.mailbox.id === NOBOX), 'a user without a mailbox is not an unread mailbox');
    assert.ok(!scan.grants.some((g) => g.mailbox.id === NOBOX));
    assert.ok(scan.grants.some((g) => g.mailbox.id === ANA), 'the rest is read');
  },
  'describe-user-of-group': async ({ session }) => {
    // The look-up of a name, email or ID tries a user first, then a group.
    const found = await session.findEntity(ACME, SALES);
    assert.equal(found?.id, SALES);
    assert.equal(found?.kind, 'group');
  },
  'group-grantee-full-access': async ({ emu, writer }, value) => {
    const grant = writer.apply({ org: ACME, mailboxId: BOB, mailboxKind: 'user', granteeId: SALES, change: { kind: 'grant', add: ['FULL_ACCESS'] } });
    const held = () => emu.grants(ACME.organizationId).find((g) => g.mailboxId === BOB && g.granteeId === SALES)?.rights;
    if (value === 'allowed') {
      assert.equal((await grant).verified, true);
      assert.deepEqual(held(), ['FULL_ACCESS']);
    } else {
      await assert.rejects(grant, (err: WorkMailError) => err.code === 'InvalidParameterException' && /FULL_ACCESS cannot be granted to group/.test(err.message) && /Nothing was changed/.test(err.message));
      assert.equal(held(), undefined, 'nothing written');
    }
  },
};

describe('the product under every emulator variant', function () {
  this.timeout(30_000);
  let emu: Emulator;
  let session: WorkMailSession;

  before(async () => {
    emu = await startEmulator({ port: 0, seed: seedWithMailboxlessUser() });
  });
  after(async () => {
    await emu.stop();
  });
  afterEach(() => session?.dispose());

  for (const [name, values] of Object.entries(VARIANTS) as Array<[VariantName, readonly string[]]>) {
    for (const value of values) {
      it(`${name}=${value}`, async () => {
        emu.reset();
        emu.setVariants({ [name]: value });
        session = new WorkMailSession({ endpoint: emu.url, credentials: staticCredentials(DEFAULT_KEYS), maxAttempts: 1 });
        const writer = new PermissionWriter(session, { store: tempPendingStore(), settleMs: 300, listLagMs: 100 });
        await EXPECTATIONS[name]({ emu, session, writer }, value);
      });
    }
  }
});
