// "Plan" on a change file: what it would do, line by line, from the rights WorkMail holds now.
// Nothing is written.
import * as vscode from 'vscode';
import { planCounts, planMarkdown, type ChangePlan, type PlanCounts } from '../../workmail/changes/plan';
import { runReported } from '../ui/reported';
import { changeFileDocument, escapeCell, fileLabel, planChangeFileWithProgress, readChangeFile, type ChangeFileCommandOptions, type ChangeFileContext } from './changeFileRun';

export const PLAN_CHANGE_FILE_COMMAND = 'workmail.planChangeFile';

export interface ChangeFilePlanResult {
  readonly outcome: 'done' | 'cancelled' | 'failed';
  readonly reason?: string;
  readonly counts?: PlanCounts;
  readonly plan?: ChangePlan;
  readonly report?: string;
}

export function planReport(plan: ChangePlan, file: string): string {
  return planMarkdown(plan, { title: vscode.l10n.t('Plan for {0}', file), escape: escapeCell });
}

export async function planChangeFile(ctx: ChangeFileContext, target: unknown, options: ChangeFileCommandOptions): Promise<ChangeFilePlanResult> {
  let subject = '';
  return runReported(
    { log: ctx.services.log, ui: ctx.ui, profile: ctx.services.session().profile, verb: 'plan', failureText: (reason) => vscode.l10n.t('Could not plan {0}: {1}', subject || vscode.l10n.t('the change file'), reason) },
    async (): Promise<ChangeFilePlanResult> => {
      const document = await changeFileDocument(target);
      subject = fileLabel(document);
      const file = readChangeFile(document);
      const plan = await planChangeFileWithProgress(ctx, file, options);
      const counts = planCounts(plan);
      const report = planReport(plan, subject);
      ctx.services.log.info(`plan: ${subject}: ${counts.write} call(s), ${counts.satisfied} satisfied, ${counts.refused} refused`);
      if (options.open !== false) {
        await ctx.reports.show(vscode.l10n.t('Plan for {0}', subject), report);
      }
      return { outcome: 'done', counts, plan, report };
    },
  );
}
