// Reading the destinations' exports as they come out of real tools: a byte-order mark (UTF-8, or
// UTF-16 from Windows PowerShell's `>` redirection), CRLF line ends, quoted commas and line breaks,
// Windows PowerShell's "#TYPE …" first line, headers in any case with extra columns. csv-parse does
// the RFC 4180 work; a file it cannot read is refused with its name, line and column, never half
// read.

import { parse } from 'csv-parse/sync';

/** Refusal of an input file: says which file, where, and what to do. */
export class VerifyInputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
    problem: string,
  ) {
    super(`${file}${line !== undefined ? `, line ${line}` : ''}${column !== undefined ? `, column ${column}` : ''}: ${problem}`);
    this.name = 'VerifyInputError';
  }
}

/** Text of a file, whatever byte-order mark it starts with. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  }
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

export interface CsvRow {
  /** Line on which the record starts (1-based, as an editor shows it). */
  readonly line: number;
  /** Cell by lower-cased, trimmed header name. */
  get(column: string): string | undefined;
  /** 1-based column number of a header, for messages. */
  columnOf(column: string): number | undefined;
}

export interface CsvTable {
  readonly file: string;
  /** Lower-cased, trimmed header names. */
  readonly header: readonly string[];
  readonly rows: readonly CsvRow[];
}

export function readCsv(file: string, text: string): CsvTable {
  let body = text.replace(/^\uFEFF/, '');
  let offset = 0;
  // Windows PowerShell's Export-Csv without -NoTypeInformation starts with a type line.
  if (/^#TYPE[^\n]*\n/.test(body)) {
    body = body.slice(body.indexOf('\n') + 1);
    offset = 1;
  }
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(body, { info: true, relax_column_count: true, skip_empty_lines: true, bom: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    const e = err as { message?: string; lines?: number; column?: number | string; code?: string };
    // A quote left open swallows the rest of the file: point at where it opened, not where the file ends.
    const opened = e.code === 'CSV_QUOTE_NOT_CLOSED' ? unclosedQuote(body) : undefined;
    if (opened) {
      throw new VerifyInputError(file, opened.line + offset, opened.column, 'not readable as CSV: a quoted cell starts here and is never closed. Export it again, or fix the quoting there.');
    }
    const column = typeof e.column === 'number' ? e.column + 1 : undefined;
    const message = (e.message ?? String(err)).replace(/ at line \d+/, '');
    throw new VerifyInputError(file, e.lines !== undefined ? e.lines + offset : undefined, column, `not readable as CSV: ${message}. Export it again, or fix the quoting there.`);
  }
  if (records.length === 0) {
    throw new VerifyInputError(file, 1, undefined, 'the file is empty; it should start with a header row.');
  }
  const header = records[0]!.record.map((cell) => cell.trim().toLowerCase());
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    if (!index.has(name)) index.set(name, i);
  });
  const rows: CsvRow[] = records.slice(1).map(({ record, info }) => {
    // info.lines is the line a record ends on; line breaks inside quoted cells move its start up.
    const breaks = record.reduce((sum, cell) => sum + (cell.match(/\n/g)?.length ?? 0), 0);
    return {
      line: info.lines - breaks + offset,
      get: (column: string) => {
        const i = index.get(column);
        return i === undefined ? undefined : record[i];
      },
      columnOf: (column: string) => {
        const i = index.get(column);
        return i === undefined ? undefined : i + 1;
      },
    };
  });
  return { file, header, rows };
}

/** Line and 1-based column (field number) of a quoted cell that is still open at the end of `text`. */
function unclosedQuote(text: string): { line: number; column: number } | undefined {
  let line = 1;
  let field = 1;
  let open: { line: number; column: number } | undefined;
  let atFieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (open) {
      if (ch === '"' && text[i + 1] === '"') i++;
      else if (ch === '"') open = undefined;
      else if (ch === '\n') line++;
      continue;
    }
    if (ch === '"' && atFieldStart) {
      open = { line, column: field };
    } else if (ch === ',') {
      field++;
      atFieldStart = true;
      continue;
    } else if (ch === '\n') {
      line++;
      field = 1;
      atFieldStart = true;
      continue;
    }
    atFieldStart = false;
  }
  return open;
}

/** Addresses compare without case or surrounding space. */
export function normalAddress(value: string): string {
  return value.trim().toLowerCase();
}

export const ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** "True"/"true"/"1"/"yes": what PowerShell, GAM and spreadsheets write for yes. */
export function truthy(value: string | undefined): boolean {
  return /^\s*(true|yes|y|1|x|done|✓|✔)\s*$/i.test(value ?? '');
}
