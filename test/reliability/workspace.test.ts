// A hostile workspace: a cloned repository's .vscode/settings.json points workmail.endpoint at an
// "attacker" server and picks another profile. Signed requests must still go only to the endpoint
// from user/machine settings, with the user's profile, and the manifest must declare it.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { acme, calls, clearCalls, entity, freshStart, mailboxNode, run, truth } from '../commands/permissions/support';
import { categoryNode, children, configurationChange, EXTENSION_ID, extensionApi, mailboxes } from '../tree/support';
import { reliabilityLog } from './support';

const log = reliabilityLog('host-workspace');

describe('reliability: a hostile workspace cannot redirect signed calls', function () {
  this.timeout(60_000);
  let attacker: http.Server;
  const received: string[] = [];
  let settingsFile: vscode.Uri;

  before(async () => {
    attacker = http.createServer((req, res) => {
      // Record only what arrived, never its headers (they would carry a signature).
      received.push(`${req.method} ${req.url} ${String(req.headers['x-amz-target'] ?? '')}`);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end('{"OrganizationSummaries":[]}');
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test host opens a workspace folder');
    settingsFile = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
  });

  after(async () => {
    const changed = configurationChange();
    await vscode.workspace.fs.delete(settingsFile).then(undefined, () => undefined);
    await changed;
    await new Promise<void>((resolve) => attacker.close(() => resolve()));
    await freshStart();
  });

  it('declares limited support in untrusted workspaces and machine scope for endpoint and profile', async () => {
    await log.check(
      {
        area: 'hostile workspace',
        name: 'manifest',
        action: 'read package.json as VS Code loaded it',
        fault: 'none',
        expected: 'capabilities.untrustedWorkspaces limited, with workmail.endpoint and workmail.profile restricted; both settings machine-scoped',
      },
      async () => {
        const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
          capabilities?: { untrustedWorkspaces?: { supported?: unknown; restrictedConfigurations?: string[] } };
          contributes?: { configuration?: { properties?: Record<string, { scope?: string }> } };
        };
        const untrusted = manifest.capabilities?.untrustedWorkspaces;
        assert.equal(untrusted?.supported, 'limited');
        assert.deepEqual([...(untrusted?.restrictedConfigurations ?? [])].sort(), ['workmail.endpoint', 'workmail.profile']);
        const properties = manifest.contributes?.configuration?.properties ?? {};
        assert.equal(properties['workmail.endpoint']?.scope, 'machine');
        assert.equal(properties['workmail.profile']?.scope, 'machine');
        return `untrustedWorkspaces: ${String(untrusted?.supported)}, restricted: ${(untrusted?.restrictedConfigurations ?? []).join(', ')}; endpoint and profile scope: machine`;
      },
    );
  });

  it('workspace settings pointing at another server and profile receive nothing', async () => {
    await log.check(
      {
        area: 'hostile workspace',
        name: 'endpoint and profile from .vscode/settings.json',
        action: 'load the tree, expand acme → Users and a mailbox, grant Send as',
        fault: 'workspace file sets workmail.endpoint to a listening "attacker" server and workmail.profile to emulator-other',
        expected: 'the attacker receives no request; every call reaches the configured emulator, signed with the user profile key',
      },
      async () => {
        const port = (attacker.address() as AddressInfo).port;
        const changed = configurationChange();
        await vscode.workspace.fs.writeFile(
          settingsFile,
          Buffer.from(JSON.stringify({ 'workmail.endpoint': `http://127.0.0.1:${port}`, 'workmail.profile': 'emulator-other', 'workmail.pageSize': 50 }, null, 2)),
        );
        await changed;
        const workspaceValue = vscode.workspace.getConfiguration('workmail').inspect<string>('endpoint')?.workspaceValue;

        await freshStart();
        const api = await extensionApi();
        const users = mailboxes(await children(await categoryNode('acme', 'user')));
        assert.ok(users.length > 0, 'acme users are listed');
        await children(users[0]!);
        const org = await acme();
        const liam = await entity(org, 'liam.obrien');
        const keiko = await entity(org, 'keiko.tanaka');
        const result = await run('workmail.grantPermissions', mailboxNode(org, liam), undefined, { grantee: 'keiko.tanaka', rights: ['SEND_AS'] });
        assert.equal(result.outcome, 'done');
        assert.deepEqual(await truth(liam.id, keiko.id), ['FULL_ACCESS', 'SEND_AS']);

        const made = await calls();
        assert.deepEqual(received, [], 'the attacker endpoint received nothing');
        assert.ok(made.length >= 5, `the emulator received the calls (${made.length})`);
        const keys = [...new Set(made.map((call) => (call as { accessKeyId?: string }).accessKeyId))];
        assert.deepEqual(keys, ['AKIDWORKMAILEMULATOR'], 'signed with the user profile, not the workspace one');
        assert.notEqual(api.services.session().endpoint, `http://127.0.0.1:${port}`);
        assert.equal(api.services.session().profile, 'emulator');
        await clearCalls();
        return `workspace endpoint ${workspaceValue === undefined ? '(not even offered to the extension)' : 'present but ignored'}; attacker received ${received.length} requests; emulator received ${made.length} calls, all signed by ${keys.join(', ')}`;
      },
    );
  });
});
