// grommunio's admin API answers, as the script's read-back writes them: one JSON line per mailbox
// and endpoint, {"mailbox": …, "endpoint": "delegates"|"sendas"|"storeAccess", "response": …}, where
// the response is the API's own: {"data": ["a@x", …]} for delegates and sendas,
// {"data": [{"ID": …, "displayName": …, "username": "a@x"}, …]} for storeAccess. Also read: a JSON
// array of such lines, or an object keyed by mailbox address ({"a@x": {"delegates": …, …}}).
// The booking delegates of a resource come as the text `grommunio-admin exmdb <room> folder
// permissions 0xf` prints, {"mailbox": …, "endpoint": "calendarPermissions", "response": {"text":
// …}}: a table of "address 0x…. (permission names)" rows; a row whose names include readany and
// editany (or "all") is a delegate. {"message": …} is the command's error.
// An answer without `data` (an API error such as {"message": "User not found"}, or null when the
// request failed) leaves that mailbox and right unchecked, with the message.
import { ADDRESS, VerifyInputError, normalAddress } from './csv';
import { jsonErrorOffset } from './jsonPosition';
import { emptyObservation, markRead, type Observation } from './observation';

const ENDPOINT_RIGHT: Record<string, string> = { delegates: 'delegates', sendas: 'sendas', storeaccess: 'storeAccess', calendarpermissions: 'calendarDelegate' };

// eslint-disable-next-line no-control-regex -- terminal colour codes are what is removed
const ANSI = /\u001b\[[0-9;]*m/g;

/** The addresses a `folder permissions` table gives calendar rights to. */
function calendarDelegates(text: string): string[] {
  const found: string[] = [];
  for (const line of text.replace(ANSI, '').split(/\r?\n/)) {
    const row = /^\s*(\S+@\S+)\s+0x[0-9a-f]+\s*\(([^)]*)\)/i.exec(line);
    if (!row) continue;
    const names = row[2]!.split(',').map((name) => name.trim().toLowerCase());
    if (names.includes('all') || (names.includes('readany') && names.includes('editany'))) found.push(row[1]!);
  }
  return found;
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function parseJson(file: string, text: string, lineBase: number): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const offset = jsonErrorOffset(text);
    const where = offset !== undefined ? position(text, offset) : undefined;
    throw new VerifyInputError(
      file,
      where ? where.line + lineBase - 1 : lineBase,
      where?.column,
      `not readable as JSON (${message.replace(/, ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '')}). Run the script's read-back again.`,
    );
  }
}

interface Entry {
  mailbox: unknown;
  endpoint: unknown;
  response: unknown;
  line: number;
}

function entriesOf(file: string, text: string): Entry[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.startsWith('[')) {
    const value = parseJson(file, trimmed, 1);
    return (value as unknown[]).map((item, i) => ({ ...(item as Entry), line: i + 1 }));
  }
  if (trimmed.startsWith('{') && !trimmed.includes('\n{')) {
    const value = parseJson(file, trimmed, 1) as Record<string, unknown>;
    if (!('endpoint' in value)) {
      return Object.entries(value).flatMap(([mailbox, answers]) =>
        Object.entries((answers ?? {}) as Record<string, unknown>).map(([endpoint, response]) => ({ mailbox, endpoint, response, line: 1 })),
      );
    }
  }
  const entries: Entry[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim()) entries.push({ ...(parseJson(file, line, i + 1) as Entry), line: i + 1 });
    });
  return entries;
}

export function readGrommunioExports(inputs: ReadonlyArray<{ file: string; text: string }>): Observation {
  const observation = emptyObservation();
  for (const { file, text } of inputs) {
    const entries = entriesOf(file, text);
    observation.files.push({ file, kind: 'grommunio admin API (delegates, sendas, storeAccess)', rows: entries.length });
    for (const entry of entries) {
      if (typeof entry !== 'object' || entry === null || typeof entry.mailbox !== 'string' || typeof entry.endpoint !== 'string') {
        throw new VerifyInputError(file, entry?.line, undefined, 'each line needs "mailbox", "endpoint" and "response", as the script\'s read-back writes them.');
      }
      const right = ENDPOINT_RIGHT[entry.endpoint.toLowerCase()];
      if (!right) {
        throw new VerifyInputError(file, entry.line, undefined, `unknown endpoint "${entry.endpoint}"; expected delegates, sendas, storeAccess or calendarPermissions.`);
      }
      const mailbox = normalAddress(entry.mailbox);
      observation.covered.add(right);
      markRead(observation, right, mailbox);
      const response = entry.response as { data?: unknown; message?: unknown; text?: unknown } | null;
      if (right === 'calendarDelegate' && response && typeof response.text === 'string') {
        for (const delegate of calendarDelegates(response.text)) {
          if (ADDRESS.test(delegate)) observation.delegations.push({ mailbox, grantee: normalAddress(delegate), right, file, line: entry.line });
          else observation.unresolved.push({ file, line: entry.line, value: delegate, mailbox, reason: 'not an email address' });
        }
        continue;
      }
      if (!response || !Array.isArray(response.data)) {
        const message = response && typeof response.message === 'string' ? response.message : 'no answer (the request failed)';
        observation.unreadable.set(`${mailbox}|${right}`, `${file}, line ${entry.line}: ${message}`);
        continue;
      }
      for (const item of response.data as unknown[]) {
        const value = typeof item === 'string' ? item : typeof item === 'object' && item !== null ? ((item as { username?: unknown }).username ?? (item as { email?: unknown }).email) : undefined;
        if (typeof value === 'string' && ADDRESS.test(value.trim())) {
          observation.delegations.push({ mailbox, grantee: normalAddress(value), right, file, line: entry.line });
        } else {
          observation.unresolved.push({ file, line: entry.line, value: JSON.stringify(item), mailbox, reason: 'not an email address' });
        }
      }
    }
  }
  return observation;
}
