// Destination states made from what a script would do (see the interpreters in support.ts), written
// in each destination's own export format, the way its tools write them. Exchange's files come from
// the script's own read-back lines run against the state (powershell.ts), so the read-back and the
// reader cannot disagree. Options make them messy.
import type { Applied } from './support';
import { collection, runReadBack, type Cmdlets, type PsCollection, type PsRecord } from './powershell';

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

/**
 * Exchange Online holding a state, answering the cmdlets of the read-back as it does: rights and
 * multi-valued properties as .NET collections, well-known principals and inherited rows beside the
 * delegations, addresses upper-cased, trustees by display name ("Last, First") or DN, and
 * GrantSendOnBehalfTo and EmailAddresses only when asked for with -Properties.
 */
export function exchangeTenant(state: readonly Applied[], mailboxes: readonly string[], settings: ReadonlyMap<string, Readonly<Record<string, string>>> = new Map()): Cmdlets {
  const everyone = [...new Set([...mailboxes, ...state.flatMap((a) => [a.owner, a.grantee])])].sort();
  const recipients = new Map(everyone.map((address) => [address.toLowerCase(), recipientFor(address)]));
  const known = (identity: string | true | undefined): Recipient => {
    const found = typeof identity === 'string' ? recipients.get(identity.toLowerCase()) : undefined;
    if (!found) throw new Error(`the tenant has no recipient ${String(identity)}`);
    return found;
  };
  const r = (address: string): Recipient => known(address);
  const grantsOf = (owner: Recipient, right: string): Applied[] => state.filter((a) => a.owner.toLowerCase() === owner.address.toLowerCase() && a.right === right);
  const rights = (...items: string[]): PsCollection => collection('System.Collections.Generic.List`1[Microsoft.Exchange.Management.RestApiClient.MailboxAccessRight]', items);
  const asked = (parameters: Readonly<Record<string, string | true>>, property: string): boolean =>
    typeof parameters.Properties === 'string' && parameters.Properties.split(',').some((p) => p.trim().toLowerCase() === property.toLowerCase());
  const behalf = (owner: Recipient, typeName: string): PsCollection =>
    collection(typeName, grantsOf(owner, 'SendOnBehalf').map((a, i) => (i % 2 === 0 ? dn(r(a.grantee)) : r(a.grantee).displayName)));

  return (cmdlet, parameters) => {
    switch (cmdlet) {
      case 'Get-EXOMailboxPermission': {
        const owner = known(parameters.Identity);
        const row = (user: string, accessRights: PsCollection, inherited: boolean): PsRecord => ({
          Identity: owner.name,
          User: user,
          AccessRights: accessRights,
          IsInherited: inherited ? 'True' : 'False',
          Deny: 'False',
          InheritanceType: 'All',
        });
        return [
          row('NT AUTHORITY\\SELF', rights('FullAccess', 'ReadPermission'), false),
          row('NAMPR01A001\\Admins', rights('FullAccess'), true),
          ...grantsOf(owner, 'FullAccess').map((a) => row(a.grantee.toUpperCase(), rights('FullAccess'), false)),
        ];
      }
      case 'Get-EXORecipientPermission': {
        const owner = known(parameters.Identity);
        const row = (trustee: string): PsRecord => ({
          Identity: owner.name,
          Trustee: trustee,
          AccessControlType: 'Allow',
          AccessRights: collection('System.Collections.Generic.List`1[Microsoft.Exchange.Management.RestApiClient.RecipientAccessRight]', ['SendAs']),
          IsInherited: 'False',
        });
        return [row('NT AUTHORITY\\SELF'), ...grantsOf(owner, 'SendAs').map((a) => row(r(a.grantee).displayName))];
      }
      case 'Get-EXOMailbox': {
        const owner = known(parameters.Identity);
        return [
          {
            Identity: owner.name,
            PrimarySmtpAddress: owner.address.toUpperCase(),
            ...(asked(parameters, 'GrantSendOnBehalfTo') ? { GrantSendOnBehalfTo: behalf(owner, 'System.Collections.Generic.List`1[System.String]') } : {}),
          },
        ];
      }
      case 'Get-DistributionGroup': {
        const owner = known(parameters.Identity);
        return [{ Identity: owner.name, PrimarySmtpAddress: owner.address.toUpperCase(), GrantSendOnBehalfTo: behalf(owner, 'System.Collections.ArrayList') }];
      }
      case 'Get-CalendarProcessing': {
        // Exchange Online gives a room's delegates by Name only.
        const owner = known(parameters.Identity);
        return [
          {
            Identity: owner.name,
            ResourceDelegates: collection('System.Collections.Generic.List`1[System.String]', grantsOf(owner, 'ResourceDelegate').map((a) => r(a.grantee).name)),
            // A room mailbox's own settings as Exchange Online creates it, then what the script set.
            AutomateProcessing: 'AutoAccept',
            AllBookInPolicy: 'True',
            AllRequestInPolicy: 'False',
            ForwardRequestsToDelegates: 'True',
            AllowConflicts: 'False',
            AllowRecurringMeetings: 'True',
            ...settings.get(owner.address.toLowerCase()),
          },
        ];
      }
      case 'Get-EXORecipient': {
        if (parameters.ResultSize !== 'Unlimited') throw new Error('Get-EXORecipient without -ResultSize Unlimited returns the first 1000 only');
        return [...recipients.values()].map((rec) => ({
          Name: rec.name,
          DisplayName: rec.displayName,
          DistinguishedName: dn(rec),
          PrimarySmtpAddress: rec.address.toUpperCase(),
          Alias: rec.name,
          ...(asked(parameters, 'EmailAddresses') ? { EmailAddresses: collection('System.Collections.Generic.List`1[System.String]', [`SMTP:${rec.address}`, `smtp:${rec.name}@contoso.onmicrosoft.com`]) } : {}),
        }));
      }
      default:
        throw new Error(`a cmdlet this tenant does not answer: ${cmdlet}`);
    }
  };
}

export interface ExchangeExportOptions {
  /** Name mailboxes by Identity (a name) only, with no Mailbox column, as a hand-made export would. */
  readonly identityOnly?: boolean;
  /** Booking settings changed after the script ran, by resource address: column -> value as Export-Csv writes it. */
  readonly calendarProcessing?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** What each Set-CalendarProcessing line of the script sets, by resource address (lower case): parameter -> value as Exchange shows it. */
export function exchangeCalendarSettings(script: string): Map<string, Record<string, string>> {
  const settings = new Map<string, Record<string, string>>();
  const readBack = script.indexOf('# ---- Read-back');
  for (const line of script.slice(0, readBack < 0 ? undefined : readBack).split('\n').map((l) => l.trim())) {
    const identity = /^Set-CalendarProcessing -Identity '([^']+)'/.exec(line)?.[1];
    if (!identity) continue;
    const values: Record<string, string> = {};
    for (const [, name, value] of line.matchAll(/ -(AutomateProcessing|AllBookInPolicy|AllRequestInPolicy|AllowConflicts|AllowRecurringMeetings|ForwardRequestsToDelegates) (\S+)/g)) {
      values[name!] = value === '$true' ? 'True' : value === '$false' ? 'False' : value!;
    }
    settings.set(identity.toLowerCase(), values);
  }
  return settings;
}

/**
 * The files the script's own read-back writes from Exchange Online holding `state`, by file name,
 * byte for byte as Export-Csv writes them.
 */
export function exchangeExports(script: string, state: readonly Applied[], mailboxes: readonly string[], options: ExchangeExportOptions = {}): Record<string, string> {
  const readBack = options.identityOnly ? script.replace(/@\{Name='Mailbox';Expression=\{\$m\}\},/g, '') : script;
  // The tenant holds the booking settings the script's own lines set, then any changed by hand.
  const settings = exchangeCalendarSettings(script);
  for (const [resource, changed] of Object.entries(options.calendarProcessing ?? {})) settings.set(resource.toLowerCase(), { ...settings.get(resource.toLowerCase()), ...changed });
  return runReadBack(readBack, exchangeTenant(state, mailboxes, settings));
}

/** GAM's two CSV files for a state, with every user's primary send-as row as GAM prints it. */
/** `resources`: every resource calendar `print resources` lists, whether or not the state gives it owners. */
/**
 * `aclLayout`: 'rows' writes one ACL a row (GAM's default for `print resources … acls`), 'numbered'
 * one resource a row with acls.0.… acls.N.… columns (GAM with its one-row-per-item option).
 */
export function googleExports(state: readonly Applied[], allResources: readonly string[] = [], aclLayout: 'rows' | 'numbered' = 'rows'): Record<string, string> {
  const delegates = state.filter((a) => a.right === 'delegate').map((a) => [a.owner.toUpperCase(), a.grantee, 'accepted']);
  const users = [...new Set(state.flatMap((a) => [a.owner, a.grantee]))].sort();
  const sendas = [
    ...users.map((u) => [u, 'Some One', u, '', 'True', 'True', 'False', 'accepted', '<div>sig, with comma</div>']),
    ...state.filter((a) => a.right === 'sendas').map((a) => [a.grantee, 'Owner, The', a.owner.toUpperCase(), '', 'False', 'False', 'False', 'accepted', '']),
  ];
  // One row per ACL, as `print resources … acls` writes them: the calendar's own owner row and a domain reader beside the delegates.
  const resources = [...new Set([...allResources, ...state.filter((a) => a.right === 'calendarOwner').map((a) => a.owner)])].sort();
  const acls = resources.flatMap((resource, i) => [
    [`id-${i}`, `Room, ${i}`, resource.toUpperCase(), `user:${resource}`, 'owner', 'user', resource],
    [`id-${i}`, `Room, ${i}`, resource, 'domain:new.example.org', 'reader', 'domain', 'new.example.org'],
    ...state.filter((a) => a.right === 'calendarOwner' && a.owner === resource).map((a) => [`id-${i}`, `Room, ${i}`, resource, `user:${a.grantee}`, 'owner', 'user', a.grantee.toUpperCase()]),
  ]);
  const numbered = (): string => {
    const perResource = resources.map((resource) => acls.filter((row) => row[2]!.toLowerCase() === resource.toLowerCase()));
    const most = Math.max(0, ...perResource.map((rows) => rows.length));
    const header = ['resourceId', 'resourceName', 'resourceEmail', ...Array.from({ length: most }, (_, n) => [`acls.${n}.id`, `acls.${n}.role`, `acls.${n}.scope.type`, `acls.${n}.scope.value`]).flat()];
    const rows = perResource.map((rows) => [rows[0]![0]!, rows[0]![1]!, rows[0]![2]!, ...Array.from({ length: most }, (_, n) => (rows[n] ? rows[n]!.slice(3) : ['', '', '', ''])).flat()]);
    return `\uFEFF${csv(header, rows)}`;
  };
  return {
    ...(resources.length > 0 ? { 'resource-acls.csv': aclLayout === 'numbered' ? numbered() : `\uFEFF${csv(['resourceId', 'resourceName', 'resourceEmail', 'id', 'role', 'scope.type', 'scope.value'], acls)}` } : {}),
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

/** grommunio's read-back with the calendar lines of `resources`: the table `folder permissions 0xf` prints, colour codes and all. */
export function grommunioExportWithCalendars(state: readonly Applied[], mailboxes: readonly string[], resources: readonly string[]): string {
  const lines = [grommunioExport(state, mailboxes).trimEnd()];
  for (const resource of resources) {
    const rows = state.filter((a) => a.owner === resource && a.right === 'calendarDelegate').map((a) => `${a.grantee}  0x1c7b (\u001b[2mreadany,create,editowned,deleteowned,editany,deleteany,foldervisible,freebusysimple,freebusydetailed\u001b[0m)`);
    const text = rows.length > 0 ? `${['reviewer@new.example.org  0x0001 (readany)', ...rows].join('\n')}\n` : '(no entries)\n';
    lines.push(JSON.stringify({ mailbox: resource, endpoint: 'calendarPermissions', response: { text } }));
  }
  return `${lines.join('\n')}\n`;
}
