import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DoctorReport } from '../../src/workmail/doctor';
import { admin, calls, clearCalls, freshStart } from '../tree/support';

describe('commands: check connection', () => {
  beforeEach(async () => {
    await freshStart();
  });

  it('checks the active profile read only and names the emulator variant the service matched', async () => {
    await clearCalls();
    const report = (await vscode.commands.executeCommand('workmail.checkConnection', { open: false })) as DoctorReport;
    assert.ok(report.checks.some((check) => check.name === 'credentials' && check.outcome === 'ok'), JSON.stringify(report.checks));
    assert.ok(report.checks.some((check) => check.name === 'region us-east-1' && check.outcome === 'ok'));
    assert.equal(report.variants['describe-user-of-group'], 'not-found');
    assert.ok(!(await calls()).some((call) => call.operation === 'PutMailboxPermissions' || call.operation === 'DeleteMailboxPermissions'), 'read only');
  });

  it('opens the report as a titled markdown document', async () => {
    await admin('PUT', '/variants', { 'describe-user-of-group': 'invalid-parameter' });
    try {
      await vscode.commands.executeCommand('workmail.checkConnection');
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.languageId, 'markdown');
      assert.match(editor?.document.getText() ?? '', /^# WorkMail connection check/);
      assert.match(editor?.document.getText() ?? '', /`describe-user-of-group=invalid-parameter`/);
    } finally {
      await admin('PUT', '/variants', {});
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });
});
