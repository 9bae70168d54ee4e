// The files a migration is made from, read the one way for the command line and VS Code: the
// snapshot (readSnapshot), the address mapping (loadMapping) and the waves (readWaves). Commands
// take them as `MigrationFiles`, so their tests can hand in their own.
import { loadMapping } from './mapping';
import type { AddressMapping, Snapshot } from './schema';
import { readSnapshot } from './snapshot';
import { readWaves } from './waves';

export interface MigrationFiles {
  readSnapshot(file: string): Promise<Snapshot>;
  loadMapping(file: string, snapshot: Snapshot): Promise<AddressMapping>;
  readWaves(file: string): Promise<Map<number, Set<string>>>;
}

export const migrationFiles: MigrationFiles = { readSnapshot, loadMapping, readWaves };
