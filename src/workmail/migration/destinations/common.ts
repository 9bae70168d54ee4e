// What every destination shares: the walk over a snapshot's grants (one wave or all of them), the
// problems that stop a grant from migrating whatever the destination, the address mapping applied
// to both ends of every grant, and the text around each script (header, trace comments, the
// "Not migrated" list). A destination only says how it carries the rights of one grant whose two
// entities are known, active enough and mapped to safe addresses.
//
// Nothing is dropped: every right of every grant in scope ends up either in a `Delegation` (a
// command of the script) or in `notCarried` with the reason; so does every booking delegate of every
// room and equipment in scope (`booking`, planned in booking.ts), and every alias of every entity in
// scope (`aliases`, planned in aliases.ts). Verification after cutover plans again
// from the same snapshot, mapping and options, so what it expects is exactly what the script did.
import type { MailboxRight, Right } from '../../types';
import { ALL_RIGHTS } from '../../types';
import { readTimeText } from '../../readTimes';
import { INVISIBLE } from '../markdown';
import type { AddressMapping, Snapshot, SnapshotEntity, SnapshotGrant } from '../schema';
import { ALIAS, type PlannedAlias } from './aliasesPlan';
import type { ApplicationsPlan } from './applicationsPlan';
import { BOOKING_DELEGATE, BOOKING_OPTIONS, type BookingResource } from './bookingPlan';

export const DESTINATION_TARGETS = ['exchange', 'google', 'grommunio', 'zoho'] as const;
export type DestinationTarget = (typeof DESTINATION_TARGETS)[number];

export const TARGET_NAMES: Record<DestinationTarget, string> = {
  exchange: 'Exchange Online',
  google: 'Google Workspace (GAM)',
  grommunio: 'grommunio',
  zoho: 'Zoho Mail',
};

export interface DestinationOptions {
  /** Stamped in the header; pass a fixed date for reproducible files. */
  readonly generatedAt: Date;
  /** One wave: the mailboxes (entity IDs or WorkMail addresses) whose grants this script carries. */
  readonly mailboxIds?: ReadonlySet<string>;
  /** The wave's number, for the header. */
  readonly wave?: number;
  /** Migrate grants where the mailbox or grantee is disabled (default: listed as not migrated). */
  readonly includeDisabled?: boolean;
  /** Where the mapping came from (a file name), for the header. Absent: addresses are kept as they are. */
  readonly mappingSource?: string;
  /** Where the snapshot came from (a file name, or "a scan of …"), for the header. */
  readonly snapshotSource?: string;
  /** Exchange: -AutoMapping for FullAccess (Outlook opens the mailbox by itself). Default false. */
  readonly autoMapping?: boolean;
  /**
   * Exchange: 'security-group' asserts the groups were recreated as mail-enabled security groups
   * (then a group booking delegate is named as the group too; otherwise it is expanded to its members).
   */
  readonly groupGrantees?: 'skip' | 'security-group';
  /** Exchange: the script runs every cmdlet with -WhatIf unless called with -WhatIf:$false. */
  readonly whatIf?: boolean;
  /** Google: SEND_ON_BEHALF without FULL_ACCESS becomes a delegate (which can also read) or is not migrated. */
  readonly sendOnBehalf?: 'delegate' | 'skip';
  /** Google: the organization's domains; delegates elsewhere are refused by Gmail and listed. */
  readonly googleDomains?: readonly string[];
}

/** One delegation the script creates at the destination, traced to the WorkMail grant it carries. */
export interface Delegation {
  readonly grant: SnapshotGrant;
  readonly mailbox: SnapshotEntity;
  readonly grantee: SnapshotEntity;
  /** Destination addresses (after the mapping). */
  readonly mailboxAddress: string;
  readonly granteeAddress: string;
  /** The destination's own name for the right, e.g. FullAccess, delegate, storeAccess. */
  readonly right: string;
  /** The WorkMail rights this one delegation carries (a Gmail delegate carries two). */
  readonly carries: readonly Right[];
  /** Said in a comment above the command, e.g. that the destination grants more than WorkMail did. */
  readonly note?: string;
}

export type NotCarriedKind = 'not-mappable' | 'not-carried' | 'unread';

export interface NotCarried {
  readonly kind: NotCarriedKind;
  readonly mailboxId: string;
  readonly mailbox?: SnapshotEntity;
  readonly granteeId?: string;
  readonly grantee?: SnapshotEntity;
  /** A WorkMail right, BOOKING_DELEGATE, BOOKING_OPTIONS or ALIAS; absent when the whole mailbox could not be read. */
  readonly right?: string;
  /** ALIAS: the alias as the snapshot recorded it; absent when the entity's aliases could not be read. */
  readonly alias?: string;
  readonly reason: string;
}

export interface DestinationPlan {
  readonly target: DestinationTarget;
  readonly snapshot: Snapshot;
  readonly options: DestinationOptions;
  readonly delegations: readonly Delegation[];
  /** The rooms and equipment whose booking delegates or options the script carries. */
  readonly booking: readonly BookingResource[];
  /** The aliases the script adds, entity by entity, before the grants (a grant may name a mailbox by one). */
  readonly aliases: readonly PlannedAlias[];
  /** The applications (impersonation roles) and access rules: listed with what to recreate, never carried by a command that runs unattended. */
  readonly applications: ApplicationsPlan;
  readonly notCarried: readonly NotCarried[];
  /** Said in the header: limits close to being reached, checks that could not be made. */
  readonly warnings: readonly string[];
}

/** A grant whose entities are known, in a usable state and mapped to safe addresses. */
export interface CarryInput {
  readonly grant: SnapshotGrant;
  readonly mailbox: SnapshotEntity;
  readonly grantee: SnapshotEntity;
  readonly mailboxAddress: string;
  readonly granteeAddress: string;
  readonly rights: readonly Right[];
  /** Wave scripts: the grantee is not among this wave's mailboxes. */
  readonly granteeOutsideWave: boolean;
}

export interface Carried {
  readonly delegations: Delegation[];
  readonly skipped: Array<{ right: Right; reason: string }>;
}

/** One delegation of `input`'s grant: the destination's name for the right and the WorkMail rights it carries. */
export function delegationOf(input: CarryInput, right: string, carries: readonly Right[], note?: string): Delegation {
  return {
    grant: input.grant,
    mailbox: input.mailbox,
    grantee: input.grantee,
    mailboxAddress: input.mailboxAddress,
    granteeAddress: input.granteeAddress,
    right,
    carries,
    ...(note ? { note } : {}),
  };
}

/** A script's body: each delegation's command under a comment that traces it back to WorkMail (and its note). */
export function commandLines(plan: DestinationPlan, command: (delegation: Delegation) => string): string[] {
  const lines: string[] = [];
  for (const delegation of plan.delegations) {
    lines.push(`# ${traceText(delegation)}`);
    if (delegation.note) {
      lines.push(commentText(`# NOTE: ${delegation.note}`));
    }
    lines.push(command(delegation));
  }
  return lines;
}

// Deliberately narrower than the WorkMail model's Email pattern: addresses go into scripts unquoted
// in places (GAM batch words, CSV cells), so nothing that a shell or PowerShell could read as syntax.
export const SAFE_EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]+\.[A-Za-z-]{2,}$/;

/** A PowerShell single-quoted string. PowerShell also ends such strings at the typographic quotes. */
export function powerShellString(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (quote) => quote + quote)}'`;
}

/** Text safe inside a one-line comment of any script: no line breaks or control characters. */
export function commentText(value: string): string {
  // Line breaks and control characters become spaces; bidirectional and invisible characters go,
  // so a line reads in a review as it runs (the same set the markdown reports remove).
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(INVISIBLE, '');
}

/**
 * One word for a POSIX shell, and for GAM's batch reader (Python's shlex in POSIX mode): single
 * quotes, each single quote written as '\''. Line breaks and control characters become spaces, so a
 * name can never end the line a command is on.
 */
export function shellWord(value: string): string {
  return `'${commentText(value).replace(/'/g, `'\\''`)}'`;
}

/** Where a label shows an entity: its address, else its name, else its ID, with the ID beside. */
export function describeEntity(entity: SnapshotEntity | undefined, id: string | undefined): string {
  if (!entity) {
    return id ?? '(unknown)';
  }
  const label = entity.email ?? entity.name ?? entity.id;
  return label === entity.id ? label : `${label} (${entity.id})`;
}

/** The address mapping that keeps every WorkMail address as it is (no mapping file given). */
export function unchangedAddresses(): AddressMapping {
  return { destinationOf: (entity) => entity.email, unmatchedRows: [] };
}

export function inWave(options: DestinationOptions, entity: SnapshotEntity | undefined, id: string): boolean {
  const wave = options.mailboxIds;
  if (!wave) {
    return true;
  }
  return wave.has(id) || (entity?.email !== undefined && (wave.has(entity.email) || wave.has(entity.email.toLowerCase())));
}

export function stateProblem(role: 'mailbox' | 'grantee' | 'resource' | 'delegate' | 'entity', entity: SnapshotEntity, includeDisabled: boolean): string | undefined {
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

export function label(entity: SnapshotEntity | undefined, id: string): string {
  return (entity?.email ?? entity?.name ?? id).toLowerCase();
}

/**
 * Plans one destination: every grant of the snapshot (or of one wave) is checked for what stops
 * it anywhere, mapped, and handed to `carry`. Grants are taken mailbox by mailbox, in address order,
 * so scripts are stable from run to run.
 */
export function planGrants(
  snapshot: Snapshot,
  mapping: AddressMapping,
  options: DestinationOptions,
  carry: (input: CarryInput) => Carried,
  unchanged: boolean,
): { delegations: Delegation[]; notCarried: NotCarried[] } {
  const entities = new Map(snapshot.entities.map((entity) => [entity.id, entity]));
  const includeDisabled = options.includeDisabled ?? false;
  const delegations: Delegation[] = [];
  const notCarried: NotCarried[] = [];
  const grants = [...snapshot.grants]
    .filter((grant) => inWave(options, entities.get(grant.mailboxId), grant.mailboxId))
    .sort((a, b) => {
      const ma = label(entities.get(a.mailboxId), a.mailboxId);
      const mb = label(entities.get(b.mailboxId), b.mailboxId);
      if (ma !== mb) return ma < mb ? -1 : 1;
      if (a.mailboxId !== b.mailboxId) return a.mailboxId < b.mailboxId ? -1 : 1;
      const ga = label(entities.get(a.granteeId), a.granteeId);
      const gb = label(entities.get(b.granteeId), b.granteeId);
      if (ga !== gb) return ga < gb ? -1 : 1;
      return a.granteeId < b.granteeId ? -1 : a.granteeId > b.granteeId ? 1 : 0;
    });
  const addressOf = (entity: SnapshotEntity): string | undefined => {
    const address = mapping.destinationOf(entity)?.trim();
    return address ? address : undefined;
  };
  for (const grant of grants) {
    const mailbox = entities.get(grant.mailboxId);
    const grantee = entities.get(grant.granteeId);
    const skip = (rights: readonly string[], reason: string, kind: NotCarriedKind = 'not-carried'): void => {
      for (const right of rights) {
        notCarried.push({ kind, mailboxId: grant.mailboxId, mailbox, granteeId: grant.granteeId, grantee, right, reason });
      }
    };
    skip(
      grant.rights.filter((right) => !(ALL_RIGHTS as readonly string[]).includes(right)),
      'this right is not one this tool knows how to migrate',
    );
    const rights = grant.rights.filter((right): right is MailboxRight => (ALL_RIGHTS as readonly string[]).includes(right));
    if (rights.length === 0) {
      continue;
    }
    if (!mailbox) {
      skip(rights, 'the mailbox is not in the snapshot\'s directory');
      continue;
    }
    if (!grantee || grant.granteeUnknown) {
      skip(
        rights,
        grant.granteeLookupFailed
          ? 'the grantee could not be looked up during the scan; scan again'
          : 'the grantee is not in the WorkMail directory (deleted or unknown)',
      );
      continue;
    }
    const state = stateProblem('mailbox', mailbox, includeDisabled) ?? stateProblem('grantee', grantee, includeDisabled);
    if (state) {
      skip(rights, state);
      continue;
    }
    const mailboxAddress = addressOf(mailbox);
    const granteeAddress = addressOf(grantee);
    if (!mailboxAddress || !granteeAddress) {
      const role = !mailboxAddress ? 'mailbox' : 'grantee';
      skip(
        rights,
        unchanged
          ? `the ${role} has no email address to name it by`
          : `no destination address for the ${role} in the address mapping (add a row for it; nothing is guessed)`,
        'not-mappable',
      );
      continue;
    }
    if (!SAFE_EMAIL.test(mailboxAddress) || !SAFE_EMAIL.test(granteeAddress)) {
      skip(rights, 'an address contains characters that are not safe in a script');
      continue;
    }
    const carried = carry({
      grant,
      mailbox,
      grantee,
      mailboxAddress,
      granteeAddress,
      rights,
      granteeOutsideWave: options.mailboxIds !== undefined && grantee.kind !== 'group' && !inWave(options, grantee, grantee.id),
    });
    delegations.push(...carried.delegations);
    for (const { right, reason } of carried.skipped) {
      skip([right], reason);
    }
  }
  for (const unread of snapshot.unreadMailboxes) {
    const mailbox = entities.get(unread.mailboxId);
    if (inWave(options, mailbox, unread.mailboxId)) {
      notCarried.push({ kind: 'unread', mailboxId: unread.mailboxId, mailbox, reason: `the mailbox's permissions could not be read (${unread.code}); scan again` });
    }
  }
  return { delegations, notCarried };
}

export const WAVE_NOTE = 'the grantee is not in this wave: this works once their mailbox exists at the destination';

/** The trace comment above a command: the WorkMail grant, and the destination addresses when mapped. */
export function traceText(delegation: Delegation): string {
  const { grant, mailbox, grantee } = delegation;
  const base = `from WorkMail: mailbox=${grant.mailboxId} grantee=${grant.granteeId} right=${delegation.carries.join('+')} (${describeEntity(mailbox, grant.mailboxId)} <- ${describeEntity(grantee, grant.granteeId)})`;
  const mapped =
    mailbox.email?.toLowerCase() !== delegation.mailboxAddress.toLowerCase() || grantee.email?.toLowerCase() !== delegation.granteeAddress.toLowerCase();
  return commentText(mapped ? `${base} as ${delegation.mailboxAddress} <- ${delegation.granteeAddress}` : base);
}

function countByRight(delegations: readonly Delegation[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const delegation of delegations) {
    const key = delegation.carries.join('+');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The header every script and checklist starts with, without comment markers. */
export function headerText(plan: DestinationPlan, verb: string): string[] {
  const { snapshot, options, delegations, notCarried } = plan;
  const org = snapshot.organization;
  const mailboxes = new Set(delegations.map((delegation) => delegation.grant.mailboxId)).size;
  const counts = [...countByRight(delegations)].map(([right, count]) => `${count} ${right}`).join(', ') || 'none';
  const bookingDelegates = plan.booking.reduce((sum, resource) => sum + resource.delegations.length, 0);
  const lines = [
    `WorkMail permissions migration to ${TARGET_NAMES[plan.target]}`,
    `Organization: ${org.alias ? `${org.alias} ` : ''}${org.id} (${org.region})`,
    // A resumed scan was read in parts: the header gives the range, not one moment.
    `Snapshot: ${options.snapshotSource ? `${options.snapshotSource}, ` : ''}read ${readTimeText(snapshot)}`,
    options.mappingSource
      ? `Addresses: mapped by ${options.mappingSource}; the trace above each command shows the WorkMail addresses and the destination ones.`
      : 'Addresses: unchanged. No address mapping was given, so every mailbox and grantee is named by its WorkMail address; that is right only if the addresses stay the same at the destination.',
  ];
  if (options.mailboxIds) {
    lines.push(`Wave: ${options.wave ?? '(one wave)'}: only grants on this wave's ${plural(options.mailboxIds.size, 'mailbox', 'mailboxes')}.`);
  }
  lines.push(
    `Generated: ${options.generatedAt.toISOString()}`,
    `This ${verb} adds ${plural(delegations.length, 'permission')} on ${plural(mailboxes, 'mailbox', 'mailboxes')} (${counts}).`,
    ...(plan.aliases.length > 0 ? [`It adds ${plural(plan.aliases.length, 'alias', 'aliases')} on ${plural(new Set(plan.aliases.map((a) => a.entity.id)).size, 'entity', 'entities')}, before the permissions.`] : []),
    ...(plan.booking.length > 0 ? [`It adds ${plural(bookingDelegates, 'booking delegate')} and booking options on ${plural(plan.booking.length, 'room or equipment', 'rooms and equipment')}.`] : []),
    // Exchange writes a room's booking policy (-AutomateProcessing and the policy flags): that replaces what the room had.
    `It removes nothing${plan.target === 'exchange' && plan.booking.some((b) => b.options) ? ', but the booking options it sets replace those the rooms had at the destination' : ''}. ${notCarried.length} item${notCarried.length === 1 ? ' is' : 's are'} NOT migrated; they are listed at the end with the reason.`,
  );
  const unread = notCarried.filter((item) => item.kind === 'unread' && !isBooking(item) && item.right !== ALIAS).length;
  const unreadAliases = notCarried.filter((item) => item.kind === 'unread' && item.right === ALIAS).length;
  if (unreadAliases > 0) {
    lines.push(`WARNING: the aliases of ${plural(unreadAliases, 'entity', 'entities')} could not be read; they are missing from this ${verb}.`);
  }
  const unreadBooking = new Set(notCarried.filter((item) => item.kind === 'unread' && isBooking(item)).map((item) => item.mailboxId)).size;
  if (unreadBooking > 0) {
    lines.push(`WARNING: the booking delegates or options of ${plural(unreadBooking, 'room or equipment', 'rooms and equipment')} could not be read; they are missing from this ${verb}.`);
  }
  if (unread > 0) {
    lines.push(`WARNING: ${plural(unread, 'mailbox', 'mailboxes')} could not be read; their permissions are missing from this ${verb}.`);
  }
  const apps = plan.applications;
  if (apps.roles.length > 0) {
    lines.push(`It lists ${plural(apps.roles.length, 'application')} (WorkMail impersonation roles) to recreate at the destination, and how, near its end.`);
  }
  if (apps.accessRules.length > 0) {
    lines.push(`It reports ${plural(apps.accessRules.length, 'access control rule')} to set up by hand at the destination (nothing of them is run).`);
  }
  if (apps.rolesUnread) lines.push(`WARNING: the impersonation roles are unknown (${apps.rolesUnread}): applications built on them are missing from this ${verb}.`);
  if (apps.accessRulesUnread) lines.push(`WARNING: the access control rules are unknown or incomplete (${apps.accessRulesUnread}).`);
  for (const warning of plan.warnings) {
    lines.push(`WARNING: ${warning}`);
  }
  return lines;
}

/** A not-migrated item about a resource's booking delegates or options. */
export function isBooking(item: NotCarried): boolean {
  return item.right === BOOKING_DELEGATE || item.right === BOOKING_OPTIONS;
}

export function notCarriedText(plan: DestinationPlan): string[] {
  const lines = [`---- Not migrated (${plan.notCarried.length}) ----`];
  for (const item of plan.notCarried) {
    const what = item.right === ALIAS
      ? `${ALIAS}: ${item.alias !== undefined ? `${item.alias} of ` : 'every alias of '}${describeEntity(item.mailbox, item.mailboxId)}`
      : isBooking(item)
      ? `${item.right}: resource ${describeEntity(item.mailbox, item.mailboxId)}${item.granteeId ? ` <- delegate ${describeEntity(item.grantee, item.granteeId)}` : ''}`
      : item.right
      ? `${item.right}: mailbox ${describeEntity(item.mailbox, item.mailboxId)} <- grantee ${describeEntity(item.grantee, item.granteeId)}`
      : `mailbox ${describeEntity(item.mailbox, item.mailboxId)}`;
    lines.push(`- ${what}: ${item.reason}`);
  }
  return lines;
}

/**
 * The comment block every script starts with: the header all destinations share, then what this
 * destination adds (how to run it, what it ends with). Every script comments with `#`.
 */
export function scriptHeader(plan: DestinationPlan, howToRun: readonly string[]): string[] {
  return commented([...headerText(plan, 'script'), ...howToRun], '#');
}

/** The "Not migrated" list as the comment block near a script's end. */
export function notCarriedComment(plan: DestinationPlan): string[] {
  return commented(notCarriedText(plan), '#');
}

/** Lines prefixed as comments (every line made safe for a one-line comment). */
export function commented(lines: readonly string[], prefix: string): string[] {
  return lines.map((line) => commentText(`${prefix} ${line}`));
}

/** The distinct destination addresses of the mailboxes a plan changes, in order of first appearance. */
export function mailboxAddresses(plan: DestinationPlan, filter: (delegation: Delegation) => boolean = () => true): string[] {
  return [...new Set(plan.delegations.filter(filter).map((delegation) => delegation.mailboxAddress))];
}
