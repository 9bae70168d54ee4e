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
import type { AddressMapping, Snapshot, SnapshotEntity } from '../schema';
import { ALIAS } from './aliasesPlan';
import { BOOKING_DELEGATE, BOOKING_OPTIONS } from './bookingPlan';
import { TARGET_NAMES, type Carried, type CarryInput, type Delegation, type DestinationOptions, type DestinationPlan, type NotCarried, type NotCarriedKind } from './planShapes';
import { SAFE_EMAIL, commentText, describeEntity } from './scriptText';

// The plan's shapes (planShapes.ts) and the quoting rules (scriptText.ts) are part of what every
// destination imports from here.
export { DESTINATION_TARGETS, TARGET_NAMES, type Carried, type CarryInput, type Delegation, type DestinationOptions, type DestinationPlan, type DestinationTarget, type NotCarried, type NotCarriedKind } from './planShapes';
export { SAFE_EMAIL, commentText, describeEntity, powerShellString, shellWord } from './scriptText';

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
