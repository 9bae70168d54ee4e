// What a plan is written as: the CSV of every mailbox with its wave (for a spreadsheet, and read back
// by `readWaves` to script one wave at a time) and the markdown report a person reads.
import { RIGHT_LABELS } from '../../rights';
import { csvCell } from '../../exporters';
import { markdownText } from '../markdown';
import type { Snapshot } from '../schema';
import { counted, noun } from '../../plural';
import { readTimeText } from '../../readTimes';
import { compareIds } from './order';
import type { WavePlan } from './plan';

export const WAVE_COLUMNS = ['wave', 'mailbox_id', 'mailbox_address', 'display_name', 'kind', 'state', 'delegations', 'cut_delegations'] as const;

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
  lines.push(
    `**${plan.waves.length}** ${noun(plan.waves.length, 'wave')}, **${mailboxes}** ${noun(mailboxes, 'mailbox', 'mailboxes')}, **${plan.delegations.length}** ${noun(plan.delegations.length, 'delegation')} between them, **${plan.cut.length}** cut. ` +
      (plan.maxSize !== undefined ? `At most ${counted(plan.maxSize, 'mailbox', 'mailboxes')} a wave.` : 'No maximum wave size: nothing is cut.'),
    '',
  );
  lines.push(
    'Move each wave\'s mailboxes together: a delegation between two mailboxes of the same wave keeps working, because both are on the same system before and after the move. ' +
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
        `| ${name(d.mailboxId)} | ${d.mailboxWave} | ${name(d.delegateId)} | ${d.delegateWave} | ${through} | ${d.rights.map((r) => RIGHT_LABELS[r]).join(', ')} | size limit ${plan.maxSize}: a linked group of ${d.componentSize} mailboxes was split |`,
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

  lines.push('## Not in the plan', '');
  const unread = snapshot.unreadMailboxes;
  if (plan.unreadableGroups.length === 0 && plan.notPlanned.length === 0 && unread.length === 0) {
    lines.push('Nothing: every grant of the snapshot is planned.', '');
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
    for (const { group, grants } of plan.unreadableGroups) {
      lines.push(`- ${name(group.id)}: ${counted(grants, 'grant')} through it`);
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
