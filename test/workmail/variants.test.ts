// The product's access layer under every emulator variant (a matrix over emulator/variants.ts):
// whatever the real service does where its documentation is silent, nothing wrong is written, a
// refusal says what happened, and a user without a mailbox is not a failed read.
import assert from 'node:assert/strict';
import { startEmulator, VARIANTS, type Emulator, type VariantName } from '../../emulator/index';
import { parseChangeFile } from '../../src/workmail/changes/changeFile';
import { planChanges } from '../../src/workmail/changes/plan';
import { lookUpEntity } from '../../src/workmail/entityLookup';
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
  'grantee-id-form': async ({ emu, session, writer }) => {
    // Another administrator gave Bob Full access by his email address; under as-given WorkMail
    // lists that address, under as-stored his ID. Either way it is Bob's, not someone else's.
    emu.putGrantDirect(ACME.organizationId, ANA, 'bob@acme.example.com', ['FULL_ACCESS']);
    assert.deepEqual(await writer.readRights(ACME, ANA, BOB), ['FULL_ACCESS']);
    const granted = await writer.apply({ org: ACME, mailboxId: ANA, mailboxKind: 'user', granteeId: BOB, change: { kind: 'grant', add: ['SEND_AS'] }, expectedBefore: ['FULL_ACCESS'] });
    assert.equal(granted.verified, true);
    assert.deepEqual(granted.before, ['FULL_ACCESS'], 'the listed form is Bob: no concurrent change');
    assert.deepEqual(held(emu, ANA, BOB), ['FULL_ACCESS', 'SEND_AS'], 'Full access kept');
    // Named once more by his user name, then revoked by ID: the revoke reaches the row listed by name.
    emu.putGrantDirect(ACME.organizationId, ANA, 'bob', ['SEND_ON_BEHALF']);
    const scan = await collectScan(session, ACME);
    const bobs = scan.grants.filter((g) => g.mailbox.id === ANA && g.grantee?.id === BOB);
    assert.deepEqual(bobs.map((g) => [g.granteeId, g.rights]), [[BOB, ['SEND_ON_BEHALF']]], 'the scan reports Bob by his ID, once');
    const revoked = await writer.apply({ org: ACME, mailboxId: ANA, mailboxKind: 'user', granteeId: BOB, change: { kind: 'revoke' }, expectedBefore: ['SEND_ON_BEHALF'] });
    assert.equal(revoked.noop, false);
    assert.equal(held(emu, ANA, BOB), undefined);
  },
  'list-filter-case': async ({ emu, session }) => {
    // A display name typed in another case is found whatever the filters do with case.
    const found = await lookUpEntity(session, ACME, 'ana SILVA', ['user', 'group']);
    assert.equal(found.outcome === 'found' && found.entity.id, ANA);
    const group = await lookUpEntity(session, ACME, 'SALES', ['user', 'group']);
    assert.equal(group.outcome === 'found' && group.entity.id, SALES);
    assert.ok(emu.calls().some((c) => c.operation === 'ListUsers'), 'looked up through the list');
  },
  'directory-lag': async ({ emu, session, writer }, value) => {
    // A user created a moment ago by another administrator.
    emu.addUser(ACME.organizationId, { id: NEWBIE, name: 'newbie', displayName: 'New Hire', email: 'newbie@acme.example.com' });
    emu.clearCalls();
    for (const granteeId of ['newbie', NEWBIE]) {
      const grant = writer.apply({ org: ACME, mailboxId: ANA, mailboxKind: 'user', granteeId, change: { kind: 'grant', add: ['SEND_AS'] } });
      if (value === 'none') {
        assert.equal((await grant).verified, true);
      } else {
        await assert.rejects(grant, (err: WorkMailError) => err.code === 'GranteeNotFound' && /created or enabled in the last few minutes.*wait a few minutes, refresh, and try again/.test(err.message) && /Nothing was changed/.test(err.message));
      }
    }
    // A change file naming the new user: planned, or refused with what to do.
    const plan = await planChanges(session, parseChangeFile('action,mailbox,grantee,rights\ngrant,bob,newbie,SEND_ON_BEHALF\n', 'new-hire.csv'), {
      organization: ACME.organizationId,
      readRights: (org, m, g, s) => writer.readRights(org, m, g, s),
    });
    const line = plan.lines[0];
    if (value === 'none') {
      assert.deepEqual(held(emu, ANA, NEWBIE), ['SEND_AS']);
      assert.equal(line?.status, 'write', line?.reason);
    } else {
      assert.equal(held(emu, ANA, NEWBIE), undefined, 'nothing written');
      assert.ok(!emu.calls().some((c) => c.operation === 'PutMailboxPermissions'), 'no write sent');
      assert.equal(line?.status, 'refused');
      assert.match(line?.reason ?? '', /no user or group "newbie" .*created or enabled in the last few minutes .*plan again in a few minutes/);
    }
  },
};

const NEWBIE = '00000000-0000-4000-8000-000000000777';
const held = (emu: Emulator, mailboxId: string, granteeId: string) => emu.grants(ACME.organizationId).find((g) => g.mailboxId === mailboxId && g.granteeId === granteeId)?.rights;

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
