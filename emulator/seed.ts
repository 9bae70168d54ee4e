// The seed document: the emulator's whole starting state, as JSON. docs/EMULATOR.md describes it.
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_ACCESS_RULE } from './accessRules';
import { generateDirectory } from './generate';

export * from './seedDocument';
import { ACCESS_CONTROL_ACTIONS, EMAIL_ADDRESS, IPV4_CIDR, SEED_REGIONS, type SeedAccount, type SeedDocument, type SeedOrganization } from './seedDocument';

export const SAMPLE_SEED_PATH = path.join(__dirname, 'seeds', 'sample.json');

export class InvalidSeedError extends Error {}

export function readSeedFile(file: string): SeedDocument {
  const resolved = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(resolved, 'utf8');
  } catch (error) {
    throw new InvalidSeedError(`Cannot read seed file ${resolved}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as SeedDocument;
  } catch (error) {
    throw new InvalidSeedError(`Seed file ${resolved} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The seed with every `generate` block expanded into plain users, groups, resources and grants. */
export function expandSeed(seed: SeedDocument): SeedDocument {
  checkSeed(seed);
  return {
    accounts: seed.accounts.map((account, a) => ({
      ...account,
      organizations: (account.organizations ?? []).map((org, o) => {
        if (!org.generate) return org;
        const expanded = expandOrganization({ ...org, generate: org.generate });
        // What the hand-written booking, roles and rules name may be generated: checked once expanded.
        checkRoutes(expanded, `accounts[${a}].organizations[${o}]`);
        checkAliases(expanded, `accounts[${a}].organizations[${o}]`);
        return expanded;
      }),
    })),
  };
}

function expandOrganization(org: SeedOrganization & { generate: NonNullable<SeedOrganization['generate']> }): SeedOrganization {
  const generated = generateDirectory({ ...org.generate, domain: org.generate.domain ?? org.defaultMailDomain ?? `${org.alias}.example.com` });
  const { generate: _omitted, ...rest } = org;
  const aliases = new Map(generated.aliases.map((a) => [a.entity, a.aliases]));
  const withAliases = <T extends { readonly id: string }>(entity: T): T => (aliases.has(entity.id) ? { ...entity, aliases: aliases.get(entity.id) } : entity);
  return {
    ...rest,
    users: [...(org.users ?? []), ...generated.users.map(withAliases)],
    groups: [...(org.groups ?? []), ...generated.groups.map(withAliases)],
    resources: [...(org.resources ?? []), ...generated.resources.map(withAliases)],
    grants: [...(org.grants ?? []), ...generated.grants],
    // The generated routes after what is written by hand, skipping what it already covers.
    booking: [...(org.booking ?? []), ...generated.booking.filter((b) => !(org.booking ?? []).some((written) => written.resource === b.resource))],
    impersonationRoles: [...(org.impersonationRoles ?? []), ...generated.impersonationRoles.filter((r) => !(org.impersonationRoles ?? []).some((written) => written.id === r.id))],
    accessControlRules: org.accessControlRules
      ? [...org.accessControlRules, ...generated.accessControlRules.filter((r) => r.name !== DEFAULT_ACCESS_RULE.name && !org.accessControlRules!.some((written) => written.name === r.name))]
      : generated.accessControlRules,
  };
}

/** Structural checks that catch hand-editing mistakes early, with a path to the problem. */
export function checkSeed(seed: SeedDocument): void {
  const accounts: readonly SeedAccount[] | undefined = seed?.accounts;
  if (!Array.isArray(accounts as unknown) || accounts!.length === 0) {
    throw new InvalidSeedError('seed.accounts must be a non-empty list');
  }
  const keyIds = new Set<string>();
  const orgIds = new Set<string>();
  accounts!.forEach((account, a) => {
    const at = `accounts[${a}]`;
    if (!Array.isArray(account.accessKeys as unknown) || account.accessKeys.length === 0) {
      throw new InvalidSeedError(`${at}.accessKeys must be a non-empty list`);
    }
    if (account.id !== undefined && !/^\d{12}$/.test(account.id)) throw new InvalidSeedError(`${at}.id must be 12 digits`);
    account.accessKeys.forEach((key, k) => {
      if (!key.accessKeyId || !key.secretAccessKey) throw new InvalidSeedError(`${at}.accessKeys[${k}] needs accessKeyId and secretAccessKey`);
      if (keyIds.has(key.accessKeyId)) throw new InvalidSeedError(`${at}.accessKeys[${k}]: duplicate accessKeyId`);
      keyIds.add(key.accessKeyId);
    });
    (account.organizations ?? []).forEach((org, o) => {
      const orgAt = `${at}.organizations[${o}]`;
      if (!/^m-[0-9a-f]{32}$/.test(org.id)) throw new InvalidSeedError(`${orgAt}.id must be "m-" followed by 32 lowercase hex digits`);
      if (orgIds.has(org.id)) throw new InvalidSeedError(`${orgAt}.id ${org.id} is used twice`);
      orgIds.add(org.id);
      if (!(SEED_REGIONS as readonly string[]).includes(org.region)) {
        throw new InvalidSeedError(`${orgAt}.region must be one of ${SEED_REGIONS.join(', ')}`);
      }
      if (!org.alias) throw new InvalidSeedError(`${orgAt}.alias is required`);
      const ids = new Set<string>();
      const claim = (id: string, where: string): void => {
        if (!id) throw new InvalidSeedError(`${where}.id is required`);
        if (ids.has(id)) throw new InvalidSeedError(`${where}.id ${id} is used twice in the organization`);
        ids.add(id);
      };
      (org.users ?? []).forEach((u, i) => claim(u.id, `${orgAt}.users[${i}]`));
      (org.groups ?? []).forEach((g, i) => claim(g.id, `${orgAt}.groups[${i}]`));
      (org.resources ?? []).forEach((r, i) => {
        claim(r.id, `${orgAt}.resources[${i}]`);
        if (r.type !== 'ROOM' && r.type !== 'EQUIPMENT') throw new InvalidSeedError(`${orgAt}.resources[${i}].type must be ROOM or EQUIPMENT`);
      });
      (org.grants ?? []).forEach((g, i) => {
        if (!g.mailbox || !g.grantee || !Array.isArray(g.rights)) {
          throw new InvalidSeedError(`${orgAt}.grants[${i}] needs mailbox, grantee and rights`);
        }
      });
      if (!org.generate) {
        checkRoutes(org, orgAt);
        checkAliases(org, orgAt);
      }
    });
  });
}

/**
 * Every alias of the organization (its directory complete): an address as the model's EmailAddress
 * pattern, on an entity that has a primary address, and no address of the organization twice
 * (an alias is another address of one entity, as CreateAlias refuses one already in use).
 */
function checkAliases(org: SeedOrganization, orgAt: string): void {
  const owners = new Map<string, string>();
  const entities = [
    ...(org.users ?? []).map((e, i) => [e, `${orgAt}.users[${i}]`] as const),
    ...(org.groups ?? []).map((e, i) => [e, `${orgAt}.groups[${i}]`] as const),
    ...(org.resources ?? []).map((e, i) => [e, `${orgAt}.resources[${i}]`] as const),
  ];
  for (const [entity, at] of entities) if (entity.email) owners.set(entity.email.toLowerCase(), at);
  for (const [entity, at] of entities) {
    if (entity.aliases === undefined) continue;
    if (!Array.isArray(entity.aliases as unknown)) throw new InvalidSeedError(`${at}.aliases must be a list`);
    if (entity.aliases.length > 0 && !entity.email) throw new InvalidSeedError(`${at}.aliases: an entity without an email has no aliases`);
    entity.aliases.forEach((alias, k) => {
      if (typeof alias !== 'string' || alias.length > 254 || !EMAIL_ADDRESS.test(alias)) throw new InvalidSeedError(`${at}.aliases[${k}] must be an email address; got ${JSON.stringify(alias)}`);
      const holder = owners.get(alias.toLowerCase());
      if (holder !== undefined) throw new InvalidSeedError(`${at}.aliases[${k}] ${alias} is already an address of ${holder}`);
      owners.set(alias.toLowerCase(), at);
    });
  }
}

const ROUTE_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const ROLE_TYPES = ['FULL_ACCESS', 'READ_ONLY'];
const EFFECTS = ['ALLOW', 'DENY'];

/**
 * The booking, impersonation roles and access control rules of one organization (its directory
 * complete): shapes as the API model bounds them, and every user, group and resource they name
 * in the organization. An access rule may name a role that is not there (deleting a role leaves
 * the rules as they are).
 */
function checkRoutes(org: SeedOrganization, orgAt: string): void {
  const kinds = new Map<string, 'user' | 'group' | 'resource'>();
  for (const u of org.users ?? []) kinds.set(u.id, 'user');
  for (const g of org.groups ?? []) kinds.set(g.id, 'group');
  for (const r of org.resources ?? []) kinds.set(r.id, 'resource');
  const fail = (message: string): never => {
    throw new InvalidSeedError(message);
  };
  const list = (value: unknown, at: string, min: number, max: number): readonly unknown[] => {
    if (!Array.isArray(value)) return fail(`${at} must be a list`);
    if (value.length < min || value.length > max) fail(`${at} must hold ${min} to ${max} items; it holds ${value.length}`);
    return value;
  };
  const optionalList = (value: unknown, at: string, min: number, max: number): readonly unknown[] => (value === undefined ? [] : list(value, at, min, max));
  const users = (value: unknown, at: string, min: number): void => {
    optionalList(value, at, min, 10).forEach((id, k) => {
      if (kinds.get(id as string) !== 'user') fail(`${at}[${k}] ${String(id)} is not a user of the organization`);
    });
  };
  const oneOf = (value: unknown, at: string, allowed: readonly string[]): void => {
    if (!allowed.includes(value as string)) fail(`${at} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
  };
  const identifier = (value: unknown, at: string): string => {
    if (typeof value !== 'string' || !ROUTE_ID.test(value)) fail(`${at} must be 1 to 64 letters, digits, "_" or "-"; got ${JSON.stringify(value)}`);
    return value as string;
  };
  const flag = (value: unknown, at: string): void => {
    if (value !== undefined && typeof value !== 'boolean') fail(`${at} must be true or false`);
  };

  const booked = new Set<string>();
  optionalList(org.booking, `${orgAt}.booking`, 0, Infinity).forEach((entry, i) => {
    const at = `${orgAt}.booking[${i}]`;
    const booking = entry as NonNullable<SeedOrganization['booking']>[number];
    if (kinds.get(booking?.resource) !== 'resource') fail(`${at}.resource ${String(booking?.resource)} is not a resource of the organization`);
    if (booked.has(booking.resource)) fail(`${at}.resource ${booking.resource} has booking written twice`);
    booked.add(booking.resource);
    flag(booking.autoAcceptRequests, `${at}.autoAcceptRequests`);
    flag(booking.autoDeclineRecurringRequests, `${at}.autoDeclineRecurringRequests`);
    flag(booking.autoDeclineConflictingRequests, `${at}.autoDeclineConflictingRequests`);
    const delegates = optionalList(booking.delegates, `${at}.delegates`, 0, Infinity);
    delegates.forEach((id, k) => {
      const kind = kinds.get(id as string);
      if (kind !== 'user' && kind !== 'group') fail(`${at}.delegates[${k}] ${String(id)} is not a user or group of the organization`);
      if (delegates.indexOf(id) !== k) fail(`${at}.delegates[${k}] ${String(id)} is written twice`);
    });
  });

  const roleIds = new Set<string>();
  optionalList(org.impersonationRoles, `${orgAt}.impersonationRoles`, 0, Infinity).forEach((entry, i) => {
    const at = `${orgAt}.impersonationRoles[${i}]`;
    const role = (entry ?? {}) as NonNullable<SeedOrganization['impersonationRoles']>[number];
    const id = identifier(role.id, `${at}.id`);
    if (roleIds.has(id)) fail(`${at}.id ${id} is used twice in the organization`);
    roleIds.add(id);
    if (typeof role.name !== 'string' || role.name === '' || role.name.length > 64) fail(`${at}.name must be 1 to 64 characters`);
    oneOf(role.type, `${at}.type`, ROLE_TYPES);
    const ruleIds = new Set<string>();
    optionalList(role.rules, `${at}.rules`, 0, 10).forEach((ruleEntry, r) => {
      const ruleAt = `${at}.rules[${r}]`;
      const rule = (ruleEntry ?? {}) as NonNullable<typeof role.rules>[number];
      const ruleId = identifier(rule.id, `${ruleAt}.id`);
      if (ruleIds.has(ruleId)) fail(`${ruleAt}.id ${ruleId} is used twice in the role`);
      ruleIds.add(ruleId);
      oneOf(rule.effect, `${ruleAt}.effect`, EFFECTS);
      users(rule.targetUsers, `${ruleAt}.targetUsers`, 1);
      users(rule.notTargetUsers, `${ruleAt}.notTargetUsers`, 1);
    });
  });

  const ruleNames = new Set<string>();
  optionalList(org.accessControlRules, `${orgAt}.accessControlRules`, 0, Infinity).forEach((entry, i) => {
    const at = `${orgAt}.accessControlRules[${i}]`;
    const rule = (entry ?? {}) as NonNullable<SeedOrganization['accessControlRules']>[number];
    const name = identifier(rule.name, `${at}.name`);
    if (ruleNames.has(name)) fail(`${at}.name ${name} is used twice in the organization`);
    ruleNames.add(name);
    oneOf(rule.effect, `${at}.effect`, EFFECTS);
    if (rule.description !== undefined && (typeof rule.description !== 'string' || !/^[\u0020-\u00FF]{1,255}$/.test(rule.description))) {
      fail(`${at}.description must be 1 to 255 characters from U+0020 to U+00FF (the API's pattern)`);
    }
    for (const field of ['ipRanges', 'notIpRanges'] as const) {
      optionalList(rule[field], `${at}.${field}`, 0, 1024).forEach((range, k) => {
        if (typeof range !== 'string' || !IPV4_CIDR.test(range)) fail(`${at}.${field}[${k}] must be an IPv4 CIDR range such as 10.0.0.0/8; got ${JSON.stringify(range)}`);
      });
    }
    for (const field of ['actions', 'notActions'] as const) {
      optionalList(rule[field], `${at}.${field}`, 0, 10).forEach((action, k) => oneOf(action, `${at}.${field}[${k}]`, ACCESS_CONTROL_ACTIONS));
    }
    users(rule.userIds, `${at}.userIds`, 0);
    users(rule.notUserIds, `${at}.notUserIds`, 0);
    for (const field of ['impersonationRoleIds', 'notImpersonationRoleIds'] as const) {
      optionalList(rule[field], `${at}.${field}`, 0, 10).forEach((id, k) => identifier(id, `${at}.${field}[${k}]`));
    }
  });
}
