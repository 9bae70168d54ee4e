// Runs inside the extension host (scripts/run-host-tests.mjs or test/host/runTestElectron.ts).
// Guards the seams between package.json and the code: a command declared but never registered
// fails only when a person clicks it, and a registered command missing from package.json has no
// title, category or menu placement.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'workmail-tools.workmail-permissions';

interface DeclaredCommand {
  command: string;
  title?: string;
  category?: string;
}

function declaredCommands(extension: vscode.Extension<unknown>): DeclaredCommand[] {
  const packageJson = extension.packageJSON as { contributes?: { commands?: DeclaredCommand[] } };
  return packageJson.contributes?.commands ?? [];
}

describe('extension', () => {
  let extension: vscode.Extension<unknown>;

  before(async () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not loaded in this extension host`);
    extension = found;
    await extension.activate();
  });

  it('activates and hands tests its API', () => {
    assert.equal(extension.isActive, true);
    const api = extension.exports as { explorer?: unknown; treeView?: unknown; services?: unknown } | undefined;
    assert.ok(api && typeof api === 'object', 'activate() returned no API object');
    assert.ok(api.explorer, 'the API has no explorer');
    assert.ok(api.treeView, 'the API has no treeView');
    assert.ok(api.services, 'the API has no services');
  });

  it('registers every command declared in package.json', async () => {
    const declared = declaredCommands(extension).map((entry) => entry.command);
    assert.ok(declared.length > 0, 'package.json declares no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `declared in package.json but not registered: ${missing.join(', ')}`);
  });

  it('declares every workmail.* command it registers', async () => {
    const declared = new Set(declaredCommands(extension).map((entry) => entry.command));
    // VS Code registers `<viewId>.focus`, `.resetViewLocation`, … for every contributed view.
    const viewCommand = /^workmail\.explorer\.(focus|resetViewLocation|removeView|toggleVisibility|open)$/;
    const undeclared = (await vscode.commands.getCommands(true)).filter(
      (command) => command.startsWith('workmail.') && !viewCommand.test(command) && !declared.has(command),
    );
    assert.deepEqual(undeclared, [], `registered but not declared in package.json: ${undeclared.join(', ')}`);
  });

  it('gives every declared command a title and the WorkMail category', () => {
    const incomplete = declaredCommands(extension).filter((entry) => !entry.title || !entry.category);
    assert.deepEqual(
      incomplete.map((entry) => entry.command),
      [],
      'commands without a title or category',
    );
  });

  it('sees the machine-scoped emulator endpoint and profile the test runner configured', () => {
    const emulatorUrl = process.env.WORKMAIL_EMULATOR_URL;
    assert.ok(emulatorUrl, 'WORKMAIL_EMULATOR_URL is not set in the extension host');
    const config = vscode.workspace.getConfiguration('workmail');
    // The extension reads these from user/machine level only (never a workspace), so check that level.
    assert.equal(config.inspect<string>('endpoint')?.globalValue, emulatorUrl);
    assert.equal(config.inspect<string>('profile')?.globalValue, 'emulator');
  });
});
