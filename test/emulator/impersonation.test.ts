// Impersonation roles through the real SDK: list (at most 20 a page), get, the effect on a target
// user (DENY wins, then ALLOW, else denied), create (idempotent by ClientToken), update (a full
// replacement), delete, their errors, the ground truth, and the seed's roles checked on load.
import assert from 'node:assert/strict';
import {
  CreateImpersonationRoleCommand,
  DeleteImpersonationRoleCommand,
  GetImpersonationRoleCommand,
  GetImpersonationRoleEffectCommand,
  ListImpersonationRolesCommand,
  ListUsersCommand,
  UpdateImpersonationRoleCommand,
  type ImpersonationRole,
  type ImpersonationRule,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import { startEmulator, type Emulator } from '../../emulator/index';
import { InvalidSeedError, checkSeed, type SeedDocument } from '../../emulator/seed';
import { SAMPLE_ORGS, clientFor, rejectsWith, sampleId, sampleSeed } from './helpers';

const ACME = SAMPLE_ORGS.acme;
const id = (name: string): string => sampleId('acme', name);
const ARCHIVER = '7d3f0a52-5c1e-4b8a-9f2d-3e6a1b0c4d01';
const CRM = '2b8e6c14-9a7d-4f3e-8c5b-1d0e7f6a2b02';
const EDISCOVERY = '5e1a9d37-0f4c-4e6b-a2d8-6c3b9e4f1a03';

describe('emulator: impersonation roles with the real SDK', () => {
  let emu: Emulator;
  let east: WorkMailClient;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    east = clientFor(emu, 'us-east-1');
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => emu.reset());

  const effect = async (roleId: string, user: string) => {
    const out = await east.send(new GetImpersonationRoleEffectCommand({ OrganizationId: ACME, ImpersonationRoleId: roleId, TargetUser: user }));
    return { type: out.Type, effect: out.Effect, matched: (out.MatchedRules ?? []).map((r) => r.ImpersonationRuleId) };
  };
  const create = (fields: { Name?: string; Type?: 'FULL_ACCESS' | 'READ_ONLY'; Rules?: ImpersonationRule[]; Description?: string; ClientToken?: string }) =>
    east.send(new CreateImpersonationRoleCommand({ OrganizationId: ACME, Name: 'App', Type: 'READ_ONLY', Rules: [], ...fields }));
  const listAll = async (MaxResults?: number): Promise<{ roles: ImpersonationRole[]; pages: number[] }> => {
    const roles: ImpersonationRole[] = [];
    const pages: number[] = [];
    let NextToken: string | undefined;
    do {
      const page = await east.send(new ListImpersonationRolesCommand({ OrganizationId: ACME, NextToken, MaxResults }));
      roles.push(...(page.Roles ?? []));
      pages.push(page.Roles?.length ?? 0);
      NextToken = page.NextToken;
    } while (NextToken);
    return { roles, pages };
  };

  describe('the sample', () => {
    it('lists the three roles by ID with their type and dates, and no rules', async () => {
      const { roles } = await listAll();
      assert.deepEqual(
        roles.map((r) => [r.ImpersonationRoleId, r.Name, r.Type]),
        [
          [CRM, 'CRM sync', 'FULL_ACCESS'],
          [EDISCOVERY, 'E-discovery search', 'READ_ONLY'],
          [ARCHIVER, 'Mail archiver', 'READ_ONLY'],
        ],
      );
      assert.deepEqual(roles[2]!.DateCreated, new Date('2023-02-14T09:00:00.000Z'));
      assert.deepEqual(roles[2]!.DateModified, new Date('2024-06-03T15:30:00.000Z'));
      assert.ok(roles.every((r) => !('Rules' in r)));
    });

    it('gets a role with its rules: the archiver allows everyone and denies the chief executive', async () => {
      const role = await east.send(new GetImpersonationRoleCommand({ OrganizationId: ACME, ImpersonationRoleId: ARCHIVER }));
      assert.equal(role.Type, 'READ_ONLY');
      assert.equal(role.Description, 'Journal archive, reads every mailbox over EWS');
      assert.deepEqual(role.Rules, [
        { ImpersonationRuleId: 'everyone', Name: 'Everyone', Effect: 'ALLOW' },
        { ImpersonationRuleId: 'not-the-ceo', Name: 'Not the chief executive', Effect: 'DENY', TargetUsers: [id('alice.johnson')] },
      ]);
      const ediscovery = await east.send(new GetImpersonationRoleCommand({ OrganizationId: ACME, ImpersonationRoleId: EDISCOVERY }));
      assert.deepEqual(ediscovery.Rules?.[0]?.NotTargetUsers, [id('samuel.osei'), id('rachel.green')]);
      await rejectsWith(east.send(new GetImpersonationRoleCommand({ OrganizationId: ACME, ImpersonationRoleId: 'no-such-role' })), 'ResourceNotFoundException');
    });

    it('answers the effect: DENY wins, then ALLOW, else denied', async () => {
      assert.deepEqual(await effect(ARCHIVER, 'alice.johnson'), { type: 'READ_ONLY', effect: 'DENY', matched: ['not-the-ceo'] });
      assert.deepEqual(await effect(ARCHIVER, 'grace.kim@acme.example.com'), { type: 'READ_ONLY', effect: 'ALLOW', matched: ['everyone'] });
      assert.deepEqual(await effect(CRM, id('carol.nguyen')), { type: 'FULL_ACCESS', effect: 'ALLOW', matched: ['sales-team'] });
      assert.deepEqual(await effect(CRM, 'grace.kim'), { type: 'FULL_ACCESS', effect: 'DENY', matched: [] }, 'no rule applies: denied');
      assert.deepEqual(await effect(EDISCOVERY, 'samuel.osei'), { type: 'READ_ONLY', effect: 'DENY', matched: [] }, 'NotTargetUsers: the rule does not match');
      assert.deepEqual(await effect(EDISCOVERY, 'maya.patel'), { type: 'READ_ONLY', effect: 'ALLOW', matched: ['all-but-legal-and-hr'] });
    });

    it('agrees, user by user, with the documented evaluation of the rules GetImpersonationRole returns', async () => {
      const users = ((await east.send(new ListUsersCommand({ OrganizationId: ACME }))).Users ?? []).filter((u) => u.State === 'ENABLED');
      for (const roleId of [ARCHIVER, CRM, EDISCOVERY]) {
        const rules = (await east.send(new GetImpersonationRoleCommand({ OrganizationId: ACME, ImpersonationRoleId: roleId }))).Rules ?? [];
        for (const user of users) {
          const matches = rules.filter((r) => (!r.TargetUsers || r.TargetUsers.includes(user.Id!)) && !r.NotTargetUsers?.includes(user.Id!));
          const expected = matches.some((r) => r.Effect === 'DENY') ? 'DENY' : matches.some((r) => r.Effect === 'ALLOW') ? 'ALLOW' : 'DENY';
          assert.equal((await effect(roleId, user.Id!)).effect, expected, `${roleId} on ${user.Name}`);
        }
      }
    });

    it('refuses the effect on an unknown role, an unknown user, a group, and a user who is not enabled', async () => {
      await rejectsWith(east.send(new GetImpersonationRoleEffectCommand({ OrganizationId: ACME, ImpersonationRoleId: 'no-such-role', TargetUser: 'grace.kim' })), 'ResourceNotFoundException');
      await rejectsWith(east.send(new GetImpersonationRoleEffectCommand({ OrganizationId: ACME, ImpersonationRoleId: ARCHIVER, TargetUser: 'nobody.here' })), 'EntityNotFoundException');
      await rejectsWith(east.send(new GetImpersonationRoleEffectCommand({ OrganizationId: ACME, ImpersonationRoleId: ARCHIVER, TargetUser: 'sales' })), 'EntityNotFoundException');
      await rejectsWith(east.send(new GetImpersonationRoleEffectCommand({ OrganizationId: ACME, ImpersonationRoleId: CRM, TargetUser: 'william.chen' })), 'EntityStateException');
      await rejectsWith(east.send(new ListImpersonationRolesCommand({ OrganizationId: SAMPLE_ORGS.acmeArchive })), 'OrganizationStateException');
    });

    it('gives the ground truth in the seed’s shape', async () => {
      const truth = emu.impersonationRoles(ACME);
      assert.deepEqual(truth.map((r) => r.id), [CRM, EDISCOVERY, ARCHIVER]);
      assert.deepEqual(truth[2]!.rules[1], { id: 'not-the-ceo', name: 'Not the chief executive', effect: 'DENY', targetUsers: [id('alice.johnson')] });
      assert.equal(truth[1]!.dateModified, '2024-01-22T10:15:00.000Z', 'never modified: its creation');
      assert.deepEqual(await (await fetch(`${emu.url}/__emulator/organizations/${ACME}/impersonation-roles`)).json(), truth);
      assert.deepEqual(emu.impersonationRoles(SAMPLE_ORGS.globex), []);
    });
  });

  describe('CreateImpersonationRole, UpdateImpersonationRole, DeleteImpersonationRole', () => {
    it('creates a role whose targets, named any way, are kept as user IDs; a role without rules impersonates no one', async () => {
      const { ImpersonationRoleId: created } = await create({
        Name: 'Helpdesk tool',
        Type: 'FULL_ACCESS',
        Description: 'Support mailboxes',
        Rules: [{ ImpersonationRuleId: 'support', Effect: 'ALLOW', TargetUsers: ['olivia.brown', 'pedro.silva@acme.example.com', id('zoe.campbell')] }],
      });
      assert.ok(created);
      const role = await east.send(new GetImpersonationRoleCommand({ OrganizationId: ACME, ImpersonationRoleId: created }));
      assert.deepEqual(role.Rules, [{ ImpersonationRuleId: 'support', Effect: 'ALLOW', TargetUsers: [id('olivia.brown'), id('pedro.silva'), id('zoe.campbell')] }]);
      assert.deepEqual(role.DateCreated, role.DateModified);
      assert.equal((await effect(created, 'pedro.silva')).effect, 'ALLOW');
      const { ImpersonationRoleId: empty } = await create({ Name: 'Nothing yet' });
      assert.deepEqual(await effect(empty!, 'grace.kim'), { type: 'READ_ONLY', effect: 'DENY', matched: [] });
      assert.equal(emu.impersonationRoles(ACME).length, 5);
    });

    it('is idempotent by ClientToken: a retry returns the same role; the token with other parameters is refused', async () => {
      const first = await create({ Name: 'Retry me', ClientToken: 'token-1' });
      const again = await create({ Name: 'Retry me', ClientToken: 'token-1' });
      assert.equal(again.ImpersonationRoleId, first.ImpersonationRoleId);
      assert.equal(emu.impersonationRoles(ACME).length, 4);
      await rejectsWith(create({ Name: 'Something else', ClientToken: 'token-1' }), 'InvalidParameterException');
      const other = await create({ Name: 'Retry me', ClientToken: 'token-2' });
      assert.notEqual(other.ImpersonationRoleId, first.ImpersonationRoleId);
    });

    it('refuses what the model refuses, and unknown, group, deleted or twice-used targets and rule IDs, creating nothing', async () => {
      const tooMany = Array.from({ length: 11 }, (_, i) => ({ ImpersonationRuleId: `r${i}`, Effect: 'ALLOW' as const }));
      await rejectsWith(create({ Rules: tooMany }), 'InvalidParameterException');
      await rejectsWith(create({ Rules: [{ ImpersonationRuleId: 'r', Effect: 'ALLOW', TargetUsers: [] }] }), 'InvalidParameterException');
      const eleven = ['alice.johnson', 'bob.martinez', 'carol.nguyen', 'david.okafor', 'emma.schmidt', 'farid.haddad', 'grace.kim', 'henry.walker', 'isabel.rossi', 'jack.thompson', 'keiko.tanaka'];
      await rejectsWith(create({ Rules: [{ ImpersonationRuleId: 'r', Effect: 'ALLOW', NotTargetUsers: eleven }] }), 'InvalidParameterException');
      await rejectsWith(create({ Rules: [{ ImpersonationRuleId: 'bad id!', Effect: 'ALLOW' }] }), 'InvalidParameterException');
      await rejectsWith(create({ Type: 'ADMIN' as 'READ_ONLY' }), 'InvalidParameterException');
      await rejectsWith(create({ Name: 'a<b' }), 'InvalidParameterException');
      await rejectsWith(create({ Rules: [{ ImpersonationRuleId: 'r', Effect: 'ALLOW', TargetUsers: ['nobody.here'] }] }), 'EntityNotFoundException');
      await rejectsWith(create({ Rules: [{ ImpersonationRuleId: 'r', Effect: 'ALLOW', TargetUsers: ['sales'] }] }), 'EntityNotFoundException');
      await rejectsWith(create({ Rules: [{ ImpersonationRuleId: 'r', Effect: 'DENY', TargetUsers: ['xavier.dubois'] }] }), 'EntityStateException');
      const twice = await rejectsWith(create({ Rules: [{ ImpersonationRuleId: 'r', Effect: 'ALLOW' }, { ImpersonationRuleId: 'r', Effect: 'DENY' }] }), 'InvalidParameterException');
      assert.match(twice.message, /ImpersonationRuleId r/);
      assert.equal(emu.impersonationRoles(ACME).length, 3);
    });

    it('updates a role as a whole (a description left out goes), keeping its creation date', async () => {
      const before = emu.impersonationRoles(ACME).find((r) => r.id === ARCHIVER)!;
      await east.send(
        new UpdateImpersonationRoleCommand({
          OrganizationId: ACME,
          ImpersonationRoleId: ARCHIVER,
          Name: 'Mail archiver',
          Type: 'FULL_ACCESS',
          Rules: [{ ImpersonationRuleId: 'everyone', Effect: 'ALLOW' }],
        }),
      );
      const after = await east.send(new GetImpersonationRoleCommand({ OrganizationId: ACME, ImpersonationRoleId: ARCHIVER }));
      assert.equal(after.Type, 'FULL_ACCESS');
      assert.equal(after.Description, undefined);
      assert.deepEqual(after.Rules, [{ ImpersonationRuleId: 'everyone', Effect: 'ALLOW' }]);
      assert.deepEqual(after.DateCreated, new Date(before.dateCreated));
      assert.ok(after.DateModified! > new Date(before.dateModified));
      assert.equal((await effect(ARCHIVER, 'alice.johnson')).effect, 'ALLOW', 'the DENY is gone');
      await rejectsWith(
        east.send(new UpdateImpersonationRoleCommand({ OrganizationId: ACME, ImpersonationRoleId: 'no-such-role', Name: 'x', Type: 'READ_ONLY', Rules: [] })),
        'ResourceNotFoundException',
      );
    });

    it('deletes a role, and a role that is not there answers success', async () => {
      await east.send(new DeleteImpersonationRoleCommand({ OrganizationId: ACME, ImpersonationRoleId: CRM }));
      await east.send(new DeleteImpersonationRoleCommand({ OrganizationId: ACME, ImpersonationRoleId: CRM }));
      await rejectsWith(east.send(new GetImpersonationRoleCommand({ OrganizationId: ACME, ImpersonationRoleId: CRM })), 'ResourceNotFoundException');
      assert.deepEqual(emu.impersonationRoles(ACME).map((r) => r.id), [EDISCOVERY, ARCHIVER]);
    });
  });

  describe('ListImpersonationRoles paging', () => {
    it('returns at most 20 a page whatever MaxResults asks, fewer when asked, and every role once', async () => {
      for (let i = 0; i < 42; i++) await create({ Name: `App ${i}` });
      const byDefault = await listAll();
      assert.deepEqual(byDefault.pages, [20, 20, 5]);
      assert.equal(new Set(byDefault.roles.map((r) => r.ImpersonationRoleId)).size, 45);
      assert.deepEqual((await listAll(100)).pages, [20, 20, 5]);
      assert.deepEqual((await listAll(9)).pages, [9, 9, 9, 9, 9]);
      await rejectsWith(east.send(new ListImpersonationRolesCommand({ OrganizationId: ACME, MaxResults: 0 })), 'InvalidParameterException');
      await rejectsWith(east.send(new ListImpersonationRolesCommand({ OrganizationId: ACME, NextToken: 'not-a-token' })), 'InvalidParameterException');
    });
  });
});

describe('emulator: impersonation roles in the seed', () => {
  const withRoles = (roles: unknown): SeedDocument => {
    const seed = JSON.parse(JSON.stringify(sampleSeed)) as SeedDocument;
    (seed.accounts[0]!.organizations![0] as unknown as Record<string, unknown>)['impersonationRoles'] = roles;
    return seed;
  };
  const refused = (roles: unknown, message: RegExp) =>
    assert.throws(() => checkSeed(withRoles(roles)), (error: Error) => error instanceof InvalidSeedError && message.test(error.message), JSON.stringify(roles));

  it('is checked on load, naming the path and what is wrong', () => {
    const role = { id: 'app', name: 'App', type: 'READ_ONLY' };
    checkSeed(withRoles([role, { ...role, id: 'app-2', rules: [{ id: 'r', effect: 'ALLOW', targetUsers: [id('grace.kim')] }] }]));
    refused([role, role], /impersonationRoles\[1\]\.id app is used twice/);
    refused([{ ...role, id: 'has space' }], /impersonationRoles\[0\]\.id must be 1 to 64 letters/);
    refused([{ ...role, name: '' }], /impersonationRoles\[0\]\.name must be 1 to 64 characters/);
    refused([{ ...role, type: 'ADMIN' }], /impersonationRoles\[0\]\.type must be one of FULL_ACCESS, READ_ONLY/);
    refused([{ ...role, rules: [{ id: 'r', effect: 'MAYBE' }] }], /rules\[0\]\.effect must be one of ALLOW, DENY/);
    refused([{ ...role, rules: [{ id: 'r', effect: 'ALLOW' }, { id: 'r', effect: 'DENY' }] }], /rules\[1\]\.id r is used twice in the role/);
    refused([{ ...role, rules: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, effect: 'ALLOW' })) }], /rules must hold 0 to 10 items; it holds 11/);
    refused([{ ...role, rules: [{ id: 'r', effect: 'ALLOW', targetUsers: [] }] }], /targetUsers must hold 1 to 10 items/);
    refused([{ ...role, rules: [{ id: 'r', effect: 'ALLOW', notTargetUsers: [id('sales')] }] }], /rules\[0\]\.notTargetUsers\[0\] .* is not a user of the organization/);
  });
});
