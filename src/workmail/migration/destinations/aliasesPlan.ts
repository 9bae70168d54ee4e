// The shape of an alias in a destination plan. Its own file, without code, so that the plan's
// shape (common.ts) and the planning of aliases (aliases.ts, which uses common's helpers) both read
// it without importing each other.
import type { SnapshotEntity } from '../schema';

/** The WorkMail "right" of an alias, as the "Not migrated" list and the Zoho CSV name it. */
export const ALIAS = 'ALIAS';

/** One alias the script gives an entity at the destination, traced to the WorkMail entity and alias. */
export interface PlannedAlias {
  readonly entity: SnapshotEntity;
  /** The entity's destination address (after the mapping): who gets the alias. */
  readonly entityAddress: string;
  /** The alias as the snapshot recorded it. */
  readonly alias: string;
  /** The alias at the destination: its mapping row, or the alias unchanged. */
  readonly aliasAddress: string;
  /** Said in a comment above the command. */
  readonly note?: string;
}
