// Google Workspace: a GAM batch file (`gam batch <file>`; GAM7 and GAMADV-XTD3 read it the same way:
// one command a line, split like a POSIX shell with Python's shlex, lines starting with # skipped).
//
// Gmail delegation (a delegate can read, send and delete mail in the delegator's mailbox, and mail
// they send shows "sent by <delegate>") and Gmail "Send mail as" addresses are what Gmail has:
//   FULL_ACCESS (+ SEND_ON_BEHALF) -> `gam user <owner> add delegate <grantee>`: one delegate carries both.
//                                     FULL_ACCESS alone: the delegate can also send on behalf; said.
//   SEND_ON_BEHALF alone           -> the person chooses: a delegate (which also gives read access), or
//                                     not migrated (the default: nothing wider than WorkMail is granted
//                                     without being asked for).
//   SEND_AS                        -> `gam user <grantee> add sendas <owner> name <name> treatasalias false`.
//                                     Google's help on "Treat as an alias" says to turn it off when the
//                                     address belongs to another person's account; GAM7's wiki
//                                     ("Users - Gmail - Send As/Signature/Vacation") gives the syntax.
//                                     Caveat: Gmail may create the address as pending and mail the
//                                     owner a verification link; it works only once that is clicked.
//                                     The read-back shows verificationStatus and verify reports a
//                                     pending one as missing.
// Rooms, equipment and groups have no Gmail mailbox. Delegates must be users: the Gmail API
// delegates by a user's primary address (a group can be made delegate only in Gmail's settings).
//
// Limits, from Google's public documentation: Admin Help "Turn Gmail delegation on or off"
// (answer 7223765) says a Gmail account supports up to 1000 delegates, 40 at once in typical use;
// the Gmail API guide "Manage delegates" says delegates must be in the same Google Workspace
// organization, by primary address, and still names 25 delegates per user. Delegates beyond 1000 are
// listed as not migrated; more than 25 is a warning in the header; delegates outside the domains
// given in googleDomains are listed as not migrated (without the list, the header says it was not
// checked).
//
// Rooms and equipment are resource calendars. A WorkMail booking delegate becomes an owner of the
// resource's calendar ("Make changes to events and manage sharing", the resource manager):
// `gam calendars <resource calendar address> add acls owner user:<delegate>` (GAM7 wiki "Calendars -
// Access": client access works on resource calendars; `gam resource <ResourceID> add acls` does
// the same but needs Google's resource ID, which the address mapping does not hold, so the mapping
// names the resource by its calendar address). Whether the resource accepts invitations by itself
// is a console setting ("Auto-accept invitations"), listed as a step; WorkMail's auto-decline flags
// have no Google equivalent found and are listed as not migrated.
//
// Aliases come first (a grant may name a mailbox by one): `gam create alias <alias> user <owner>`, or
// `group <owner>` for a group (GAM7 wiki "Aliases": `gam create alias|aliases <EmailAddressEntity>
// user|group|target <EmailAddress>`; the Directory API's users.aliases and groups.aliases). Google
// calendar resources have no aliases: a room's or equipment's alias is listed as not migrated. An
// alias outside the domains given in googleDomains is listed too (Google accepts aliases only in
// the organization's own domains).
//
// The file ends with `commit-batch` (wait for everything above) and the read-back commands that
// write the CSV files `workmail-permissions verify --target google` reads (a third, `gam print
// resources … acls`, when it gives resources owners).
import type { AddressMapping, Snapshot } from '../schema';
import { bookingOptionsTraceText, bookingTraceText, optionsNotCarried, planBooking, type BookingDelegation, type BookingResource } from './booking';
import { ALIAS, aliasTraceText, dashed, planAliases, type PlannedAlias } from './aliases';
import { planApplications } from './applications';
import { accessRuleComment, googleApplicationComment, withGap } from './applicationSections';
import { commandLines, commentText, delegationOf, notCarriedComment, planGrants, scriptHeader, shellWord, WAVE_NOTE } from './common';
import type { Carried, CarryInput, Delegation, DestinationOptions, DestinationPlan } from './common';

export const GMAIL_MAX_DELEGATES = 1000;
export const GMAIL_API_DELEGATE_GUIDANCE = 25;

export const GOOGLE_READBACK_FILES = {
  delegates: 'workmail-google-delegates.csv',
  sendAs: 'workmail-google-sendas.csv',
  resourceAcls: 'workmail-google-resource-acls.csv',
} as const;

/** The plan's name for a booking delegate at Google Workspace: an owner of the resource's calendar. */
export const GOOGLE_BOOKING_RIGHT = 'calendarOwner';

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

function carryGoogle(input: CarryInput, options: DestinationOptions, domains: ReadonlySet<string> | undefined): Carried {
  const carried: Carried = { delegations: [], skipped: [] };
  const { mailbox, grantee, rights } = input;
  const skipAll = (reason: string): Carried => {
    carried.skipped.push(...rights.map((right) => ({ right, reason })));
    return carried;
  };
  if (mailbox.kind === 'group') {
    return skipAll('a Google group has no Gmail mailbox to delegate');
  }
  if (mailbox.kind === 'resource') {
    return skipAll('Google Workspace rooms and equipment have no Gmail mailbox to delegate');
  }
  if (grantee.kind !== 'user') {
    return skipAll('Gmail delegates must be users; delegate to each member, or add the group as a delegate in Gmail settings by hand');
  }
  // GAM reads its batch lines as words; an address starting with a dash could read as an option.
  const dashed = input.mailboxAddress.startsWith('-') || input.granteeAddress.startsWith('-');
  const outside = domains !== undefined && (!domains.has(domainOf(input.granteeAddress)) || !domains.has(domainOf(input.mailboxAddress)));
  const wave = input.granteeOutsideWave ? [WAVE_NOTE] : [];
  const hasFull = rights.includes('FULL_ACCESS');
  const hasBehalf = rights.includes('SEND_ON_BEHALF');
  if (hasFull || hasBehalf) {
    const carries = hasFull && hasBehalf ? (['FULL_ACCESS', 'SEND_ON_BEHALF'] as const) : hasFull ? (['FULL_ACCESS'] as const) : (['SEND_ON_BEHALF'] as const);
    if (dashed) {
      carried.skipped.push(...carries.map((right) => ({ right, reason: 'an address starts with "-", which GAM could misread; delegate by hand' })));
    } else if (outside) {
      carried.skipped.push(...carries.map((right) => ({ right, reason: 'Gmail delegates must belong to the same Google Workspace organization, and this address is outside its domains' })));
    } else if (!hasFull && (options.sendOnBehalf ?? 'skip') === 'skip') {
      carried.skipped.push({
        right: 'SEND_ON_BEHALF',
        reason: 'Gmail has no send-only delegation (a delegate can also read the mailbox); choose delegation for send-on-behalf (sendOnBehalf: delegate / --send-on-behalf delegate) if that is acceptable',
      });
    } else {
      const note = !hasBehalf
        ? 'a Gmail delegate can also send on behalf of the mailbox, which WorkMail FULL_ACCESS alone does not allow'
        : !hasFull
          ? 'a Gmail delegate can also read and delete mail in the mailbox, which WorkMail SEND_ON_BEHALF alone does not allow (chosen: sendOnBehalf delegate)'
          : undefined;
      const notes = [...(note ? [note] : []), ...wave];
      carried.delegations.push(delegationOf(input, 'delegate', [...carries], notes.join('; ')));
    }
  }
  if (rights.includes('SEND_AS')) {
    if (dashed) {
      carried.skipped.push({ right: 'SEND_AS', reason: 'an address starts with "-", which GAM could misread; add the send-as address by hand' });
    } else if (outside) {
      carried.skipped.push({ right: 'SEND_AS', reason: 'the address is outside the Google Workspace organization\'s domains: a send-as address there needs its own SMTP server settings; set it up by hand' });
    } else {
      const note = ['Gmail may mail the owner a verification link; the send-as address works only once it is accepted', ...wave].join('; ');
      carried.delegations.push(delegationOf(input, 'sendas', ['SEND_AS'], note));
    }
  }
  return carried;
}

export function planGoogle(snapshot: Snapshot, mapping: AddressMapping, options: DestinationOptions): DestinationPlan {
  const domains = options.googleDomains && options.googleDomains.length > 0 ? new Set(options.googleDomains.map((domain) => domain.trim().toLowerCase())) : undefined;
  const planned = planGrants(snapshot, mapping, options, (input) => carryGoogle(input, options, domains), options.mappingSource === undefined);
  // Gmail refuses delegates beyond its limit: the ones past it are listed, not written.
  const perMailbox = new Map<string, number>();
  const delegations = [];
  const notCarried = [...planned.notCarried];
  for (const delegation of planned.delegations) {
    if (delegation.right !== 'delegate') {
      delegations.push(delegation);
      continue;
    }
    const key = delegation.mailboxAddress.toLowerCase();
    const count = (perMailbox.get(key) ?? 0) + 1;
    perMailbox.set(key, count);
    if (count > GMAIL_MAX_DELEGATES) {
      for (const right of delegation.carries) {
        notCarried.push({
          kind: 'not-carried',
          mailboxId: delegation.grant.mailboxId,
          mailbox: delegation.mailbox,
          granteeId: delegation.grant.granteeId,
          grantee: delegation.grantee,
          right,
          reason: `over Gmail's limit of ${GMAIL_MAX_DELEGATES} delegates per mailbox`,
        });
      }
    } else {
      delegations.push(delegation);
    }
  }
  const warnings: string[] = [];
  const busy = [...perMailbox].filter(([, count]) => count > GMAIL_API_DELEGATE_GUIDANCE).map(([address, count]) => `${address} (${Math.min(count, GMAIL_MAX_DELEGATES)})`);
  if (busy.length > 0) {
    warnings.push(
      `more than ${GMAIL_API_DELEGATE_GUIDANCE} delegates on ${busy.join(', ')}: Google Admin Help allows ${GMAIL_MAX_DELEGATES}, the Gmail API guide still names ${GMAIL_API_DELEGATE_GUIDANCE}; if GAM refuses some, add them in the Gmail settings.`,
    );
  }
  if (!domains) {
    warnings.push('the delegates\' organization was not checked: Gmail accepts only delegates of the same Google Workspace organization (give its domains with googleDomains / --google-domains to check).');
  }
  const booking = planBooking(
    snapshot,
    mapping,
    options,
    {
      right: GOOGLE_BOOKING_RIGHT,
      refuse: (_delegate, delegateAddress, resourceAddress) =>
        delegateAddress.startsWith('-') || resourceAddress.startsWith('-') ? 'an address starts with "-", which GAM could misread; add the calendar owner by hand' : undefined,
    },
    options.mappingSource === undefined,
  );
  for (const resource of booking.booking) {
    const o = resource.options;
    for (const [flag, value] of [['AutoDeclineConflictingRequests', o?.autoDeclineConflictingRequests], ['AutoDeclineRecurringRequests', o?.autoDeclineRecurringRequests]] as const) {
      // Either value is a choice WorkMail made for the room: neither is left unsaid.
      const what = flag === 'AutoDeclineConflictingRequests' ? 'conflicting' : 'recurring';
      if (value !== undefined) notCarried.push(optionsNotCarried(resource, `${flag}=${value} (WorkMail ${value ? 'declined' : 'accepted'} ${what} bookings): no Google Workspace setting found for ${what} bookings of a resource; check how the resource answers them at the destination`));
    }
    if (o?.autoAcceptRequests === false && resource.delegations.length === 0) {
      notCarried.push(optionsNotCarried(resource, 'WorkMail lets a delegate approve every request, and no delegate of this resource is carried: decide at the destination who answers its requests, then set "Auto-accept invitations" by hand'));
    }
  }
  notCarried.push(...booking.notCarried);
  const aliases = planAliases(
    snapshot,
    mapping,
    options,
    {
      refuse: (entity, entityAddress, aliasAddress) =>
        entity.kind === 'resource'
          ? 'Google Workspace calendar resources cannot have aliases; tell people the resource\'s own address'
          : dashed(entityAddress, aliasAddress)
            ? 'an address starts with "-", which GAM could misread; add the alias in the Admin console by hand'
            : domains && !domains.has(domainOf(aliasAddress))
              ? `the alias's domain (${domainOf(aliasAddress)}) is not one of the Google Workspace organization's domains given; add it as a domain there first, then add the alias by hand`
              : undefined,
    },
    options.mappingSource === undefined,
  );
  warnings.push(...aliases.warnings);
  return {
    target: 'google',
    snapshot,
    options,
    delegations,
    booking: booking.booking,
    aliases: aliases.aliases,
    applications: planApplications(snapshot, mapping, options.mappingSource === undefined),
    notCarried: [...aliases.notCarried, ...notCarried],
    warnings,
  };
}

/** The GAM batch line that adds one alias. Addresses passed SAFE_EMAIL and start with no dash, so they are plain words. */
export function googleAliasCommand(planned: PlannedAlias): string {
  return `gam create alias ${planned.aliasAddress} ${planned.entity.kind === 'group' ? 'group' : 'user'} ${planned.entityAddress}`;
}

function aliasLines(plan: DestinationPlan): string[] {
  if (plan.aliases.length === 0) return [];
  const lines = [`# ---- Aliases (${ALIAS}; before the permissions: a permission may name a mailbox by an alias) ----`];
  for (const planned of plan.aliases) {
    lines.push(`# ${aliasTraceText(planned)}`);
    if (planned.note) lines.push(commentText(`# NOTE: ${planned.note}`));
    lines.push(googleAliasCommand(planned));
  }
  return [...lines, ''];
}

/** The GAM batch line that makes a booking delegate an owner of the resource's calendar. Addresses passed SAFE_EMAIL. */
export function googleBookingCommand(delegation: BookingDelegation): string {
  return `gam calendars ${delegation.resourceAddress} add acls owner user:${delegation.delegateAddress}`;
}

/** The console step for a resource's automatic acceptance, or undefined when WorkMail gave no flag. */
export function googleAutoAcceptStep(resource: BookingResource): string | undefined {
  const accepts = resource.options?.autoAcceptRequests;
  // Delegates approve, but none is carried: turning acceptance off would leave nobody to answer (listed instead).
  if (accepts === undefined || (!accepts && resource.delegations.length === 0)) return undefined;
  return accepts
    ? `CONSOLE STEP: ${resource.resourceAddress}: keep the resource's "Auto-accept invitations" setting on (WorkMail accepted requests automatically).`
    : `CONSOLE STEP: ${resource.resourceAddress}: turn the resource's "Auto-accept invitations" setting off, so its calendar owners answer requests (WorkMail: delegates approve every request).`;
}

function bookingLines(plan: DestinationPlan): string[] {
  const lines: string[] = [];
  for (const resource of plan.booking) {
    lines.push('', `# ---- Booking: ${resource.resourceAddress} ----`);
    for (const delegation of resource.delegations) {
      lines.push(`# ${bookingTraceText(delegation)}`);
      if (delegation.note) lines.push(commentText(`# NOTE: ${delegation.note}`));
      lines.push(googleBookingCommand(delegation));
    }
    const step = googleAutoAcceptStep(resource);
    if (step) lines.push(`# ${bookingOptionsTraceText(resource)}`, commentText(`# ${step}`));
  }
  return lines;
}

/** The GAM batch line for one delegation. Addresses passed SAFE_EMAIL, so they are plain words. */
export function googleCommand(delegation: Delegation): string {
  if (delegation.right === 'delegate') {
    return `gam user ${delegation.mailboxAddress} add delegate ${delegation.granteeAddress}`;
  }
  // A directory-synchronised user may have an empty display name: Gmail would show the address
  // with no name at all, so the user name stands in for it.
  const name = delegation.mailbox.displayName || delegation.mailbox.name || delegation.mailboxAddress;
  return `gam user ${delegation.granteeAddress} add sendas ${delegation.mailboxAddress} name ${shellWord(name)} treatasalias false`;
}

export function renderGoogle(plan: DestinationPlan): string {
  const header = scriptHeader(plan, [
    'Gmail delegation lets the delegate read, send and delete mail for the delegator; it must be enabled for the',
    'organizational unit (Admin console: Apps > Google Workspace > Gmail > User settings > Mail delegation).',
    'Send-as addresses are added to the grantee\'s Gmail with "Treat as an alias" off, as Google advises for',
    'another person\'s address; Gmail may ask the owner to confirm each one by a link mailed to them.',
    'Run with: gam batch <this file>. It ends with the read-back for `workmail-permissions verify --target google`.',
  ]);
  const lines = [...header, ''];
  lines.push(...aliasLines(plan));
  lines.push(...commandLines(plan, (delegation) => googleCommand(delegation)));
  lines.push(...bookingLines(plan));
  const owners = plan.booking.some((resource) => resource.delegations.length > 0);
  lines.push(
    '',
    ...notCarriedComment(plan),
    ...withGap(googleApplicationComment(plan.applications)),
    ...withGap(accessRuleComment(plan.applications, 'google')),
    '',
    '# ---- Read-back for verification ----',
    '# commit-batch waits for every command above; then every user\'s delegates and send-as addresses are',
    owners
      ? '# written to two CSV files, and every resource\'s calendar ACLs to a third, for: workmail-permissions verify --target google --snapshot … --export <the three files>'
      : '# written to two CSV files for: workmail-permissions verify --target google --snapshot … --export <both files>',
    'commit-batch',
    `gam redirect csv ./${GOOGLE_READBACK_FILES.delegates} all users print delegates`,
    `gam redirect csv ./${GOOGLE_READBACK_FILES.sendAs} all users print sendas`,
    // Only when resources get owners: every resource with its calendar's ACLs (role, scope.type, scope.value).
    ...(owners ? [`gam redirect csv ./${GOOGLE_READBACK_FILES.resourceAcls} print resources fields resourceid,resourcename,resourceemail acls`] : []),
  );
  return `${lines.join('\n')}\n`;
}

/** GAM's CSV form of the delegations (`gam csv file.csv gam user ~mailbox add delegate ~delegate`). */
export function googleDelegatesCsv(plan: DestinationPlan): string {
  const lines = ['mailbox,delegate,workmail_mailbox_id,workmail_grantee_id,workmail_rights'];
  for (const delegation of plan.delegations.filter((d) => d.right === 'delegate')) {
    lines.push([delegation.mailboxAddress, delegation.granteeAddress, delegation.grant.mailboxId, delegation.grant.granteeId, delegation.carries.join('+')].join(','));
  }
  return `${lines.join('\n')}\n`;
}
