// Runs inside the extension host. The settings that decide where credentials go are read once and
// kept while watchSettings() watches (src/settings.ts); these tests hold that a kept value never
// outlives a change. That the workspace's values are never read: test/tree/workspaceSettings.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readEndpoint, readProfile, watchSettings } from '../src/settings';

describe('settings', () => {
  let watching: vscode.Disposable;
  let runnerProfile: string | undefined;
  let runnerEndpoint: string | undefined;

  beforeEach(() => {
    watching = watchSettings();
    runnerProfile = readProfile();
    runnerEndpoint = readEndpoint();
  });

  afterEach(async () => {
    // Both are machine-scoped: in code-server's remote window a Global write goes to the machine
    // settings, where the test runner put the emulator's profile and endpoint.
    const config = vscode.workspace.getConfiguration('workmail');
    await config.update('profile', runnerProfile, vscode.ConfigurationTarget.Global);
    await config.update('endpoint', runnerEndpoint, vscode.ConfigurationTarget.Global);
    assert.equal(readProfile(), runnerProfile);
    assert.equal(readEndpoint(), runnerEndpoint);
    watching.dispose();
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
  });
});
