// "Plan" and "Apply" at the top of a change file, so the file is its own user interface: the
// administrator edits it, plans, reads the plan, applies. Shown for files named
// *.workmail-changes.csv or *.workmail-changes.json (the JSON ones also get the schema).
import * as vscode from 'vscode';
import { SNAPSHOT_FORMAT } from '../../workmail/migration/schema';
import { APPLY_CHANGE_FILE_COMMAND } from './applyChangeFile';
import { COMPARE_WITH_SNAPSHOT_COMMAND } from './compareWithSnapshot';
import { PLAN_CHANGE_FILE_COMMAND } from './planChangeFile';

export const CHANGE_FILE_SELECTOR: vscode.DocumentSelector = [
  { pattern: '**/*.workmail-changes.csv' },
  { pattern: '**/*.workmail-changes.json' },
];

export class ChangeFileLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: vscode.l10n.t('$(checklist) Plan'), tooltip: vscode.l10n.t('Show what this file would change in WorkMail; writes nothing'), command: PLAN_CHANGE_FILE_COMMAND, arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: vscode.l10n.t('$(play) Apply…'), tooltip: vscode.l10n.t('Plan, confirm, and apply this file'), command: APPLY_CHANGE_FILE_COMMAND, arguments: [document.uri] }),
    ];
  }
}

export const SNAPSHOT_SELECTOR: vscode.DocumentSelector = [{ language: 'json' }, { pattern: '**/*.json' }];

/** "Compare with Live" on a saved snapshot: recognised by its format marker near the top, not its name. */
export class SnapshotLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const head = document.getText(new vscode.Range(0, 0, Math.min(document.lineCount, 12), 0));
    if (!head.includes(`"${SNAPSHOT_FORMAT}"`)) {
      return [];
    }
    return [
      new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
        title: vscode.l10n.t('$(diff) Compare with Live'),
        tooltip: vscode.l10n.t('Scan the organization now and show what changed since this snapshot'),
        command: COMPARE_WITH_SNAPSHOT_COMMAND,
        arguments: [document.uri],
      }),
    ];
  }
}
