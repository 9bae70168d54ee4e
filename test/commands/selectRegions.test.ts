import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OrganizationNode } from '../../src/tree/organizationNode';
import { calls, children, freshStart, SettingsSnapshot } from '../tree/support';

describe('commands: select regions', () => {
  let settings: SettingsSnapshot;

  beforeEach(async () => {
    settings = await SettingsSnapshot.take();
    await freshStart();
  });

  afterEach(async () => {
    await settings.restore();
  });

  it('saves the chosen regions in user settings and lists only those', async () => {
    await vscode.commands.executeCommand('workmail.selectRegions', ['us-west-2', 'us-east-1']);
    assert.deepEqual(vscode.workspace.getConfiguration('workmail').inspect('regions')?.globalValue, ['us-east-1', 'us-west-2']);
    const roots = await children();
    assert.ok(roots.length > 0);
    assert.ok(roots.every((node) => ['us-east-1', 'us-west-2'].includes((node as OrganizationNode).org.region)));
    assert.deepEqual((await calls('ListOrganizations')).map((call) => call.region).sort(), ['us-east-1', 'us-west-2']);
  });

  it('refuses a region WorkMail does not exist in and keeps the setting', async () => {
    const before = vscode.workspace.getConfiguration('workmail').inspect('regions')?.globalValue;
    await vscode.commands.executeCommand('workmail.selectRegions', ['ap-south-1']);
    assert.deepEqual(vscode.workspace.getConfiguration('workmail').inspect('regions')?.globalValue, before);
  });
});
