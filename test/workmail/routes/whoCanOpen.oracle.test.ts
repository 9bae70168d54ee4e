// Who can open each mailbox of a generated organization, as the product computes it (a scan, the
// group membership, the route reads, whoCanOpen), equals an independent computation from the
// API's own answers, made here with the SDK alone: every mailbox's ListMailboxPermissions and
// ListResourceDelegates, every group's ListGroupMembers walked level by level, and WorkMail's own
// GetImpersonationRoleEffect for every role and enabled user. Under every emulator variant the
// reads can meet.
import assert from 'node:assert/strict';
import {
  GetImpersonationRoleEffectCommand,
  ListImpersonationRolesCommand,
  WorkMailClient,
  paginateListGroupMembers,
  paginateListMailboxPermissions,
  paginateListResourceDelegates,
  paginateListUsers,
  paginateListGroups,
  paginateListResources,
} from '@aws-sdk/client-workmail';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../../emulator/index';
import type { SeedDocument } from '../../../emulator/seed';
import { loadMembership } from '../../../src/workmail/groups';
import { loadRoutes } from '../../../src/workmail/routes/load';
import { whoCanOpen } from '../../../src/workmail/routes/whoCanOpen';
import { collectScan } from '../../../src/workmail/scan';
import { WorkMailSession } from '../../../src/workmail/session';

const ORG = 'm-0ac1e000000000000000000000000001';
const org = { organizationId: ORG, region: 'us-east-1' };
const seed: SeedDocument = {
  accounts: [{ id: '111122223333', name: 'default', accessKeys: [EMULATOR_CREDENTIALS.default], organizations: [{ id: ORG, alias: 'oracle', region: 'us-east-1', generate: { users: 70, groups: 6, resources: 4, grants: 260, seed: 2027 } }] }],
};

const VARIANT_SETTINGS: ReadonlyArray<Record<string, string>> = [
  {},
  { 'grantee-id-form': 'as-given' },
  { 'access-rule-combination': 'first-match', 'access-rule-limit': '20' },
  { 'auto-decline-without-auto-accept': 'cleared', 'group-delegate-members': 'no-member' },
  { 'delegate-with-auto-accept': 'refused', 'last-delegate-removal': 'refused', 'update-resource-omitted': 'kept' },
];

interface Oracle {
  people: Map<string, Set<string>>;
  applications: Map<string, Set<string>>;
}

/** The independent computation: SDK calls only, no product code. */
async function oracle(client: WorkMailClient): Promise<Oracle> {
  const base = { OrganizationId: ORG };
  const users = [];
  for await (const page of paginateListUsers({ client }, base)) users.push(...(page.Users ?? []));
  const groups = [];
  for await (const page of paginateListGroups({ client }, base)) groups.push(...(page.Groups ?? []));
  const resources = [];
  for await (const page of paginateListResources({ client }, base)) resources.push(...(page.Resources ?? []));
  const byKey = new Map<string, { id: string; kind: 'user' | 'group' | 'resource'; state?: string }>();
  for (const u of users) for (const key of [u.Id, u.Name, u.Email]) if (key) byKey.set(key.toLowerCase(), { id: u.Id!, kind: 'user', state: u.State });
  for (const g of groups) for (const key of [g.Id, g.Name, g.Email]) if (key) byKey.set(key.toLowerCase(), { id: g.Id!, kind: 'group', state: g.State });
  const members = new Map<string, Array<{ id: string; type: string }>>();
  for (const g of groups) {
    if (g.State === 'DELETED') continue;
    const list: Array<{ id: string; type: string }> = [];
    for await (const page of paginateListGroupMembers({ client }, { ...base, GroupId: g.Id! })) list.push(...(page.Members ?? []).map((m) => ({ id: m.Id!, type: m.Type! })));
    members.set(g.Id!, list);
  }
  /** Users a grant or delegation to `principal` reaches: itself, or a group's members however nested. */
  const reach = (principalId: string): string[] => {
    const known = byKey.get(principalId.toLowerCase());
    const id = known?.id ?? principalId;
    if (known?.kind !== 'group') return [id];
    const found = new Set<string>();
    const seen = new Set<string>([id]);
    let level = [id];
    while (level.length > 0) {
      const next: string[] = [];
      for (const group of level) {
        for (const member of members.get(group) ?? []) {
          if (member.type === 'GROUP') {
            if (!seen.has(member.id)) {
              seen.add(member.id);
              next.push(member.id);
            }
          } else found.add(member.id);
        }
      }
      level = next;
    }
    return [...found];
  };
  const people = new Map<string, Set<string>>();
  const opens = new Map<string, Set<string>>();
  const mailboxes = [...users.filter((u) => u.State === 'ENABLED').map((u) => ({ id: u.Id!, kind: 'user' })), ...groups.filter((g) => g.State === 'ENABLED').map((g) => ({ id: g.Id!, kind: 'group' })), ...resources.filter((r) => r.State === 'ENABLED').map((r) => ({ id: r.Id!, kind: 'resource' }))];
  for (const mailbox of mailboxes) {
    const routes = new Set<string>();
    const openers = new Set<string>();
    for await (const page of paginateListMailboxPermissions({ client }, { ...base, EntityId: mailbox.id })) {
      for (const permission of page.Permissions ?? []) {
        if ((permission.PermissionValues ?? []).length === 0) continue;
        for (const person of reach(permission.GranteeId!)) {
          routes.add(`permission|${person}`);
          if (permission.PermissionValues!.includes('FULL_ACCESS')) openers.add(person);
        }
      }
    }
    if (mailbox.kind === 'resource') {
      for await (const page of paginateListResourceDelegates({ client }, { ...base, ResourceId: mailbox.id })) {
        for (const delegate of page.Delegates ?? []) {
          for (const person of reach(delegate.Id!)) {
            routes.add(`bookingDelegate|${person}`);
            openers.add(person);
          }
        }
      }
    }
    people.set(mailbox.id, routes);
    opens.set(mailbox.id, openers);
  }
  const roles = (await client.send(new ListImpersonationRolesCommand(base))).Roles ?? [];
  const enabled = users.filter((u) => u.State === 'ENABLED');
  const actsAs = new Map<string, Set<string>>();
  for (const role of roles) {
    const allowed = new Set<string>();
    for (const user of enabled) {
      const effect = await client.send(new GetImpersonationRoleEffectCommand({ ...base, ImpersonationRoleId: role.ImpersonationRoleId!, TargetUser: user.Id! }));
      if (effect.Effect === 'ALLOW') allowed.add(user.Id!);
    }
    actsAs.set(role.ImpersonationRoleId!, allowed);
  }
  const applications = new Map<string, Set<string>>();
  for (const mailbox of mailboxes) {
    const routes = new Set<string>();
    for (const [roleId, allowed] of actsAs) {
      if (mailbox.kind === 'user' && allowed.has(mailbox.id)) routes.add(`${roleId}|owner`);
      for (const person of opens.get(mailbox.id) ?? []) if (allowed.has(person)) routes.add(`${roleId}|${person}`);
    }
    applications.set(mailbox.id, routes);
  }
  return { people, applications };
}

describe('who can open: the product against an independent computation from the API', function () {
  this.timeout(180_000);
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0, seed });
  });
  after(async () => {
    await emu.stop();
  });

  for (const variants of VARIANT_SETTINGS) {
    const name = Object.entries(variants).map(([k, v]) => `${k}=${v}`).join(', ') || 'default variants';
    it(`every mailbox of a generated organization, ${name}`, async () => {
      emu.reset();
      emu.setVariants(variants);
      const client = new WorkMailClient({ endpoint: emu.url, region: 'us-east-1', credentials: EMULATOR_CREDENTIALS.default });
      const session = new WorkMailSession({ endpoint: emu.url, credentials: async () => EMULATOR_CREDENTIALS.default, maxAttempts: 2 });
      try {
        const expected = await oracle(client);
        const scan = await collectScan(session, org);
        assert.deepEqual(scan.failures, []);
        const { membership, failures } = await loadMembership(session, org, scan.directory.groups);
        assert.deepEqual(failures, []);
        const routes = await loadRoutes(session.routes, org, scan.directory.resources);
        assert.deepEqual(routes.failures, []);
        assert.ok(routes.roles.length > 0 && routes.delegates.size > 0, 'the generated organization holds roles and delegates');
        let compared = 0;
        for (const [mailboxId, people] of expected.people) {
          const mailbox = scan.directory.entities.get(mailboxId)!;
          const found = whoCanOpen(mailbox, { grants: scan.grants, membership, directory: scan.directory.entities, delegates: routes.delegates, roles: routes.roles });
          const ourPeople = new Set(found.flatMap((route) => (route.route === 'impersonation' ? [] : [`${route.route}|${route.personId}`])));
          const ourApps = new Set(found.flatMap((route) => (route.route === 'impersonation' ? [`${route.role.id}|${route.through ? route.through.personId : 'owner'}`] : [])));
          assert.deepEqual([...ourPeople].sort(), [...people].sort(), `people who can open ${mailbox.name}`);
          assert.deepEqual([...ourApps].sort(), [...expected.applications.get(mailboxId)!].sort(), `applications that can open ${mailbox.name}`);
          compared += people.size + expected.applications.get(mailboxId)!.size;
        }
        assert.ok(compared > 200, `${compared} routes compared`);
      } finally {
        client.destroy();
        session.dispose();
      }
    });
  }
});
