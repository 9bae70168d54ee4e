// The product's access layer under every emulator variant (a matrix over emulator/variants.ts):
// whatever the real service does where its documentation is silent, nothing wrong is written, a
// refusal says what happened, and a user without a mailbox is not a failed read. The variants of
// the other routes (ROUTE_VARIANTS: booking delegates, impersonation roles, access rules) have a
// matrix of their own below, over the sample organization: the delegate writes, the route reads,
// Who Can Open, the access-rule marks and what the doctor claims.
import assert from 'node:assert/strict';
import { DescribeResourceCommand, PutAccessControlRuleCommand, WorkMailClient, type PutAccessControlRuleCommandInput } from '@aws-sdk/client-workmail';
import { EMULATOR_CREDENTIALS, ROUTE_VARIANTS, SAMPLE_ORGS, startEmulator, VARIANTS, type Emulator, type RouteVariantName, type VariantName } from '../../emulator/index';
import type { SeedDocument } from '../../emulator/seed';
import { parseChangeFile } from '../../src/workmail/changes/changeFile';
import { planChanges } from '../../src/workmail/changes/plan';
import { lookUpEntity } from '../../src/workmail/entityLookup';
import { WorkMailError } from '../../src/workmail/errors';
import { loadMembership } from '../../src/workmail/groups';
import { PermissionWriter, type ChangeRequest } from '../../src/workmail/permissions';
import { accessMarks } from '../../src/workmail/routes/accessMarks';
import { checkRoutes } from '../../src/workmail/routes/doctorRoutes';
import { loadRoutes } from '../../src/workmail/routes/load';
import { whoCanOpen, type PersonRoute } from '../../src/workmail/routes/whoCanOpen';
import { bookingOptionsInWords } from '../../src/workmail/routes/words';
import { collectScan } from '../../src/workmail/scan';
import { WorkMailSession } from '../../src/workmail/session';
import { sampleId, sampleSeed } from '../emulator/helpers';
import { ACME, ANA, BOB, DEFAULT_KEYS, GHOST, NOBOX, operations, SALES, seedWithMailboxlessUser, staticCredentials, tempPendingStore } from './fixture';

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

// ------------------------------------------------------------------------ the other routes

interface RouteWorld {
  readonly emu: Emulator;
  readonly session: WorkMailSession;
  readonly writer: PermissionWriter;
  /** The real SDK, as another administrator (or the console) changes the organization. */
  readonly admin: WorkMailClient;
}

const acme = { organizationId: SAMPLE_ORGS.acme, region: 'us-east-1' };
const acmeId = (name: string): string => sampleId('acme', name);
const ATLAS = acmeId('room-atlas');
const BOREALIS = acmeId('room-borealis');
const PROJECTOR = acmeId('projector-1');
const UMAR = acmeId('umar.farouk');
const NOAH = acmeId('noah.fischer');

const delegateChange = (mailboxId: string, granteeId: string, add: boolean, extra: Partial<ChangeRequest> = {}): ChangeRequest => ({
  org: acme,
  route: 'booking-delegate',
  mailboxId,
  mailboxKind: 'resource',
  granteeId,
  granteeFromDirectory: true,
  change: add ? { kind: 'grant', add: ['BOOKING_DELEGATE'] } : { kind: 'revoke' },
  ...extra,
});
const delegatesOf = (emu: Emulator, resourceId: string): string[] => (emu.booking(acme.organizationId).find((info) => info.resourceId === resourceId)?.delegates ?? []).map((d) => d.id).sort();
const nothingChanged = (code: string) => (err: WorkMailError) => err.code === code && /Nothing was changed/.test(err.message);

/** The sample organization with room-borealis (delegates approve its requests) still set to decline recurring meetings. */
function seedWithDecliningRoom(): SeedDocument {
  type Editable = { accounts: Array<{ organizations?: Array<{ id: string; booking?: Array<Record<string, unknown>> }> }> };
  const seed = structuredClone(sampleSeed) as unknown as Editable;
  const org = seed.accounts.flatMap((account) => account.organizations ?? []).find((o) => o.id === SAMPLE_ORGS.acme)!;
  org.booking = (org.booking ?? []).map((entry) => (entry.resource === BOREALIS ? { ...entry, autoDeclineRecurringRequests: true } : entry));
  return seed as unknown as SeedDocument;
}

/** What the product reads and writes under each value of each variant of the other routes. */
const ROUTE_EXPECTATIONS: { readonly [N in RouteVariantName]: (world: RouteWorld, value: string) => Promise<void> } = {
  'delegate-with-auto-accept': async ({ emu, writer }, value) => {
    // projector-1 accepts its requests automatically and has no delegate.
    const added = writer.apply(delegateChange(PROJECTOR, UMAR, true));
    if (value === 'allowed') {
      assert.equal((await added).verified, true);
      assert.deepEqual(delegatesOf(emu, PROJECTOR), [UMAR]);
    } else {
      await assert.rejects(added, nothingChanged('EntityStateException'));
      assert.deepEqual(delegatesOf(emu, PROJECTOR), [], 'nothing written');
    }
  },
  'last-delegate-removal': async ({ emu, writer }, value) => {
    // room-borealis waits for its delegates; umar.farouk is the only one. The product asks first,
    // whatever WorkMail would do: no Disassociate is sent without the person's answer.
    emu.clearCalls();
    await assert.rejects(writer.apply(delegateChange(BOREALIS, UMAR, false)), nothingChanged('LeavesResourceUnattended'));
    assert.ok(!operations(emu.calls()).includes('DisassociateDelegateFromResource'));
    const confirmed = writer.apply(delegateChange(BOREALIS, UMAR, false, { allowUnattended: true }));
    if (value === 'allowed') {
      assert.equal((await confirmed).verified, true);
      assert.deepEqual(delegatesOf(emu, BOREALIS), []);
    } else {
      await assert.rejects(confirmed, nothingChanged('InvalidConfigurationException'));
      assert.deepEqual(delegatesOf(emu, BOREALIS), [UMAR], 'nothing written');
    }
  },
  'auto-decline-without-auto-accept': async ({ emu, session }, value) => {
    emu.reset(seedWithDecliningRoom());
    const scan = await collectScan(session, acme);
    const routes = await loadRoutes(session.routes, acme, scan.directory.resources);
    const options = routes.bookingOptions.get(BOREALIS);
    assert.equal(options?.autoAcceptRequests, false);
    assert.equal(options?.autoDeclineRecurringRequests, value === 'kept', 'the options as WorkMail reports them');
    // Either way delegates decide, and that is all the product says of the room.
    assert.equal(bookingOptionsInWords(options), 'Delegates approve every request');
    // The doctor claims `kept` only when it sees a flag; cleared flags could also be unset ones.
    const doctor = await checkRoutes(session, acme, scan.directory.users);
    assert.equal(doctor.variants['auto-decline-without-auto-accept'], value === 'kept' ? 'kept' : undefined);
  },
  'group-delegate-members': async ({ emu, session }) => {
    // room-atlas: tara.singh and the group executives are its delegates. No call shows whether a
    // group delegate's members receive its requests, so the product counts every member under both:
    // Who Can Open lists no fewer people than WorkMail lets in.
    const scan = await collectScan(session, acme);
    const { membership } = await loadMembership(session, acme, scan.directory.groups);
    const routes = await loadRoutes(session.routes, acme, scan.directory.resources);
    const atlas = scan.directory.entities.get(ATLAS)!;
    const delegates = whoCanOpen(atlas, { grants: scan.grants, membership, directory: scan.directory.entities, delegates: routes.delegates, roles: routes.roles })
      .filter((route): route is PersonRoute => route.route === 'bookingDelegate' && route.person?.state === 'ENABLED')
      .map((route) => route.personId);
    const everyMember = [acmeId('tara.singh'), ...['alice.johnson', 'bob.martinez', 'carol.nguyen', 'samuel.osei'].map(acmeId)].sort();
    assert.deepEqual([...new Set(delegates)].sort(), everyMember);
    const recipients = emu.booking(acme.organizationId).find((info) => info.resourceId === ATLAS)!.recipients;
    assert.ok(recipients.every((id) => delegates.includes(id)), 'everyone WorkMail sends the requests to is listed');
  },
  'access-rule-combination': async ({ session }, value) => {
    // noah.fischer: the default rule allows everything, then no-webmail-noah denies him WebMail and
    // imap-office-only denies IMAP from outside the office. The product never combines rules
    // itself: what it marks is what GetAccessControlEffect answers under either combination.
    const scan = await collectScan(session, acme);
    const routes = await loadRoutes(session.routes, acme, scan.directory.resources);
    const marks = await accessMarks(session.routes, acme, routes.accessRules, { userId: NOAH });
    if (value === 'deny-wins') {
      assert.deepEqual(marks.map((mark) => `${mark.action} ${mark.rules.join('+')}`).sort(), ['IMAP imap-office-only', 'WebMail no-webmail-noah']);
    } else {
      assert.deepEqual(marks, [], 'the default rule, listed first, decides every question');
    }
    const doctor = await checkRoutes(session, acme, scan.directory.users);
    assert.equal(doctor.variants['access-rule-combination'], value);
  },
  'access-rule-limit': async ({ emu, session, admin }, value) => {
    // Another administrator adds rules up to an 11th, which denies EWS to everyone.
    const put = (name: string, extra: Partial<PutAccessControlRuleCommandInput>) =>
      admin.send(new PutAccessControlRuleCommand({ OrganizationId: acme.organizationId, Name: name, Effect: 'ALLOW', Description: `rule ${name}`, ...extra }));
    for (let n = 4; n <= 10; n++) await put(`office-${n}`, { Actions: ['ActiveSync'], IpRanges: [`10.${n}.0.0/16`] });
    const eleventh = put('no-ews-anywhere', { Effect: 'DENY', Actions: ['EWS'] });
    if (value === '10') await assert.rejects(eleventh, (err: Error) => err.name === 'LimitExceededException');
    else await eleventh;
    assert.equal(emu.accessControlRules(acme.organizationId).length, value === '10' ? 10 : 11);
    const scan = await collectScan(session, acme);
    const routes = await loadRoutes(session.routes, acme, scan.directory.resources);
    assert.equal(routes.accessRules.length, 10, 'the list shows ten at most');
    // Only an answer decided by a rule the list does not show proves there are more.
    const doctor = await checkRoutes(session, acme, scan.directory.users);
    const past = doctor.checks.find((check) => check.name === 'access rules past the list')!;
    if (value === '20') {
      assert.equal(doctor.variants['access-rule-limit'], '20');
      assert.equal(past.outcome, 'warning');
      assert.match(past.detail, /"no-ews-anywhere"/);
    } else {
      assert.equal(doctor.variants['access-rule-limit'], undefined, 'ten listed could be all or the first ten: never claimed');
      assert.equal(past.outcome, 'not-checked');
    }
  },
  'update-resource-omitted': async ({ emu, writer, admin }) => {
    // The product changes a room only through its delegates: it never sends UpdateResource, so what
    // UpdateResource resets or keeps cannot reach a room's description or booking options through it.
    const described = async () => {
      const { Description, BookingOptions, HiddenFromGlobalAddressList } = await admin.send(new DescribeResourceCommand({ OrganizationId: acme.organizationId, ResourceId: ATLAS }));
      return { Description, BookingOptions, HiddenFromGlobalAddressList };
    };
    const before = await described();
    emu.clearCalls();
    await writer.apply(delegateChange(ATLAS, UMAR, true));
    await writer.apply(delegateChange(ATLAS, UMAR, false));
    assert.ok(!operations(emu.calls()).includes('UpdateResource'));
    assert.deepEqual(await described(), before);
    assert.equal(before.Description, 'Boardroom, 12 seats');
  },
};

describe('the product under every emulator variant of the other routes', function () {
  this.timeout(30_000);
  let emu: Emulator;
  let admin: WorkMailClient;
  let session: WorkMailSession;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    admin = new WorkMailClient({ region: acme.region, endpoint: emu.url, credentials: EMULATOR_CREDENTIALS.default, maxAttempts: 1 });
  });
  after(async () => {
    admin.destroy();
    await emu.stop();
  });
  afterEach(() => session?.dispose());

  for (const [name, values] of Object.entries(ROUTE_VARIANTS) as Array<[RouteVariantName, readonly string[]]>) {
    for (const value of values) {
      it(`${name}=${value}`, async () => {
        emu.reset(sampleSeed);
        emu.setVariants({ [name]: value });
        session = new WorkMailSession({ endpoint: emu.url, credentials: async () => EMULATOR_CREDENTIALS.default, maxAttempts: 1 });
        const writer = new PermissionWriter(session, { store: tempPendingStore(), settleMs: 300, listLagMs: 100 });
        await ROUTE_EXPECTATIONS[name]({ emu, session, writer, admin }, value);
      });
    }
  }
});
