// Exchange Online's exports, recognised by their columns (file names are the person's choice):
//   Get-EXOMailboxPermission   Identity, User, AccessRights, IsInherited, Deny  -> FullAccess
//                              (NT AUTHORITY\SELF and other well-known principals, inherited and
//                              deny rows are not delegations and are skipped)
//   Get-EXORecipientPermission Identity, Trustee, AccessControlType, AccessRights -> SendAs
//   Get-EXOMailbox -Properties GrantSendOnBehalfTo (or Get-DistributionGroup)     -> SendOnBehalf
//   Get-CalendarProcessing     Identity, ResourceDelegates                        -> ResourceDelegate
//                              (a room's booking delegates, names as Exchange Online gives them)
//                              [, AutomateProcessing, AllBookInPolicy, …]: its booking options,
//                              compared with the Set-CalendarProcessing parameters the script set
//   Get-EXORecipient           Name, DisplayName, DistinguishedName, PrimarySmtpAddress, Alias
//                              [, EmailAddresses]: how names and distinguished names are resolved
// Identity and GrantSendOnBehalfTo hold names or distinguished names as often as addresses, so
// every value goes through the recipient export: an address (primary or proxy) or an exact name,
// display name, alias or distinguished name of exactly one recipient. A `Mailbox` column (the
// script's read-back adds it) names the mailbox by the address that was asked for. A value that
// matches nobody, or several recipients, is listed as unresolved, never guessed. AccessRights,
// GrantSendOnBehalfTo, ResourceDelegates and EmailAddresses are collections: the read-back joins them, and a cell
// holding the collection's type name (Export-Csv of one not joined) is refused, not read as empty.
import { ADDRESS, VerifyInputError, normalAddress, readCsv, truthy, type CsvRow, type CsvTable } from './csv';
import { exchangeBookingSettings } from '../destinations/exchange';
import { BOOKING_OPTIONS, type DestinationPlan } from '../destinations';
import { emptyObservation, markRead, type Observation } from './observation';
import type { VerifyItem } from './result';

type Kind = 'mailboxPermissions' | 'recipientPermissions' | 'sendOnBehalf' | 'calendarProcessing' | 'recipients';

const KIND_NAMES: Record<Kind, string> = {
  mailboxPermissions: 'Get-EXOMailboxPermission',
  recipientPermissions: 'Get-EXORecipientPermission',
  sendOnBehalf: 'Get-EXOMailbox -Properties GrantSendOnBehalfTo',
  calendarProcessing: 'Get-CalendarProcessing',
  recipients: 'Get-EXORecipient',
};

function kindOf(table: CsvTable): Kind {
  const has = (name: string): boolean => table.header.includes(name);
  if (has('grantsendonbehalfto')) return 'sendOnBehalf';
  if (has('resourcedelegates') || has('automateprocessing')) return 'calendarProcessing';
  if (has('trustee') && has('accessrights')) return 'recipientPermissions';
  if (has('user') && has('accessrights')) return 'mailboxPermissions';
  if (has('primarysmtpaddress') && (has('name') || has('distinguishedname') || has('displayname') || has('alias'))) return 'recipients';
  throw new VerifyInputError(
    table.file,
    1,
    undefined,
    `its columns (${table.header.join(', ')}) match none of the Exchange Online exports verify reads: Get-EXOMailboxPermission (Identity, User, AccessRights, IsInherited, Deny), Get-EXORecipientPermission (Identity, Trustee, AccessControlType, AccessRights), Get-EXOMailbox -Properties GrantSendOnBehalfTo (Identity, GrantSendOnBehalfTo), Get-CalendarProcessing (Identity, ResourceDelegates) or Get-EXORecipient (Name, DisplayName, DistinguishedName, PrimarySmtpAddress, Alias).`,
  );
}

/** Principals that are not people: Exchange lists them on every mailbox. */
function wellKnown(value: string): boolean {
  return /^(NT AUTHORITY\\|S-1-5-|NAMPR[0-9A-Z]*\\|Discovery|Exchange Servers)/i.test(value.trim());
}

class Recipients {
  private readonly byKey = new Map<string, Set<string>>();

  add(primary: string, keys: readonly (string | undefined)[]): void {
    const canonical = normalAddress(primary);
    for (const key of [primary, ...keys]) {
      const k = key?.trim().toLowerCase();
      if (!k) continue;
      const set = this.byKey.get(k) ?? new Set<string>();
      set.add(canonical);
      this.byKey.set(k, set);
    }
  }

  /** The primary address a value names, or why it names none. */
  resolve(value: string): { address: string } | { reason: string } {
    const key = value.trim().toLowerCase();
    if (!key) return { reason: 'empty' };
    const found = this.byKey.get(key);
    if (found && found.size === 1) return { address: [...found][0]! };
    if (found && found.size > 1) return { reason: `names ${found.size} recipients (${[...found].join(', ')})` };
    if (ADDRESS.test(key)) return { address: key };
    return { reason: 'names no recipient of the recipient export (add Get-EXORecipient … PrimarySmtpAddress to the exports)' };
  }

  canonical(address: string): string {
    const found = this.byKey.get(normalAddress(address));
    return found && found.size === 1 ? [...found][0]! : normalAddress(address);
  }
}

/** The multi-valued columns, and the separator the script's read-back joins each with. */
const JOINED = {
  accessrights: { property: 'AccessRights', separator: ',' },
  grantsendonbehalfto: { property: 'GrantSendOnBehalfTo', separator: ';' },
  resourcedelegates: { property: 'ResourceDelegates', separator: ';' },
  emailaddresses: { property: 'EmailAddresses', separator: ';' },
} as const;

/** What Export-Csv writes for a collection it was not asked to join: its .NET type name. */
const TYPE_NAME = /^\s*(Deserialized\.)?(System|Microsoft)\.[\w.+]+(`\d+\[.*\])?(\[\])?\s*$/;

/** A multi-valued cell, refused when it holds a type name instead of the values. */
function joinedCell(row: CsvRow, table: CsvTable, column: keyof typeof JOINED): string {
  const value = row.get(column) ?? '';
  if (TYPE_NAME.test(value)) {
    const { property, separator } = JOINED[column];
    throw new VerifyInputError(
      table.file,
      row.line,
      row.columnOf(column),
      `${property} holds a type name ("${value.trim()}"), not its values: Export-Csv writes a collection it was not asked to join that way (the read-back of scripts made before this version did so for AccessRights). Make the script again, run its read-back again and verify the new files; in a read-back of your own, select @{Name='${property}';Expression={$_.${property} -join '${separator}'}}.`,
    );
  }
  return value;
}

function rightsTokens(row: CsvRow, table: CsvTable): string[] {
  return joinedCell(row, table, 'accessrights')
    .replace(/[{}]/g, ' ')
    .split(/[\s,;]+/)
    .map((token) => token.toLowerCase())
    .filter(Boolean);
}

export function readExchangeExports(inputs: ReadonlyArray<{ file: string; text: string }>): Observation {
  const tables = inputs.map(({ file, text }) => {
    const table = readCsv(file, text);
    return { table, kind: kindOf(table) };
  });
  const recipients = new Recipients();
  for (const { table, kind } of tables.filter((t) => t.kind === 'recipients')) {
    for (const row of table.rows) {
      const primary = row.get('primarysmtpaddress')?.trim();
      if (!primary) continue;
      const proxies = joinedCell(row, table, 'emailaddresses')
        .split(/[;,\s]+/)
        .filter((value) => /^smtp:/i.test(value))
        .map((value) => value.slice(5));
      recipients.add(primary, [row.get('name'), row.get('displayname'), row.get('distinguishedname'), row.get('alias'), row.get('identity'), row.get('externaldirectoryobjectid'), row.get('guid'), ...proxies]);
    }
    void kind;
  }
  const observation = emptyObservation((address) => recipients.canonical(address));
  for (const { table, kind } of tables) {
    observation.files.push({ file: table.file, kind: KIND_NAMES[kind], rows: table.rows.length });
  }

  const resolveCell = (table: CsvTable, row: CsvRow, column: string, value: string, mailbox?: string): string | undefined => {
    const result = recipients.resolve(value);
    if ('address' in result) return result.address;
    observation.unresolved.push({ file: table.file, line: row.line, column: row.columnOf(column), value, ...(mailbox ? { mailbox } : {}), reason: result.reason });
    return undefined;
  };
  const mailboxOf = (table: CsvTable, row: CsvRow, columns: readonly string[]): string | undefined => {
    for (const column of columns) {
      const value = row.get(column)?.trim();
      if (value) return resolveCell(table, row, column, value);
    }
    throw new VerifyInputError(table.file, row.line, undefined, `no mailbox: the row has none of ${columns.join(', ')}.`);
  };

  for (const { table, kind } of tables) {
    if (kind === 'mailboxPermissions' || kind === 'recipientPermissions') {
      const right = kind === 'mailboxPermissions' ? 'FullAccess' : 'SendAs';
      const who = kind === 'mailboxPermissions' ? 'user' : 'trustee';
      observation.covered.add(right);
      for (const row of table.rows) {
        const mailbox = mailboxOf(table, row, ['mailbox', 'identity']);
        if (mailbox) markRead(observation, right, mailbox);
        // Read first, so a type name is refused on every row, not only on rows that are delegations.
        const rights = rightsTokens(row, table);
        const principal = row.get(who)?.trim() ?? '';
        if (!principal || wellKnown(principal)) continue;
        if (truthy(row.get('isinherited')) || truthy(row.get('deny')) || /^\s*deny\s*$/i.test(row.get('accesscontroltype') ?? '')) continue;
        if (!rights.includes(right.toLowerCase())) continue;
        const grantee = resolveCell(table, row, who, principal, mailbox);
        if (mailbox && grantee) {
          observation.delegations.push({ mailbox, grantee, right, file: table.file, line: row.line });
        }
      }
    } else if (kind === 'sendOnBehalf' || kind === 'calendarProcessing') {
      const [right, column] = kind === 'sendOnBehalf' ? (['SendOnBehalf', 'grantsendonbehalfto'] as const) : (['ResourceDelegate', 'resourcedelegates'] as const);
      // An export of the options alone (no ResourceDelegates column) says nothing about delegates.
      const delegates = table.header.includes(column);
      if (delegates) observation.covered.add(right);
      for (const row of table.rows) {
        const mailbox = mailboxOf(table, row, ['mailbox', 'primarysmtpaddress', 'identity']);
        if (mailbox && kind === 'calendarProcessing' && !observation.settings.has(mailbox)) {
          const values = new Map(table.header.filter((name) => SETTING_COLUMNS.has(name)).map((name) => [name, row.get(name) ?? '']));
          observation.settings.set(mailbox, { values, file: table.file, line: row.line });
        }
        if (!delegates) continue;
        if (mailbox) markRead(observation, right, mailbox);
        for (const value of splitValues(joinedCell(row, table, column), (piece) => 'address' in recipients.resolve(piece))) {
          const grantee = resolveCell(table, row, column, value, mailbox);
          if (mailbox && grantee) {
            observation.delegations.push({ mailbox, grantee, right, file: table.file, line: row.line });
          }
        }
      }
    }
  }
  return observation;
}

/** The Get-CalendarProcessing columns of the booking options the script may set (exchangeBookingSettings). */
const SETTING_COLUMNS = new Set(['automateprocessing', 'allbookinpolicy', 'allrequestinpolicy', 'allowconflicts', 'allowrecurringmeetings', 'forwardrequeststodelegates']);

/** A PowerShell value as Export-Csv writes it: `$true` is True, a word is itself. */
function settingValue(value: string): string {
  return value === '$true' ? 'True' : value === '$false' ? 'False' : value;
}

/**
 * Each Set-CalendarProcessing parameter the script sets on a resource, compared with the column of
 * the same name in the Get-CalendarProcessing export: arrived, missing ("expected X, found Y"), or
 * not checked when no export, row or column shows it. Keyed by the resource as the mailbox and the
 * parameter as the right, with no grantee: an option is the resource's own.
 */
export function exchangeSettingItems(plan: DestinationPlan, observation: Observation, canonical: (address: string) => string): VerifyItem[] {
  const byMailbox = new Map([...observation.settings].map(([mailbox, settings]) => [canonical(mailbox), settings]));
  const given = observation.files.some((file) => file.kind === KIND_NAMES.calendarProcessing);
  const items: VerifyItem[] = [];
  for (const resource of plan.booking) {
    const found = byMailbox.get(canonical(resource.resourceAddress));
    for (const parameter of exchangeBookingSettings(resource).parameters) {
      const [name, raw] = parameter.replace(/^-/, '').split(' ') as [string, string];
      const expected = settingValue(raw);
      const base = { mailbox: resource.resourceAddress, grantee: '', right: name, carries: [BOOKING_OPTIONS], mailboxId: resource.resource.id };
      const value = found?.values.get(name.toLowerCase())?.trim();
      const source = found ? `${found.file}:${found.line}` : undefined;
      if (!given) items.push({ ...base, status: 'not-checked', detail: `no ${KIND_NAMES.calendarProcessing} export was given` });
      else if (!found) items.push({ ...base, status: 'not-checked', detail: `the ${KIND_NAMES.calendarProcessing} export has no rows for this resource: it was not read` });
      else if (value === undefined || value === '') items.push({ ...base, status: 'not-checked', detail: `the ${KIND_NAMES.calendarProcessing} export has no ${name} ${value === undefined ? 'column' : 'value'}`, source });
      // Exchange writes booleans as True/False and AutomateProcessing in its own case; either case is the same setting.
      else if (value.toLowerCase() === expected.toLowerCase()) items.push({ ...base, status: 'arrived', source });
      else items.push({ ...base, status: 'missing', detail: `expected ${expected}, found ${value}`, source });
    }
  }
  return items;
}

/**
 * The values of a multi-valued cell: separated by semicolons, line breaks or bars, or by commas
 * when every comma-separated piece resolves (a distinguished name or "Doe, Jane" has commas of its
 * own, so a piece that resolves whole is kept whole).
 */
export function splitValues(cell: string, resolves: (value: string) => boolean): string[] {
  const values: string[] = [];
  for (const piece of cell.split(/[;\r\n|]+/).map((value) => value.trim()).filter(Boolean)) {
    if (resolves(piece) || !piece.includes(',')) {
      values.push(piece);
      continue;
    }
    const parts = piece.split(',').map((value) => value.trim()).filter(Boolean);
    values.push(...(parts.every(resolves) ? parts : [piece]));
  }
  return values;
}
