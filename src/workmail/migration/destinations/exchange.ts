// Exchange Online: a PowerShell script for a session opened with Connect-ExchangeOnline.
//   FULL_ACCESS     -> Add-MailboxPermission -AccessRights FullAccess (not on a group: it has no mailbox)
//   SEND_AS         -> Add-RecipientPermission -AccessRights SendAs
//   SEND_ON_BEHALF  -> Set-Mailbox (Set-DistributionGroup for a group) -GrantSendOnBehalfTo @{Add=…}
// Exchange gives mailbox rights to groups only when they are mail-enabled security groups; WorkMail
// groups usually become distribution groups or Microsoft 365 groups, so group grantees are listed as
// not migrated unless the person says the groups were recreated as security groups.
//
// `-WhatIf:$WhatIf` is on every cmdlet, so `.\script.ps1 -WhatIf` shows exactly what a real run
// would do; with the whatIf option the script defaults to that dry run. The script ends with the
// read-back that writes the four CSV files `workmail-permissions verify --target exchange` reads.
import type { AddressMapping, Snapshot } from '../schema';
import { commandLines, delegationOf, mailboxAddresses, notCarriedComment, planGrants, powerShellString, scriptHeader, WAVE_NOTE } from './common';
import type { Carried, CarryInput, Delegation, DestinationOptions, DestinationPlan } from './common';

/** The files the read-back writes, in the order verify lists them. */
export const EXCHANGE_READBACK_FILES = {
  mailboxPermissions: 'workmail-exchange-mailbox-permissions.csv',
  recipientPermissions: 'workmail-exchange-recipient-permissions.csv',
  sendOnBehalf: 'workmail-exchange-send-on-behalf.csv',
  recipients: 'workmail-exchange-recipients.csv',
} as const;

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
  const { delegations, notCarried } = planGrants(snapshot, mapping, options, (input) => carryExchange(input, options), options.mappingSource === undefined);
  return { target: 'exchange', snapshot, options, delegations, notCarried, warnings: [] };
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
  const csv = (file: string): string => `Export-Csv -Path ${powerShellString(file)} -NoTypeInformation -Encoding UTF8`;
  // The Mailbox column carries the address that was asked for, so verify need not resolve Identity.
  const mailboxColumn = `@{Name='Mailbox';Expression={$m}}`;
  // Export-Csv writes a collection as its .NET type name ("System.Collections.Generic.List`1[…]"),
  // so every multi-valued property is joined into one cell; verify refuses a type name.
  const joined = (property: string, separator = ';'): string => `@{Name='${property}';Expression={$_.${property} -join '${separator}'}}`;
  return [
    '# ---- Read-back for verification ----',
    '# Writes what Exchange Online now holds for the mailboxes above into four CSV files in the current',
    '# folder, for: workmail-permissions verify --target exchange --snapshot … --export <each of the four files>',
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
  lines.push(...commandLines(plan, (delegation) => exchangeCommand(delegation, options)));
  lines.push('', ...notCarriedComment(plan), '', ...readBack(plan));
  return `${lines.join('\n')}\n`;
}
