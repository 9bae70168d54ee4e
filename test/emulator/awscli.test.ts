// The AWS CLI (botocore) as a second, independent client: its signer, serializer and paginator
// share no code with the JavaScript SDK.
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../emulator/index';
import { AwsCli, SAMPLE_ORGS, sampleId, type CliResult } from './helpers';

describe('emulator: the AWS CLI as a client', function () {
  // Installing awscli with apt-get on a fresh machine can take a minute or two.
  this.timeout(240_000);
  let emu: Emulator;
  let aws: AwsCli;

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
    emu.clearCalls();
  });

  const run = (region: string, args: string[]): Promise<CliResult> => aws.run(region, args);
  const ok = (region: string, args: string[]): Promise<unknown> => aws.ok(region, args);

  it('lists the organizations of a region', async () => {
    const out = (await ok('us-east-1', ['list-organizations'])) as { OrganizationSummaries: { Alias: string }[] };
    assert.deepEqual(out.OrganizationSummaries.map((o) => o.Alias).sort(), ['acme', 'acme-archive']);
  });

  it('pages through 260 users with a small page size, one ListUsers call per page', async () => {
    const out = (await ok('us-west-2', ['list-users', '--organization-id', SAMPLE_ORGS.acmeLabs, '--page-size', '50'])) as { Users: { Id: string }[] };
    assert.equal(out.Users.length, 260);
    assert.equal(new Set(out.Users.map((u) => u.Id)).size, 260);
    const listCalls = emu.calls().filter((c) => c.operation === 'ListUsers');
    assert.equal(listCalls.length, 6);
    assert.ok(listCalls.every((c) => c.status === 200 && (c.params as { MaxResults: number }).MaxResults === 50));
    assert.ok(listCalls.slice(1).every((c) => typeof (c.params as { NextToken?: string }).NextToken === 'string'));
  });

  it('shows what real directories hold: S-1-... IDs, empty display names, users without a mailbox', async () => {
    const out = (await ok('us-west-2', ['list-users', '--organization-id', SAMPLE_ORGS.acmeLabs])) as { Users: Array<{ Id: string; DisplayName?: string; Email?: string; State: string; UserRole?: string }> };
    assert.ok(out.Users.some((u) => /^S-1-1-11-/.test(u.Id)), 'an S-ID');
    assert.ok(out.Users.some((u) => u.DisplayName === ''), 'an empty display name');
    const mailboxless = out.Users.filter((u) => u.Email === undefined);
    assert.ok(mailboxless.length > 0 && mailboxless.every((u) => u.State === 'DISABLED'), 'users without a mailbox, disabled');
    assert.ok(mailboxless.some((u) => u.UserRole === 'SYSTEM_USER'), 'a disabled system user with no email');
  });

  it('puts, lists and deletes mailbox permissions', async () => {
    const org = SAMPLE_ORGS.acme;
    await ok('us-east-1', ['put-mailbox-permissions', '--organization-id', org, '--entity-id', 'grace.kim', '--grantee-id', 'maya.patel', '--permission-values', 'SEND_AS', 'SEND_ON_BEHALF']);
    const listed = (await ok('us-east-1', ['list-mailbox-permissions', '--organization-id', org, '--entity-id', 'grace.kim'])) as {
      Permissions: { GranteeId: string; GranteeType: string; PermissionValues: string[] }[];
    };
    assert.deepEqual(listed.Permissions.find((p) => p.GranteeId === sampleId('acme', 'maya.patel')), {
      GranteeId: sampleId('acme', 'maya.patel'),
      GranteeType: 'USER',
      PermissionValues: ['SEND_AS', 'SEND_ON_BEHALF'],
    });
    await ok('us-east-1', ['delete-mailbox-permissions', '--organization-id', org, '--entity-id', 'grace.kim', '--grantee-id', 'maya.patel']);
    assert.equal(emu.grants(org).some((g) => g.granteeId === sampleId('acme', 'maya.patel') && g.mailboxId === sampleId('acme', 'grace.kim')), false);
  });

  describe('the other routes into a mailbox', () => {
    const org = SAMPLE_ORGS.acme;
    const ARCHIVER = '7d3f0a52-5c1e-4b8a-9f2d-3e6a1b0c4d01';
    const calls = (operation: string) => emu.calls().filter((c) => c.operation === operation);

    it('reads booking options and pages through delegates, one ListResourceDelegates call per page', async () => {
      const described = (await ok('us-east-1', ['describe-resource', '--organization-id', org, '--resource-id', 'room-borealis'])) as { BookingOptions: Record<string, boolean> };
      assert.deepEqual(described.BookingOptions, { AutoAcceptRequests: false, AutoDeclineRecurringRequests: false, AutoDeclineConflictingRequests: true });
      const listed = (await ok('us-east-1', ['list-resource-delegates', '--organization-id', org, '--resource-id', 'room-atlas', '--page-size', '1'])) as { Delegates: { Id: string; Type: string }[] };
      assert.deepEqual(listed.Delegates.map((d) => `${d.Id}:${d.Type}`).sort(), [`${sampleId('acme', 'tara.singh')}:USER`, `${sampleId('acme', 'executives')}:GROUP`].sort());
      assert.equal(calls('ListResourceDelegates').length, 2);
    });

    it('associates and disassociates a delegate and updates booking options', async () => {
      await ok('us-east-1', ['associate-delegate-to-resource', '--organization-id', org, '--resource-id', 'projector-1', '--entity-id', 'grace.kim@acme.example.com']);
      await ok('us-east-1', ['update-resource', '--organization-id', org, '--resource-id', 'projector-1', '--booking-options', 'AutoAcceptRequests=false,AutoDeclineRecurringRequests=false,AutoDeclineConflictingRequests=true']);
      const projector = emu.booking(org).find((b) => b.resourceId === sampleId('acme', 'projector-1'))!;
      assert.deepEqual(projector.delegates, [{ id: sampleId('acme', 'grace.kim'), type: 'USER' }]);
      assert.equal(projector.bookingOptions.AutoAcceptRequests, false);
      await ok('us-east-1', ['disassociate-delegate-from-resource', '--organization-id', org, '--resource-id', 'room-atlas', '--entity-id', 'executives']);
      assert.deepEqual(emu.booking(org).find((b) => b.resourceId === sampleId('acme', 'room-atlas'))!.delegates.map((d) => d.type), ['USER']);
      const refused = await run('us-east-1', ['update-resource', '--organization-id', org, '--resource-id', 'room-atlas', '--booking-options', 'AutoAcceptRequests=true', '--name', 'room-borealis']);
      assert.notEqual(refused.status, 0);
      assert.match(refused.stderr, /NameAvailabilityException/);
    });

    it('lists, reads, tests, creates, updates and deletes impersonation roles', async () => {
      const listed = (await ok('us-east-1', ['list-impersonation-roles', '--organization-id', org])) as { Roles: { ImpersonationRoleId: string; Name: string }[] };
      assert.equal(listed.Roles.length, 3);
      const role = (await ok('us-east-1', ['get-impersonation-role', '--organization-id', org, '--impersonation-role-id', ARCHIVER])) as { Rules: { Effect: string }[] };
      assert.deepEqual(role.Rules.map((r) => r.Effect), ['ALLOW', 'DENY']);
      const denied = (await ok('us-east-1', ['get-impersonation-role-effect', '--organization-id', org, '--impersonation-role-id', ARCHIVER, '--target-user', 'alice.johnson'])) as { Effect: string; MatchedRules: { ImpersonationRuleId: string }[] };
      assert.deepEqual([denied.Effect, denied.MatchedRules.map((r) => r.ImpersonationRuleId)], ['DENY', ['not-the-ceo']]);
      const rules = JSON.stringify([{ ImpersonationRuleId: 'support', Effect: 'ALLOW', TargetUsers: ['olivia.brown', 'pedro.silva'] }]);
      const created = (await ok('us-east-1', ['create-impersonation-role', '--organization-id', org, '--name', 'Helpdesk tool', '--type', 'FULL_ACCESS', '--rules', rules])) as { ImpersonationRoleId: string };
      assert.ok(emu.impersonationRoles(org).some((r) => r.id === created.ImpersonationRoleId && r.type === 'FULL_ACCESS'));
      await ok('us-east-1', ['update-impersonation-role', '--organization-id', org, '--impersonation-role-id', created.ImpersonationRoleId, '--name', 'Helpdesk tool', '--type', 'READ_ONLY', '--rules', '[]']);
      assert.deepEqual(emu.impersonationRoles(org).find((r) => r.id === created.ImpersonationRoleId)!.rules, []);
      await ok('us-east-1', ['delete-impersonation-role', '--organization-id', org, '--impersonation-role-id', created.ImpersonationRoleId]);
      assert.equal(emu.impersonationRoles(org).length, 3);
      const missing = await run('us-east-1', ['get-impersonation-role', '--organization-id', org, '--impersonation-role-id', created.ImpersonationRoleId]);
      assert.notEqual(missing.status, 0);
      assert.match(missing.stderr, /ResourceNotFoundException/);
    });

    it('lists, tests, puts and deletes access control rules', async () => {
      const listed = (await ok('us-east-1', ['list-access-control-rules', '--organization-id', org])) as { Rules: { Name: string }[] };
      assert.deepEqual(listed.Rules.map((r) => r.Name), ['default-rule', 'imap-office-only', 'no-webmail-noah']);
      const effect = async (action: string, ip: string) =>
        (await ok('us-east-1', ['get-access-control-effect', '--organization-id', org, '--ip-address', ip, '--action', action, '--user-id', sampleId('acme', 'grace.kim')])) as { Effect: string; MatchedRules: string[] };
      assert.deepEqual(await effect('IMAP', '203.0.113.9'), { Effect: 'DENY', MatchedRules: ['imap-office-only'] });
      await ok('us-east-1', ['put-access-control-rule', '--organization-id', org, '--name', 'no-smtp-grace', '--effect', 'DENY', '--description', 'No SMTP for Grace', '--actions', 'SMTP', '--user-ids', sampleId('acme', 'grace.kim')]);
      assert.deepEqual(await effect('SMTP', '198.51.100.7'), { Effect: 'DENY', MatchedRules: ['no-smtp-grace'] });
      await ok('us-east-1', ['delete-access-control-rule', '--organization-id', org, '--name', 'no-smtp-grace']);
      await ok('us-east-1', ['delete-access-control-rule', '--organization-id', org, '--name', 'no-smtp-grace']);
      assert.deepEqual(emu.accessControlRules(org).map((r) => r.name), ['default-rule', 'imap-office-only', 'no-webmail-noah']);
      const roleOnImap = await run('us-east-1', ['get-access-control-effect', '--organization-id', org, '--ip-address', '198.51.100.7', '--action', 'IMAP', '--impersonation-role-id', ARCHIVER]);
      assert.notEqual(roleOnImap.status, 0);
      assert.match(roleOnImap.stderr, /InvalidParameterException/);
    });
  });

  it('fails clearly, naming the field, for an invalid organization ID', async () => {
    // 34 characters, so botocore's own length check passes and the emulator's pattern check answers.
    const result = await run('us-east-1', ['list-users', '--organization-id', 'm-NOTHEX0000000000000000000000000x']);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /InvalidParameterException/);
    assert.match(result.stderr, /organizationId/);
    assert.equal(emu.calls()[0]?.errorCode, 'InvalidParameterException');
  });

  it('is refused with a wrong secret', async () => {
    const saved = aws.env['AWS_SECRET_ACCESS_KEY'];
    aws.env['AWS_SECRET_ACCESS_KEY'] = 'wrong-secret';
    try {
      const result = await run('us-east-1', ['list-organizations']);
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /InvalidSignatureException/);
    } finally {
      aws.env['AWS_SECRET_ACCESS_KEY'] = saved;
    }
  });
});
