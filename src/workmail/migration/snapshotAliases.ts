// The aliases part of a snapshot (version 3 on): each entity's aliases as loadAliases read them,
// turned into the entity's fields; the checks on them that need the whole file; and the one way to
// read them back, which says when a file (versions 1 and 2) did not record them, or they could not
// be read, rather than handing out an empty list.
import type { LoadedAliases } from '../aliases';
import type { Snapshot, SnapshotEntity } from './schema';

export type RecordedAliases = { readonly recorded: true; readonly aliases: readonly string[] } | { readonly recorded: false; readonly why: string };

/**
 * The alias fields of one entity: `aliases` when read, `aliasesUnreadable` with the reason when
 * not (a failure, a deleted entity, which is not asked, or an entity with an address the read was
 * not given: never as none), nothing on an entity without an address (it has no alias to record).
 */
export function aliasFields(entity: { readonly id: string; readonly email?: string; readonly state?: string }, loaded: LoadedAliases): Pick<SnapshotEntity, 'aliases' | 'aliasesUnreadable'> {
  if (!entity.email) {
    return {};
  }
  const failure = loaded.failures.find((f) => f.entity.id === entity.id);
  if (failure) {
    return { aliasesUnreadable: `${failure.error.code}: ${failure.error.message}` };
  }
  const aliases = loaded.aliases.get(entity.id);
  if (aliases) {
    return { aliases: [...aliases] };
  }
  return { aliasesUnreadable: entity.state === 'DELETED' ? 'NotRead: deleted in WorkMail, its aliases are not read' : 'NotRead: the aliases were not read' };
}

/** The entity's aliases as the snapshot recorded them, or why there are none to give. */
export function recordedAliases(snapshot: Pick<Snapshot, 'version'>, entity: SnapshotEntity): RecordedAliases {
  if (snapshot.version < 3) {
    return { recorded: false, why: `not recorded (snapshot version ${snapshot.version})` };
  }
  if (entity.aliases) {
    return { recorded: true, aliases: entity.aliases };
  }
  if (entity.aliasesUnreadable !== undefined) {
    return { recorded: false, why: `could not be read (${entity.aliasesUnreadable})` };
  }
  return entity.email ? { recorded: false, why: 'not read with this snapshot' } : { recorded: true, aliases: [] };
}

/** Entities with an address that carry neither field: a current-version file must not be written so. */
export function entitiesWithoutAliases(snapshot: Pick<Snapshot, 'entities'>): SnapshotEntity[] {
  return snapshot.entities.filter((entity) => entity.email && entity.aliases === undefined && entity.aliasesUnreadable === undefined);
}

/**
 * What only the whole file shows about the aliases (version 3), each naming its field: every entity
 * with an address has them or says why not, never both; none on an entity without an address; no
 * address of the organization twice (an alias is one entity's, and never another's primary).
 */
export function aliasProblems(entities: readonly SnapshotEntity[]): string[] {
  const problems: string[] = [];
  const owners = new Map<string, string>();
  entities.forEach((entity, i) => {
    if (entity.email) owners.set(entity.email.toLowerCase(), `entities[${i}].email`);
  });
  entities.forEach((entity, i) => {
    const where = `entities[${i}]`;
    if (!entity.email) {
      if (entity.aliases?.length || entity.aliasesUnreadable !== undefined) problems.push(`${where}.aliases: an entity without an email has no aliases`);
      return;
    }
    if (entity.aliases === undefined && entity.aliasesUnreadable === undefined) problems.push(`${where}.aliases: missing (or aliasesUnreadable, saying why they could not be read)`);
    if (entity.aliases !== undefined && entity.aliasesUnreadable !== undefined) problems.push(`${where}.aliases: aliases that could not be read (aliasesUnreadable) lists none`);
    (entity.aliases ?? []).forEach((alias, j) => {
      const key = alias.toLowerCase();
      const holder = owners.get(key);
      if (holder !== undefined) problems.push(`${where}.aliases[${j}]: ${JSON.stringify(alias)} is also ${holder}`);
      else owners.set(key, `${where}.aliases[${j}]`);
    });
  });
  return problems;
}
