// Destination states made from what a script would do (see the interpreters in support.ts), written
// in each destination's own export format, the way its tools write them. Options make them messy.
import type { Applied } from './support';

export interface Recipient {
  readonly address: string;
  readonly name: string;
  readonly displayName: string;
}

/** An Exchange-style recipient for an address: a Name, a "Last, First" display name, a DN. */
export function recipientFor(address: string): Recipient {
  const local = address.slice(0, address.indexOf('@'));
  return { address, name: `${local}-${local.length}`, displayName: `${local.toUpperCase()}, Person` };
}

export function dn(recipient: Recipient): string {
  return `CN=${recipient.name},OU=contoso.onmicrosoft.com,OU=Microsoft Exchange Hosted Organizations,DC=NAMPR01A001,DC=PROD,DC=OUTLOOK,DC=COM`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csv(header: string[], rows: string[][], eol = '\r\n'): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join(eol) + eol;
}

export interface ExchangeExportOptions {
  /** Name mailboxes by Identity (a name) only, with no Mailbox column, as a hand-made export would. */
  readonly identityOnly?: boolean;
}

/** The four Exchange Online exports for a state. Addresses upper-cased, values by name or DN, noise rows. */
export function exchangeExports(state: readonly Applied[], mailboxes: readonly string[], options: ExchangeExportOptions = {}): Record<string, string> {
  const everyone = [...new Set([...mailboxes, ...state.flatMap((a) => [a.owner, a.grantee])])].sort();
  const recipients = new Map(everyone.map((address) => [address.toLowerCase(), recipientFor(address)]));
  const r = (address: string): Recipient => recipients.get(address.toLowerCase())!;
  const owners = [...mailboxes].sort();
  const mailboxCells = (owner: string): string[] => (options.identityOnly ? [r(owner).name] : [owner.toUpperCase(), r(owner).name]);
  const mailboxHeader = options.identityOnly ? ['Identity'] : ['Mailbox', 'Identity'];

  const full: string[][] = [];
  const sendAs: string[][] = [];
  for (const owner of owners) {
    full.push([...mailboxCells(owner), 'NT AUTHORITY\\SELF', 'FullAccess, ReadPermission', 'False', 'False', 'extra']);
    full.push([...mailboxCells(owner), 'NAMPR01A001\\Admins', 'FullAccess', 'True', 'False', 'extra']);
    sendAs.push([...mailboxCells(owner), 'NT AUTHORITY\\SELF', 'Allow', 'SendAs']);
    for (const a of state.filter((x) => x.owner === owner)) {
      if (a.right === 'FullAccess') full.push([...mailboxCells(owner), a.grantee.toUpperCase(), '{FullAccess}', 'False', 'False', 'extra']);
      if (a.right === 'SendAs') sendAs.push([...mailboxCells(owner), r(a.grantee).displayName, 'Allow', 'SendAs']);
    }
  }
  const behalf = owners.map((owner) => {
    const values = state.filter((a) => a.owner === owner && a.right === 'SendOnBehalf').map((a, i) => (i % 2 === 0 ? dn(r(a.grantee)) : r(a.grantee).displayName));
    return [...mailboxCells(owner), owner.toUpperCase(), values.join(';')];
  });
  const recipientRows = [...recipients.values()].map((rec) => [rec.name, rec.displayName, dn(rec), rec.address.toUpperCase(), rec.name, `SMTP:${rec.address};smtp:${rec.name}@contoso.onmicrosoft.com`]);
  return {
    'mailbox-permissions.csv': csv([...mailboxHeader, 'User', 'AccessRights', 'IsInherited', 'Deny', 'Extra'], full),
    'recipient-permissions.csv': csv([...mailboxHeader, 'Trustee', 'AccessControlType', 'AccessRights'], sendAs),
    'send-on-behalf.csv': csv([...mailboxHeader, 'PrimarySmtpAddress', 'GrantSendOnBehalfTo'], behalf),
    'recipients.csv': csv(['Name', 'DisplayName', 'DistinguishedName', 'PrimarySmtpAddress', 'Alias', 'EmailAddresses'], recipientRows),
  };
}

/** GAM's two CSV files for a state, with every user's primary send-as row as GAM prints it. */
export function googleExports(state: readonly Applied[]): Record<string, string> {
  const delegates = state.filter((a) => a.right === 'delegate').map((a) => [a.owner.toUpperCase(), a.grantee, 'accepted']);
  const users = [...new Set(state.flatMap((a) => [a.owner, a.grantee]))].sort();
  const sendas = [
    ...users.map((u) => [u, 'Some One', u, '', 'True', 'True', 'False', 'accepted', '<div>sig, with comma</div>']),
    ...state.filter((a) => a.right === 'sendas').map((a) => [a.grantee, 'Owner, The', a.owner.toUpperCase(), '', 'False', 'False', 'False', 'accepted', '']),
  ];
  return {
    'delegates.csv': csv(['User', 'delegateAddress', 'delegationStatus'], delegates),
    'sendas.csv': csv(['User', 'displayName', 'sendAsEmail', 'replyToAddress', 'isPrimary', 'isDefault', 'treatAsAlias', 'verificationStatus', 'signature'], sendas),
  };
}

/** The grommunio read-back lines for a state: one per mailbox and endpoint. */
export function grommunioExport(state: readonly Applied[], mailboxes: readonly string[]): string {
  const lines: string[] = [];
  for (const mailbox of mailboxes) {
    const of = (right: string) => state.filter((a) => a.owner === mailbox && a.right === right).map((a) => a.grantee);
    lines.push(JSON.stringify({ mailbox, endpoint: 'delegates', response: { data: of('delegates') } }));
    lines.push(JSON.stringify({ mailbox, endpoint: 'sendas', response: { data: of('sendas') } }));
    lines.push(JSON.stringify({ mailbox, endpoint: 'storeAccess', response: { data: of('storeAccess').map((g, i) => ({ ID: i + 10, displayName: g, username: g })) } }));
  }
  return `${lines.join('\n')}\n`;
}
