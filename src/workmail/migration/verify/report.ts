// The verification report: markdown for people (opened in VS Code, printed by the command line)
// and CSV for spreadsheets. Both list everything, not a sample: counts first, then missing, not
// checked, extra, unresolved values, not mappable, not carried, and finally what arrived.
import { csvCell } from '../../exporters';
import { readTimeText } from '../../readTimes';
import { BOOKING_OPTIONS, TARGET_NAMES, describeEntity, commentText } from '../destinations';
import type { VerificationResult, VerifyItem, VerifyStatus } from './result';

/** A markdown table cell: one line, pipes and markup escaped. */
function cell(value: string | undefined): string {
  return commentText(value ?? '').replace(/([\\`*_[\]<|])/g, '\\$1');
}

function itemTable(items: readonly VerifyItem[]): string[] {
  if (items.length === 0) return ['None.', ''];
  return [
    '| Mailbox | Grantee | Right | WorkMail rights | Detail | Export row |',
    '| --- | --- | --- | --- | --- | --- |',
    ...items.map((item) => `| ${cell(item.mailbox)} | ${cell(item.grantee)} | ${cell(item.right)} | ${cell(item.carries.join(', '))} | ${cell(item.detail)} | ${cell(item.source)} |`),
    '',
  ];
}

export function renderVerificationMarkdown(result: VerificationResult): string {
  const { plan, counts } = result;
  const org = plan.snapshot.organization;
  const of = (status: VerifyStatus): VerifyItem[] => result.items.filter((item) => item.status === status);
  // A booking option not as the script set it is missing too, but it is no delegation: said apart.
  const missingOptions = of('missing').filter((item) => item.carries.includes(BOOKING_OPTIONS)).length;
  const missingDelegations = counts.missing - missingOptions;
  const verdict =
    result.exitCode === 4
      ? `**${[
          missingDelegations > 0 ? `${missingDelegations} delegation${missingDelegations === 1 ? ' is' : 's are'} missing` : undefined,
          missingOptions > 0 ? `${missingOptions} booking option${missingOptions === 1 ? ' is' : 's are'} not as the script set ${missingOptions === 1 ? 'it' : 'them'}` : undefined,
        ]
          .filter(Boolean)
          .join(', and ')}** at ${TARGET_NAMES[result.target]}.`
      : result.exitCode === 3
        ? '**Partial:** nothing found missing, but not everything could be checked (see below).'
        : '**Everything arrived.** Every delegation the script carries is at the destination.';
  const lines = [
    `# Migration verification: ${TARGET_NAMES[result.target]}`,
    '',
    `- Organization: ${cell(`${org.alias ? `${org.alias} ` : ''}${org.id} (${org.region})`)}`,
    `- Snapshot: ${cell(`${plan.options.snapshotSource ? `${plan.options.snapshotSource}, ` : ''}read ${readTimeText(plan.snapshot)}`)}`,
    `- Addresses: ${cell(plan.options.mappingSource ? `mapped by ${plan.options.mappingSource}` : 'unchanged (no mapping given)')}`,
    ...(plan.options.mailboxIds ? [`- Wave: ${plan.options.wave ?? '(one wave)'} (${plan.options.mailboxIds.size} mailboxes)`] : []),
    ...result.files.map((file) => `- Export read: ${cell(file.file)} (${cell(file.kind)}, ${file.rows} row${file.rows === 1 ? '' : 's'})`),
    ...result.notes.map((note) => `- Note: ${cell(note)}`),
    '',
    verdict,
    '',
    '| Result | Count |',
    '| --- | --- |',
    `| Arrived | ${counts.arrived} |`,
    `| Missing | ${counts.missing} |`,
    `| Not checked (the exports do not cover it) | ${counts.notChecked} |`,
    `| Extra (at the destination, not in the plan) | ${counts.extra} |`,
    `| Export values that could not be resolved | ${counts.unresolved} |`,
    `| Not mappable (no destination address) | ${counts.notMappable} |`,
    `| Not carried by the script (listed in it with the reason) | ${counts.notCarried} |`,
    `| Mailboxes WorkMail could not read in the snapshot | ${counts.unread} |`,
    '',
    `## Missing (${counts.missing})`,
    '',
    ...itemTable(of('missing')),
    `## Not checked (${counts.notChecked})`,
    '',
    ...itemTable(of('not-checked')),
    `## Extra (${counts.extra})`,
    '',
    ...itemTable(of('extra')),
    `## Export values that could not be resolved (${counts.unresolved})`,
    '',
  ];
  if (result.unresolved.length === 0) {
    lines.push('None.', '');
  } else {
    lines.push('| Export row | Value | Why |', '| --- | --- | --- |');
    for (const u of result.unresolved) {
      lines.push(`| ${cell(`${u.file}:${u.line}${u.column ? `:${u.column}` : ''}`)} | ${cell(u.value)} | ${cell(u.reason)} |`);
    }
    lines.push('');
  }
  for (const [title, kind] of [
    ['Not mappable', 'not-mappable'],
    ['Not carried by the script', 'not-carried'],
    ['Mailboxes WorkMail could not read', 'unread'],
  ] as const) {
    const items = result.notCarried.filter((n) => n.kind === kind);
    lines.push(`## ${title} (${items.length})`, '');
    if (items.length === 0) {
      lines.push('None.', '');
      continue;
    }
    lines.push('| Mailbox | Grantee | WorkMail right | Why |', '| --- | --- | --- | --- |');
    for (const item of items) {
      lines.push(`| ${cell(describeEntity(item.mailbox, item.mailboxId))} | ${cell(item.granteeId ? describeEntity(item.grantee, item.granteeId) : '')} | ${cell(item.right)} | ${cell(item.reason)} |`);
    }
    lines.push('');
  }
  if (result.unmatchedMappingRows.length > 0) {
    lines.push(`## Mapping rows that name nobody in the snapshot (${result.unmatchedMappingRows.length})`, '', '| Line | Source | Destination |', '| --- | --- | --- |');
    for (const row of result.unmatchedMappingRows) {
      lines.push(`| ${row.line} | ${cell(row.source)} | ${cell(row.destination)} |`);
    }
    lines.push('');
  }
  lines.push(`## Arrived (${counts.arrived})`, '', ...itemTable(of('arrived')));
  return lines.join('\n');
}

export const VERIFY_CSV_COLUMNS = ['status', 'mailbox', 'grantee', 'destination_right', 'workmail_rights', 'workmail_mailbox_id', 'workmail_grantee_id', 'detail', 'source'] as const;

export function renderVerificationCsv(result: VerificationResult): string {
  const rows: string[][] = result.items.map((item) => [item.status, item.mailbox, item.grantee, item.right, item.carries.join(';'), item.mailboxId ?? '', item.granteeId ?? '', item.detail ?? '', item.source ?? '']);
  for (const u of result.unresolved) {
    rows.push(['unresolved', u.mailbox ?? '', u.value, '', '', '', '', u.reason, `${u.file}:${u.line}${u.column ? `:${u.column}` : ''}`]);
  }
  for (const item of result.notCarried) {
    rows.push([item.kind, item.mailbox?.email ?? '', item.grantee?.email ?? '', '', item.right ?? '', item.mailboxId, item.granteeId ?? '', item.reason, '']);
  }
  return `${[VERIFY_CSV_COLUMNS.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\r\n')}\r\n`;
}
