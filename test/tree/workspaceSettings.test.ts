import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OrganizationNode } from '../../src/tree/organizationNode';
import { calls, children, configurationChange, emulatorUrl, extensionApi, freshStart } from './support';

describe('tree: workspace settings cannot redirect credentials', () => {
  let settingsFile: vscode.Uri | undefined;

  afterEach(async () => {
    if (settingsFile) {
      const changed = configurationChange();
      await vscode.workspace.fs.delete(settingsFile);
      await changed;
    }
  });

  it('ignores workmail.endpoint and workmail.profile from the workspace', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test host opens a workspace folder');
    settingsFile = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    const changed = configurationChange();
    await vscode.workspace.fs.writeFile(
      settingsFile,
      Buffer.from(JSON.stringify({ 'workmail.endpoint': 'http://127.0.0.1:9', 'workmail.profile': 'emulator-other' })),
    );
    await changed;

    const api = await freshStart();
    const roots = await children();
    assert.equal(api.services.session().endpoint, emulatorUrl(), 'calls still go to the configured endpoint');
    assert.equal(api.services.session().profile, 'emulator');
    assert.ok(roots.some((node) => (node as OrganizationNode).org.alias === 'acme'), 'the user-level profile is still used');
    assert.ok((await calls('ListOrganizations')).length > 0);
    assert.equal((await extensionApi()).treeView.description, 'emulator');
  });
});
