// The seed document: the emulator's whole starting state, as JSON. docs/EMULATOR.md describes it.
import fs from 'node:fs';
import path from 'node:path';
import { generateDirectory } from './generate';

export * from './seedDocument';
import { SEED_REGIONS, type SeedAccount, type SeedDocument } from './seedDocument';

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
    accounts: seed.accounts.map((account) => ({
      ...account,
      organizations: (account.organizations ?? []).map((org) => {
        if (!org.generate) return org;
        const generated = generateDirectory({ ...org.generate, domain: org.generate.domain ?? org.defaultMailDomain ?? `${org.alias}.example.com` });
        const { generate: _omitted, ...rest } = org;
        return {
          ...rest,
          users: [...(org.users ?? []), ...generated.users],
          groups: [...(org.groups ?? []), ...generated.groups],
          resources: [...(org.resources ?? []), ...generated.resources],
          grants: [...(org.grants ?? []), ...generated.grants],
        };
      }),
    })),
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
    });
  });
}
