// "Plan" and "Apply" at the top of a change file, so the file is its own user interface: the
// administrator edits it, plans, reads the plan, applies. Shown for files named
// *.workmail-changes.csv or *.workmail-changes.json (the JSON ones also get the schema).
import * as vscode from 'vscode';
import { APPLY_CHANGE_FILE_COMMAND } from './applyChangeFile';
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
