import * as assert from 'node:assert/strict';
import type { OrganizationNode } from '../../src/tree/organizationNode';
import * as vscode from 'vscode';
import { calls, children, clearCalls, description, emulatorOrganizations, freshStart, hideView, label, organizationNode, SettingsSnapshot, setSetting } from './support';

describe('tree: organizations', () => {
  let settings: SettingsSnapshot;
  let showViewAgain: (() => Promise<void>) | undefined;

  beforeEach(async () => {
    settings = await SettingsSnapshot.take();
    await freshStart();
  });

  afterEach(async () => {
    await showViewAgain?.();
    showViewAgain = undefined;
    await settings.restore();
  });

  it('lists nothing until the view asks, then every selected region once, concurrently', async () => {
    // A visible view asks for the root right after every refresh (an earlier test may have shown it).
    // Hide it, let a root load it already started finish, and start again from a refresh.
    showViewAgain = await hideView();
    await children();
    await vscode.commands.executeCommand('workmail.refresh');
    await clearCalls();
    assert.equal((await calls()).length, 0, 'refreshing must not call WorkMail by itself');
    const roots = await children();
    const listCalls = await calls('ListOrganizations');
    assert.deepEqual(listCalls.map((call) => call.region).sort(), ['eu-west-1', 'us-east-1', 'us-west-2']);
    const seeded = await emulatorOrganizations();
    const shownIds = roots.map((node) => (node as OrganizationNode).org.organizationId);
    for (const alias of ['acme', 'acme-labs', 'acme-eu', 'acme-archive']) {
      const org = seeded.find((o) => o.alias === alias);
      assert.ok(org, `the seed has ${alias}`);
      assert.ok(shownIds.includes(org.id), `${alias} is shown`);
    }
    const globex = seeded.find((o) => o.alias === 'globex');
    assert.ok(globex && !shownIds.includes(globex.id), "another account's organization is not shown");
    const labs = await organizationNode('acme-labs');
    assert.equal(labs.contextValue, 'organization');
    assert.match(description(labs), /us-west-2/);
    assert.match(description(await organizationNode('acme-eu')), /eu-west-1/);
    assert.match(description(await organizationNode('acme')), /us-east-1 · Active/);
    // Listing the organizations again is served from the loaded root.
    await children();
    assert.equal((await calls('ListOrganizations')).length, 3);
  });

  it('marks an organization that is not Active and explains instead of failing', async () => {
    const archive = await organizationNode('acme-archive');
    assert.equal(archive.contextValue, 'organization-inactive');
    assert.match(description(archive), /Inactive/);
    const before = (await calls()).length;
    const explanation = await children(archive);
    assert.equal(explanation.length, 1);
    assert.equal(explanation[0]!.contextValue, 'placeholder');
    assert.match(label(explanation[0]!), /Inactive/);
    assert.equal((await calls()).length, before, 'no call is made for an inactive organization');
  });

  it('lists only the regions selected in workmail.regions', async () => {
    await setSetting('regions', ['eu-west-1']);
    await freshStart();
    const roots = await children();
    assert.deepEqual((await calls('ListOrganizations')).map((call) => call.region), ['eu-west-1']);
    assert.ok(roots.length > 0);
    assert.ok(roots.every((node) => (node as OrganizationNode).org.region === 'eu-west-1'));
  });
});
