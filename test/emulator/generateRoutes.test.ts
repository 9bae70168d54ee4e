// The generator's other routes into a mailbox: booking, impersonation roles and access rules, from a
// random stream of their own, so the directory and grants it generated before are unchanged byte
// for byte (the sample's acme-labs and the benchmark's organizations rely on them).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  DescribeResourceCommand,
  GetImpersonationRoleEffectCommand,
  ListAccessControlRulesCommand,
  ListImpersonationRolesCommand,
  ListResourceDelegatesCommand,
} from '@aws-sdk/client-workmail';
import { generateDirectory } from '../../emulator/generate';
import { DEFAULT_ACCESS_RULE, startEmulator } from '../../emulator/index';
import { expandSeed, type SeedDocument } from '../../emulator/seed';
import { SAMPLE_ORGS, clientFor, sampleSeed } from './helpers';

const LABS = { users: 260, groups: 12, resources: 5, grants: 600, seed: 260, domain: 'labs.acme.example.com' };

const fingerprint = (options: Parameters<typeof generateDirectory>[0]): string => {
  const { users, groups, resources, grants } = generateDirectory(options);
  return crypto.createHash('sha256').update(JSON.stringify({ users, groups, resources, grants })).digest('hex');
};

describe('emulator: the generator’s booking, roles and access rules', () => {
  it('leaves the users, groups, resources and grants it generated before the routes byte for byte as they were', () => {
    // Digests of what the generator gave before it drew any route (measured before generate.ts changed).
    assert.equal(fingerprint(LABS), '5b34d4a83ec6460e00d3830c521f6b8e354b149c3cce44f293a247dd3a4d68ec', 'acme-labs');
    assert.equal(fingerprint({ users: 10_000, seed: 1, domain: 'generated.example.com' }), '694c5978163c7db9a6425b14697dd308120ca0925ec19c74e40b9a5c1f7808b8', '--generate 10000');
    assert.equal(fingerprint({ users: 3, seed: 5, domain: 'x.example.com' }), '94766b1b4a9502c78167f5c963aad556d49ed4fccf299f14a281b9dd8bd7155f');
  });

  it('is deterministic, and holds user and group delegates, each booking option, the three roles and the rules beyond the default', () => {
    const dir = generateDirectory(LABS);
    assert.deepEqual(generateDirectory(LABS), dir);
    const kind = new Map<string, string>([...dir.users.map((u) => [u.id, 'user'] as const), ...dir.groups.map((g) => [g.id, 'group'] as const)]);
    const delegates = dir.booking.flatMap((b) => b.delegates ?? []);
    assert.ok(delegates.some((d) => kind.get(d) === 'user') && delegates.some((d) => kind.get(d) === 'group'), 'user and group delegates');
    assert.ok(dir.booking.some((b) => b.autoAcceptRequests === false && (b.delegates ?? []).length > 0), 'delegates approve');
    assert.ok(dir.booking.some((b) => b.autoDeclineRecurringRequests === true && b.autoDeclineConflictingRequests === false), 'the decline options turned over');
    const enabled = new Set(dir.users.filter((u) => u.state === 'ENABLED' && u.email).map((u) => u.id));
    assert.ok(delegates.filter((d) => kind.get(d) === 'user').every((d) => enabled.has(d)));

    const [archiver, department, ediscovery] = dir.impersonationRoles;
    assert.equal(archiver!.type, 'READ_ONLY');
    assert.deepEqual(archiver!.rules!.map((r) => [r.effect, r.targetUsers?.length]), [['ALLOW', undefined], ['DENY', 1]]);
    assert.equal(department!.type, 'FULL_ACCESS');
    const targets = department!.rules!.flatMap((r) => r.targetUsers ?? []);
    assert.ok(targets.length > 0 && department!.rules!.every((r) => r.effect === 'ALLOW' && r.targetUsers!.length <= 10));
    const departments = new Set(targets.map((t) => dir.users.find((u) => u.id === t)!.department));
    assert.equal(departments.size, 1, 'one department');
    assert.ok(ediscovery!.rules![0]!.notTargetUsers!.length > 0);

    assert.deepEqual(dir.accessControlRules[0], DEFAULT_ACCESS_RULE);
    assert.deepEqual(dir.accessControlRules.slice(1).map((r) => [r.effect, r.actions]), [['DENY', ['IMAP']], ['DENY', ['WebMail']]]);
    assert.ok(dir.accessControlRules[1]!.notIpRanges?.length && dir.accessControlRules[2]!.userIds?.length === 1);
  });

  it('keeps to the API’s limits at 10,000 users, and gives a directory without people the default rule alone', () => {
    const big = generateDirectory({ users: 10_000, seed: 1, domain: 'big.example.com' });
    assert.ok(big.impersonationRoles.every((r) => r.rules!.length <= 10 && r.rules!.every((rule) => (rule.targetUsers ?? []).length <= 10 && (rule.notTargetUsers ?? []).length <= 10)));
    assert.equal(big.booking.filter((b) => b.autoAcceptRequests === false).length, 50, 'one resource in four books by hand');
    const empty = generateDirectory({ users: 0, resources: 0, seed: 1, domain: 'e.example.com' });
    assert.deepEqual([empty.booking, empty.impersonationRoles, empty.accessControlRules], [[], [], [DEFAULT_ACCESS_RULE]]);
  });

  it('puts the generated routes after what a seed writes by hand, without a second default rule', () => {
    const seed = {
      accounts: [
        {
          name: 'a',
          accessKeys: [{ accessKeyId: 'AKIDX', secretAccessKey: 's' }],
          organizations: [
            {
              id: `m-${'b'.repeat(32)}`,
              alias: 'mixed',
              region: 'us-east-1',
              accessControlRules: [{ name: 'default-rule', effect: 'ALLOW', description: 'As the console wrote it' }],
              impersonationRoles: [{ id: 'hand-written', name: 'Hand', type: 'READ_ONLY' }],
              generate: { users: 40, resources: 3, seed: 7 },
            },
          ],
        },
      ],
    } as unknown as SeedDocument;
    const org = expandSeed(seed).accounts[0]!.organizations![0]!;
    assert.deepEqual(org.accessControlRules!.map((r) => r.name).slice(0, 2), ['default-rule', 'imap-office-only']);
    assert.equal(org.accessControlRules![0]!.description, 'As the console wrote it');
    assert.equal(org.accessControlRules!.filter((r) => r.name === 'default-rule').length, 1);
    assert.deepEqual(org.impersonationRoles!.map((r) => r.name), ['Hand', 'Mail archiver', org.impersonationRoles![2]!.name, 'E-discovery search']);
    assert.equal(org.booking!.length, 3);
  });

  it('serves them in the sample’s acme-labs', async () => {
    const emu = await startEmulator({ port: 0, seed: sampleSeed });
    try {
      const west = clientFor(emu, 'us-west-2');
      const OrganizationId = SAMPLE_ORGS.acmeLabs;
      const booking = emu.booking(OrganizationId);
      const manual = booking.find((b) => !b.bookingOptions.AutoAcceptRequests)!;
      assert.equal((await west.send(new DescribeResourceCommand({ OrganizationId, ResourceId: manual.resourceId }))).BookingOptions?.AutoAcceptRequests, false);
      const listed = await west.send(new ListResourceDelegatesCommand({ OrganizationId, ResourceId: manual.resourceId }));
      assert.deepEqual(listed.Delegates?.map((d) => d.Id), manual.delegates.map((d) => d.id));
      const roles = (await west.send(new ListImpersonationRolesCommand({ OrganizationId }))).Roles ?? [];
      assert.equal(roles.length, 3);
      const archiver = emu.impersonationRoles(OrganizationId).find((r) => r.name === 'Mail archiver')!;
      const denied = archiver.rules.find((r) => r.effect === 'DENY')!.targetUsers![0]!;
      const out = await west.send(new GetImpersonationRoleEffectCommand({ OrganizationId, ImpersonationRoleId: archiver.id, TargetUser: denied }));
      assert.equal(out.Effect, 'DENY');
      assert.deepEqual((await west.send(new ListAccessControlRulesCommand({ OrganizationId }))).Rules?.length, 3);
    } finally {
      await emu.stop();
    }
  });
});
