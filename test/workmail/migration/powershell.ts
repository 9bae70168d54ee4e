// Runs the read-back block of a generated PowerShell script against a destination state, and writes
// the files its `Export-Csv` stages would write, so a test verifies what the script itself asks for:
// a column the script does not select, or a collection it does not join, shows in the files exactly
// as it would on a real tenant. The subset read here is the one the read-back is written in:
//   $Name = @('a', …)                       an array of strings
//   <source> | ForEach-Object { $m = $_; <pipeline> } | Select-Object <columns> | Export-Csv …
//   sources: $Name, @(…) + @(…), @( <pipeline> <pipeline> ), a cmdlet call answered by `cmdlets`
//   columns: a property name, or @{Name='X';Expression={$m}} / {$_.X} / {$_.X -join 'sep'}
// Anything else is refused by name, so a read-back written some other way fails here, not silently.

/** A property value: a string (ToString of a scalar), $null, or a collection of strings. */
export type PsValue = string | null | PsCollection;

/** A .NET collection: Export-Csv writes its type name (its ToString); -join joins its items. */
export interface PsCollection {
  readonly typeName: string;
  readonly items: readonly string[];
}

export type PsRecord = Readonly<Record<string, PsValue>>;

/** The objects a cmdlet call returns; parameters by name without the dash, a switch as true. */
export type Cmdlets = (cmdlet: string, parameters: Readonly<Record<string, string | true>>) => PsRecord[];

export function collection(typeName: string, items: readonly string[]): PsCollection {
  return { typeName, items };
}

type Item = string | PsRecord;
type Scope = ReadonlyMap<string, Item | Item[]>;

/**
 * The CSV text of each file the read-back block (from `marker` to the end of the script) writes,
 * by file name, in the order the script writes them.
 */
export function runReadBack(script: string, cmdlets: Cmdlets, marker = '# ---- Read-back'): Record<string, string> {
  const at = script.indexOf(marker);
  if (at < 0) throw new Error(`no "${marker}" block in the script`);
  const files: Record<string, string> = {};
  const scope = new Map<string, Item | Item[]>();
  const lines = script
    .slice(at)
    .split(/\r?\n/)
    .filter((line) => line.trim() && !line.trim().startsWith('#'));
  for (const statement of statementsOf(lines.join('\n'))) {
    const assignment = /^\$(\w+)\s*=\s*([\s\S]*)$/.exec(statement);
    if (assignment) {
      scope.set(assignment[1]!.toLowerCase(), pipeline(assignment[2]!, scope, cmdlets, files));
      continue;
    }
    const left = pipeline(statement, scope, cmdlets, files);
    if (left.length > 0) throw new Error(`the read-back prints to the console instead of a file: ${statement}`);
  }
  return files;
}

/**
 * What `Export-Csv -NoTypeInformation -Encoding UTF8` writes in Windows PowerShell 5.1: a byte-order
 * mark, the first object's property names as the header, every value quoted (quotes doubled), $null
 * as nothing, a collection as its type name, CRLF after every line.
 */
export function exportCsv(records: readonly PsRecord[]): string {
  if (records.length === 0) return '\uFEFF';
  const names = Object.keys(records[0]!);
  const field = (value: PsValue | undefined): string => {
    const text = value === null || value === undefined ? null : typeof value === 'string' ? value : value.typeName;
    return text === null ? '' : `"${text.replace(/"/g, '""')}"`;
  };
  const rows = [names.map(field), ...records.map((record) => names.map((name) => field(propertyOf(record, name))))];
  return `\uFEFF${rows.map((row) => `${row.join(',')}\r\n`).join('')}`;
}

/** PowerShell property names are case-insensitive; a missing one is $null. */
function propertyOf(record: PsRecord, name: string): PsValue {
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? null : record[key]!;
}

/** Splits at top level (outside quotes, (), {}, []) wherever `separator` matches one character. */
function splitTop(text: string, separator: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if ('({['.includes(ch)) depth++;
    else if (')}]'.includes(ch)) depth--;
    else if (depth === 0 && separator.test(ch)) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quote || depth !== 0) throw new Error(`unbalanced quotes or brackets in: ${text}`);
  parts.push(text.slice(start));
  return parts.map((part) => part.trim()).filter(Boolean);
}

function statementsOf(text: string): string[] {
  return splitTop(text, /[\n;]/);
}

/** The value of a single-quoted string literal ('' is a quote). */
function literal(text: string): string | undefined {
  const match = /^'((?:[^']|'')*)'$/.exec(text.trim());
  return match ? match[1]!.replace(/''/g, "'") : undefined;
}

/** The inside of `open … close` when the whole text is one such bracket. */
function inside(text: string, open: string, close: string): string | undefined {
  const t = text.trim();
  if (!t.startsWith(open) || !t.endsWith(close)) return undefined;
  const body = t.slice(open.length, t.length - close.length);
  try {
    splitTop(body, /$^/);
  } catch {
    return undefined;
  }
  return body;
}

function flat(value: Item | Item[] | undefined): Item[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function pipeline(text: string, scope: Scope, cmdlets: Cmdlets, files: Record<string, string>): Item[] {
  const [source, ...stages] = splitTop(text, /\|/);
  let items = sourceOf(source!, scope, cmdlets, files);
  for (const stage of stages) items = stageOf(stage, items, scope, cmdlets, files);
  return items;
}

function sourceOf(text: string, scope: Scope, cmdlets: Cmdlets, files: Record<string, string>): Item[] {
  const sum = splitTop(text, /\+/);
  if (sum.length > 1) return sum.flatMap((part) => sourceOf(part, scope, cmdlets, files));
  const array = inside(text, '@(', ')');
  if (array !== undefined) return statementsOf(array).flatMap((statement) => pipeline(statement, scope, cmdlets, files));
  const string = literal(text);
  if (string !== undefined) return [string];
  const variable = /^\$(\w+)$/.exec(text.trim());
  if (variable) return flat(scope.get(variable[1]!.toLowerCase()));
  const [cmdlet, ...words] = splitTop(text, /\s/);
  if (!cmdlet || !/^[A-Z][a-z]+-[A-Za-z]+$/.test(cmdlet)) throw new Error(`not a source this reader knows: ${text}`);
  return cmdlets(cmdlet, parametersOf(words, scope));
}

function parametersOf(words: readonly string[], scope: Scope): Record<string, string | true> {
  const parameters: Record<string, string | true> = {};
  for (let i = 0; i < words.length; i++) {
    const name = /^-(\w+)$/.exec(words[i]!)?.[1];
    if (!name) throw new Error(`not a parameter: ${words[i]} in ${words.join(' ')}`);
    const next = words[i + 1];
    if (next === undefined || next.startsWith('-')) {
      parameters[name] = true;
      continue;
    }
    i++;
    const variable = /^\$(\w+)$/.exec(next)?.[1];
    const value = variable ? scope.get(variable.toLowerCase()) : (literal(next) ?? next);
    if (typeof value !== 'string') throw new Error(`-${name} ${next} is not a string`);
    parameters[name] = value;
  }
  return parameters;
}

function stageOf(text: string, items: Item[], scope: Scope, cmdlets: Cmdlets, files: Record<string, string>): Item[] {
  const [command, ...words] = splitTop(text, /\s/);
  const rest = text.trim().slice(command!.length).trim();
  switch (command) {
    case 'ForEach-Object': {
      const body = inside(rest, '{', '}');
      if (body === undefined) throw new Error(`ForEach-Object without a script block: ${text}`);
      return items.flatMap((item) => {
        const local = new Map(scope);
        local.set('_', item);
        const out: Item[] = [];
        for (const statement of statementsOf(body)) {
          const assignment = /^\$(\w+)\s*=\s*([\s\S]*)$/.exec(statement);
          if (assignment) {
            const value = expression(assignment[2]!, local);
            if (value === null) throw new Error(`an assignment of $null: ${statement}`);
            local.set(assignment[1]!.toLowerCase(), value as Item | Item[]);
          } else out.push(...pipeline(statement, local, cmdlets, files));
        }
        return out;
      });
    }
    case 'Select-Object': {
      const columns = splitTop(rest, /,/).map(columnOf);
      return items.map((item) => {
        const local = new Map(scope);
        local.set('_', item);
        return Object.fromEntries(columns.map((column) => [column.name, column.value(local)]));
      });
    }
    case 'Export-Csv': {
      const parameters = parametersOf(words, scope);
      const path = parameters.Path;
      if (typeof path !== 'string' || parameters.NoTypeInformation !== true || parameters.Encoding !== 'UTF8' || Object.keys(parameters).length !== 3) {
        throw new Error(`Export-Csv other than -Path '…' -NoTypeInformation -Encoding UTF8: ${text}`);
      }
      files[path] = exportCsv(
        items.map((item) => {
          if (typeof item === 'string') throw new Error(`Export-Csv of a string: ${text}`);
          return item;
        }),
      );
      return [];
    }
    default:
      throw new Error(`not a pipeline stage this reader knows: ${text}`);
  }
}

interface Column {
  readonly name: string;
  readonly value: (scope: Scope) => PsValue;
}

function columnOf(text: string): Column {
  if (/^\w+$/.test(text)) return { name: text, value: (scope) => valueOf(scope.get('_'), text) };
  const hash = inside(text, '@{', '}');
  if (hash === undefined) throw new Error(`not a Select-Object column this reader knows: ${text}`);
  const entries = new Map(
    splitTop(hash, /;/).map((entry) => {
      const eq = entry.indexOf('=');
      return [entry.slice(0, eq).trim().toLowerCase(), entry.slice(eq + 1).trim()] as const;
    }),
  );
  const name = literal(entries.get('name') ?? entries.get('n') ?? '');
  const block = inside(entries.get('expression') ?? entries.get('e') ?? '', '{', '}');
  if (name === undefined || block === undefined) throw new Error(`a calculated property needs Name='…' and Expression={…}: ${text}`);
  return { name, value: (scope) => psValue(expression(block, scope)) };
}

/** `$var`, `$var.Property`, or either `-join 'separator'`. */
function expression(text: string, scope: Scope): Item | Item[] | PsValue {
  const join = /^([\s\S]*?)\s+-join\s+('(?:[^']|'')*')$/.exec(text.trim());
  if (join) {
    const value = expression(join[1]!, scope);
    const separator = literal(join[2]!)!;
    if (value === null || value === undefined) return '';
    if (typeof value === 'string') return value;
    if ('typeName' in value && 'items' in value) return (value as PsCollection).items.join(separator);
    throw new Error(`-join of an object: ${text}`);
  }
  const reference = /^\$(\w+)(?:\.(\w+))?$/.exec(text.trim());
  if (!reference) throw new Error(`not an expression this reader knows: ${text}`);
  const value = scope.get(reference[1]!.toLowerCase());
  return reference[2] ? valueOf(value, reference[2]) : (value ?? null);
}

function valueOf(item: Item | Item[] | undefined, property: string): PsValue {
  if (item === undefined || typeof item === 'string' || Array.isArray(item)) throw new Error(`.${property} of something that is no object`);
  return propertyOf(item, property);
}

function psValue(value: Item | Item[] | PsValue): PsValue {
  if (value === null || typeof value === 'string') return value;
  if (!Array.isArray(value) && 'typeName' in value && 'items' in value) return value as PsCollection;
  throw new Error('a column holds an object, not a value');
}
