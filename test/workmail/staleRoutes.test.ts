// Stale routes: booking delegates and impersonation rule targets that are disabled, deleted or
// unknown, and roles whose rules name nobody, found in what the product reads from the emulator
// (real SDK: a scan's directory and loadRoutes), after directory changes made through the
// emulator's admin API; and, in pure tests, what the emulator cannot hold (IDs it no longer knows).
import assert from 'node:assert/strict';
import path from 'node:path';
import { readSeedFile } from '../../emulator/seed';
import type { SeedOrganization } from '../../emulator/seed';
import type { ImpersonationRole } from '../../src/workmail/routes/impersonation';
import { loadRoutes } from '../../src/workmail/routes/load';
import { findStaleRoutes, staleTargetInWords, type StaleRoutes } from '../../src/workmail/routes/staleRoutes';
import { collectScan } from '../../src/workmail/scan';
import type { DirectoryEntity } from '../../src/workmail/types';
import { seedWith, startWorld, type Running } from './auditWorld';

const ACME = { organizationId: 'm-ac0e0000000000000000000000000001', region: 'us-east-1' } as const;

function acme(): SeedOrganization {
  const sample = readSeedFile(path.join(__dirname, '..', '..', 'emulator', 'seeds', 'sample.json'));
  return sample.accounts.flatMap((account) => account.organizations ?? []).find((o) => o.id === ACME.organizationId)!;
}

const delegatesOf = (stale: StaleRoutes) => stale.delegates.map((d) => `${d.resource?.name} <- ${d.entity?.name ?? d.delegate.id}: ${d.reasons.join(',')}`).sort();
const rolesOf = (stale: StaleRoutes) => stale.roles.map((r) => `${r.role.name}: ${[...r.reasons, ...r.targets.map((t) => `${t.identifier === t.user?.id ? t.user.name : t.identifier} ${t.list} ${t.reason}`)].join('; ')}`).sort();

describe('stale routes (real SDK against the emulator, sample organization acme)', function () {
  this.timeout(60_000);
  const org = acme();
  const id = (name: string) => [...org.users!, ...org.groups!, ...org.resources!].find((e) => e.name === name)!.id;
  let running: Running;

  beforeEach(async () => {
    running = await startWorld(seedWith(org));
  });
  afterEach(async () => {
    await running.stop();
  });

  async function stale(): Promise<StaleRoutes> {
    const snapshot = await collectScan(running.session, ACME);
    const routes = await loadRoutes(running.session.routes, ACME, snapshot.directory.resources);
    assert.deepEqual(routes.failures, []);
    return findStaleRoutes(routes, snapshot.directory.entities);
  }

  it('as seeded: no stale delegate; the CRM sync role names a disabled user, and still names others', async () => {
    const found = await stale();
    assert.deepEqual(delegatesOf(found), []);
    assert.deepEqual(rolesOf(found), ['CRM sync: william.chen target target-disabled']);
    assert.equal(staleTargetInWords(found.roles[0]!.targets[0]!), 'rule "Sales department" names william.chen, who is disabled');
  });

  it('delegates disabled or deleted since, a disabled group delegate; every CRM target deleted: the role names nobody', async () => {
    running.emu.setEntityState(ACME.organizationId, id('tara.singh'), 'DISABLED');
    running.emu.setEntityState(ACME.organizationId, id('umar.farouk'), 'DELETED');
    running.emu.setEntityState(ACME.organizationId, id('executives'), 'DISABLED');
    for (const name of ['carol.nguyen', 'david.okafor', 'emma.schmidt', 'farid.haddad', 'yasmin.ali', 'william.chen']) {
      running.emu.setEntityState(ACME.organizationId, id(name), 'DELETED');
    }
    // The E-discovery role's exceptions: one of them deleted.
    running.emu.setEntityState(ACME.organizationId, id('rachel.green'), 'DELETED');
    const found = await stale();
    assert.deepEqual(delegatesOf(found), ['room-atlas <- executives: delegate-disabled', 'room-atlas <- tara.singh: delegate-disabled', 'room-borealis <- umar.farouk: delegate-deleted']);
    const crm = found.roles.find((r) => r.role.name === 'CRM sync')!;
    assert.deepEqual(crm.reasons, ['role-targets-gone']);
    assert.equal(crm.targets.length, 6);
    assert.ok(crm.targets.every((t) => t.reason === 'target-deleted'));
    const ediscovery = found.roles.find((r) => r.role.name === 'E-discovery search')!;
    assert.deepEqual(ediscovery.reasons, [], 'ALLOW everyone but its exceptions still acts as everyone else');
    assert.deepEqual(ediscovery.targets.map((t) => `${t.user?.name} ${t.list} ${t.reason}`), ['rachel.green exception target-deleted']);
    assert.match(staleTargetInWords(ediscovery.targets[0]!), /names rachel\.green in its exceptions, who is deleted/);
    assert.ok(!found.roles.some((r) => r.role.name === 'Mail archiver'), 'a role naming only enabled users is not stale');
  });

  it('a delegate on a disabled resource is reported with the resource', async () => {
    running.emu.setEntityState(ACME.organizationId, id('room-borealis'), 'DISABLED');
    assert.deepEqual(delegatesOf(await stale()), ['room-borealis <- umar.farouk: resource-disabled']);
  });
});

describe('stale routes (pure): what the directory no longer knows, and rules that allow no one', () => {
  const user = (id: string, name: string, state: DirectoryEntity['state'] = 'ENABLED'): DirectoryEntity => ({ id, name, kind: 'user', state, email: `${name}@x.example.com` });
  const ann = user('u-ann', 'ann');
  const room: DirectoryEntity = { id: 'r-1', name: 'room-1', kind: 'resource', state: 'ENABLED' };
  const directory = new Map([ann, room].map((e) => [e.id, e]));
  const role = (name: string, rules: ImpersonationRole['rules']): ImpersonationRole => ({ id: `role-${name}`, name, type: 'READ_ONLY', rules });

  it('an unknown delegate and unknown targets are stale, named as the rule gives them; a target named by address in another case is known', () => {
    const found = findStaleRoutes(
      {
        delegates: new Map([[room.id, [{ id: 'u-ann', type: 'USER' as const }, { id: 'u-gone', type: 'USER' as const }]]]),
        roles: [role('by-address', [{ id: 'r', effect: 'ALLOW', targetUsers: ['ANN@X.example.com'] }]), role('ghosts', [{ id: 'g', name: 'ghosts', effect: 'ALLOW', targetUsers: ['gone.user', 'u-gone'] }])],
      },
      directory,
    );
    assert.deepEqual(delegatesOf(found), ['room-1 <- u-gone: delegate-unknown']);
    assert.deepEqual(rolesOf(found), ['ghosts: role-targets-gone; gone.user target target-unknown; u-gone target target-unknown']);
    assert.equal(staleTargetInWords(found.roles[0]!.targets[0]!), 'rule "ghosts" names gone.user, who is no longer in the directory');
  });

  it('a role with no rule, or with DENY rules only, names nobody; ALLOW with no targets names everyone', () => {
    const found = findStaleRoutes(
      { delegates: new Map(), roles: [role('empty', []), role('deny-only', [{ id: 'd', effect: 'DENY', targetUsers: ['u-ann'] }]), role('everyone', [{ id: 'a', effect: 'ALLOW' }])] },
      directory,
    );
    assert.deepEqual(rolesOf(found), ['deny-only: role-no-allow-rule', 'empty: role-no-allow-rule']);
  });

  it('a disabled target is reported, but does not make a role name nobody: enabled again, it acts as them', () => {
    const found = findStaleRoutes({ delegates: new Map(), roles: [role('paused', [{ id: 'a', effect: 'ALLOW', targetUsers: ['u-bo'] }])] }, new Map([['u-bo', user('u-bo', 'bo', 'DISABLED')]]));
    assert.deepEqual(rolesOf(found), ['paused: bo target target-disabled']);
  });
});
