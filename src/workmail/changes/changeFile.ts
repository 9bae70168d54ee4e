// A change file: the mailbox permission changes an administrator wants, written down, reviewed
// and versioned like any other file, then planned and applied (plan.ts, apply.ts). CSV for
// spreadsheets, JSON for editors (schemas/changes.schema.json gives completion and errors).
//
//   action,mailbox,grantee,rights
//   grant,alice@example.com,bob@example.com,SEND_AS
//   set,shared@example.com,sales,FULL_ACCESS;SEND_AS
//   revoke,alice@example.com,carol@example.com,
//   delegate,room-atlas@example.com,tara@example.com,
//   undelegate,room-atlas@example.com,executives,
//
// - grant adds the rights (never removes one), set makes them exactly these, revoke removes the
//   rights named (all of them when the cell is empty).
// - delegate makes the user or group a booking delegate of the room or equipment named as the
//   mailbox, undelegate removes it; neither takes rights (the cell stays empty).
// - Mailboxes and grantees by email address, name or entity ID. An optional `organization` column
//   (or the JSON's top-level "organization") names the organization by ID or alias.
// - Every problem names file, line and column, and nothing is planned from a file with a problem.
import { parse as parseCsv } from 'csv-parse/sync';
import { findNodeAtLocation, parse as parseJsonc, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import * as v from 'valibot';
import { WorkMailError } from '../errors';
import { ALL_RIGHTS, type Right } from '../types';

export const CHANGE_ACTIONS = ['grant', 'set', 'revoke', 'delegate', 'undelegate'] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

export interface ChangeLine {
  /** Where the change is written: the CSV row's line, or the line of the JSON object. */
  readonly line: number;
  readonly action: ChangeAction;
  readonly organization?: string;
  readonly mailbox: string;
  readonly grantee: string;
  /** grant and set: at least one; revoke: the rights to remove, empty for all; delegate and undelegate: none. */
  readonly rights: readonly Right[];
}

export interface ChangeFile {
  readonly file: string;
  readonly format: 'csv' | 'json';
  /** The organization every line is about, unless a line names its own. */
  readonly organization?: string;
  readonly lines: readonly ChangeLine[];
}

/** At most this many problems are listed in one message; the count of the rest follows. */
const MAX_LISTED = 10;

export class ChangeFileError extends WorkMailError {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    const listed = problems.slice(0, MAX_LISTED).join('; ');
    const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
    super('InvalidChangeFile', `${file} cannot be planned: ${listed}${more}. Correct the file and plan again; nothing was read or changed.`);
  }
}

/** Which parser a file name asks for. */
export function changeFileFormat(file: string): 'csv' | 'json' | undefined {
  const lower = file.toLowerCase();
  return lower.endsWith('.csv') ? 'csv' : lower.endsWith('.json') ? 'json' : undefined;
}

export function parseChangeFile(text: string, file: string): ChangeFile {
  const format = changeFileFormat(file);
  if (!format) {
    throw new ChangeFileError(file, ['the file name must end in .csv or .json']);
  }
  // Saved by Excel or Notepad: a byte-order mark is not part of the first column's name.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return format === 'csv' ? parseCsvChanges(body, file) : parseJsonChanges(body, file);
}

/** "SEND_AS; full_access" → rights, or the words that are not rights. */
function readRights(values: readonly string[]): { rights: Right[]; unknown: string[] } {
  const rights: Right[] = [];
  const unknown: string[] = [];
  for (const raw of values) {
    const value = raw.trim().toUpperCase();
    if (value === '') {
      continue;
    }
    if ((ALL_RIGHTS as readonly string[]).includes(value)) {
      if (!rights.includes(value as Right)) {
        rights.push(value as Right);
      }
    } else {
      unknown.push(raw.trim());
    }
  }
  return { rights, unknown };
}

/** A line about a booking delegation rather than mailbox permissions. */
export function isDelegateAction(action: ChangeAction): action is 'delegate' | 'undelegate' {
  return action === 'delegate' || action === 'undelegate';
}

function rightsProblem(action: ChangeAction, rights: readonly Right[], unknown: readonly string[]): string | undefined {
  if (isDelegateAction(action)) {
    return rights.length > 0 || unknown.length > 0 ? `${action} takes no rights (a booking delegate receives the resource's booking requests); leave the cell empty` : undefined;
  }
  if (unknown.length > 0) {
    return `${unknown.map((u) => JSON.stringify(u)).join(', ')} ${unknown.length === 1 ? 'is not a right' : 'are not rights'} (${ALL_RIGHTS.join(', ')})`;
  }
  if (action !== 'revoke' && rights.length === 0) {
    return `${action} needs at least one right (${ALL_RIGHTS.join(', ')}); to remove every right use revoke`;
  }
  return undefined;
}

// ---- CSV ---------------------------------------------------------------------------------

const CSV_COLUMNS = ['action', 'mailbox', 'grantee', 'rights', 'organization'] as const;
const REQUIRED_COLUMNS = ['action', 'mailbox', 'grantee', 'rights'] as const;

function parseCsvChanges(text: string, file: string): ChangeFile {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parseCsv(text, { info: true, relax_column_count: true, skip_empty_lines: true, comment: '#', comment_no_infix: true, trim: true }) as unknown as Array<{
      record: string[];
      info: { lines: number };
    }>;
  } catch (err) {
    const e = err as { lines?: number; column?: number; message?: string };
    throw new ChangeFileError(file, [`line ${e.lines ?? '?'}: ${e.message ?? String(err)}`]);
  }
  const [header, ...rows] = records;
  if (!header) {
    throw new ChangeFileError(file, [`line 1: the file is empty; the first line names the columns: ${REQUIRED_COLUMNS.join(',')}`]);
  }
  const columns = header.record.map((name) => name.trim().toLowerCase());
  const problems: string[] = [];
  columns.forEach((name, i) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      problems.push(`line ${header.info.lines}, column ${i + 1}: unknown column "${header.record[i]}" (the columns are ${CSV_COLUMNS.join(', ')})`);
    } else if (columns.indexOf(name) !== i) {
      problems.push(`line ${header.info.lines}, column ${i + 1}: the column "${name}" appears twice`);
    }
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!columns.includes(required)) {
      problems.push(`line ${header.info.lines}: no "${required}" column (the first line names the columns: ${REQUIRED_COLUMNS.join(',')}[,organization])`);
    }
  }
  if (problems.length > 0) {
    throw new ChangeFileError(file, problems);
  }
  const index = (name: string): number => columns.indexOf(name);
  const lines: ChangeLine[] = [];
  for (const { record, info } of rows) {
    const line = info.lines;
    const cell = (name: string): string => record[index(name)] ?? '';
    const at = (name: string): string => `line ${line}, column ${index(name) + 1}`;
    if (record.length > columns.length) {
      problems.push(`line ${line}, column ${columns.length + 1}: more cells than columns (quote a value that contains a comma)`);
      continue;
    }
    const action = cell('action').toLowerCase();
    if (!(CHANGE_ACTIONS as readonly string[]).includes(action)) {
      problems.push(`${at('action')}: ${JSON.stringify(cell('action'))} is not an action (${CHANGE_ACTIONS.join(', ')})`);
      continue;
    }
    let bad = false;
    for (const name of ['mailbox', 'grantee'] as const) {
      if (cell(name) === '') {
        problems.push(`${at(name)}: the ${name} is empty (an email address, name or ID)`);
        bad = true;
      }
    }
    const { rights, unknown } = readRights(cell('rights').split(/[;|,\s]+/));
    const rightsIssue = rightsProblem(action as ChangeAction, rights, unknown);
    if (rightsIssue) {
      problems.push(`${at('rights')}: ${rightsIssue}`);
      bad = true;
    }
    if (!bad) {
      const organization = index('organization') >= 0 && cell('organization') !== '' ? cell('organization') : undefined;
      lines.push({ line, action: action as ChangeAction, mailbox: cell('mailbox'), grantee: cell('grantee'), rights, ...(organization ? { organization } : {}) });
    }
  }
  if (problems.length > 0) {
    throw new ChangeFileError(file, problems);
  }
  return { file, format: 'csv', lines };
}

// ---- JSON --------------------------------------------------------------------------------

const not = (what: string) => (issue: v.BaseIssue<unknown>) => `${JSON.stringify(issue.input) ?? 'nothing'} is not ${what}`;
const nonEmpty = (what: string, description: string) => v.pipe(v.string(not(what)), v.trim(), v.minLength(1, `the ${what} is empty`), v.description(description));

const JSON_CHANGE = v.object(
  {
    action: v.pipe(
      v.picklist(CHANGE_ACTIONS, not(`an action (${CHANGE_ACTIONS.join(', ')})`)),
      v.description('grant adds the rights, set makes them exactly these, revoke removes them; delegate makes the grantee a booking delegate of the room or equipment, undelegate removes it.'),
    ),
    mailbox: nonEmpty('mailbox', 'The mailbox: email address, name or entity ID (for delegate and undelegate, the room or equipment).'),
    grantee: nonEmpty('grantee', 'Who gets or loses the rights: email address, name or entity ID of a user or group.'),
    rights: v.optional(
      v.pipe(
        v.array(v.picklist(ALL_RIGHTS as Right[], not(`a right (${ALL_RIGHTS.join(', ')})`)), not('a list of rights')),
        v.description('grant and set: at least one; revoke: the rights to remove (all when absent or empty); delegate and undelegate: none.'),
      ),
    ),
    organization: v.optional(nonEmpty('organization', 'This change only: organization ID (m-...) or alias.')),
  },
  not('a change ({ "action", "mailbox", "grantee", "rights" })'),
);

/** The one description of a valid JSON change file; schemas/changes.schema.json is generated from it. */
export const CHANGE_FILE_SCHEMA = v.object(
  {
    $schema: v.optional(v.string()),
    organization: v.optional(nonEmpty('organization', 'The organization of every change: ID (m-...) or alias.')),
    changes: v.pipe(v.array(JSON_CHANGE, not('a list of changes')), v.description('The changes, planned and applied in this order.')),
  },
  not('a change file ({ "organization", "changes": [...] })'),
);

function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function parseJsonChanges(text: string, file: string): ChangeFile {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: false, allowTrailingComma: true });
  if (errors.length > 0 || !tree) {
    throw new ChangeFileError(
      file,
      errors.length > 0 ? errors.map((e) => `${position(text, e.offset)}: ${printParseErrorCode(e.error)}`) : ['line 1, column 1: the file is empty'],
    );
  }
  const value: unknown = parseJsonc(text, [], { allowTrailingComma: true });
  const result = v.safeParse(CHANGE_FILE_SCHEMA, value, { abortEarly: false });
  if (!result.success) {
    const problems = result.issues.map((issue) => {
      const keys = (issue.path ?? []).map((item) => item.key as string | number);
      // The innermost node the file has: an absent field is reported at its object.
      let node: JsonNode | undefined;
      for (let depth = keys.length; depth >= 0 && !node; depth--) {
        node = findNodeAtLocation(tree, keys.slice(0, depth));
      }
      const where = position(text, node?.offset ?? 0);
      const field = keys.length > 0 ? keys.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').replace(/^\./, '') : 'the file';
      const missing = issue.input === undefined && keys.length > 0;
      return `${where}: ${field}: ${missing ? 'missing' : issue.message}`;
    });
    throw new ChangeFileError(file, problems);
  }
  const changesNode = findNodeAtLocation(tree, ['changes']);
  const problems: string[] = [];
  const lines: ChangeLine[] = [];
  result.output.changes.forEach((change, i) => {
    const node = changesNode?.children?.[i];
    const rights = [...new Set(change.rights ?? [])];
    const issue = rightsProblem(change.action, rights, []);
    if (issue) {
      const at = findNodeAtLocation(tree, ['changes', i, 'rights']) ?? node;
      problems.push(`${position(text, at?.offset ?? 0)}: changes[${i}].rights: ${issue}`);
      return;
    }
    lines.push({
      line: lineOf(text, node?.offset ?? 0),
      action: change.action,
      mailbox: change.mailbox,
      grantee: change.grantee,
      rights,
      ...(change.organization ? { organization: change.organization } : {}),
    });
  });
  if (problems.length > 0) {
    throw new ChangeFileError(file, problems);
  }
  return { file, format: 'json', lines, ...(result.output.organization ? { organization: result.output.organization } : {}) };
}
