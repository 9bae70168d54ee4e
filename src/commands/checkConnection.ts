/**
 * Check Connection: the read-only doctor of the command-line tool (src/workmail/doctor.ts) for the
 * active profile and the selected regions, as a markdown report: what works, what does not and why,
 * and which emulator variant the service matched where WorkMail documents nothing.
 */
import * as vscode from 'vscode';
import { formatDoctorReport, runDoctor, type DoctorReport } from '../workmail/doctor';
import type { FoundationCommandDeps } from './foundationDeps';
import { escapeMarkdown } from './audit/accessDocument';

const OUTCOME_WORDS = { ok: 'ok', warning: 'warning', failed: 'failed', 'not-checked': 'not checked' } as const;

function markdown(report: DoctorReport): string {
  const lines = [
    `# ${vscode.l10n.t('WorkMail connection check')}`,
    '',
    vscode.l10n.t('Read only: nothing was changed. Checked {0}.', new Date().toLocaleString()),
    '',
    `| ${vscode.l10n.t('check')} | ${vscode.l10n.t('result')} | ${vscode.l10n.t('detail')} |`,
    '| --- | --- | --- |',
    ...report.checks.map((check) => `| ${escapeMarkdown(check.name)} | ${OUTCOME_WORDS[check.outcome]} | ${escapeMarkdown(check.detail, 600)} |`),
    '',
  ];
  const matched = Object.entries(report.variants).map(([name, value]) => `\`${name}=${value}\``);
  lines.push(
    matched.length > 0
      ? matched.length === 1
        ? vscode.l10n.t('Where WorkMail documents nothing, this service behaved as the emulator variant {0}.', matched[0])
        : vscode.l10n.t('Where WorkMail documents nothing, this service behaved as the emulator variants {0}.', matched.join(', '))
      : vscode.l10n.t('No undocumented behaviour could be told by reading.'),
  );
  return `${lines.join('\n')}\n`;
}

export function checkConnectionCommand(deps: FoundationCommandDeps) {
  return async (options: { open?: boolean } = {}): Promise<DoctorReport> => {
    const { services } = deps;
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the WorkMail connection…') }, () =>
      runDoctor(services.session(), { regions: services.regions() }),
    );
    services.log.info(`check connection:\n${formatDoctorReport(report)}`);
    if (options.open !== false) {
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown(report) });
      await vscode.window.showTextDocument(document, { preview: true });
    }
    return report;
  };
}
