// Exchange Online: a PowerShell script for a session opened with Connect-ExchangeOnline.
//   FULL_ACCESS     -> Add-MailboxPermission -AccessRights FullAccess (not on a group: it has no mailbox)
//   SEND_AS         -> Add-RecipientPermission -AccessRights SendAs
//   SEND_ON_BEHALF  -> Set-Mailbox (Set-DistributionGroup for a group) -GrantSendOnBehalfTo @{Add=…}
// Exchange gives mailbox rights to groups only when they are mail-enabled security groups; WorkMail
// groups usually become distribution groups or Microsoft 365 groups, so group grantees are listed as
// not migrated unless the person says the groups were recreated as security groups.
//
// Booking delegates of rooms and equipment -> Set-CalendarProcessing -ResourceDelegates, with
// -ForwardRequestsToDelegates $true. Microsoft's Set-CalendarProcessing reference documents
// -ResourceDelegates as a list that is written whole (RecipientIdParameter[], "Value1,Value2"), with
// no @{Add=…} form as GrantSendOnBehalfTo has; so, to add and never replace, the script reads the
// delegates the room already has (Get-CalendarProcessing, each resolved to its primary address),
// appends WorkMail's and writes the union, and leaves the room alone when that read fails. Booking
// options, from DescribeResource's flags:
//   AutoAcceptRequests false -> -AutomateProcessing AutoAccept -AllBookInPolicy $false
//                               -AllRequestInPolicy $true (every request waits for a delegate)
//   AutoAcceptRequests true  -> -AutomateProcessing AutoAccept -AllBookInPolicy $true
//   AutoDeclineConflictingRequests / AutoDeclineRecurringRequests (while accepting automatically)
//                            -> -AllowConflicts / -AllowRecurringMeetings, the opposite value
// A flag WorkMail did not give leaves Exchange's own setting as it is. Whether WorkMail applies the
// auto-decline flags while delegates approve is not documented: then they are listed, not set.
//
// Aliases, before the grants (a grant may name a mailbox by one): users and resources
// `Set-Mailbox -EmailAddresses @{Add='smtp:<alias>'}`, groups `Set-DistributionGroup` with the same
// parameter (Microsoft's Set-DistributionGroup reference: "To add or remove specify proxy addresses
// without affecting other existing values, use … @{Add="<Type>:<emailaddress1>",…}", smtp being a
// secondary address), which covers distribution groups and the mail-enabled security groups of
// groupGrantees; a group recreated as a Microsoft 365 group takes Set-UnifiedGroup instead, said
// above each group's line. An alias on another domain than its mailbox's needs that domain to be an
// accepted domain of the tenant: said above the line.
//
// `-WhatIf:$WhatIf` is on every cmdlet, so `.\script.ps1 -WhatIf` shows exactly what a real run
// would do; with the whatIf option the script defaults to that dry run. The script ends with the
// read-back that writes the CSV files `workmail-permissions verify --target exchange` reads (four,
// and a fifth, Get-CalendarProcessing, when it sets rooms' delegates or booking options).
import type { AddressMapping, Snapshot } from '../schema';
import { bookingOptionsTraceText, bookingTraceText, optionsNotCarried, planBooking, type BookingResource } from './booking';
import { aliasTraceText, domainOf, planAliases, type PlannedAlias } from './aliases';
import { planApplications } from './applications';
import { accessRuleComment, exchangeApplicationLines } from './applicationSections';
import { commandLines, commentText, delegationOf, mailboxAddresses, notCarriedComment, planGrants, powerShellString, scriptHeader, WAVE_NOTE } from './common';
import type { Carried, CarryInput, Delegation, DestinationOptions, DestinationPlan } from './common';

/** The files the read-back writes, in the order verify lists them. */
export const EXCHANGE_READBACK_FILES = {
  mailboxPermissions: 'workmail-exchange-mailbox-permissions.csv',
  recipientPermissions: 'workmail-exchange-recipient-permissions.csv',
  sendOnBehalf: 'workmail-exchange-send-on-behalf.csv',
  recipients: 'workmail-exchange-recipients.csv',
  calendarProcessing: 'workmail-exchange-calendar-processing.csv',
} as const;

/** The plan's name for a booking delegate at Exchange Online. */
export const EXCHANGE_BOOKING_RIGHT = 'ResourceDelegate';

const GROUP_GRANTEE_REASON =
  'the grantee is a group: Exchange Online grants this only to a mail-enabled security group; create one with this address, then migrate it (groupGrantees: security-group / --groups-are-security-groups)';

function carryExchange(input: CarryInput, options: DestinationOptions): Carried {
  const carried: Carried = { delegations: [], skipped: [] };
  const { grantee, mailbox } = input;
  if (grantee.kind === 'group' && (options.groupGrantees ?? 'skip') === 'skip') {
    carried.skipped.push(...input.rights.map((right) => ({ right, reason: GROUP_GRANTEE_REASON })));
    return carried;
  }
  const notes = [
    ...(grantee.kind === 'group' ? ['needs a mail-enabled security group with this address in Exchange Online'] : []),
    ...(input.granteeOutsideWave ? [WAVE_NOTE] : []),
  ];
  const note = notes.length > 0 ? notes.join('; ') : undefined;
  for (const right of input.rights) {
    if (right === 'FULL_ACCESS' && mailbox.kind === 'group') {
      carried.skipped.push({ right, reason: 'a group has no mailbox to open' });
      continue;
    }
    const destination = right === 'FULL_ACCESS' ? 'FullAccess' : right === 'SEND_AS' ? 'SendAs' : 'SendOnBehalf';
    carried.delegations.push(delegationOf(input, destination, [right], note));
  }
  return carried;
}

export function planExchange(snapshot: Snapshot, mapping: AddressMapping, options: DestinationOptions): DestinationPlan {
  const unchanged = options.mappingSource === undefined;
  const { delegations, notCarried } = planGrants(snapshot, mapping, options, (input) => carryExchange(input, options), unchanged);
  const keepGroups = options.groupGrantees === 'security-group';
  const planned = planBooking(
    snapshot,
    mapping,
    options,
    {
      right: EXCHANGE_BOOKING_RIGHT,
      keepGroups,
      note: (delegate) => (delegate.kind === 'group' ? 'Exchange documents -ResourceDelegates for users; that a mail-enabled security group is accepted is not documented (chosen: groups are security groups)' : undefined),
    },
    unchanged,
  );
  const optionsSkipped = planned.booking.flatMap((resource) => exchangeBookingSettings(resource).skipped.map((reason) => optionsNotCarried(resource, reason)));
  const aliases = planAliases(snapshot, mapping, options, { note: exchangeAliasNote }, unchanged);
  return {
    target: 'exchange',
    snapshot,
    options,
    delegations,
    booking: planned.booking,
    aliases: aliases.aliases,
    applications: planApplications(snapshot, mapping, unchanged),
    notCarried: [...aliases.notCarried, ...notCarried, ...planned.notCarried, ...optionsSkipped],
    warnings: aliases.warnings,
  };
}

function exchangeAliasNote(entity: { readonly kind: string }, entityAddress: string, aliasAddress: string): string | undefined {
  const notes = [
    ...(entity.kind === 'group' ? ['if the group was recreated as a Microsoft 365 group, run Set-UnifiedGroup with the same parameters instead'] : []),
    ...(domainOf(aliasAddress) !== domainOf(entityAddress) ? [`the alias is on another domain (${domainOf(aliasAddress)}): it must be an accepted domain of the tenant`] : []),
  ];
  return notes.length > 0 ? notes.join('; ') : undefined;
}

/** The cmdlet line that adds one alias: a secondary (smtp:) address of the mailbox or group. Addresses passed SAFE_EMAIL. */
export function exchangeAliasCommand(planned: PlannedAlias): string {
  const cmdlet = planned.entity.kind === 'group' ? 'Set-DistributionGroup' : 'Set-Mailbox';
  return `${cmdlet} -Identity ${powerShellString(planned.entityAddress)} -EmailAddresses @{Add=${powerShellString(`smtp:${planned.aliasAddress}`)}} -WhatIf:$WhatIf`;
}

function aliasLines(plan: DestinationPlan): string[] {
  if (plan.aliases.length === 0) return [];
  const lines = ['# ---- Aliases (before the permissions: a permission may name a mailbox by an alias) ----'];
  for (const planned of plan.aliases) {
    lines.push(`# ${aliasTraceText(planned)}`);
    if (planned.note) lines.push(commentText(`# NOTE: ${planned.note}`));
    lines.push(exchangeAliasCommand(planned));
  }
  return [...lines, ''];
}

/** Set-CalendarProcessing's parameters for a resource's booking options, and what of them is not carried, with the reason. */
export function exchangeBookingSettings(resource: BookingResource): { parameters: string[]; notes: string[]; skipped: string[] } {
  const o = resource.options ?? {};
  const parameters: string[] = [];
  const notes: string[] = [];
  const skipped: string[] = [];
  const delegated = resource.delegations.length > 0;
  const flag = (value: boolean): string => (value ? '$true' : '$false');
  if (o.autoAcceptRequests === false) {
    if (delegated) {
      parameters.push('-AutomateProcessing AutoAccept', '-AllBookInPolicy $false', '-AllRequestInPolicy $true');
    } else {
      skipped.push('WorkMail lets a delegate approve every request, and no delegate of this resource is carried: set who approves at the destination by hand, then -AllBookInPolicy $false -AllRequestInPolicy $true');
    }
    for (const [name, value] of [['AutoDeclineConflictingRequests', o.autoDeclineConflictingRequests], ['AutoDeclineRecurringRequests', o.autoDeclineRecurringRequests]] as const) {
      if (value) {
        skipped.push(`${name} is set while delegates approve every request; whether WorkMail applies it then is not documented, so -${name === 'AutoDeclineConflictingRequests' ? 'AllowConflicts' : 'AllowRecurringMeetings'} is left as Exchange has it`);
      }
    }
  } else {
    if (o.autoAcceptRequests === true) parameters.push('-AutomateProcessing AutoAccept', '-AllBookInPolicy $true');
    else notes.push('WorkMail gave no AutoAcceptRequests: -AutomateProcessing and -AllBookInPolicy are left as Exchange has them');
    if (o.autoDeclineConflictingRequests !== undefined) parameters.push(`-AllowConflicts ${flag(!o.autoDeclineConflictingRequests)}`);
    if (o.autoDeclineRecurringRequests !== undefined) parameters.push(`-AllowRecurringMeetings ${flag(!o.autoDeclineRecurringRequests)}`);
  }
  if (delegated) parameters.push('-ForwardRequestsToDelegates $true');
  return { parameters, notes, skipped };
}

/** A resource's block: the delegates it has, WorkMail's appended (each traced), the union and the options written in one Set-CalendarProcessing. */
function bookingLines(resource: BookingResource): string[] {
  const identity = powerShellString(resource.resourceAddress);
  const settings = exchangeBookingSettings(resource);
  const lines = [`# ---- Booking: ${resource.resourceAddress} ----`];
  lines.push('try {');
  if (resource.delegations.length > 0) {
    // Existing delegates come back as names: resolved to addresses so the union has no duplicates.
    // One that does not resolve is kept as Exchange names it (never dropped from the union); an
    // empty list may come back as nothing at all.
    lines.push(
      `  $WorkMailDelegates = @(@((Get-CalendarProcessing -Identity ${identity} -ErrorAction Stop).ResourceDelegates) | Where-Object { $_ } | ForEach-Object { $d = $_.ToString(); try { [string](Get-EXORecipient -Identity $d -ErrorAction Stop).PrimarySmtpAddress } catch { $d } })`,
    );
    for (const delegation of resource.delegations) {
      lines.push(`  # ${bookingTraceText(delegation)}`);
      if (delegation.note) lines.push(commentText(`  # NOTE: ${delegation.note}`));
      // One delegate not at Exchange Online yet (another wave, not created) must not stop the room's others.
      const address = powerShellString(delegation.delegateAddress);
      lines.push(`  if (Get-EXORecipient -Identity ${address} -ErrorAction SilentlyContinue) { $WorkMailDelegates += ${address} } else { Write-Warning ("booking delegate " + ${address} + " of " + ${identity} + " not found at Exchange Online: left out; run this again once it exists") }`);
    }
  }
  lines.push(`  # ${bookingOptionsTraceText(resource)}`);
  for (const note of settings.notes) lines.push(commentText(`  # NOTE: ${note}`));
  const delegates = resource.delegations.length > 0 ? ' -ResourceDelegates @($WorkMailDelegates | Sort-Object -Unique)' : '';
  if (delegates || settings.parameters.length > 0) {
    lines.push(`  Set-CalendarProcessing -Identity ${identity}${delegates}${settings.parameters.map((p) => ` ${p}`).join('')} -ErrorAction Stop -WhatIf:$WhatIf`);
  } else {
    lines.push('  # nothing to set: see "Not migrated" for this resource');
  }
  lines.push(`} catch { Write-Warning ("booking of " + ${identity} + " not changed: " + $_) }`);
  return lines;
}

/** The cmdlet line for one delegation. */
export function exchangeCommand(delegation: Delegation, options: DestinationOptions): string {
  const mailbox = powerShellString(delegation.mailboxAddress);
  const trustee = powerShellString(delegation.granteeAddress);
  switch (delegation.right) {
    case 'FullAccess':
      return `Add-MailboxPermission -Identity ${mailbox} -User ${trustee} -AccessRights FullAccess -InheritanceType All -AutoMapping $${options.autoMapping ? 'true' : 'false'} -WhatIf:$WhatIf`;
    case 'SendAs':
      return `Add-RecipientPermission -Identity ${mailbox} -Trustee ${trustee} -AccessRights SendAs -Confirm:$false -WhatIf:$WhatIf`;
    default:
      return `${delegation.mailbox.kind === 'group' ? 'Set-DistributionGroup' : 'Set-Mailbox'} -Identity ${mailbox} -GrantSendOnBehalfTo @{Add=${trustee}} -WhatIf:$WhatIf`;
  }
}

function psArray(name: string, values: readonly string[]): string[] {
  return values.length === 0 ? [`${name} = @()`] : [`${name} = @(`, ...values.map((value) => `  ${powerShellString(value)}`), ')'];
}

/** The read-back block: what Exchange Online holds for the mailboxes this script changes. */
function readBack(plan: DestinationPlan): string[] {
  const users = mailboxAddresses(plan, (delegation) => delegation.mailbox.kind !== 'group');
  const groups = mailboxAddresses(plan, (delegation) => delegation.mailbox.kind === 'group');
  // Every room whose delegates or options the script sets, so verify can compare both.
  const resources = plan.booking.filter((resource) => resource.delegations.length > 0 || exchangeBookingSettings(resource).parameters.length > 0).map((resource) => resource.resourceAddress);
  const csv = (file: string): string => `Export-Csv -Path ${powerShellString(file)} -NoTypeInformation -Encoding UTF8`;
  // The Mailbox column carries the address that was asked for, so verify need not resolve Identity.
  const mailboxColumn = `@{Name='Mailbox';Expression={$m}}`;
  // Export-Csv writes a collection as its .NET type name ("System.Collections.Generic.List`1[…]"),
  // so every multi-valued property is joined into one cell; verify refuses a type name.
  const joined = (property: string, separator = ';'): string => `@{Name='${property}';Expression={$_.${property} -join '${separator}'}}`;
  return [
    '# ---- Read-back for verification ----',
    `# Writes what Exchange Online now holds for the mailboxes above into ${resources.length > 0 ? 'five' : 'four'} CSV files in the current`,
    `# folder, for: workmail-permissions verify --target exchange --snapshot … --export <each of the ${resources.length > 0 ? 'five' : 'four'} files>`,
    '# Permissions can take a while to show; run this block again if verify reports missing items.',
    ...psArray('$WorkMailMailboxes', users),
    ...psArray('$WorkMailGroups', groups),
    `$WorkMailMailboxes | ForEach-Object { $m = $_; Get-EXOMailboxPermission -Identity $m | Select-Object ${mailboxColumn},Identity,User,${joined('AccessRights', ',')},IsInherited,Deny } | ${csv(EXCHANGE_READBACK_FILES.mailboxPermissions)}`,
    `@($WorkMailMailboxes) + @($WorkMailGroups) | ForEach-Object { $m = $_; Get-EXORecipientPermission -Identity $m | Select-Object ${mailboxColumn},Identity,Trustee,AccessControlType,${joined('AccessRights', ',')} } | ${csv(EXCHANGE_READBACK_FILES.recipientPermissions)}`,
    '@(',
    `  $WorkMailMailboxes | ForEach-Object { $m = $_; Get-EXOMailbox -Identity $m -Properties GrantSendOnBehalfTo | Select-Object ${mailboxColumn},Identity,PrimarySmtpAddress,${joined('GrantSendOnBehalfTo')} }`,
    `  $WorkMailGroups | ForEach-Object { $m = $_; Get-DistributionGroup -Identity $m | Select-Object ${mailboxColumn},Identity,PrimarySmtpAddress,${joined('GrantSendOnBehalfTo')} }`,
    `) | ${csv(EXCHANGE_READBACK_FILES.sendOnBehalf)}`,
    `Get-EXORecipient -ResultSize Unlimited -Properties EmailAddresses | Select-Object Name,DisplayName,DistinguishedName,PrimarySmtpAddress,Alias,${joined('EmailAddresses')} | ${csv(EXCHANGE_READBACK_FILES.recipients)}`,
    // Only when the script sets rooms' delegates or options: ResourceDelegates come back as names, resolved through the recipients file.
    ...(resources.length > 0
      ? [
          ...psArray('$WorkMailResources', resources),
          `$WorkMailResources | ForEach-Object { $m = $_; Get-CalendarProcessing -Identity $m | Select-Object ${mailboxColumn},Identity,${joined('ResourceDelegates')},AutomateProcessing,AllBookInPolicy,AllRequestInPolicy,ForwardRequestsToDelegates,AllowConflicts,AllowRecurringMeetings } | ${csv(EXCHANGE_READBACK_FILES.calendarProcessing)}`,
        ]
      : []),
  ];
}

export function renderExchange(plan: DestinationPlan): string {
  const { options } = plan;
  const header = scriptHeader(plan, [
    `FullAccess is added with -AutoMapping $${options.autoMapping ? 'true' : 'false'}.`,
    options.whatIf
      ? 'DRY RUN by default: every cmdlet runs with -WhatIf. To make the changes: .\\script.ps1 -WhatIf:$false'
      : 'Run in a session opened with Connect-ExchangeOnline. Try it first with -WhatIf: .\\script.ps1 -WhatIf',
    'It ends by writing the read-back files that `workmail-permissions verify --target exchange` compares with the snapshot.',
  ]);
  const lines = [...header, '', '[CmdletBinding()]', `param([switch]$WhatIf${options.whatIf ? ' = $true' : ''})`, ''];
  lines.push(...aliasLines(plan));
  lines.push(...commandLines(plan, (delegation) => exchangeCommand(delegation, options)));
  for (const resource of plan.booking) lines.push('', ...bookingLines(resource));
  const rules = accessRuleComment(plan.applications, 'exchange');
  lines.push('', ...notCarriedComment(plan), ...(rules.length > 0 ? ['', ...rules] : []), '', ...readBack(plan));
  // After the read-back: the applications need IDs filled in by hand, and verification does not read them.
  const applications = exchangeApplicationLines(plan.applications);
  if (applications.length > 0) lines.push('', ...applications);
  return `${lines.join('\n')}\n`;
}
