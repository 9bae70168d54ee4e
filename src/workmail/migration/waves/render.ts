// What a plan is written as: the CSV of every mailbox with its wave (for a spreadsheet, and read back
// by `readWaves` to script one wave at a time) and the markdown report a person reads. Both name
// the applications (impersonation roles) that act as a mailbox; the report says which waves each
// reaches.
import { RIGHT_LABELS } from '../../rights';
import { csvCell } from '../../exporters';
import { markdownText } from '../markdown';
import type { Snapshot } from '../schema';
import { counted, noun } from '../../plural';
import { readTimeText } from '../../readTimes';
import { wavesInWords, type ApplicationNote } from './applications';
import type { Delegation } from './delegations';
import { compareIds } from './order';
import type { WavePlan } from './plan';

export const WAVE_COLUMNS = ['wave', 'mailbox_id', 'mailbox_address', 'display_name', 'kind', 'state', 'delegations', 'cut_delegations', 'applications'] as const;

/** The names of the applications acting as each mailbox, by mailbox ID, in the plan's order of applications. */
function applicationsByMailbox(plan: WavePlan): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const application of plan.applications) {
    for (const id of application.mailboxIds) {
      names.set(id, [...(names.get(id) ?? []), application.name]);
    }
  }
  return names;
}

/** One row per mailbox, by wave then address; CRLF line ends, cells formula-guarded. */
export function wavesCsv(plan: WavePlan): string {
  const touching = new Map<string, number>();
  const cutTouching = new Map<string, number>();
  const count = (map: Map<string, number>, id: string): void => {
    map.set(id, (map.get(id) ?? 0) + 1);
  };
  for (const d of plan.delegations) {
    count(touching, d.mailboxId);
    count(touching, d.delegateId);
  }
  for (const d of plan.cut) {
    count(cutTouching, d.mailboxId);
    count(cutTouching, d.delegateId);
  }
  const applications = applicationsByMailbox(plan);
  const line = (values: readonly string[]): string => `${values.map(csvCell).join(',')}\r\n`;
  let out = line(WAVE_COLUMNS);
  for (const wave of plan.waves) {
    for (const mailbox of [...wave.mailboxes].sort((a, b) => (a.email ?? '').localeCompare(b.email ?? '') || compareIds(a.id, b.id))) {
      out += line([
        String(wave.number),
        mailbox.id,
        mailbox.email ?? '',
        mailbox.displayName || mailbox.name || '',
        mailbox.kind,
        mailbox.state ?? '',
        String(touching.get(mailbox.id) ?? 0),
        String(cutTouching.get(mailbox.id) ?? 0),
        (applications.get(mailbox.id) ?? []).join('; '),
      ]);
    }
  }
  return out;
}


/** The readable report: the waves, their sizes, every cut delegation with the reason, and what the plan leaves out. */
export function wavesReport(plan: WavePlan, snapshot: Snapshot): string {
  const byId = new Map(snapshot.entities.map((entity) => [entity.id, entity]));
  const name = (id: string): string => {
    const entity = byId.get(id);
    if (!entity) {
      return `\`${markdownText(id)}\``;
    }
    const label = entity.displayName || entity.name;
    return entity.email ? `${markdownText(entity.email)}${label ? ` (${markdownText(label)})` : ''}` : markdownText(label || entity.id);
  };
  const org = snapshot.organization;
  const mailboxes = plan.waves.reduce((sum, wave) => sum + wave.mailboxes.length, 0);
  const lines: string[] = [];
  lines.push(`# Migration waves: ${markdownText(org.alias ?? org.id)}`, '');
  lines.push(`Organization ${markdownText(org.id)} (${markdownText(org.region)}), snapshot read ${markdownText(readTimeText(snapshot))}.`, '');
  const booking = plan.delegations.filter((d) => d.route === 'bookingDelegate').length;
  lines.push(
    `**${plan.waves.length}** ${noun(plan.waves.length, 'wave')}, **${mailboxes}** ${noun(mailboxes, 'mailbox', 'mailboxes')}, **${plan.delegations.length}** ${noun(plan.delegations.length, 'delegation')} between them` +
      (booking > 0 ? ` (${counted(booking, 'booking delegation')} of a room or equipment among them)` : '') +
      `, **${plan.cut.length}** cut. ` +
      (plan.maxSize !== undefined ? `At most ${counted(plan.maxSize, 'mailbox', 'mailboxes')} a wave.` : 'No maximum wave size: nothing is cut.'),
    '',
  );
  lines.push(
    'Move each wave\'s mailboxes together: a delegation between two mailboxes of the same wave keeps working, because both are on the same system before and after the move. ' +
      'A room or equipment moves with its booking delegates, who answer its booking requests. ' +
      (plan.maxSize === undefined ? 'The last wave holds the mailboxes with no delegation to or from another mailbox; they can move at any time.' : 'Waves hold whole linked groups of mailboxes where they fit, packed together to make as few waves as possible.'),
    '',
  );
  lines.push('| Wave | Mailboxes | Delegations inside | Cut delegations |', '| ---: | ---: | ---: | ---: |');
  for (const wave of plan.waves) {
    const members = new Set(wave.mailboxes.map((m) => m.id));
    const inside = plan.delegations.filter((d) => members.has(d.mailboxId) && members.has(d.delegateId)).length;
    const cut = plan.cut.filter((d) => members.has(d.mailboxId) || members.has(d.delegateId)).length;
    lines.push(`| ${wave.number} | ${wave.mailboxes.length} | ${inside} | ${cut} |`);
  }
  lines.push('');

  lines.push('## Cut delegations', '');
  if (plan.cut.length === 0) {
    lines.push(plan.maxSize === undefined ? 'None: without a maximum wave size, every linked group of mailboxes is one wave.' : 'None: every linked group of mailboxes fits in one wave.', '');
  } else {
    lines.push(
      `The maximum wave size (${plan.maxSize}) split ${counted(plan.splitComponents.length, 'linked group')} of ${plan.splitComponents.join(', ')} mailboxes. ` +
        'Each delegation below joins two waves: between the first of the two moves and the second, it does not work (the mailbox and its delegate are on different systems). ' +
        'Move these two waves close together, or recreate the delegation right after the second move.',
      '',
    );
    lines.push('| Mailbox | Wave | Delegate | Wave | Through | Rights | Reason |', '| --- | ---: | --- | ---: | --- | --- | --- |');
    for (const d of plan.cut) {
      const through = d.granteeId === d.delegateId ? 'direct' : `group ${name(d.granteeId)}`;
      lines.push(
        `| ${name(d.mailboxId)} | ${d.mailboxWave} | ${name(d.delegateId)} | ${d.delegateWave} | ${through} | ${delegationWhat(d)} | size limit ${plan.maxSize}: a linked group of ${d.componentSize} mailboxes was split |`,
      );
    }
    lines.push('');
  }

  lines.push('## Waves', '');
  for (const wave of plan.waves) {
    lines.push(`### Wave ${wave.number} (${wave.mailboxes.length} mailbox${wave.mailboxes.length === 1 ? '' : 'es'})`, '');
    for (const mailbox of [...wave.mailboxes].sort((a, b) => (a.email ?? '').localeCompare(b.email ?? ''))) {
      lines.push(`- ${name(mailbox.id)}${mailbox.state === 'DISABLED' ? ' (disabled)' : ''}`);
    }
    lines.push('');
  }

  lines.push(...applicationsSection(plan, name));

  lines.push('## Not in the plan', '');
  const unread = snapshot.unreadMailboxes;
  if (
    plan.unreadableGroups.length === 0 &&
    plan.unreadableDelegates.length === 0 &&
    plan.bookingDelegatesNotRecorded === undefined &&
    plan.notPlanned.length === 0 &&
    unread.length === 0
  ) {
    lines.push('Nothing: every grant and booking delegation of the snapshot is planned.', '');
  }
  if (plan.bookingDelegatesNotRecorded !== undefined) {
    lines.push(
      `**Booking delegates ${markdownText(plan.bookingDelegatesNotRecorded)}**: a room or equipment may be planned apart from the delegates who answer its requests. Take a new snapshot to plan with them.`,
      '',
    );
  }
  if (plan.unreadableDelegates.length > 0) {
    lines.push('**Resources whose booking delegates could not be read**: their delegations are missing from the plan. Take a new snapshot, or check their delegates by hand.', '');
    for (const { resource, reason } of plan.unreadableDelegates) {
      lines.push(`- ${name(resource.id)}: ${markdownText(reason)}`);
    }
    lines.push('');
  }
  if (unread.length > 0) {
    lines.push(`**${counted(unread.length, 'mailbox', 'mailboxes')} could not be read** when the snapshot was taken: their delegations are unknown and may link them to other waves. Take a new snapshot.`, '');
    for (const u of unread) {
      lines.push(`- ${name(u.mailboxId)}: ${markdownText(u.code)}`);
    }
    lines.push('');
  }
  if (plan.unreadableGroups.length > 0) {
    lines.push('**Groups whose members could not be read**: delegations through them are missing from the plan. Take a new snapshot, or check their members by hand.', '');
    for (const { group, grants, bookingDelegations } of plan.unreadableGroups) {
      const through = [...(grants > 0 ? [counted(grants, 'grant')] : []), ...(bookingDelegations > 0 ? [counted(bookingDelegations, 'booking delegation')] : [])];
      lines.push(`- ${name(group.id)}: ${through.join(' and ')} through it`);
    }
    lines.push('');
  }
  for (const { reason, grants } of plan.notPlanned) {
    lines.push(`- ${markdownText(reason)}: ${grants}`);
  }
  if (plan.notPlanned.length > 0) {
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** A delegation's rights in words, or that it is a booking delegation (which carries none of the three). */
function delegationWhat(d: Delegation): string {
  return d.route === 'bookingDelegate' ? 'booking delegate' : d.rights.map((r) => RIGHT_LABELS[r]).join(', ');
}

const ROLE_TYPE_WORDS: Readonly<Record<ApplicationNote['type'], string>> = { FULL_ACCESS: 'full access', READ_ONLY: 'read only' };

/**
 * The applications: for each impersonation role, the waves of the mailboxes it acts as. A note
 * only, since an application moves with no mailbox; what it asks of the person is to keep the
 * application working on both systems from the first of those waves to the last.
 */
function applicationsSection(plan: WavePlan, name: (id: string) => string): string[] {
  const lines = ['## Applications (impersonation roles)', ''];
  if (plan.applicationsNotRead !== undefined) {
    lines.push(`Impersonation roles ${markdownText(plan.applicationsNotRead)}: which applications reach these mailboxes is unknown.`, '');
    return lines;
  }
  if (plan.applications.length === 0) {
    lines.push('None: the snapshot records no impersonation role.', '');
    return lines;
  }
  lines.push(
    'An application holding an impersonation role acts as each user its rules allow. It does not bind mailboxes to a wave, and the plan does not move them for it; ' +
      'but while the mailboxes it acts as are split between WorkMail and the destination, it has to reach both: recreate it at the destination before the first of its waves moves, and keep its WorkMail role until the last has.',
    '',
  );
  for (const application of plan.applications) {
    const label = `the application **${markdownText(application.name)}** (${ROLE_TYPE_WORDS[application.type]})`;
    const reach =
      application.waves.length === 0
        ? application.rulesRead
          ? 'reaches no mailbox of the plan'
          : 'reaches mailboxes that are unknown'
        : `reaches mailboxes in ${wavesInWords(application.waves)} (${counted(application.mailboxIds.length, 'mailbox', 'mailboxes')})`;
    const notes: string[] = [];
    if (application.rulesUnreadable !== undefined) {
      notes.push(
        application.rulesRead
          ? `only the rules that could be read are counted; the others could not be read (${markdownText(application.rulesUnreadable)})`
          : `its rules could not be read (${markdownText(application.rulesUnreadable)})`,
      );
    }
    if (application.outsidePlan > 0) {
      notes.push(`it also acts as ${counted(application.outsidePlan, 'user')} whose mailbox the plan does not move`);
    }
    if (application.unknownTargets.length > 0) {
      notes.push(`its rules name ${application.unknownTargets.map((identifier) => `"${markdownText(identifier)}"`).join(', ')}, no user of the snapshot`);
    }
    lines.push(`- ${label} ${reach}${notes.length > 0 ? `; ${notes.join('; ')}` : ''}.`);
    if (application.waves.length > 1) {
      const reached = new Set(application.mailboxIds);
      for (const wave of plan.waves.filter((w) => application.waves.includes(w.number))) {
        const inWave = wave.mailboxes.filter((m) => reached.has(m.id)).sort((a, b) => (a.email ?? '').localeCompare(b.email ?? '') || compareIds(a.id, b.id));
        const shown = inWave.slice(0, 5).map((m) => name(m.id));
        lines.push(`  - wave ${wave.number}: ${shown.join(', ')}${inWave.length > shown.length ? `, and ${inWave.length - shown.length} more` : ''}`);
      }
    }
  }
  lines.push('');
  return lines;
}
