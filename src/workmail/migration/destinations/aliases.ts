// Every alias of every entity in scope, planned the way grants are (common.ts): the wave filter (the
// entity's own wave), the states, the address mapping (the alias's own row, or the alias unchanged
// when it has none) and SAFE_EMAIL on both the entity's address and the alias. What a destination
// cannot hold (a Google calendar resource, a grommunio mailing list) it refuses with the reason, and
// the alias is listed, never dropped. Aliases the snapshot could not read are listed as unread:
// unknown, not none. A snapshot older than version 3 recorded no aliases: said once, as a warning.
//
// Scripts add the aliases before the grants, because a grant at the destination may name a mailbox
// by one of them.
import type { AddressMapping, Snapshot, SnapshotEntity } from '../schema';
import { recordedAliases } from '../snapshotAliases';
import { ALIAS, type PlannedAlias } from './aliasesPlan';
import { SAFE_EMAIL, commentText, describeEntity, inWave, label, stateProblem, type DestinationOptions, type NotCarried } from './common';

export { ALIAS, type PlannedAlias } from './aliasesPlan';

/** What a destination says about one alias: why it cannot hold it, and what to say above its command. */
export interface AliasCarry {
  refuse?(entity: SnapshotEntity, entityAddress: string, aliasAddress: string): string | undefined;
  note?(entity: SnapshotEntity, entityAddress: string, aliasAddress: string): string | undefined;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function planAliases(
  snapshot: Snapshot,
  mapping: AddressMapping,
  options: DestinationOptions,
  carry: AliasCarry,
  unchanged: boolean,
): { aliases: PlannedAlias[]; notCarried: NotCarried[]; warnings: string[] } {
  const aliases: PlannedAlias[] = [];
  const notCarried: NotCarried[] = [];
  if (snapshot.version < 3) {
    return { aliases, notCarried, warnings: [`the snapshot (version ${snapshot.version}) did not record aliases: none are in this script; save a new snapshot to carry them.`] };
  }
  const includeDisabled = options.includeDisabled ?? false;
  const addressOf = (entity: SnapshotEntity): string | undefined => mapping.destinationOf(entity)?.trim() || undefined;
  // Every entity's destination address: an alias that becomes one of them would take another's address.
  const primaries = new Map<string, SnapshotEntity>();
  for (const entity of snapshot.entities) {
    const address = addressOf(entity);
    if (address) primaries.set(address.toLowerCase(), entity);
  }
  const given = new Map<string, PlannedAlias>();
  const entities = snapshot.entities
    .filter((entity) => inWave(options, entity, entity.id))
    .sort((a, b) => compare(label(a, a.id), label(b, b.id)) || compare(a.id, b.id));
  for (const entity of entities) {
    const recorded = recordedAliases(snapshot, entity);
    if (!recorded.recorded) {
      // A deleted entity's aliases are never read, and a deleted entity migrates nothing.
      if (entity.state !== 'DELETED') {
        notCarried.push({ kind: 'unread', mailboxId: entity.id, mailbox: entity, right: ALIAS, reason: commentText(`the aliases ${recorded.why}; scan again`) });
      }
      continue;
    }
    const mapped = new Map((mapping.aliasesOf?.(entity) ?? []).map((row) => [row.alias.toLowerCase(), row.destination.trim()]));
    const skip = (alias: string, reason: string, kind: NotCarried['kind'] = 'not-carried'): void => {
      notCarried.push({ kind, mailboxId: entity.id, mailbox: entity, right: ALIAS, alias, reason });
    };
    for (const alias of recorded.aliases) {
      const state = stateProblem('entity', entity, includeDisabled);
      if (state) {
        skip(alias, state);
        continue;
      }
      const entityAddress = addressOf(entity);
      if (!entityAddress) {
        skip(alias, unchanged ? 'its entity has no email address to name it by' : 'no destination address for its entity in the address mapping (add a row for it; nothing is guessed)', 'not-mappable');
        continue;
      }
      const aliasAddress = mapped.get(alias.toLowerCase()) || alias;
      if (!SAFE_EMAIL.test(entityAddress) || !SAFE_EMAIL.test(aliasAddress)) {
        skip(alias, 'the alias or its entity\'s address contains characters that are not safe in a script');
        continue;
      }
      const key = aliasAddress.toLowerCase();
      if (key === entityAddress.toLowerCase()) {
        skip(alias, `the alias becomes the entity's own address at the destination (${aliasAddress}): there is no alias to add`);
        continue;
      }
      const owner = primaries.get(key);
      if (owner) {
        skip(alias, `${aliasAddress} is the destination address of ${describeEntity(owner, owner.id)}: change the alias's row in the address mapping`);
        continue;
      }
      const before = given.get(key);
      if (before) {
        skip(alias, `${aliasAddress} is already given as an alias of ${describeEntity(before.entity, before.entity.id)} (from ${before.alias}): change one row in the address mapping`);
        continue;
      }
      const refused = carry.refuse?.(entity, entityAddress, aliasAddress);
      if (refused) {
        skip(alias, refused);
        continue;
      }
      const note = carry.note?.(entity, entityAddress, aliasAddress);
      const planned: PlannedAlias = { entity, entityAddress, alias, aliasAddress, ...(note ? { note } : {}) };
      given.set(key, planned);
      aliases.push(planned);
    }
  }
  return { aliases, notCarried, warnings: [] };
}

/** The trace comment above an alias command: the WorkMail entity and alias, and the destination addresses when mapped. */
export function aliasTraceText(planned: PlannedAlias): string {
  const { entity } = planned;
  const base = `from WorkMail: entity=${entity.id} alias=${planned.alias} right=${ALIAS} (${describeEntity(entity, entity.id)})`;
  const mapped = entity.email?.toLowerCase() !== planned.entityAddress.toLowerCase() || planned.alias.toLowerCase() !== planned.aliasAddress.toLowerCase();
  return commentText(mapped ? `${base} as ${planned.entityAddress} + ${planned.aliasAddress}` : base);
}

/** The domain of an address, lower case. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** An address that starts with "-", which GAM and grommunio-admin would read as an option. */
export function dashed(...addresses: readonly string[]): boolean {
  return addresses.some((address) => address.startsWith('-'));
}
