// Booking delegates cross-checked with the AWS CLI (botocore), a client that shares no code with the
// JavaScript SDK the product uses: what the product's write path (PermissionWriter, route
// 'booking-delegate', real SDK) writes is what an administrator's `aws workmail` lists, and a
// delegate an administrator removes with the CLI is gone from the product's own reads. If the
// emulator only agreed with the SDK's serialization of these calls, this is where it shows.
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../emulator/index';
import { BOOKING_DELEGATE } from '../../src/workmail/types';
import { PermissionWriter } from '../../src/workmail/permissions';
import { WorkMailSession } from '../../src/workmail/session';
import { tempPendingStore } from '../workmail/fixture';
import { AwsCli, EMULATOR_CREDENTIALS, SAMPLE_ORGS, sampleId } from './helpers';

const REGION = 'us-east-1';
const acme = { organizationId: SAMPLE_ORGS.acme, region: REGION };
const ATLAS = sampleId('acme', 'room-atlas');
const TARA = sampleId('acme', 'tara.singh');
const UMAR = sampleId('acme', 'umar.farouk');
const EXECUTIVES = sampleId('acme', 'executives');

describe('emulator: booking delegates written by the product, seen by the AWS CLI (and back)', function () {
  // Installing awscli with apt-get on a fresh machine can take a minute or two.
  this.timeout(240_000);
  let emu: Emulator;
  let aws: AwsCli;
  let session: WorkMailSession;
  let writer: PermissionWriter;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    aws = AwsCli.open(emu.url);
  });
  after(async () => {
    await emu?.stop();
    aws?.dispose();
  });
  beforeEach(() => {
    emu.reset();
    session = new WorkMailSession({ endpoint: emu.url, credentials: async () => EMULATOR_CREDENTIALS.default, maxAttempts: 1 });
    // A pending-write store of its own: no record of another test (or of this machine's extension) decides a read here.
    writer = new PermissionWriter(session, { store: tempPendingStore(), settleMs: 300, listLagMs: 100 });
    emu.clearCalls();
  });
  afterEach(() => session.dispose());


  const ok = (args: string[]): Promise<unknown> => aws.ok(REGION, args);

  /** `aws workmail list-resource-delegates`, one delegate a page so the CLI's own paginator walks every page. */
  const cliDelegates = async (resourceId: string): Promise<string[]> => {
    const listed = (await ok(['list-resource-delegates', '--organization-id', acme.organizationId, '--resource-id', resourceId, '--page-size', '1'])) as { Delegates?: { Id: string; Type: string }[] };
    return (listed.Delegates ?? []).map((d) => `${d.Id}:${d.Type}`).sort();
  };

  /** The product's own view of the resource's delegates: the read the tree and the write path use. */
  const productDelegates = async (resourceId: string): Promise<string[]> =>
    (await session.routes.listAllResourceDelegates(acme, resourceId)).map((d) => `${d.id}:${d.type}`).sort();

  const addUmarWithTheProduct = async (): Promise<void> => {
    const result = await writer.apply({
      org: acme,
      route: 'booking-delegate',
      mailboxId: ATLAS,
      mailboxKind: 'resource',
      granteeId: UMAR,
      granteeFromDirectory: true,
      change: { kind: 'grant', add: [BOOKING_DELEGATE] },
      expectedBefore: [],
    });
    assert.deepEqual([result.before, result.after, result.verified], [[], [BOOKING_DELEGATE], true], 'the product\'s own read-back shows the new delegate');
  };

  it('a delegate the product adds is listed by `aws workmail list-resource-delegates`, as a USER, beside the ones it had', async () => {
    assert.deepEqual(await cliDelegates(ATLAS), [`${TARA}:USER`, `${EXECUTIVES}:GROUP`].sort(), 'precondition: room-atlas has the seed\'s two delegates');

    await addUmarWithTheProduct();

    assert.deepEqual(await cliDelegates(ATLAS), [`${TARA}:USER`, `${EXECUTIVES}:GROUP`, `${UMAR}:USER`].sort());
    // One write, by the product, through AssociateDelegateToResource: not something the CLI did.
    assert.deepEqual(emu.calls().filter((c) => c.operation === 'AssociateDelegateToResource').map((c) => c.params), [{ OrganizationId: acme.organizationId, ResourceId: ATLAS, EntityId: UMAR }]);
  });

  it('after `aws workmail disassociate-delegate-from-resource`, the product\'s reads no longer show the delegate', async () => {
    await addUmarWithTheProduct();
    assert.deepEqual(await writer.readRights(acme, ATLAS, UMAR, undefined, 'booking-delegate'), [BOOKING_DELEGATE], 'precondition: the product reads Umar as a delegate');

    await ok(['disassociate-delegate-from-resource', '--organization-id', acme.organizationId, '--resource-id', ATLAS, '--entity-id', UMAR]);

    assert.deepEqual(await writer.readRights(acme, ATLAS, UMAR, undefined, 'booking-delegate'), [], 'the write path reads the pair as no delegation');
    assert.deepEqual(await productDelegates(ATLAS), [`${TARA}:USER`, `${EXECUTIVES}:GROUP`].sort(), 'the other delegates are untouched');
    assert.deepEqual(await cliDelegates(ATLAS), await productDelegates(ATLAS), 'both clients list the same delegates');
  });
});
