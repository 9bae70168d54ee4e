// Generator, seed documents and model-driven validation, tested without HTTP where possible.
import assert from 'node:assert/strict';
import { ListUsersCommand } from '@aws-sdk/client-workmail';
import { GENERATED_ORG_ID, generateDirectory, generatedSeedDocument } from '../../emulator/generate';
import { startEmulator } from '../../emulator/index';
import { RequestValidator, loadServiceModel, type ServiceModel } from '../../emulator/model';
import { SUPPORTED_OPERATIONS } from '../../emulator/server';
import { InvalidSeedError, checkSeed, expandSeed, type SeedDocument } from '../../emulator/seed';
import { clientFor, sampleSeed } from './helpers';

describe('emulator: generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const options = { users: 300, seed: 5, domain: 'd.example.com' };
    assert.deepEqual(generateDirectory(options), generateDirectory(options));
    assert.notDeepEqual(generateDirectory(options).users[0], generateDirectory({ ...options, seed: 6 }).users[0]);
  });

  // How fast it generates is the benchmark's business (npm run bench), not a test's.
  it('generates 10,000 users, 500 groups, 200 resources and ~50,000 grants consistently', () => {
    const dir = generateDirectory({ users: 10_000, groups: 500, resources: 200, grants: 50_000, seed: 1, domain: 'big.example.com' });
    assert.equal(dir.users.length, 10_000);
    assert.equal(dir.groups.length, 500);
    assert.equal(dir.resources.length, 200);
    assert.ok(dir.grants.length > 45_000 && dir.grants.length <= 50_000, `${dir.grants.length} grants`);

    const ids = [...dir.users, ...dir.groups, ...dir.resources].map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
    const names = [...dir.users, ...dir.groups, ...dir.resources].map((e) => e.name);
    assert.equal(new Set(names).size, names.length);
    assert.ok(dir.resources.every((r) => /^r-[0-9a-f]{32}$/.test(r.id) && r.name.length <= 20));
    // Both ID forms WorkMail uses: GUIDs and S-1-... (the AWS CLI's examples).
    const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const sid = /^S-1-1-11(-\d+)+$/;
    assert.ok(dir.users.every((u) => guid.test(u.id) || sid.test(u.id)));
    assert.ok(dir.users.some((u) => sid.test(u.id)), 'some users have S-IDs');
    assert.ok(dir.users.some((u) => u.displayName === ''), 'some users have an empty display name');
    // Users without a mailbox (never registered, and system users) are DISABLED with no email.
    const mailboxless = dir.users.filter((u) => u.email === undefined);
    assert.ok(mailboxless.length > 0 && mailboxless.every((u) => u.state === 'DISABLED'));
    assert.ok(dir.users.filter((u) => u.role === 'SYSTEM_USER').every((u) => u.email === undefined && u.state === 'DISABLED'));
    const noMailbox = new Set(mailboxless.map((u) => u.id));
    assert.ok(!dir.grants.some((g) => noMailbox.has(g.mailbox)), 'no permissions on a user without a mailbox');
    assert.ok(dir.users.some((u) => u.state === 'DISABLED'));
    assert.ok(dir.users.some((u) => u.state === 'DELETED'));
    assert.ok(dir.users.some((u) => u.role === 'SYSTEM_USER'));

    const known = new Set(ids);
    const pairs = new Set(dir.grants.map((g) => `${g.mailbox}|${g.grantee}`));
    assert.equal(pairs.size, dir.grants.length);
    assert.ok(dir.grants.every((g) => g.rights.length > 0 && g.mailbox !== g.grantee && known.has(g.mailbox)));
    assert.ok(dir.grants.some((g) => !known.has(g.grantee)), 'some grants go to IDs not in the directory');
    const disabled = new Set(dir.users.filter((u) => u.state !== 'ENABLED').map((u) => u.id));
    assert.ok(dir.grants.some((g) => disabled.has(g.grantee)));

    // Groups only nest groups generated before them, so membership has no cycles.
    const position = new Map(dir.groups.map((g, i) => [g.id, i]));
    dir.groups.forEach((g, i) => {
      for (const member of g.members ?? []) if (position.has(member)) assert.ok(position.get(member)! < i);
    });
  });

  it('serves a generated 10,000-user organization that pages in 100 calls', async () => {
    const emu = await startEmulator({ port: 0, seed: generatedSeedDocument(10_000, 3) });
    try {
      const client = clientFor(emu, 'us-east-1');
      let token: string | undefined;
      let count = 0;
      let calls = 0;
      do {
        const page = await client.send(new ListUsersCommand({ OrganizationId: GENERATED_ORG_ID, MaxResults: 100, NextToken: token }));
        count += page.Users!.length;
        token = page.NextToken;
        calls++;
      } while (token);
      assert.equal(count, 10_000);
      assert.equal(calls, 100);
    } finally {
      await emu.stop();
    }
  });
});

describe('emulator: seed documents', () => {
  const minimal = (org: Record<string, unknown>): SeedDocument =>
    ({ accounts: [{ name: 'a', accessKeys: [{ accessKeyId: 'AKIDX', secretAccessKey: 's' }], organizations: [org] }] }) as unknown as SeedDocument;

  it('rejects mistakes with the path to the problem', () => {
    assert.throws(() => checkSeed({ accounts: [] }), InvalidSeedError);
    assert.throws(() => checkSeed(minimal({ id: 'm-123', alias: 'x', region: 'us-east-1' })), /organizations\[0\]\.id/);
    assert.throws(() => checkSeed(minimal({ id: `m-${'a'.repeat(32)}`, alias: 'x', region: 'ap-south-1' })), /region/);
    assert.throws(
      () => checkSeed(minimal({ id: `m-${'a'.repeat(32)}`, alias: 'x', region: 'us-east-1', users: [{ id: 'u', name: 'a' }, { id: 'u', name: 'b' }] })),
      /used twice/,
    );
  });

  it('expands generate blocks after the hand-written entities', () => {
    const expanded = expandSeed(minimal({ id: `m-${'a'.repeat(32)}`, alias: 'x', region: 'us-east-1', users: [{ id: 'hand', name: 'hand.written' }], generate: { users: 10, seed: 1 } }));
    const org = expanded.accounts[0]!.organizations![0]!;
    assert.equal(org.users!.length, 11);
    assert.equal(org.users![0]!.id, 'hand');
    assert.ok(org.users!.slice(1).every((u) => u.email === undefined || u.email.endsWith('@x.example.com')));
    assert.equal(org.generate, undefined);
  });

  it('keeps the sample seed the demo and the extension-host tests rely on', () => {
    checkSeed(sampleSeed);
    const [main, other] = sampleSeed.accounts;
    const acme = main!.organizations!.find((o) => o.alias === 'acme')!;
    assert.equal(acme.region, 'us-east-1');
    assert.ok(acme.users!.length >= 25);
    assert.equal(acme.users!.filter((u) => u.role === 'SYSTEM_USER').length, 1);
    assert.equal(acme.users!.filter((u) => u.state === 'DISABLED').length, 2);
    assert.equal(acme.users!.filter((u) => u.state === 'DELETED').length, 1);
    assert.equal(acme.groups!.length, 7);
    // The directory's oddities the real service has: IDs of the S-1-1-… form (users and groups
    // synchronised from a directory), a display name that is empty, and a user with neither a
    // display name nor an email address.
    const oddUser = acme.users!.find((u) => u.id.startsWith('S-1-1-'));
    assert.equal(oddUser?.displayName, '');
    assert.ok(acme.grants!.some((g) => g.grantee === oddUser!.id) && acme.grants!.some((g) => g.mailbox === oddUser!.id));
    const oddGroup = acme.groups!.find((g) => g.id.startsWith('S-1-1-'));
    assert.ok(oddGroup && (oddGroup.members ?? []).length > 0 && acme.grants!.some((g) => g.grantee === oddGroup.id));
    assert.ok(acme.users!.some((u) => u.displayName === undefined && u.email === undefined));
    assert.equal(acme.resources!.length, 3);
    assert.ok(acme.grants!.length >= 40);
    for (const right of ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF'] as const) assert.ok(acme.grants!.some((g) => g.rights.includes(right)));
    const groupIds = new Set(acme.groups!.map((g) => g.id));
    const userState = new Map(acme.users!.map((u) => [u.id, u.state]));
    assert.ok(acme.grants!.some((g) => groupIds.has(g.grantee)));
    assert.ok(acme.grants!.some((g) => userState.get(g.grantee) === 'DISABLED'));
    assert.ok(acme.grants!.some((g) => userState.get(g.grantee) === 'DELETED'));
    assert.ok(acme.grants!.some((g) => !userState.has(g.grantee) && !groupIds.has(g.grantee)));
    // Nesting three deep: a group containing a group containing a group.
    const memberGroups = (id: string) => acme.groups!.find((g) => g.id === id)!.members!.filter((m) => groupIds.has(m));
    const depth = (id: string): number => 1 + Math.max(0, ...memberGroups(id).map(depth));
    assert.equal(Math.max(...acme.groups!.map((g) => depth(g.id))), 3);

    const aliases = main!.organizations!.map((o) => `${o.alias}:${o.region}:${o.state ?? 'Active'}`).sort();
    // Every organization state the product may meet (the API reference's usable Active, and the
    // states the Terraform provider waits through: Requested, Creating, Deleting, Deleted).
    assert.deepEqual(aliases, [
      'acme-archive:us-east-1:Inactive',
      'acme-eu:eu-west-1:Active',
      'acme-gone:eu-west-1:Deleted',
      'acme-labs:us-west-2:Active',
      'acme-new:eu-west-1:Creating',
      'acme-next:eu-west-1:Requested',
      'acme-old:eu-west-1:Deleting',
      'acme:us-east-1:Active',
    ]);
    assert.equal(main!.organizations!.find((o) => o.alias === 'acme-labs')!.generate!.users, 260);
    assert.deepEqual(other!.organizations!.map((o) => o.alias), ['globex']);
    assert.ok(main!.accessKeys.some((k) => k.sessionToken === 'emulator-session-token'));
  });
});

describe('emulator: model-driven validation', () => {
  const model = loadServiceModel();

  it('knows every operation the emulator serves from the official model', () => {
    const validator = new RequestValidator(model);
    for (const op of SUPPORTED_OPERATIONS) assert.ok(validator.hasOperation(op), op);
  });

  it('takes its constraints from the model file, not from code', () => {
    const strict = new RequestValidator(model);
    const orgId = 'm-ZZZZ0000000000000000000000000001';
    assert.match(strict.validate('DescribeOrganization', { OrganizationId: orgId }).join(), /organizationId/);
    // The same validator over a model whose pattern was relaxed accepts the value.
    const relaxed: ServiceModel = JSON.parse(JSON.stringify(model)) as ServiceModel;
    (relaxed.shapes['OrganizationId'] as { pattern?: string }).pattern = '^m-[0-9A-Z]{32}$';
    assert.deepEqual(new RequestValidator(relaxed).validate('DescribeOrganization', { OrganizationId: orgId }), []);
  });

  it('checks types, lengths, ranges, enums and nested members, and ignores unknown members', () => {
    const v = new RequestValidator(model);
    const org = `m-${'0'.repeat(32)}`;
    assert.deepEqual(v.validate('ListUsers', { OrganizationId: org, MaxResults: 100, Filters: { State: 'ENABLED' }, Extra: true }), []);
    assert.match(v.validate('ListUsers', { OrganizationId: org, MaxResults: '10' }).join(), /'maxResults'.*integer/);
    assert.match(v.validate('ListUsers', { OrganizationId: org, MaxResults: 1.5 }).join(), /'maxResults'/);
    assert.match(v.validate('ListUsers', { OrganizationId: org, Filters: { UsernamePrefix: 'x'.repeat(257) } }).join(), /'filters\.usernamePrefix'.*256/);
    assert.match(v.validate('ListUsers', { OrganizationId: org, Filters: 'ENABLED' }).join(), /'filters'.*structure/);
    assert.match(v.validate('PutMailboxPermissions', { OrganizationId: org, EntityId: 'a', GranteeId: 'b', PermissionValues: 'SEND_AS' }).join(), /'permissionValues'.*list/);
    assert.match(v.validate('ListMailboxPermissions', { OrganizationId: org, EntityId: 'x'.repeat(257) }).join(), /'entityId'/);
    assert.match(v.validate('DescribeEntity', { OrganizationId: org, Email: 'not-an-email' }).join(), /'email'.*pattern/);
    // Sensitive members are named but their value is not echoed.
    const sensitive = v.validate('ListUsers', { OrganizationId: org, Filters: { DisplayNamePrefix: `secret${'x'.repeat(300)}` } }).join();
    assert.match(sensitive, /'filters\.displayNamePrefix'/);
    assert.equal(sensitive.includes('secret'), false);
  });
});
