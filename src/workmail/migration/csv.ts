// Reading the CSV files people edit (the address mapping, the waves): csv-parse does the parsing;
// this adds what the messages need, the line each row starts on, and one error shape naming file,
// line and column.
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { WorkMailError } from '../errors';

export interface CsvRow {
  readonly cells: readonly string[];
  /** The line the row starts on (1-based; a quoted field may run over several lines). */
  readonly line: number;
}

interface ParsedRecord {
  readonly record: string[];
  /** UTF-8 bytes of the input read when the record ended (the byte-order mark included). */
  readonly info: { readonly bytes: number };
}

/**
 * Every non-blank row, header included. Tolerates a byte-order mark, CRLF or LF line ends, quoted
 * fields (commas, quotes and line breaks inside) and rows of different lengths.
 */
export function readCsvRows(text: string, file: string, code: string): CsvRow[] {
  let records: ParsedRecord[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as ParsedRecord[];
  } catch (err) {
    const { lines, message } = err as { lines?: number; message?: string };
    // csv-parse's own messages repeat the line; the column of a quote problem is not known to it.
    throw csvError(code, file, lines, undefined, (message ?? String(err)).replace(/ at line \d+/, ''));
  }
  return withLines(text, records);
}

/**
 * The line each record starts on. csv-parse's own line count is off with CRLF line ends, so lines
 * are counted here from where each record ends, skipping the blank lines before the next.
 */
function withLines(text: string, records: readonly ParsedRecord[]): CsvRow[] {
  const bytes = Buffer.from(text, 'utf8');
  const CR = 0x0d;
  const LF = 0x0a;
  let counted = 0;
  let line = 1;
  let previousEnd = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return records.map(({ record, info }) => {
    let start = previousEnd;
    while (start < bytes.length && (bytes[start] === CR || bytes[start] === LF)) {
      start++;
    }
    for (; counted < start; counted++) {
      if (bytes[counted] === LF) {
        line++;
      }
    }
    previousEnd = info.bytes;
    return { cells: record, line };
  });
}

/** Column positions by (case-insensitive, trimmed) header name; a name given twice is an error. */
export function headerColumns(header: CsvRow, file: string, code: string): Map<string, number> {
  const columns = new Map<string, number>();
  header.cells.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    if (!name) {
      return;
    }
    if (columns.has(name)) {
      throw csvError(code, file, header.line, index + 1, `the column ${name} appears twice`);
    }
    columns.set(name, index);
  });
  return columns;
}

/**
 * Cells are written formula-guarded (csvCell prefixes an apostrophe to = + - @); an address may
 * legitimately start with - or +, so the guard is taken off on reading.
 */
export function unguard(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

export function csvError(code: string, file: string, line: number | undefined, column: number | undefined, problem: string): WorkMailError {
  const where = [line !== undefined ? `line ${line}` : undefined, column !== undefined ? `column ${column}` : undefined].filter(Boolean).join(', ');
  return new WorkMailError(code, `${file}${where ? ` ${where}` : ''}: ${problem}. Fix the file and try again; nothing was changed.`);
}

/** Reads a text file for one of the commands, with a message that names it when it cannot. */
export async function readTextFile(file: string, what: string): Promise<string> {
  try {
    return await fs.promises.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new WorkMailError('InputError', `Could not read ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(err))}.`, { cause: err });
  }
}
