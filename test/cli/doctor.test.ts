// `workmail-permissions doctor` against the emulator in each variant: read only, and it reports the
// variant the emulator runs for every behaviour a read can tell.
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../emulator/index';
import type { SeedAccessControlRule, SeedDocument, SeedOrganization } from '../../emulator/seedDocument';
import { ACME, BOB, CAROL, ROOM, SALES, seedWithMailboxlessUser } from '../workmail/fixture';
import { cli } from './support';

/** With a user that has no mailbox and a group holding Full access, so every readable variant shows. */
const doctorSeed = () => seedWithMailboxlessUser([{ mailbox: BOB, grantee: SALES, rights: ['FULL_ACCESS'] }]);
const doctor = (args: string[]) => cli(['doctor', ...args]);

const DEFAULT_RULE: SeedAccessControlRule = { name: 'default-rule', effect: 'ALLOW' };

/** The doctor's seed with the other routes: a room whose requests wait for Bob, an archiver role, and access rules. */
function routesSeed(accessControlRules: SeedAccessControlRule[]): SeedDocument {
  const document = doctorSeed();
  const org = document.accounts[0]!.organizations![0]! as { -readonly [K in keyof SeedOrganization]: SeedOrganization[K] };
  org.booking = [{ resource: ROOM, autoAcceptRequests: false, autoDeclineRecurringRequests: true, delegates: [BOB] }];
  org.impersonationRoles = [{ id: 'archiver', name: 'Archiver', type: 'READ_ONLY', rules: [{ id: 'everyone', effect: 'ALLOW' }] }];
  org.accessControlRules = accessControlRules;
  return document;
}

/** Rules that apply to Carol (disabled) alone: they fill the list without deciding anything else. */
const fillers = (count: number): SeedAccessControlRule[] =>
  Array.from({ length: count }, (_, i) => ({ name: `carol-${i + 1}`, effect: 'DENY', actions: ['SMTP'], userIds: [CAROL] }));

const WRITES = /^(Put|Delete|Create|Update|Associate|Disassociate)/;

interface Report {
  variants: Record<string, string>;
  checks: Array<{ name: string; outcome: string; detail: string }>;
}

describe('workmail-permissions doctor', function () {
  this.timeout(60_000);
  let emu: Emulator;

  before(async () => {
    emu = await startEmulator({ port: 0, seed: doctorSeed() });
  });
  after(async () => {
    await emu.stop();
  });

  for (const [mailboxless, describeGroup, granteeIdForm, directoryLag, filterCase] of [
    ['lists', 'not-found', 'as-stored', 'none', 'insensitive'],
    ['entity-state-error', 'invalid-parameter', 'as-given', 'lagging', 'sensitive'],
  ] as const) {
    it(`reports mailboxless-list=${mailboxless}, describe-user-of-group=${describeGroup}, list-filter-case=${filterCase} and grantee-id-form=${granteeIdForm} (when it can tell) with directory-lag=${directoryLag}, and writes nothing`, async () => {
      emu.reset();
      emu.setVariants({ 'mailboxless-list': mailboxless, 'describe-user-of-group': describeGroup, 'grantee-id-form': granteeIdForm, 'directory-lag': directoryLag, 'list-filter-case': filterCase });
      // Another administrator gave Ana Send as on Bob's mailbox by her user name.
      emu.putGrantDirect(ACME.organizationId, BOB, 'ana', ['SEND_AS']);
      emu.clearCalls();
      const result = await doctor(['--profile', 'emulator', '--endpoint', emu.url, '--organization', 'acme', '--format', 'json']);
      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(result.stdout) as { variants: Record<string, string>; checks: Array<{ name: string; outcome: string }> };
      assert.deepEqual(report.variants, {
        'mailboxless-list': mailboxless,
        'describe-user-of-group': describeGroup,
        'list-filter-case': filterCase,
        'group-grantee-full-access': 'allowed',
        // Grantees listed by ID only could be either: as-stored is never claimed.
        ...(granteeIdForm === 'as-given' ? { 'grantee-id-form': 'as-given' } : {}),
      });
      const outcome = (name: string) => report.checks.find((c) => c.name === name)?.outcome;
      assert.equal(outcome('credentials'), 'ok');
      assert.equal(outcome('deleting a grant to an orphaned ID'), 'not-checked');
      assert.equal(outcome('grantee ID form in permissions'), granteeIdForm === 'as-given' ? 'ok' : 'not-checked');
      assert.equal(outcome('directory changes becoming visible'), 'not-checked', 'a read cannot tell');
      assert.ok(!emu.calls().some((c) => c.operation === 'PutMailboxPermissions' || c.operation === 'DeleteMailboxPermissions'), 'read only');
    });
  }

  for (const [combination, autoDecline] of [
    ['deny-wins', 'kept'],
    ['first-match', 'cleared'],
  ] as const) {
    it(`reads the other routes: delegates, roles and rules, and tells access-rule-combination=${combination} and (when it can) auto-decline-without-auto-accept=${autoDecline}, and writes nothing`, async () => {
      emu.reset(routesSeed([DEFAULT_RULE, { name: 'imap-office-only', effect: 'DENY', actions: ['IMAP'], notIpRanges: ['10.0.0.0/8'] }]));
      emu.setVariants({ 'access-rule-combination': combination, 'auto-decline-without-auto-accept': autoDecline });
      emu.clearCalls();
      const result = await doctor(['--profile', 'emulator', '--endpoint', emu.url, '--organization', 'acme', '--format', 'json']);
      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(result.stdout) as Report;
      const check = (name: string) => report.checks.find((c) => c.name === name);
      assert.equal(report.variants['access-rule-combination'], combination);
      assert.equal(report.variants['auto-decline-without-auto-accept'], autoDecline === 'kept' ? 'kept' : undefined, 'cleared flags could have been never set: not claimed');
      assert.equal(check('auto-decline flags without automatic acceptance')?.outcome, autoDecline === 'kept' ? 'ok' : 'not-checked');
      assert.match(check('how ALLOW and DENY rules combine')?.detail ?? '', /IMAP from 192\.0\.2\.10, which "imap-office-only" denies and "default-rule" allows/);
      assert.deepEqual(check('booking delegates'), { name: 'booking delegates', outcome: 'ok', detail: '1 resource read: 1 with delegates (1 delegate)' });
      assert.equal(check('booking options')?.outcome, 'ok');
      assert.deepEqual(check('impersonation roles'), { name: 'impersonation roles', outcome: 'ok', detail: '1 role (1 READ_ONLY, 0 FULL_ACCESS), 1 rule; acting as every user their DENY rules do not name: Archiver' });
      assert.match(check('access rules')?.detail ?? '', /^2 rules listed, the default \(allow everything\) among them$/);
      assert.equal(check('access rules past the list')?.outcome, 'not-checked', 'two rules: the limit cannot be seen');
      assert.equal(check('access rule evaluation')?.outcome, 'ok');
      for (const name of ['delegates while accepting automatically', 'removing the last delegate', "who receives a group delegate's requests", 'what UpdateResource leaves out']) {
        assert.equal(check(name)?.outcome, 'not-checked', `${name}: only a write (or nothing) could tell`);
      }
      assert.deepEqual(emu.calls().filter((c) => WRITES.test(c.operation ?? '')), [], 'read only');
      assert.ok(!emu.calls().some((c) => c.operation === 'GetImpersonationRoleEffect'), 'no question per user');
    });
  }

  it('tells access-rule-limit=20 when the evaluation names a rule the list of 10 does not show, and claims nothing with 10', async () => {
    const listed = [DEFAULT_RULE, ...fillers(9)];
    emu.reset(routesSeed([...listed, { name: 'no-activesync', effect: 'DENY', actions: ['ActiveSync'] }, { name: 'carol-10', effect: 'DENY', actions: ['SMTP'], userIds: [CAROL] }]));
    emu.setVariants({ 'access-rule-limit': '20' });
    let result = await doctor(['--profile', 'emulator', '--endpoint', emu.url, '--organization', 'acme', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    let report = JSON.parse(result.stdout) as Report;
    assert.equal(report.variants['access-rule-limit'], '20');
    const past = report.checks.find((c) => c.name === 'access rules past the list');
    assert.equal(past?.outcome, 'warning');
    assert.match(past?.detail ?? '', /decided by (".*", )?"no-activesync", which ListAccessControlRules does not list: the organization holds more than the 10 rules the list shows/);

    emu.reset(routesSeed(listed));
    emu.setVariants({});
    result = await doctor(['--profile', 'emulator', '--endpoint', emu.url, '--organization', 'acme', '--format', 'json']);
    report = JSON.parse(result.stdout) as Report;
    assert.equal(report.variants['access-rule-limit'], undefined, 'ten listed and nothing past them: either limit fits');
    assert.equal(report.checks.find((c) => c.name === 'access rules past the list')?.outcome, 'not-checked');
  });

  it('names the IAM permission a refused read of the routes needs, and still reads the rest', async () => {
    emu.reset(routesSeed([DEFAULT_RULE]));
    emu.setVariants({});
    emu.setFaults({
      rules: [
        { operation: 'ListImpersonationRoles', error: 'AccessDeniedException', status: 400 },
        { operation: 'ListResourceDelegates', error: 'AccessDeniedException', status: 400 },
        { operation: 'GetAccessControlEffect', error: 'AccessDeniedException', status: 400 },
      ],
    });
    try {
      const result = await doctor(['--profile', 'emulator', '--endpoint', emu.url, '--organization', 'acme', '--format', 'json']);
      assert.equal(result.code, 0, 'a refused read of the routes is a warning, not a failed connection');
      const report = JSON.parse(result.stdout) as Report;
      const check = (name: string) => report.checks.find((c) => c.name === name);
      assert.deepEqual(check('impersonation roles'), { name: 'impersonation roles', outcome: 'warning', detail: 'not allowed: these credentials need workmail:ListImpersonationRoles (IAM)' });
      assert.equal(check('booking delegates')?.detail, 'not allowed: these credentials need workmail:ListResourceDelegates (IAM)');
      assert.equal(check('access rule evaluation')?.detail, 'not allowed: these credentials need workmail:GetAccessControlEffect (IAM)');
      assert.equal(check('booking options')?.outcome, 'ok', 'DescribeResource was allowed');
      assert.equal(check('access rules')?.outcome, 'ok');
    } finally {
      emu.setFaults({});
    }
  });

  it('prints a readable report on the terminal, naming the regions that answer and the account', async () => {
    emu.reset(doctorSeed());
    emu.setVariants({});
    const result = await doctor(['--profile', 'emulator', '--endpoint', emu.url]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^region us-east-1 +ok +answers; 2 organizations: acme \(Active\), acme-paused \(Inactive\)/m);
    assert.match(result.stdout, /^account +ok +111111111111/m);
    assert.match(result.stdout, /Emulator variants this service matched: mailboxless-list=lists, describe-user-of-group=not-found, list-filter-case=insensitive, group-grantee-full-access=allowed/);
  });
});
