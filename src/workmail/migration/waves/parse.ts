// Reading a waves file back: the CSV `wavesCsv` writes, perhaps edited by a person, as the mailboxes
// of each wave. Only the columns wave and mailbox_id count, so a spreadsheet may add, drop or reorder
// the others.
import { csvError, headerColumns, readCsvRows, readTextFile } from '../csv';
import { WAVE_COLUMNS } from './render';

/**
 * The waves of a waves CSV (as wavesCsv writes it, perhaps edited): wave number → mailbox IDs.
 * Needs the columns `wave` and `mailbox_id`; errors name file, line and column.
 */
export async function readWaves(file: string): Promise<Map<number, Set<string>>> {
  return parseWaves(await readTextFile(file, 'the waves file'), file);
}

export function parseWaves(text: string, file = 'the waves file'): Map<number, Set<string>> {
  const CODE = 'InvalidWaves';
  const rows = readCsvRows(text, file, CODE);
  if (rows.length === 0) {
    throw csvError(CODE, file, 1, undefined, `the file is empty; it needs a header row (${WAVE_COLUMNS.join(',')})`);
  }
  const columns = headerColumns(rows[0]!, file, CODE);
  const waveCol = columns.get('wave');
  const idCol = columns.get('mailbox_id');
  if (waveCol === undefined || idCol === undefined) {
    throw csvError(CODE, file, rows[0]!.line, undefined, `the header row needs the columns wave and mailbox_id (found: ${[...columns.keys()].join(', ') || 'nothing'})`);
  }
  const waves = new Map<number, Set<string>>();
  const seenAt = new Map<string, number>();
  for (const { cells, line } of rows.slice(1)) {
    const rawWave = (cells[waveCol] ?? '').trim();
    const id = (cells[idCol] ?? '').trim();
    if (!rawWave && !id) {
      continue;
    }
    if (!/^[1-9][0-9]{0,8}$/.test(rawWave)) {
      throw csvError(CODE, file, line, waveCol + 1, `${JSON.stringify(rawWave)} is not a wave number (1, 2, ...)`);
    }
    if (!id) {
      throw csvError(CODE, file, line, idCol + 1, 'the mailbox_id is empty');
    }
    const earlier = seenAt.get(id);
    if (earlier !== undefined) {
      throw csvError(CODE, file, line, idCol + 1, `${id} is in a wave twice (also on line ${earlier}); keep one row`);
    }
    seenAt.set(id, line);
    const wave = Number(rawWave);
    if (!waves.has(wave)) {
      waves.set(wave, new Set());
    }
    waves.get(wave)!.add(id);
  }
  return new Map([...waves].sort((a, b) => a[0] - b[0]));
}
