// Names of the sample seed's people and groups, to find them on screen. Rights and grants are read
// from the emulator's admin API instead: that is the live state, this is only the directory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../scripts/lib/harness.mjs';

interface SeedEntity {
  id: string;
  name: string;
  displayName?: string;
  email?: string;
  state?: string;
}

interface SeedOrganization {
  id: string;
  alias: string;
  users?: SeedEntity[];
  groups?: SeedEntity[];
  resources?: SeedEntity[];
}

interface SeedDocument {
  accounts: Array<{ id: string; name: string; organizations: SeedOrganization[] }>;
}

const seed = JSON.parse(readFileSync(join(REPO_ROOT, 'emulator', 'seeds', 'sample.json'), 'utf8')) as SeedDocument;

export function seedOrganization(alias: string): SeedOrganization {
  for (const account of seed.accounts) {
    const org = account.organizations.find((candidate) => candidate.alias === alias);
    if (org) return org;
  }
  throw new Error(`the sample seed has no organization ${alias}`);
}

/** The name the tree shows for an entity: its display name, else its name. */
export function shownName(entity: SeedEntity): string {
  return entity.displayName || entity.name;
}

export function seedEntity(alias: string, id: string): SeedEntity | undefined {
  const org = seedOrganization(alias);
  return [...(org.users ?? []), ...(org.groups ?? []), ...(org.resources ?? [])].find((entity) => entity.id === id);
}

export function seedUserByName(alias: string, displayName: string): SeedEntity {
  const user = (seedOrganization(alias).users ?? []).find((candidate) => shownName(candidate) === displayName);
  if (!user) throw new Error(`the sample seed has no user "${displayName}" in ${alias}`);
  return user;
}
