// The address mapping: which destination address each WorkMail entity becomes. A CSV the
// administrator drafts from a snapshot (draftMapping), edits in a spreadsheet, and every script
// and verification reads (loadMapping / parseMapping). Nothing is ever guessed: an entity without
// a row, or with an empty destination, has no destination and is listed as unmapped.
//
// Columns (header row required; names are case-insensitive, extra columns are ignored):
//   workmail_address, entity_id   – which entity the row is about (either is enough; the ID wins)
//   destination_address           – its address at the destination (empty: not mapped)
//   kind, display_name, comment   – written by the draft for the person; ignored when read, except
//                                   a kind ending in "alias" ("user alias"): the row maps one alias
//
// An alias row (one per alias the snapshot records, after its entity's row) names the alias in
// workmail_address and its entity in entity_id; a row whose address is a recorded alias is one
// too, whatever its kind. Its destination is the address the alias becomes there.
import { WorkMailError } from '../errors';
import { csvCell } from '../exporters';
import { csvError, headerColumns, readCsvRows, readTextFile, unguard } from './csv';
import type { AddressMapping, Snapshot, SnapshotEntity } from './schema';
import { recordedAliases } from './snapshotAliases';

const CODE = 'InvalidMapping';

export const MAPPING_COLUMNS = ['workmail_address', 'entity_id', 'kind', 'display_name', 'destination_address', 'comment'] as const;

/** One entity's row as the draft writes it. */
export interface DraftRow {
  readonly entity: SnapshotEntity;
  readonly destination: string;
  readonly comment: string;
}

/** One alias's row as the draft writes it, after its entity's. */
export interface AliasDraftRow extends DraftRow {
  readonly alias: string;
}

/** The kind column of an alias row: "user alias", "group alias", "resource alias". */
export function aliasKind(entity: SnapshotEntity): string {
  return `${entity.kind} alias`;
}

function isAliasKind(kind: string): boolean {
  return /(^|\s)alias$/i.test(kind.trim());
}

export interface DraftOptions {
  /** The destination domain: the same local part at this domain. Absent: addresses stay the same. */
  readonly domain?: string;
}

/** A domain the draft can put after "@": letters, digits, hyphens, at least two labels. */
const DOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/**
 * A destination address as destinations accept it: one @, a local part without spaces, quotes or
 * separators, and a domain of letters, digits and hyphens. Deliberately stricter than RFC 5322:
 * quoted local parts and IP-literal domains are not what any of the destinations take.
 */
const ADDRESS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isDestinationAddress(value: string): boolean {
  return ADDRESS.test(value) && !value.startsWith('.') && !value.includes('..') && !value.split('@')[0]!.endsWith('.');
}

/** Checks a --domain / input-box value; returns the problem, or undefined. */
export function domainProblem(domain: string): string | undefined {
  const trimmed = domain.trim().replace(/^@/, '');
  return DOMAIN.test(trimmed) ? undefined : `"${domain}" is not a domain name such as new.example.com`;
}

/** The rows of the draft, in the order written: users, groups, resources, each by address then ID (alias rows apart: draftAliasRows). */
export function draftRows(snapshot: Snapshot, options: DraftOptions = {}): DraftRow[] {
  return draftAll(snapshot, options).entities;
}

/** One row per alias the snapshot records (deleted entities' too, marked so), in the order of their entities. */
export function draftAliasRows(snapshot: Snapshot, options: DraftOptions = {}): AliasDraftRow[] {
  return draftAll(snapshot, options).aliases;
}

/** The same local part at the destination domain, or the address unchanged; '' with the note why when no destination accepts it. */
function draftedAddress(address: string, domain: string | undefined, notes: string[]): string {
  const local = address.slice(0, address.lastIndexOf('@'));
  const destination = domain ? `${local}@${domain}` : address;
  if (!isDestinationAddress(destination)) {
    notes.unshift(`${destination} is not an address the destinations accept: fill in the destination by hand`);
    return '';
  }
  return destination;
}

function draftAll(snapshot: Snapshot, options: DraftOptions): { entities: DraftRow[]; aliases: AliasDraftRow[] } {
  const domain = options.domain?.trim().replace(/^@/, '').toLowerCase();
  if (domain !== undefined && domain !== '') {
    const problem = domainProblem(domain);
    if (problem) {
      throw new WorkMailError('InvalidInput', `${problem}.`);
    }
  }
  const kindOrder = { user: 0, group: 1, resource: 2 } as const;
  const sorted = [...snapshot.entities].sort(
    (a, b) => kindOrder[a.kind] - kindOrder[b.kind] || (a.email ?? '\uffff').localeCompare(b.email ?? '\uffff') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const rows = sorted.map((entity): { entity: SnapshotEntity; destination: string; notes: string[] } => {
    const notes: string[] = [];
    if (entity.userRole === 'SYSTEM_USER') {
      notes.push('WorkMail system user: usually not migrated');
    }
    if (entity.state === 'DELETED') {
      notes.push('deleted in WorkMail');
    } else if (entity.state === 'DISABLED') {
      notes.push('disabled in WorkMail');
    }
    if (!entity.email) {
      notes.unshift('no WorkMail address: fill in the destination by hand, or leave it empty (not migrated)');
      return { entity, destination: '', notes };
    }
    return { entity, destination: draftedAddress(entity.email, domain, notes), notes };
  });
  const aliasRows = sorted.flatMap((entity) => {
    const recorded = recordedAliases(snapshot, entity);
    if (!recorded.recorded) {
      return [];
    }
    return recorded.aliases.map((alias): { entity: SnapshotEntity; destination: string; notes: string[]; alias: string } => {
      const notes: string[] = [`alias of ${entity.email ?? entity.id}`];
      if (entity.state === 'DELETED') {
        notes.push('deleted in WorkMail');
      } else if (entity.state === 'DISABLED') {
        notes.push('disabled in WorkMail');
      }
      return { entity, alias, destination: draftedAddress(alias, domain, notes), notes };
    });
  });
  // Two entities drafted to one address (the same local part at two WorkMail domains): say so on
  // both rows, for the person to decide; a collision is never resolved by guessing.
  const byDestination = new Map<string, Array<{ entity: SnapshotEntity; destination: string; notes: string[]; alias?: string }>>();
  for (const row of [...rows, ...aliasRows]) {
    if (row.destination) {
      const key = row.destination.toLowerCase();
      byDestination.set(key, [...(byDestination.get(key) ?? []), row]);
    }
  }
  for (const same of byDestination.values()) {
    if (same.length > 1) {
      for (const row of same) {
        const others = same.filter((other) => other !== row).map((other) => other.alias ?? other.entity.email ?? other.entity.id);
        // An alias drafted to its own entity's address needs no alias there: said so, not dropped.
        const own = row.alias !== undefined && same.some((other) => other.alias === undefined && other.entity === row.entity);
        row.notes.unshift(own ? 'the same destination as its entity: it needs no alias there; clear it or change it' : `same destination as ${others.join(', ')}: change one`);
      }
    }
  }
  return {
    entities: rows.map((row) => ({ entity: row.entity, destination: row.destination, comment: row.notes.join('; ') })),
    aliases: aliasRows.map((row) => ({ entity: row.entity, alias: row.alias, destination: row.destination, comment: row.notes.join('; ') })),
  };
}

/** The draft mapping as CSV text (header, one row per entity, each followed by a row per alias of it; CRLF line ends). */
export function draftMapping(snapshot: Snapshot, options: DraftOptions = {}): string {
  const line = (values: readonly string[]): string => `${values.map(csvCell).join(',')}\r\n`;
  const { entities, aliases } = draftAll(snapshot, options);
  const aliasesOf = new Map<string, AliasDraftRow[]>();
  for (const row of aliases) {
    aliasesOf.set(row.entity.id, [...(aliasesOf.get(row.entity.id) ?? []), row]);
  }
  const name = (entity: SnapshotEntity): string => entity.displayName || entity.name || '';
  return (
    line(MAPPING_COLUMNS) +
    entities
      .map(
        (row) =>
          line([row.entity.email ?? '', row.entity.id, row.entity.kind, name(row.entity), row.destination, row.comment]) +
          (aliasesOf.get(row.entity.id) ?? []).map((alias) => line([alias.alias, alias.entity.id, aliasKind(alias.entity), name(alias.entity), alias.destination, alias.comment])).join(''),
      )
      .join('')
  );
}

// ------------------------------------------------------------------------------------- reading

export interface MappingEntry {
  readonly destination: string;
  /** The line of the CSV that gave it. */
  readonly line: number;
}

/** One alias row with a destination. */
export interface AliasEntry extends MappingEntry {
  readonly alias: string;
}

/** An AddressMapping loaded from a CSV, with what a report needs besides the interface. */
export interface LoadedMapping extends AddressMapping {
  /** Mapped entities by ID (entities whose row has an empty destination are not here). */
  readonly entries: ReadonlyMap<string, MappingEntry>;
  /** Mapped aliases by their entity's ID, in the file's order (rows with an empty destination are not here). */
  readonly aliasEntries: ReadonlyMap<string, readonly AliasEntry[]>;
  /** The file (or name) it was read from, for messages. */
  readonly source: string;
}

/** Reads and checks the mapping CSV at `file` against the snapshot. Throws `InvalidMapping` naming file, line and column. */
export async function loadMapping(file: string, snapshot: Snapshot): Promise<LoadedMapping> {
  return parseMapping(await readTextFile(file, 'the address mapping'), snapshot, file);
}

/**
 * The mapping from CSV text. Tolerates a byte-order mark, CRLF or LF line ends, quoted fields
 * (commas, quotes and line breaks inside), upper-case addresses, blank lines and extra columns.
 * Errors name the file, the line and the column, and nothing is changed by a refused file.
 */
export function parseMapping(text: string, snapshot: Snapshot, file = 'the address mapping'): LoadedMapping {
  const records = readCsvRows(text, file, CODE);
  if (records.length === 0) {
    throw csvError(CODE, file, 1, undefined, `the file is empty; it needs a header row (${MAPPING_COLUMNS.join(',')})`);
  }
  const header = records[0]!;
  const columns = headerColumns(header, file, CODE);
  const addressCol = columns.get('workmail_address');
  const idCol = columns.get('entity_id');
  const destinationCol = columns.get('destination_address');
  const kindCol = columns.get('kind');
  if (destinationCol === undefined || (addressCol === undefined && idCol === undefined)) {
    const missing = [...(addressCol === undefined && idCol === undefined ? ['workmail_address or entity_id'] : []), ...(destinationCol === undefined ? ['destination_address'] : [])];
    throw csvError(CODE, file, header.line, undefined, `the header row has no ${missing.join(' and no ')} column (found: ${[...columns.keys()].join(', ') || 'nothing'})`);
  }

  const byId = new Map(snapshot.entities.map((entity) => [entity.id, entity]));
  const byAddress = new Map<string, SnapshotEntity>();
  for (const entity of snapshot.entities) {
    if (entity.email) {
      byAddress.set(entity.email.toLowerCase(), entity);
    }
  }
  // The aliases the snapshot records (version 3), by address: a row naming one maps that alias.
  const byAlias = new Map<string, { entity: SnapshotEntity; alias: string }>();
  for (const entity of snapshot.entities) {
    const recorded = recordedAliases(snapshot, entity);
    for (const alias of recorded.recorded ? recorded.aliases : []) {
      byAlias.set(alias.toLowerCase(), { entity, alias });
    }
  }
  const entries = new Map<string, MappingEntry>();
  const aliasEntries = new Map<string, AliasEntry[]>();
  const aliasSeenAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  const unmatchedRows: Array<{ line: number; source: string; destination: string }> = [];
  for (const { cells, line } of records.slice(1)) {
    const cell = (index: number | undefined): string => (index === undefined ? '' : unguard((cells[index] ?? '').trim()));
    const address = cell(addressCol);
    const id = cell(idCol);
    const destination = cell(destinationCol);
    if (!address && !id) {
      if (destination) {
        throw csvError(CODE, file, line, (addressCol ?? idCol)! + 1, `the row gives a destination (${destination}) but no workmail_address or entity_id`);
      }
      continue;
    }
    if (destination && !isDestinationAddress(destination)) {
      throw csvError(CODE, file, line, destinationCol + 1, `${JSON.stringify(destination)} is not an email address (destination_address)`);
    }
    const fromId = id ? byId.get(id) : undefined;
    const fromAlias = address ? byAlias.get(address.toLowerCase()) : undefined;
    if (fromAlias || isAliasKind(cell(kindCol))) {
      const alias = aliasRow({ address, fromId, fromAlias, id, line, destination });
      if (alias) {
        aliasEntries.set(alias.entity.id, [...(aliasEntries.get(alias.entity.id) ?? []), { alias: alias.alias, destination, line }]);
      }
      continue;
    }
    const fromAddress = address ? byAddress.get(address.toLowerCase()) : undefined;
    if (fromId && fromAddress && fromId !== fromAddress) {
      throw csvError(CODE, file, line, addressCol! + 1, `workmail_address ${address} is ${fromAddress.id}, but entity_id is ${id}: the row names two entities`);
    }
    const entity = fromId ?? fromAddress;
    if (!entity) {
      unmatchedRows.push({ line, source: id || address, destination });
      continue;
    }
    const earlier = seenAt.get(entity.id);
    if (earlier !== undefined) {
      throw csvError(CODE, file, line, (fromId ? idCol : addressCol)! + 1, `${entity.email ?? entity.id} is mapped twice (also on line ${earlier}); keep one row`);
    }
    seenAt.set(entity.id, line);
    if (destination) {
      entries.set(entity.id, { destination, line });
    }
  }
  return {
    source: file,
    entries,
    aliasEntries,
    unmatchedRows,
    destinationOf: (entity) => entries.get(entity.id)?.destination,
    aliasesOf: (entity) => aliasEntries.get(entity.id) ?? [],
  };

  /**
   * An alias row: its entity (by entity_id, or the alias the snapshot records), the alias itself,
   * or undefined when it maps nothing (no destination, or an alias the snapshot does not know,
   * listed as unmatched). Refuses a row without an address, naming two entities, an entity's own
   * address, and an alias twice.
   */
  function aliasRow(row: { address: string; fromId: SnapshotEntity | undefined; fromAlias: { entity: SnapshotEntity; alias: string } | undefined; id: string; line: number; destination: string }): { entity: SnapshotEntity; alias: string } | undefined {
    const { address, fromId, fromAlias, id, line, destination } = row;
    const addressColumn = (addressCol ?? idCol)! + 1;
    if (!address) {
      throw csvError(CODE, file, line, addressColumn, 'an alias row needs the alias in workmail_address');
    }
    if (fromId && fromAlias && fromId !== fromAlias.entity) {
      throw csvError(CODE, file, line, addressColumn, `workmail_address ${address} is an alias of ${fromAlias.entity.id}, but entity_id is ${id}: the row names two entities`);
    }
    const entity = fromAlias?.entity ?? fromId;
    if (!entity) {
      unmatchedRows.push({ line, source: id || address, destination });
      return undefined;
    }
    if (entity.email?.toLowerCase() === address.toLowerCase()) {
      throw csvError(CODE, file, line, addressColumn, `${address} is the address of ${entity.id}, not one of its aliases: map it on the entity's own row (kind ${entity.kind})`);
    }
    const recorded = recordedAliases(snapshot, entity);
    if (!fromAlias && recorded.recorded) {
      // The snapshot knows this entity's aliases, and this is none of them: named, not guessed.
      unmatchedRows.push({ line, source: address, destination });
      return undefined;
    }
    const key = address.toLowerCase();
    const earlier = aliasSeenAt.get(key);
    if (earlier !== undefined) {
      throw csvError(CODE, file, line, addressColumn, `the alias ${address} is mapped twice (also on line ${earlier}); keep one row`);
    }
    aliasSeenAt.set(key, line);
    return destination ? { entity, alias: fromAlias?.alias ?? address } : undefined;
  }
}

// ------------------------------------------------------------------------------------- checking

export interface MappingCheck {
  /** Entities that own a mailbox with grants or are named as grantees, with no destination. */
  readonly unmapped: ReadonlyArray<{ readonly entity: SnapshotEntity; readonly grants: number }>;
  /** Rows naming nobody in the snapshot. */
  readonly unmatchedRows: AddressMapping['unmatchedRows'];
  /** Entities involved in grants (as mailbox or grantee) and how many of them are mapped. */
  readonly involved: number;
  readonly mapped: number;
}

/** What a mapping leaves out: every entity a grant names (either side) with no destination. */
export function checkMapping(snapshot: Snapshot, mapping: AddressMapping): MappingCheck {
  const byId = new Map(snapshot.entities.map((entity) => [entity.id, entity]));
  const grantsOf = new Map<string, number>();
  for (const grant of snapshot.grants) {
    for (const id of new Set([grant.mailboxId, grant.granteeId])) {
      if (byId.has(id)) {
        grantsOf.set(id, (grantsOf.get(id) ?? 0) + 1);
      }
    }
  }
  const unmapped: Array<{ entity: SnapshotEntity; grants: number }> = [];
  for (const [id, grants] of grantsOf) {
    const entity = byId.get(id)!;
    if (mapping.destinationOf(entity) === undefined) {
      unmapped.push({ entity, grants });
    }
  }
  unmapped.sort((a, b) => (a.entity.email ?? a.entity.id).localeCompare(b.entity.email ?? b.entity.id));
  return { unmapped, unmatchedRows: mapping.unmatchedRows, involved: grantsOf.size, mapped: grantsOf.size - unmapped.length };
}
