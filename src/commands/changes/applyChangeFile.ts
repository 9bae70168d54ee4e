// "Apply" on a change file: plans it afresh, shows what will be written, asks, and applies exactly
// that plan through the batch write pipeline (applyAll): the pair lock, fresh read, union for
// grants, read-back, one log line per change, one entry in Undo Last Change for the whole file,
// progress with Cancel. A line whose rights changed after the plan is refused, not applied; lines
// planned "already so" are read again with the rest (no call when they still are), so a right
// given while the question was open is refused and listed, not reported as already so.
import * as vscode from 'vscode';
import { planCounts, planLines, routeOf, type ChangePlan, type PlanCounts } from '../../workmail/changes/plan';
import { entityName } from '../../workmail/names';
import { applyAll, bindSession, type PlannedChange } from '../permissions/apply';
import type { ChangeHistory } from '../permissions/history';
import { report } from '../permissions/permissionRun';
import type { PermissionItemOutcome } from '../permissions/types';
import { changeCount, lineCount } from '../ui/labels';
import { runReported } from '../ui/reported';
import { changeFileDocument, escapeCell, fileLabel, planChangeFileWithProgress, readChangeFile, type ChangeFileCommandOptions, type ChangeFileContext } from './changeFileRun';
import { planReport } from './planChangeFile';

export const APPLY_CHANGE_FILE_COMMAND = 'workmail.applyChangeFile';

export interface ChangeFileApplyResult {
  readonly outcome: 'done' | 'partial' | 'failed' | 'cancelled' | 'nothing-to-do';
  readonly reason?: string;
  readonly counts?: PlanCounts;
  /** One per line the plan did not refuse (to write, or already so and read again), in file order. */
  readonly items?: readonly (PermissionItemOutcome & { readonly line: number })[];
  /** Lines the plan refused: never written. */
  readonly refused?: readonly { readonly line: number; readonly reason: string }[];
}

/** How many plan lines the confirmation shows before "and N more". */
const SHOWN_IN_QUESTION = 12;

function resultReport(file: string, plan: ChangePlan, items: readonly (PermissionItemOutcome & { line: number })[]): string {
  const byLine = new Map(items.map((item) => [item.line, item]));
  const rows = plan.lines.map((line) => {
    const item = byLine.get(line.change.line);
    const mailbox = line.mailbox ? entityName(line.mailbox) : line.change.mailbox;
    const grantee = line.grantee ? entityName(line.grantee) : line.change.grantee;
    const result =
      line.status === 'refused'
        ? vscode.l10n.t('refused by the plan: {0}', line.reason ?? '')
        : item?.status === 'changed'
          ? vscode.l10n.t('done: {0}', (item.verified ? item.after : item.requested)?.join(', ') || vscode.l10n.t('nothing'))
          : item?.status === 'unchanged'
            ? vscode.l10n.t('already so')
            : vscode.l10n.t('not done ({0}): {1}', item?.status ?? 'skipped', item?.reason ?? '');
    return `| ${line.change.line} | ${line.change.action} | ${escapeCell(mailbox)} | ${escapeCell(grantee)} | ${escapeCell(result)} |`;
  });
  return [
    `# ${escapeCell(vscode.l10n.t('Applied {0}', file))}`,
    '',
    vscode.l10n.t('Planned from the rights read at {0}; every write was checked against that plan.', plan.readAt),
    '',
    `| ${vscode.l10n.t('line')} | ${vscode.l10n.t('action')} | ${vscode.l10n.t('mailbox')} | ${vscode.l10n.t('grantee')} | ${vscode.l10n.t('result')} |`,
    '| ---: | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

export async function applyChangeFile(ctx: ChangeFileContext & { readonly history: ChangeHistory }, target: unknown, options: ChangeFileCommandOptions): Promise<ChangeFileApplyResult> {
  let subject = '';
  return runReported(
    { log: ctx.services.log, ui: ctx.ui, profile: ctx.services.session().profile, verb: 'apply', failureText: (reason) => vscode.l10n.t('Could not apply {0}: {1}', subject || vscode.l10n.t('the change file'), reason) },
    async (): Promise<ChangeFileApplyResult> => {
      const document = await changeFileDocument(target);
      subject = fileLabel(document);
      const file = readChangeFile(document);
      // One session from the plan to the last write: a profile switched meanwhile cannot redirect it.
      const bound = bindSession(ctx.services);
      const plan = await planChangeFileWithProgress(ctx, file, options, bound);
      const counts = planCounts(plan);
      const refused = plan.lines.filter((line) => line.status === 'refused').map((line) => ({ line: line.change.line, reason: line.reason ?? '' }));
      if (counts.write === 0) {
        ctx.ui.info(vscode.l10n.t('Nothing to apply in {0}: {1} already so, {2} refused. Nothing was written.', subject, lineCount(counts.satisfied), counts.refused));
        if (options.open !== false) {
          await ctx.reports.show(vscode.l10n.t('Plan for {0}', subject), planReport(plan, subject));
        }
        return { outcome: 'nothing-to-do', counts, refused };
      }
      const shown = planLines(plan).filter((_, i) => plan.lines[i]?.status !== 'satisfied');
      const detail = [
        ...shown.slice(0, SHOWN_IN_QUESTION),
        shown.length > SHOWN_IN_QUESTION ? vscode.l10n.t('…and {0} more (Plan shows every line).', shown.length - SHOWN_IN_QUESTION) : undefined,
        counts.satisfied === 1
          ? vscode.l10n.t('1 line is already so. A line whose permissions change before it is written is refused, not applied.')
          : vscode.l10n.t('{0} lines are already so. A line whose permissions change before it is written is refused, not applied.', counts.satisfied),
      ]
        .filter(Boolean)
        .join('\n');
      const confirmed = await ctx.ui.confirm(
        counts.refused > 0
          ? vscode.l10n.t('Apply {0} from {1}? Refused, and not written: {2}.', changeCount(counts.write), subject, lineCount(counts.refused))
          : vscode.l10n.t('Apply {0} from {1}?', changeCount(counts.write), subject),
        detail,
        vscode.l10n.t('Apply'),
      );
      if (!confirmed) {
        return { outcome: 'cancelled', counts, refused };
      }
      // Lines already so too: the writer's fresh read finds them still so (no call), or refuses them.
      const writes = plan.lines.filter((line) => line.status !== 'refused');
      const planned: PlannedChange[] = writes.map((line) => ({
        org: line.org!,
        mailbox: line.mailbox!,
        grantee: { id: line.grantee!.id, type: line.grantee!.kind === 'group' ? 'GROUP' : 'USER', label: entityName(line.grantee!) },
        change: line.write!,
        route: routeOf(line.change),
        expectedBefore: line.before ?? [],
        fromReviewedPlan: true,
      }));
      const outcomes = await applyAll({ services: ctx.services, ui: ctx.ui, history: ctx.history }, 'apply', vscode.l10n.t('Applying {0}…', subject), planned, bound);
      const items = outcomes.map((outcome, i) => ({ ...outcome, line: writes[i]!.change.line }));
      const summary = report(ctx.ui, ctx.services.log, 'apply', outcomes);
      if (options.open !== false) {
        await ctx.reports.show(vscode.l10n.t('Applied {0}', subject), resultReport(subject, plan, items));
      }
      const outcome = summary.outcome === 'cancelled' ? 'partial' : summary.outcome;
      // A line refused because it changed since the plan (one planned already so among them) is not done.
      const changedSincePlan = outcomes.some((item) => item.status === 'refused');
      return { outcome: (refused.length > 0 && outcome === 'done') || (changedSincePlan && (outcome === 'done' || outcome === 'nothing-to-do')) ? 'partial' : outcome, counts, items, refused };
    },
  );
}
