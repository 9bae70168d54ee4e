// Every option the command line knows, in one table for node:util's parseArgs, and the values it
// gives; the subcommand files take `Values` from here rather than from the dispatcher.
import type { parseArgs } from 'node:util';
import { CONNECTION_OPTIONS } from './common';
import { MIGRATION_OPTIONS } from './migrationScripts';

export const OPTIONS = {
  ...CONNECTION_OPTIONS,
  format: { type: 'string' },
  out: { type: 'string' },
  entity: { type: 'string' },
  target: { type: 'string' },
  'auto-mapping': { type: 'boolean' },
  'include-disabled': { type: 'boolean' },
  'groups-are-security-groups': { type: 'boolean' },
  'gam-csv': { type: 'boolean' },
  domain: { type: 'string' },
  'max-size': { type: 'string' },
  concurrency: { type: 'string' },
  resume: { type: 'boolean' },
  'resume-max-age': { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...MIGRATION_OPTIONS,
} as const;

export type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];
