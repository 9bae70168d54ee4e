// Runs inside the extension host. The settings that decide where credentials go are read once and
// kept while watchSettings() watches (src/settings.ts); these tests hold that a kept value never
// outlives a change. That the workspace's values are never read: test/tree/workspaceSettings.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readEndpoint, readProfile, watchSettings } from '../src/settings';
import { SettingsSnapshot } from './tree/support';

describe('settings', () => {
  let settings: SettingsSnapshot;
  let watching: vscode.Disposable;

  beforeEach(async () => {
    settings = await SettingsSnapshot.take();
    watching = watchSettings();
  });

  afterEach(async () => {
    watching.dispose();
    await settings.restore();
  });

  it('reads a profile written to user settings as soon as the write resolves, however often it was read before', async () => {
    const before = readProfile();
    assert.equal(readProfile(), before);
    const config = vscode.workspace.getConfiguration('workmail');
    await config.update('profile', 'settings-test-first', vscode.ConfigurationTarget.Global);
    assert.equal(readProfile(), 'settings-test-first');
    await config.update('profile', '  settings-test-second ', vscode.ConfigurationTarget.Global);
    assert.equal(readProfile(), 'settings-test-second');
    await config.update('profile', '', vscode.ConfigurationTarget.Global);
    assert.equal(readProfile(), undefined, 'an empty profile is the default credential chain');
  });

  it('reads the endpoint after a change to it while the profile was kept', async () => {
    const endpoint = readEndpoint();
    assert.ok(endpoint, 'the test runner configures the emulator endpoint');
    readProfile();
    const config = vscode.workspace.getConfiguration('workmail');
    await config.update('endpoint', 'http://127.0.0.1:9/settings-test', vscode.ConfigurationTarget.Global);
    assert.equal(readEndpoint(), 'http://127.0.0.1:9/settings-test');
    await config.update('endpoint', endpoint, vscode.ConfigurationTarget.Global);
    assert.equal(readEndpoint(), endpoint);
  });
});
