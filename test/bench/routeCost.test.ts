// Issue 27's route-read cost as the bench counts it: the arithmetic over a call log, the reading of
// the API model behind the per-resource verdict, and the count of what loadRoutes really asks the
// emulator for a generated organization. Call counts only, never a time.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMULATOR_CREDENTIALS, startEmulator } from '../../emulator/index';
import { GENERATED_ORG_ID, generatedSeedDocument } from '../../emulator/generate';
import { expandSeed } from '../../emulator/seed';
import { tallyCalls } from '../../bench/lib';
import { listingHasBookingOptions, perResourceReason, routeReadCost, type ServiceModelShapes } from '../../bench/routeCost';
import { loadRoutes } from '../../src/workmail/routes/load';
import { listDirectory } from '../../src/workmail/scan';
import { WorkMailSession } from '../../src/workmail/session';

const workload = { resources: 10, roles: 3, mailboxes: 500 };

describe('route-read cost (issue 27)', () => {
  it('divides the per-resource and per-role reads and keeps the organization-wide lists apart', () => {
    const cost = routeReadCost({ ListResourceDelegates: 12, DescribeResource: 10, ListImpersonationRoles: 1, GetImpersonationRole: 3, ListAccessControlRules: 1 }, workload);
    assert.equal(cost.perResource, 2.2);
    assert.deepEqual(cost.perResourceByOperation, { ListResourceDelegates: 1.2, DescribeResource: 1 });
    assert.equal(cost.perRole, 1);
    assert.equal(cost.organizationWide, 2);
    assert.equal(cost.roleAndRuleCallsBeyond, 0);
    assert.equal(cost.roleAndRuleCallsPerMailbox, 0);
    assert.deepEqual(cost.otherCalls, {});
    assert.equal(cost.total, 27);
  });

  it('counts role and rule questions beyond one per role and the lists as growing with the mailboxes', () => {
    const perMailbox = routeReadCost({ ListImpersonationRoles: 1, GetImpersonationRole: 3, ListAccessControlRules: 1, GetAccessControlEffect: 500, GetImpersonationRoleEffect: 500 }, workload);
    assert.equal(perMailbox.roleAndRuleCallsBeyond, 1000);
    assert.equal(perMailbox.roleAndRuleCallsPerMailbox, 2);
    const rereadRoles = routeReadCost({ ListImpersonationRoles: 1, GetImpersonationRole: 6, ListAccessControlRules: 1 }, workload);
    assert.equal(rereadRoles.perRole, 2);
    assert.equal(rereadRoles.roleAndRuleCallsBeyond, 3, 'a role read twice is a call beyond the one per role');
    const relisted = routeReadCost({ ListImpersonationRoles: 2, GetImpersonationRole: 3, ListAccessControlRules: 1 }, workload);
    assert.equal(relisted.roleAndRuleCallsBeyond, 1, 'three roles fit one page of ListImpersonationRoles');
    assert.equal(routeReadCost({ ListImpersonationRoles: 2, GetImpersonationRole: 25, ListAccessControlRules: 1 }, { ...workload, roles: 25 }).roleAndRuleCallsBeyond, 0, '25 roles take two pages');
  });

  it('names calls that are no route read, and an organization without resources or roles costs nothing per item', () => {
    const cost = routeReadCost({ ListUsers: 4, ListImpersonationRoles: 1, ListAccessControlRules: 1 }, { resources: 0, roles: 0, mailboxes: 0 });
    assert.deepEqual(cost.otherCalls, { ListUsers: 4 });
    assert.deepEqual([cost.perResource, cost.perRole, cost.roleAndRuleCallsPerMailbox], [0, 0, 0]);
  });

  it('reads from the API model whether the directory listing gives booking options, and says why the per-resource figure is what it is', () => {
    const model = JSON.parse(readFileSync(join(__dirname, '..', '..', 'emulator', 'model', 'service-2.json'), 'utf8')) as ServiceModelShapes;
    assert.equal(listingHasBookingOptions(model), false, "ListResources' Resource has no BookingOptions in the model");
    assert.equal(listingHasBookingOptions({ shapes: { Resource: { members: { Id: {}, BookingOptions: {} } } } }), true);
    assert.equal(listingHasBookingOptions({ shapes: {} }), false);
    const cost = routeReadCost({ ListResourceDelegates: 10, DescribeResource: 10 }, workload);
    assert.match(perResourceReason(cost, false, 10), /ListResourceDelegates 1\.00 \+ DescribeResource 1\.00 per resource \(10 resources\); .*no BookingOptions/);
    assert.match(perResourceReason(cost, true, 10), /DescribeResource could be dropped/);
  });

  describe('against the emulator', () => {
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    const seed = expandSeed(generatedSeedDocument(500));
    const org = seed.accounts.flatMap((account) => account.organizations ?? []).find((o) => o.id === GENERATED_ORG_ID)!;

    before(async () => {
      emulator = await startEmulator({ port: 0, seed });
    });
    after(async () => {
      await emulator.stop();
    });

    it('loadRoutes of a generated organization: two calls per resource, one per role, none per mailbox for roles or rules', async () => {
      const session = new WorkMailSession({ endpoint: emulator.url, credentials: async () => ({ ...EMULATOR_CREDENTIALS.default }) });
      try {
        const ref = { region: 'us-east-1', organizationId: GENERATED_ORG_ID };
        const directory = await listDirectory(session, ref);
        emulator.clearCalls();
        const routes = await loadRoutes(session.routes, ref, directory.resources);
        assert.deepEqual(routes.failures, []);
        const resources = (org.resources ?? []).length;
        const roles = (org.impersonationRoles ?? []).length;
        assert.ok(resources > 0 && roles > 0, 'the generator holds resources and roles');
        const cost = routeReadCost(tallyCalls(emulator.calls()).byOperation, { resources, roles, mailboxes: resources + (org.users ?? []).length + (org.groups ?? []).length });
        assert.equal(cost.perResource, 2);
        assert.equal(cost.perRole, 1);
        assert.equal(cost.organizationWide, 2);
        assert.equal(cost.roleAndRuleCallsPerMailbox, 0);
        assert.deepEqual(cost.otherCalls, {});
      } finally {
        session.dispose();
      }
    });
  });
});
