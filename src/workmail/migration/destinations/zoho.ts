// Zoho Mail: no public API to set mailbox delegation was found, so this destination is a checklist
// of the Admin Console steps, one line per delegation, in markdown (to read and tick) and CSV (to
// filter, assign and tick in a spreadsheet). Zoho Mail's help page "Delegation of User Mailbox by
// Admin" describes the steps: mailbox delegation must be allowed by the email policy (Mail Settings >
// Email policy > Policies > General > Mailbox delegation access), then Users > the owner > Mail
// settings > Delegated to > + Add, where the administrator picks the delegate and the permissions.
// The page does not name every permission, so each line says what the WorkMail right allowed and the
// person picks the permission that matches, or writes in the notes that none does.
//
// Delegation is between user mailboxes: groups and resources are listed as not migrated. A room's
// or equipment's booking delegate becomes a checklist line too: Zoho's Resource Manager role, set in
// the console only (no API found); group delegates are expanded to their members. WorkMail's
// booking options have no Zoho equivalent found and are listed as not migrated. Zoho has
// no export of delegations either, so verification reads the CSV back: a row whose `done` column is
// ticked counts as arrived. That is the administrator's word, and the report says so.
//
// Aliases come first, one line each (a delegation may name a mailbox by one): Zoho's help ("Can I
// configure more than one email address for a single user?") adds them in the Admin Console, Users >
// the user > Mail Settings > Email Alias > Add. That is a user's setting: a group's or a resource's
// alias is listed as not migrated. Verification does not read the alias rows (ALIAS), as it does
// not read the applications'.
import { csvCell } from '../../exporters';
import type { MailboxRight } from '../../types';
import type { AddressMapping, Snapshot } from '../schema';
import { ALIAS, aliasTraceText, planAliases, type PlannedAlias } from './aliases';
import { planApplications } from './applications';
import { zohoApplicationMarkdown, zohoApplicationRows } from './applicationSections';
import { BOOKING_DELEGATE, bookingDelegations, bookingTraceText, optionsNotCarried, planBooking, type BookingDelegation } from './booking';
import { headerText, notCarriedText, planGrants, traceText, WAVE_NOTE, type Carried, type CarryInput, type Delegation, type DestinationOptions, type DestinationPlan, delegationOf } from './common';
import { markdownLine } from './scriptText';

export const ZOHO_HELP_PAGE = 'https://www.zoho.com/mail/help/adminconsole/mailbox-delegation-admin-settings.html';

export const ZOHO_CSV_COLUMNS = ['done', 'mailbox', 'delegate', 'workmail_right', 'what_it_allowed', 'steps', 'notes', 'workmail_mailbox_id', 'workmail_grantee_id'] as const;

const BOOKING_MEANING = 'receive the booking requests of the room or equipment and answer them';

const MEANING: Record<MailboxRight, string> = {
  FULL_ACCESS: 'read and manage everything in the mailbox',
  SEND_AS: 'send mail as the owner (the delegate is not named)',
  SEND_ON_BEHALF: 'send mail on behalf of the owner (the delegate is named)',
};

function carryZoho(input: CarryInput): Carried {
  const carried: Carried = { delegations: [], skipped: [] };
  const { mailbox, grantee, rights } = input;
  if (mailbox.kind !== 'user' || grantee.kind !== 'user') {
    const reason =
      mailbox.kind === 'group'
        ? 'Zoho Mail delegation is between user mailboxes; a group\'s send permissions are set in its group settings by hand'
        : mailbox.kind === 'resource'
          ? 'Zoho Mail delegation is between user mailboxes; a room or equipment mailbox must first exist as a user mailbox'
          : 'Zoho Mail delegates mailboxes to users; add each member of the group instead';
    carried.skipped.push(...rights.map((right) => ({ right, reason })));
    return carried;
  }
  for (const right of rights) {
    carried.delegations.push(delegationOf(input, right, [right], input.granteeOutsideWave ? WAVE_NOTE : undefined));
  }
  return carried;
}

export function planZoho(snapshot: Snapshot, mapping: AddressMapping, options: DestinationOptions): DestinationPlan {
  const { delegations, notCarried } = planGrants(snapshot, mapping, options, carryZoho, options.mappingSource === undefined);
  const booking = planBooking(snapshot, mapping, options, { right: BOOKING_DELEGATE }, options.mappingSource === undefined);
  const optionsSkipped = booking.booking
    .filter((resource) => resource.options)
    .map((resource) => optionsNotCarried(resource, 'no Zoho Mail setting was found for WorkMail\'s booking options (automatic acceptance, declining conflicts and recurring meetings); set them in the console by hand if it has them'));
  const aliases = planAliases(
    snapshot,
    mapping,
    options,
    {
      refuse: (entity) =>
        entity.kind === 'group'
          ? 'Zoho Mail\'s email alias is a user\'s setting; give the group this address in its group settings by hand if Zoho allows it'
          : entity.kind === 'resource'
            ? 'Zoho Mail\'s email alias is a user\'s setting; a room or equipment must first exist as a user mailbox'
            : undefined,
    },
    options.mappingSource === undefined,
  );
  return {
    target: 'zoho',
    snapshot,
    options,
    delegations,
    booking: booking.booking,
    aliases: aliases.aliases,
    applications: planApplications(snapshot, mapping, options.mappingSource === undefined),
    notCarried: [...aliases.notCarried, ...notCarried, ...booking.notCarried, ...optionsSkipped],
    warnings: aliases.warnings,
  };
}

const ALIAS_MEANING = 'receive mail at this address too';

function aliasSteps(planned: PlannedAlias): string {
  return `Admin Console > Users > ${planned.entityAddress} > Mail Settings > Email Alias > Add > ${planned.aliasAddress}`;
}

function bookingSteps(delegation: BookingDelegation): string {
  return `Zoho Mail Admin Console > the resource ${delegation.resourceAddress} > Resource Manager: ${delegation.delegateAddress} (console only; no API found)`;
}

function steps(delegation: Delegation): string {
  return `Admin Console > Users > ${delegation.mailboxAddress} > Mail settings > Delegated to > + Add > ${delegation.granteeAddress}; choose the permission that lets them ${MEANING[delegation.right as MailboxRight]}`;
}

/** Markdown text on one line: backslash-escape what could start markup (links, code, emphasis, HTML). */
const md = markdownLine;

export function renderZohoMarkdown(plan: DestinationPlan): string {
  const lines = ['# WorkMail permissions migration to Zoho Mail: checklist', '', ...headerText(plan, 'checklist').slice(1).map((line) => `- ${md(line)}`), ''];
  lines.push(
    '## Before you start',
    '',
    `- [ ] Mailbox delegation is allowed by the email policy of these users: Admin Console > Mail Settings > Email policy > Policies > (the policy) > General > Mailbox delegation access (Zoho Mail help: ${ZOHO_HELP_PAGE}).`,
    '',
  );
  if (plan.aliases.length > 0) {
    lines.push('## Aliases (before the delegations: a delegation may name a mailbox by an alias)', '');
    for (const planned of plan.aliases) {
      lines.push(`- [ ] ${md(planned.entityAddress)}: alias ${md(planned.aliasAddress)}, to ${md(ALIAS_MEANING)}. ${md(aliasSteps(planned))}.`);
      lines.push(`  - ${md(aliasTraceText(planned))}${planned.note ? `; ${md(planned.note)}` : ''}`);
    }
    lines.push('');
  }
  let current: string | undefined;
  for (const delegation of plan.delegations) {
    if (delegation.mailboxAddress !== current) {
      if (current !== undefined) {
        lines.push('');
      }
      current = delegation.mailboxAddress;
      lines.push(`## Mailbox ${md(current)}`, '');
    }
    lines.push(`- [ ] ${md(delegation.granteeAddress)}: WorkMail ${delegation.right}, ${md(MEANING[delegation.right as MailboxRight])}. ${md(steps(delegation))}.`);
    lines.push(`  - ${md(traceText(delegation))}${delegation.note ? `; ${md(delegation.note)}` : ''}`);
  }
  const booked = bookingDelegations(plan);
  if (booked.length > 0) {
    lines.push('', '## Booking delegates (Resource Manager role, console only)', '');
    for (const delegation of booked) {
      lines.push(`- [ ] ${md(delegation.resourceAddress)}: ${md(delegation.delegateAddress)} as Resource Manager, to ${md(BOOKING_MEANING)}. ${md(bookingSteps(delegation))}.`);
      lines.push(`  - ${md(bookingTraceText(delegation))}${delegation.note ? `; ${md(delegation.note)}` : ''}`);
    }
  }
  lines.push('', '## Not migrated', '', ...notCarriedText(plan).slice(1).map((line) => md(line.replace(/^- /, '')).replace(/^/, '- ')), '');
  lines.push(...zohoApplicationMarkdown(plan.applications));
  lines.push(
    '## Verification',
    '',
    'Zoho Mail has no export of delegations. Tick the `done` column of the CSV form of this checklist',
    '(workmail-permissions migration-script --target zoho --format csv) for every line carried out, then run:',
    '`workmail-permissions verify --target zoho --snapshot … --export <that CSV>`. It reports what is not ticked.',
    '',
  );
  return lines.join('\n');
}

export function renderZohoCsv(plan: DestinationPlan): string {
  const rows = [ZOHO_CSV_COLUMNS.join(',')];
  for (const planned of plan.aliases) {
    rows.push(['', planned.entityAddress, planned.aliasAddress, ALIAS, ALIAS_MEANING, aliasSteps(planned), planned.note ?? '', planned.entity.id, ''].map(csvCell).join(','));
  }
  for (const delegation of plan.delegations) {
    rows.push(
      [
        '',
        delegation.mailboxAddress,
        delegation.granteeAddress,
        delegation.right,
        MEANING[delegation.right as MailboxRight],
        steps(delegation),
        delegation.note ?? '',
        delegation.grant.mailboxId,
        delegation.grant.granteeId,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  for (const delegation of bookingDelegations(plan)) {
    rows.push(
      ['', delegation.resourceAddress, delegation.delegateAddress, BOOKING_DELEGATE, BOOKING_MEANING, bookingSteps(delegation), delegation.note ?? '', delegation.resource.id, delegation.delegate.id].map(csvCell).join(','),
    );
  }
  for (const row of zohoApplicationRows(plan.applications)) rows.push(row.map(csvCell).join(','));
  return `${rows.join('\r\n')}\r\n`;
}
