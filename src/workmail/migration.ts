// Migration scripts made from a scan, for moving delegation off WorkMail before its end of support:
// an Exchange Online PowerShell script and a GAM batch file for Google Workspace.
//
// Every command carries a comment naming the WorkMail grant it came from (mailbox ID, grantee ID,
// right). Whatever cannot be carried over honestly is listed in a "Not migrated" section with the
// reason, never dropped: unknown, deleted or (by default) disabled entities, addresses that are
// missing or unsafe, group grantees where the target needs a kind of group we cannot vouch for,
// and rights the target has no equivalent for.
//
// Google Workspace mapping (Gmail delegation): a delegate can read, send and delete mail in the
// delegator's mailbox, and mail they send shows "sent by <delegate>". So
//   FULL_ACCESS                -> `add delegate` (Gmail has no read-only delegation: this also
//                                 lets them send on behalf; the line says so when WorkMail did not);
//   SEND_ON_BEHALF without FULL_ACCESS -> not migrated (no send-only delegation in Gmail);
//   SEND_AS                    -> not migrated (no "send as another person" right; a "Send mail as"
//                                 address needs the owner's verification and is set up by hand);
// delegates must be users, and rooms, equipment and groups have no Gmail mailbox.
import { once } from 'node:events';
import { Writable } from 'node:stream';
import type { GrantRecord, MailboxFailureRecord, ScanRecord } from './scan';
import { sortScan, type SortedScan } from './exporters';
import { ALL_RIGHTS, type DirectoryEntity, type OrgRef, type Right } from './types';

export type MigrationTarget = 'exchange' | 'gam';

export interface MigrationOptions {
  readonly target: MigrationTarget;
  readonly organization: OrgRef & { readonly alias?: string };
  /** Stamped in the header; pass a fixed date for reproducible files. */
  readonly generatedAt: Date;
  /** Exchange: -AutoMapping for FullAccess (Outlook opens the mailbox automatically). Default false. */
  readonly autoMapping?: boolean;
  /** Migrate grants where the mailbox or grantee is disabled (default: list them as not migrated). */
  readonly includeDisabled?: boolean;
  /**
   * Exchange only. WorkMail groups become distribution groups or Microsoft 365 groups in most
   * migrations, and Exchange grants mailbox rights only to mail-enabled security groups; 'skip'
   * (the default) lists group grantees as not migrated, 'security-group' asserts the groups were
   * recreated as mail-enabled security groups with the same address and migrates them.
   */
  readonly groupGrantees?: 'skip' | 'security-group';
}

export interface MigrationCommand {
  readonly record: GrantRecord;
  /** The WorkMail rights this command carries over (GAM's delegate covers two). */
  readonly rights: readonly Right[];
  readonly line: string;
  /** Said in a comment above the command, e.g. that the target grants more than WorkMail did. */
  readonly note?: string;
}

export interface NotMigrated {
  readonly mailbox: DirectoryEntity;
  readonly granteeId?: string;
  readonly grantee?: DirectoryEntity | null;
  /** Absent when the whole mailbox could not be read. */
  readonly right?: string;
  readonly reason: string;
}

export interface MigrationPlan {
  readonly options: MigrationOptions;
  readonly commands: readonly MigrationCommand[];
  readonly notMigrated: readonly NotMigrated[];
  readonly failures: readonly MailboxFailureRecord[];
}

// Deliberately narrower than the model's Email pattern: addresses go into scripts.
const SAFE_EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]+\.[A-Za-z-]{2,}$/;

/** A PowerShell single-quoted string. PowerShell also ends such strings at the typographic quotes. */
export function powerShellString(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (quote) => quote + quote)}'`;
}

/** Text safe inside a one-line comment of either script: no line breaks or control characters. */
export function commentText(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

function describe(entity: DirectoryEntity | null | undefined, id: string | undefined): string {
  if (!entity) {
    return id ?? '(unknown)';
  }
  const label = entity.email ?? entity.name ?? entity.id;
  return label === entity.id ? label : `${label} (${entity.id})`;
}

function stateProblem(role: 'mailbox' | 'grantee', entity: DirectoryEntity, includeDisabled: boolean): string | undefined {
  if (entity.state === 'DELETED') {
    return `the ${role} is deleted in WorkMail`;
  }
  if (entity.state === 'DISABLED' && !includeDisabled) {
    return `the ${role} is disabled in WorkMail (migrate it with includeDisabled / --include-disabled if it is still wanted)`;
  }
  if (role === 'mailbox' && entity.kind === 'user' && entity.userRole === 'SYSTEM_USER') {
    return 'the mailbox belongs to a WorkMail system user';
  }
  return undefined;
}

/** Problems that stop every right of this grant from migrating, whatever the target. */
function grantProblem(record: GrantRecord, options: MigrationOptions): string | undefined {
  const { mailbox, grantee } = record;
  const includeDisabled = options.includeDisabled ?? false;
  if (!grantee) {
    return record.granteeLookupFailed
      ? 'the grantee could not be looked up during the scan; scan again'
      : 'the grantee is not in the WorkMail directory (deleted or unknown)';
  }
  const problem = stateProblem('mailbox', mailbox, includeDisabled) ?? stateProblem('grantee', grantee, includeDisabled);
  if (problem) {
    return problem;
  }
  if (!mailbox.email) {
    return 'the mailbox has no email address to name it by';
  }
  if (!grantee.email) {
    return 'the grantee has no email address to name it by';
  }
  if (!SAFE_EMAIL.test(mailbox.email) || !SAFE_EMAIL.test(grantee.email)) {
    return 'an address contains characters that are not safe in a script';
  }
  return undefined;
}

export async function planMigration(source: SortedScan | AsyncIterable<ScanRecord> | Iterable<ScanRecord>, options: MigrationOptions): Promise<MigrationPlan> {
  const scan = 'grantCount' in source ? source : await sortScan(source as AsyncIterable<ScanRecord> | Iterable<ScanRecord>);
  const commands: MigrationCommand[] = [];
  const notMigrated: NotMigrated[] = [];
  for (const { grants } of scan.mailboxes) {
    for (const record of grants) {
      const skip = (rights: readonly string[], reason: string): void => {
        for (const right of rights) {
          notMigrated.push({ mailbox: record.mailbox, granteeId: record.granteeId, grantee: record.grantee, right, reason });
        }
      };
      const unknownRights = record.rights.filter((right) => !ALL_RIGHTS.includes(right));
      skip(unknownRights, 'this right is not one this tool knows how to migrate');
      const rights = record.rights.filter((right) => ALL_RIGHTS.includes(right));
      const problem = grantProblem(record, options);
      if (problem) {
        skip(rights, problem);
        continue;
      }
      const planned = options.target === 'exchange' ? exchangeCommands(record, rights, options) : gamCommands(record, rights);
      commands.push(...planned.commands);
      for (const { right, reason } of planned.skipped) {
        skip([right], reason);
      }
    }
  }
  for (const failure of scan.failures) {
    notMigrated.push({ mailbox: failure.mailbox, reason: `the mailbox's permissions could not be read (${failure.error.code}); scan again` });
  }
  return { options, commands, notMigrated, failures: scan.failures };
}

interface Planned {
  commands: MigrationCommand[];
  skipped: Array<{ right: Right; reason: string }>;
}

function exchangeCommands(record: GrantRecord, rights: readonly Right[], options: MigrationOptions): Planned {
  const planned: Planned = { commands: [], skipped: [] };
  const grantee = record.grantee!;
  if (grantee.kind === 'group' && (options.groupGrantees ?? 'skip') === 'skip') {
    for (const right of rights) {
      planned.skipped.push({
        right,
        reason: 'the grantee is a group: Exchange Online grants this only to a mail-enabled security group; create one with this address, then migrate it (groupGrantees: security-group / --groups-are-security-groups)',
      });
    }
    return planned;
  }
  const mailbox = powerShellString(record.mailbox.email!);
  const trustee = powerShellString(grantee.email!);
  const isGroupMailbox = record.mailbox.kind === 'group';
  const note = grantee.kind === 'group' ? 'needs a mail-enabled security group with this address in Exchange Online' : undefined;
  for (const right of rights) {
    let line: string | undefined;
    switch (right) {
      case 'FULL_ACCESS':
        if (isGroupMailbox) {
          planned.skipped.push({ right, reason: 'a group has no mailbox to open' });
          continue;
        }
        line = `Add-MailboxPermission -Identity ${mailbox} -User ${trustee} -AccessRights FullAccess -InheritanceType All -AutoMapping $${options.autoMapping ? 'true' : 'false'} -WhatIf:$WhatIf`;
        break;
      case 'SEND_AS':
        line = `Add-RecipientPermission -Identity ${mailbox} -Trustee ${trustee} -AccessRights SendAs -Confirm:$false -WhatIf:$WhatIf`;
        break;
      case 'SEND_ON_BEHALF':
        line = `${isGroupMailbox ? 'Set-DistributionGroup' : 'Set-Mailbox'} -Identity ${mailbox} -GrantSendOnBehalfTo @{Add=${trustee}} -WhatIf:$WhatIf`;
        break;
    }
    planned.commands.push({ record, rights: [right], line, ...(note ? { note } : {}) });
  }
  return planned;
}

function gamCommands(record: GrantRecord, rights: readonly Right[]): Planned {
  const planned: Planned = { commands: [], skipped: [] };
  const grantee = record.grantee!;
  const skipAll = (reason: string): Planned => {
    planned.skipped.push(...rights.map((right) => ({ right, reason })));
    return planned;
  };
  if (record.mailbox.kind === 'group') {
    return skipAll('a Google group has no Gmail mailbox to delegate');
  }
  if (record.mailbox.kind === 'resource') {
    return skipAll('Google Workspace rooms and equipment have no Gmail mailbox to delegate');
  }
  if (grantee.kind !== 'user') {
    return skipAll('Gmail delegates must be users; delegate to each member instead');
  }
  const hasFull = rights.includes('FULL_ACCESS');
  const hasBehalf = rights.includes('SEND_ON_BEHALF');
  // GAM reads its batch lines as words; an address starting with a dash could read as an option.
  const dashed = record.mailbox.email!.startsWith('-') || grantee.email!.startsWith('-');
  if (hasFull && dashed) {
    for (const right of hasBehalf ? (['FULL_ACCESS', 'SEND_ON_BEHALF'] as const) : (['FULL_ACCESS'] as const)) {
      planned.skipped.push({ right, reason: 'an address starts with "-", which GAM could misread; delegate by hand' });
    }
  } else if (hasFull) {
    planned.commands.push({
      record,
      rights: hasBehalf ? ['FULL_ACCESS', 'SEND_ON_BEHALF'] : ['FULL_ACCESS'],
      line: `gam user ${record.mailbox.email} add delegate ${grantee.email}`,
      ...(hasBehalf ? {} : { note: 'a Gmail delegate can also send on behalf of the mailbox, which WorkMail FULL_ACCESS alone does not allow' }),
    });
  } else if (hasBehalf) {
    planned.skipped.push({ right: 'SEND_ON_BEHALF', reason: 'Gmail has no send-only delegation (a delegate can also read the mailbox); delegate by hand if that is acceptable' });
  }
  if (rights.includes('SEND_AS')) {
    planned.skipped.push({
      right: 'SEND_AS',
      reason: `Gmail has no "send as another person" right; a "Send mail as" address (gam user ${grantee.email} sendas ${record.mailbox.email} ...) needs the owner's verification, set it up by hand if still needed`,
    });
  }
  return planned;
}

function traceComment(command: MigrationCommand, prefix: string): string {
  const { record } = command;
  return commentText(
    `${prefix} from WorkMail: mailbox=${record.mailbox.id} grantee=${record.granteeId} right=${command.rights.join('+')} (${describe(record.mailbox, record.mailbox.id)} <- ${describe(record.grantee, record.granteeId)})`,
  );
}

function countByRight(commands: readonly MigrationCommand[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const command of commands) {
    const key = command.rights.join('+');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function headerLines(plan: MigrationPlan, prefix: string): string[] {
  const { options, commands, notMigrated } = plan;
  const org = options.organization;
  const mailboxes = new Set(commands.map((command) => command.record.mailbox.id)).size;
  const target = options.target === 'exchange' ? 'Exchange Online' : 'Google Workspace (GAM)';
  const counts = [...countByRight(commands)].map(([right, count]) => `${count} ${right}`).join(', ') || 'none';
  const lines = [
    `WorkMail permissions migration to ${target}`,
    `Organization: ${org.alias ? `${org.alias} ` : ''}${org.organizationId} (${org.region})`,
    `Generated: ${options.generatedAt.toISOString()}`,
    `This script adds ${commands.length} permission${commands.length === 1 ? '' : 's'} on ${mailboxes} mailbox${mailboxes === 1 ? '' : 'es'} (${counts}).`,
    `It removes nothing. ${notMigrated.length} item${notMigrated.length === 1 ? ' is' : 's are'} NOT migrated; they are listed at the end with the reason.`,
  ];
  if (plan.failures.length > 0) {
    lines.push(`WARNING: ${plan.failures.length} mailbox${plan.failures.length === 1 ? '' : 'es'} could not be read; their permissions are missing from this script.`);
  }
  if (options.target === 'exchange') {
    lines.push(
      `FullAccess is added with -AutoMapping $${options.autoMapping ? 'true' : 'false'}.`,
      'Run in a session opened with Connect-ExchangeOnline. Try it first with -WhatIf: .\\script.ps1 -WhatIf',
    );
  } else {
    lines.push(
      'Gmail delegation lets the delegate read, send and delete mail for the delegator; it must be enabled for the',
      'organizational unit (Admin console: Gmail > User settings > Mail delegation). Run with: gam batch <this file>',
    );
  }
  return lines.map((line) => commentText(`${prefix} ${line}`));
}

function notMigratedLines(plan: MigrationPlan, prefix: string): string[] {
  const lines = [`${prefix} ---- Not migrated (${plan.notMigrated.length}) ----`];
  for (const item of plan.notMigrated) {
    const what = item.right ? `${item.right}: mailbox ${describe(item.mailbox, item.mailbox.id)} <- grantee ${describe(item.grantee, item.granteeId)}` : `mailbox ${describe(item.mailbox, item.mailbox.id)}`;
    lines.push(commentText(`${prefix} - ${what}: ${item.reason}`));
  }
  return lines;
}

async function writeText(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) {
    await once(out, 'drain');
  }
}

/** Writes the script for `plan.options.target`, a mailbox's commands at a time. Does not end `out`. */
export async function writeMigrationScript(plan: MigrationPlan, out: Writable): Promise<void> {
  const exchange = plan.options.target === 'exchange';
  const prefix = '#';
  const head = headerLines(plan, prefix);
  if (exchange) {
    // -WhatIf is forwarded to every cmdlet, so a dry run shows exactly what a real run would do.
    head.push('', '[CmdletBinding()]', 'param([switch]$WhatIf)', '');
  } else {
    head.push('');
  }
  await writeText(out, `${head.join('\n')}\n`);
  let chunk: string[] = [];
  let currentMailbox: string | undefined;
  for (const command of plan.commands) {
    if (command.record.mailbox.id !== currentMailbox) {
      if (chunk.length > 0) {
        await writeText(out, `${chunk.join('\n')}\n`);
        chunk = [];
      }
      currentMailbox = command.record.mailbox.id;
    }
    chunk.push(traceComment(command, prefix));
    if (command.note) {
      chunk.push(commentText(`${prefix} NOTE: ${command.note}`));
    }
    chunk.push(command.line);
  }
  if (chunk.length > 0) {
    await writeText(out, `${chunk.join('\n')}\n`);
  }
  await writeText(out, `\n${notMigratedLines(plan, prefix).join('\n')}\n`);
}

/** The whole script as a string (small organizations, tests). */
export async function renderMigrationScript(plan: MigrationPlan): Promise<string> {
  const parts: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      parts.push(chunk.toString());
      callback();
    },
  });
  await writeMigrationScript(plan, sink);
  return parts.join('');
}

/** GAM's CSV form of the delegations (`gam csv file.csv gam user ~mailbox add delegate ~delegate`). */
export function gamDelegatesCsv(plan: MigrationPlan): string {
  if (plan.options.target !== 'gam') {
    throw new RangeError('gamDelegatesCsv needs a plan made for the gam target');
  }
  const lines = ['mailbox,delegate,workmail_mailbox_id,workmail_grantee_id,workmail_rights'];
  for (const command of plan.commands) {
    if (command.record.grantee?.email && command.record.mailbox.email) {
      lines.push([command.record.mailbox.email, command.record.grantee.email, command.record.mailbox.id, command.record.granteeId, command.rights.join('+')].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
