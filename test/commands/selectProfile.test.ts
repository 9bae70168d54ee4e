import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OrganizationNode } from '../../src/tree/organizationNode';
import { calls, children, clearCalls, emulatorOrganizations, extensionApi, freshStart, SettingsSnapshot, setSetting } from '../tree/support';

const RUNNER_PROFILE = 'emulator';

async function selectProfile(profile: string): Promise<void> {
  await vscode.commands.executeCommand('workmail.selectProfile', profile);
  await clearCalls();
}

async function shownAliases(): Promise<string[]> {
  return (await children()).map((node) => (node as OrganizationNode).org?.alias ?? '').sort();
}

describe('commands: select profile', () => {
  let settings: SettingsSnapshot;

  beforeEach(async () => {
    settings = await SettingsSnapshot.take();
    await freshStart();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workmail.selectProfile', RUNNER_PROFILE);
    await settings.restore();
  });

  it('switches between two profiles, each seeing its own organizations', async () => {
    const api = await extensionApi();
    const seeded = await emulatorOrganizations();
    const globex = seeded.find((org) => org.alias === 'globex')!;
    assert.ok(globex, 'the seed has the second account');

    await selectProfile('emulator-other');
    assert.equal(vscode.workspace.getConfiguration('workmail').inspect('profile')?.globalValue, 'emulator-other');
    assert.equal(api.treeView.description, 'emulator-other');
    const other = await shownAliases();
    assert.ok(other.includes('globex'));
    assert.ok(!other.includes('acme'));
    const keys = new Set((await calls('ListOrganizations')).map((call) => (call as { accessKeyId?: string }).accessKeyId));
    assert.deepEqual([...keys], ['AKIDWORKMAILOTHERACCT']);

    await selectProfile(RUNNER_PROFILE);
    assert.equal(api.treeView.description, RUNNER_PROFILE);
    const own = await shownAliases();
    assert.ok(own.includes('acme'));
    assert.ok(!own.includes('globex'));
    const ownKeys = new Set((await calls('ListOrganizations')).map((call) => (call as { accessKeyId?: string }).accessKeyId));
    assert.deepEqual([...ownKeys], ['AKIDWORKMAILEMULATOR']);
  });

  it('shows the "no credentials" welcome for a profile that does not exist', async () => {
    const api = await extensionApi();
    await selectProfile('no-such-profile-anywhere');
    assert.deepEqual(await children(), []);
    assert.equal(api.explorer.welcome, 'noCredentials');
    assert.equal((await calls()).length, 0, 'no request leaves without credentials');
  });

  it('shows the "no organization" welcome when the account has none in the selected regions', async () => {
    const api = await extensionApi();
    const globex = (await emulatorOrganizations()).find((org) => org.alias === 'globex')!;
    const emptyRegion = ['us-east-1', 'us-west-2', 'eu-west-1'].find((region) => region !== globex.region)!;
    await setSetting('regions', [emptyRegion]);
    await selectProfile('emulator-other');
    assert.deepEqual(await children(), []);
    assert.equal(api.explorer.welcome, 'noOrganizations');
    await setSetting('regions', ['us-east-1', 'us-west-2', 'eu-west-1']);
    assert.ok((await children()).length > 0);
    assert.equal(api.explorer.welcome, undefined);
  });
});
