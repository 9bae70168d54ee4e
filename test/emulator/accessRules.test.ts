// Access control rules through the real SDK: the list (at most 10, the default rule in every
// organization), the effect for an address, protocol and user or role, Put (a rule of the same name
// replaces the older one) and Delete (a missing rule answers 200), their errors, the two access-rule
// variants, the ground truth, and the seed's rules checked on load.
import assert from 'node:assert/strict';
import {
  DeleteAccessControlRuleCommand,
  GetAccessControlEffectCommand,
  ListAccessControlRulesCommand,
  PutAccessControlRuleCommand,
  type AccessControlRule,
  type PutAccessControlRuleRequest,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import { ACCESS_RULES_LISTED, DEFAULT_ACCESS_RULE, startEmulator, type Emulator } from '../../emulator/index';
import { InvalidSeedError, checkSeed, type SeedDocument } from '../../emulator/seed';
import { parseVariantFlag } from '../../emulator/variants';
import { EMULATOR_CREDENTIALS, SAMPLE_ORGS, clientFor, rejectsWith, sampleId, sampleSeed } from './helpers';

const ACME = SAMPLE_ORGS.acme;
const id = (name: string): string => sampleId('acme', name);
const ARCHIVER = '7d3f0a52-5c1e-4b8a-9f2d-3e6a1b0c4d01';
const CRM = '2b8e6c14-9a7d-4f3e-8c5b-1d0e7f6a2b02';
const OFFICE_IP = '198.51.100.7';
const HOME_IP = '203.0.113.9';

describe('emulator: access control rules with the real SDK', () => {
  let emu: Emulator;
  let east: WorkMailClient;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    east = clientFor(emu, 'us-east-1');
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    emu.setVariants({});
  });

  const rules = async (org: string = ACME, client = east): Promise<AccessControlRule[]> => (await client.send(new ListAccessControlRulesCommand({ OrganizationId: org }))).Rules ?? [];
  const effect = async (action: string, ip: string, who: { UserId?: string; ImpersonationRoleId?: string }) => {
    const out = await east.send(new GetAccessControlEffectCommand({ OrganizationId: ACME, Action: action, IpAddress: ip, ...who }));
    return `${out.Effect} ${(out.MatchedRules ?? []).join(',')}`.trim();
  };
  const put = (rule: Omit<PutAccessControlRuleRequest, 'OrganizationId' | 'Description'> & { Description?: string }) =>
    east.send(new PutAccessControlRuleCommand({ OrganizationId: ACME, Description: 'A test rule', ...rule }));

  describe('the sample', () => {
    it('lists the default rule and two DENY rules in the order they were created', async () => {
      const listed = await rules();
      assert.deepEqual(listed.map((r) => r.Name), ['default-rule', 'imap-office-only', 'no-webmail-noah']);
      assert.deepEqual(listed[0], {
        Name: 'default-rule',
        Effect: 'ALLOW',
        Description: DEFAULT_ACCESS_RULE.description,
        DateCreated: new Date('2022-03-01T00:00:00.000Z'),
        DateModified: new Date('2022-03-01T00:00:00.000Z'),
      });
      assert.deepEqual([listed[1]!.Effect, listed[1]!.Actions, listed[1]!.NotIpRanges], ['DENY', ['IMAP'], ['198.51.100.0/24']]);
      assert.deepEqual([listed[2]!.Actions, listed[2]!.UserIds], [['WebMail'], [id('noah.fischer')]]);
      await rejectsWith(east.send(new ListAccessControlRulesCommand({ OrganizationId: SAMPLE_ORGS.acmeArchive })), 'OrganizationStateException');
    });

    it('gives every organization WorkMail’s default rule when its seed writes none', async () => {
      const globex = await rules(SAMPLE_ORGS.globex, clientFor(emu, 'us-east-1', EMULATOR_CREDENTIALS.other));
      assert.deepEqual(globex.map((r) => [r.Name, r.Effect, r.Actions, r.IpRanges, r.UserIds]), [['default-rule', 'ALLOW', undefined, undefined, undefined]]);
      assert.deepEqual(emu.accessControlRules(SAMPLE_ORGS.acmeEu).map((r) => r.name), ['default-rule']);
    });

    it('answers the effect: a DENY that matches wins over the default rule (deny-wins)', async () => {
      assert.equal(await effect('IMAP', OFFICE_IP, { UserId: id('grace.kim') }), 'ALLOW default-rule');
      assert.equal(await effect('IMAP', HOME_IP, { UserId: id('grace.kim') }), 'DENY imap-office-only');
      assert.equal(await effect('WebMail', OFFICE_IP, { UserId: id('noah.fischer') }), 'DENY no-webmail-noah');
      assert.equal(await effect('IMAP', OFFICE_IP, { UserId: id('noah.fischer') }), 'ALLOW default-rule');
      assert.equal(await effect('WebMail', HOME_IP, { UserId: id('grace.kim') }), 'ALLOW default-rule');
      assert.equal(await effect('EWS', HOME_IP, { ImpersonationRoleId: ARCHIVER }), 'ALLOW default-rule');
    });

    it('refuses an effect request without exactly one of user and role, a role on another protocol, an unknown protocol, user or role', async () => {
      const ask = (fields: Record<string, string>) => east.send(new GetAccessControlEffectCommand({ OrganizationId: ACME, Action: 'EWS', IpAddress: OFFICE_IP, ...fields }));
      await rejectsWith(ask({}), 'InvalidParameterException');
      await rejectsWith(ask({ UserId: id('grace.kim'), ImpersonationRoleId: ARCHIVER }), 'InvalidParameterException');
      assert.match((await rejectsWith(ask({ ImpersonationRoleId: ARCHIVER, Action: 'IMAP' }), 'InvalidParameterException')).message, /only be used with Action EWS/);
      await rejectsWith(ask({ UserId: id('grace.kim'), Action: 'POP3' }), 'InvalidParameterException');
      await rejectsWith(ask({ UserId: id('grace.kim'), Action: 'imap' }), 'InvalidParameterException');
      await rejectsWith(ask({ UserId: id('grace.kim'), IpAddress: '300.1.1.1' }), 'InvalidParameterException');
      await rejectsWith(ask({ UserId: '00000000-0000-4000-8000-00000000dead' }), 'EntityNotFoundException');
      await rejectsWith(ask({ UserId: id('sales') }), 'EntityNotFoundException');
      // "The user ID": a name or an email long enough for the model is still not an ID.
      await rejectsWith(ask({ UserId: 'noah.fischer@acme.example.com' }), 'EntityNotFoundException');
      await rejectsWith(ask({ ImpersonationRoleId: 'no-such-role' }), 'ResourceNotFoundException');
    });

    it('gives the ground truth in the seed’s shape', async () => {
      const truth = emu.accessControlRules(ACME);
      assert.deepEqual(truth[2], {
        name: 'no-webmail-noah',
        effect: 'DENY',
        description: 'No WebMail for Noah Fischer (shared workstation)',
        actions: ['WebMail'],
        userIds: [id('noah.fischer')],
        dateCreated: '2024-11-05T16:45:00.000Z',
        dateModified: '2024-11-05T16:45:00.000Z',
      });
      assert.deepEqual(await (await fetch(`${emu.url}/__emulator/organizations/${ACME}/access-control-rules`)).json(), truth);
    });
  });

  describe('PutAccessControlRule and DeleteAccessControlRule', () => {
    it('adds a rule at the end, and a rule of the same name replaces the older one in its place, keeping its creation date', async () => {
      await put({ Name: 'no-smtp-grace', Effect: 'DENY', Actions: ['SMTP'], UserIds: [id('grace.kim')] });
      let listed = await rules();
      assert.deepEqual(listed.map((r) => r.Name), ['default-rule', 'imap-office-only', 'no-webmail-noah', 'no-smtp-grace']);
      assert.equal(await effect('SMTP', OFFICE_IP, { UserId: id('grace.kim') }), 'DENY no-smtp-grace');
      const created = listed[1]!.DateCreated!;
      await put({ Name: 'imap-office-only', Effect: 'DENY', Description: 'IMAP and ActiveSync from the office only', Actions: ['IMAP', 'ActiveSync'], NotIpRanges: ['198.51.100.0/24', '192.0.2.0/24'] });
      listed = await rules();
      assert.deepEqual(listed.map((r) => r.Name), ['default-rule', 'imap-office-only', 'no-webmail-noah', 'no-smtp-grace'], 'replaced in its place');
      assert.deepEqual(listed[1]!.Actions, ['IMAP', 'ActiveSync']);
      assert.deepEqual(listed[1]!.DateCreated, created);
      assert.ok(listed[1]!.DateModified! > created);
      assert.equal(await effect('ActiveSync', HOME_IP, { UserId: id('grace.kim') }), 'DENY imap-office-only');
      assert.equal(await effect('IMAP', '192.0.2.44', { UserId: id('grace.kim') }), 'ALLOW default-rule');
    });

    it('matches roles by ImpersonationRoleIds and NotImpersonationRoleIds, and addresses by IpRanges', async () => {
      await put({ Name: 'ews-archiver-only', Effect: 'DENY', Actions: ['EWS'], NotImpersonationRoleIds: [ARCHIVER] });
      assert.equal(await effect('EWS', HOME_IP, { ImpersonationRoleId: ARCHIVER }), 'ALLOW default-rule');
      assert.equal(await effect('EWS', HOME_IP, { ImpersonationRoleId: CRM }), 'DENY ews-archiver-only');
      assert.equal(await effect('EWS', HOME_IP, { UserId: id('grace.kim') }), 'DENY ews-archiver-only', 'a rule that names no user or role matches users too');
      await put({ Name: 'crm-from-datacenter', Effect: 'DENY', Actions: ['EWS'], ImpersonationRoleIds: [CRM], NotIpRanges: ['10.20.0.0/16'] });
      await put({ Name: 'ews-archiver-only', Effect: 'ALLOW', Actions: ['EWS'], IpRanges: ['10.0.0.0/8'], UserIds: [id('maya.patel')], NotUserIds: [id('noah.fischer')] });
      assert.equal(await effect('EWS', '10.20.3.4', { ImpersonationRoleId: CRM }), 'ALLOW default-rule');
      assert.equal(await effect('EWS', '10.21.3.4', { ImpersonationRoleId: CRM }), 'DENY crm-from-datacenter');
      assert.equal(await effect('EWS', '10.21.3.4', { UserId: id('maya.patel') }), 'ALLOW default-rule,ews-archiver-only');
      assert.equal(await effect('EWS', '10.21.3.4', { UserId: id('noah.fischer') }), 'ALLOW default-rule');
    });

    it('refuses an unknown user or role, an unknown protocol, a bad range and a missing description, and changes nothing', async () => {
      const before = emu.accessControlRules(ACME);
      await rejectsWith(put({ Name: 'x', Effect: 'DENY', UserIds: ['nobody.here.at.all'] }), 'EntityNotFoundException');
      await rejectsWith(put({ Name: 'x', Effect: 'DENY', UserIds: ['noah.fischer@acme.example.com'] }), 'EntityNotFoundException');
      await rejectsWith(put({ Name: 'x', Effect: 'DENY', UserIds: ['grace.kim'] }), 'InvalidParameterException');
      await rejectsWith(put({ Name: 'x', Effect: 'DENY', NotUserIds: [id('executives')] }), 'EntityNotFoundException');
      await rejectsWith(put({ Name: 'x', Effect: 'DENY', ImpersonationRoleIds: ['no-such-role'] }), 'ResourceNotFoundException');
      assert.match((await rejectsWith(put({ Name: 'x', Effect: 'DENY', Actions: ['Telnet'] }), 'InvalidParameterException')).message, /Telnet .*ActiveSync, AutoDiscover, EWS, IMAP, SMTP, WindowsOutlook, WebMail/);
      await rejectsWith(put({ Name: 'x', Effect: 'DENY', IpRanges: ['10.0.0.0/33'] }), 'InvalidParameterException');
      await rejectsWith(put({ Name: 'has space', Effect: 'DENY' }), 'InvalidParameterException');
      await rejectsWith(east.send(new PutAccessControlRuleCommand({ OrganizationId: ACME, Name: 'x', Effect: 'DENY' } as PutAccessControlRuleRequest)), 'InvalidParameterException');
      assert.deepEqual(emu.accessControlRules(ACME), before);
    });

    it('deletes a rule, a missing one too; with every rule deleted, every access is denied', async () => {
      await east.send(new DeleteAccessControlRuleCommand({ OrganizationId: ACME, Name: 'no-such-rule' }));
      await east.send(new DeleteAccessControlRuleCommand({ OrganizationId: ACME, Name: 'no-webmail-noah' }));
      assert.equal(await effect('WebMail', OFFICE_IP, { UserId: id('noah.fischer') }), 'ALLOW default-rule');
      for (const name of ['default-rule', 'imap-office-only']) await east.send(new DeleteAccessControlRuleCommand({ OrganizationId: ACME, Name: name }));
      const listed = await east.send(new ListAccessControlRulesCommand({ OrganizationId: ACME }));
      assert.deepEqual(listed.Rules, []);
      assert.equal(await effect('IMAP', OFFICE_IP, { UserId: id('grace.kim') }), 'DENY');
      assert.equal(await effect('EWS', OFFICE_IP, { ImpersonationRoleId: ARCHIVER }), 'DENY');
    });
  });

  describe('variants', () => {
    it('access-rule-combination: any matching DENY wins, or the first matching rule in list order decides', async () => {
      assert.equal(await effect('IMAP', HOME_IP, { UserId: id('grace.kim') }), 'DENY imap-office-only');
      emu.setVariants({ 'access-rule-combination': 'first-match' });
      assert.equal(await effect('IMAP', HOME_IP, { UserId: id('grace.kim') }), 'ALLOW default-rule', 'the default rule comes first');
      // A rule replaced by name keeps its place; deleted and put again, it comes last.
      await east.send(new DeleteAccessControlRuleCommand({ OrganizationId: ACME, Name: 'default-rule' }));
      await put({ Name: 'default-rule', Effect: 'ALLOW', Description: 'Everyone else' });
      assert.deepEqual((await rules()).map((r) => r.Name), ['imap-office-only', 'no-webmail-noah', 'default-rule']);
      assert.equal(await effect('IMAP', HOME_IP, { UserId: id('grace.kim') }), 'DENY imap-office-only');
      assert.equal(await effect('IMAP', OFFICE_IP, { UserId: id('grace.kim') }), 'ALLOW default-rule');
      emu.setVariants({});
      assert.equal(await effect('IMAP', OFFICE_IP, { UserId: id('grace.kim') }), 'ALLOW default-rule');
    });

    it('access-rule-limit=10: an 11th rule is refused, a replacement is not', async () => {
      for (let i = 3; i < 10; i++) await put({ Name: `rule-${i}`, Effect: 'ALLOW', Actions: ['SMTP'] });
      assert.equal((await rules()).length, ACCESS_RULES_LISTED);
      assert.match((await rejectsWith(put({ Name: 'rule-10', Effect: 'DENY' }), 'LimitExceededException')).message, /already has 10 access control rules/);
      await put({ Name: 'rule-9', Effect: 'DENY', Actions: ['SMTP'] });
      assert.equal(emu.accessControlRules(ACME).length, 10);
    });

    it('access-rule-limit=20: rules past the tenth are kept and applied, but ListAccessControlRules shows only the first ten', async () => {
      emu.setVariants({ 'access-rule-limit': '20' });
      for (let i = 3; i < 14; i++) await put({ Name: `rule-${i}`, Effect: 'ALLOW', Actions: ['AutoDiscover'] });
      await put({ Name: 'no-smtp-grace', Effect: 'DENY', Actions: ['SMTP'], UserIds: [id('grace.kim')] });
      assert.equal(emu.accessControlRules(ACME).length, 15);
      const listed = await rules();
      assert.equal(listed.length, 10);
      assert.ok(!listed.some((r) => r.Name === 'no-smtp-grace'), 'not listed');
      assert.equal(await effect('SMTP', OFFICE_IP, { UserId: id('grace.kim') }), 'DENY no-smtp-grace', 'yet applied');
      for (let i = 14; i < 19; i++) await put({ Name: `rule-${i}`, Effect: 'ALLOW' });
      await rejectsWith(put({ Name: 'rule-19', Effect: 'ALLOW' }), 'LimitExceededException');
      assert.deepEqual(parseVariantFlag('access-rule-limit=20'), ['access-rule-limit', '20']);
      assert.throws(() => emu.setVariants({ 'access-rule-limit': '30' }), /access-rule-limit is one of 10, 20/);
    });
  });
});

describe('emulator: access control rules in the seed', () => {
  const withRules = (accessControlRules: unknown): SeedDocument => {
    const seed = JSON.parse(JSON.stringify(sampleSeed)) as SeedDocument;
    (seed.accounts[0]!.organizations![0] as unknown as Record<string, unknown>)['accessControlRules'] = accessControlRules;
    return seed;
  };
  const refused = (accessControlRules: unknown, message: RegExp) =>
    assert.throws(() => checkSeed(withRules(accessControlRules)), (error: Error) => error instanceof InvalidSeedError && message.test(error.message), JSON.stringify(accessControlRules));

  it('is checked on load, naming the path and what is wrong; a role no longer there may be named', () => {
    const rule = { name: 'r', effect: 'DENY' };
    checkSeed(withRules([]));
    checkSeed(withRules([{ ...rule, impersonationRoleIds: ['deleted-role'], ipRanges: ['10.0.0.0/8'], actions: ['EWS'] }]));
    refused([rule, rule], /accessControlRules\[1\]\.name r is used twice/);
    refused([{ ...rule, name: 'no spaces please' }], /accessControlRules\[0\]\.name must be 1 to 64 letters/);
    refused([{ ...rule, effect: 'BLOCK' }], /accessControlRules\[0\]\.effect must be one of ALLOW, DENY/);
    refused([{ ...rule, description: 'tab\there' }], /accessControlRules\[0\]\.description must be 1 to 255 characters/);
    refused([{ ...rule, actions: ['POP3'] }], /accessControlRules\[0\]\.actions\[0\] must be one of ActiveSync/);
    refused([{ ...rule, notIpRanges: ['10.0.0.0'] }], /accessControlRules\[0\]\.notIpRanges\[0\] must be an IPv4 CIDR range/);
    refused([{ ...rule, userIds: [id('sales')] }], /accessControlRules\[0\]\.userIds\[0\] .* is not a user of the organization/);
    refused([{ ...rule, notImpersonationRoleIds: ['bad role!'] }], /notImpersonationRoleIds\[0\] must be 1 to 64 letters/);
  });

  it('holds exactly what it writes: no rule at all blocks every access', async () => {
    const emu = await startEmulator({ port: 0, seed: withRules([]) });
    try {
      const east = clientFor(emu, 'us-east-1');
      assert.deepEqual((await east.send(new ListAccessControlRulesCommand({ OrganizationId: ACME }))).Rules, []);
      const out = await east.send(new GetAccessControlEffectCommand({ OrganizationId: ACME, Action: 'IMAP', IpAddress: OFFICE_IP, UserId: id('grace.kim') }));
      assert.equal(out.Effect, 'DENY');
    } finally {
      await emu.stop();
    }
  });
});
