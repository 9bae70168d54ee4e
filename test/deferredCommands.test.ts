// Runs inside the extension host. The permission, audit, migration and change-file commands are
// registered a moment after activation; until then a stand-in holds each command ID. These check
// the stand-ins with command IDs of their own (the extension's are long since loaded when tests
// run): a command run at once runs the real command with its arguments, a change file opening
// loads them, the delay loads them, and loading happens once.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { needsDeferredLenses, registerDeferred } from '../src/deferredCommands';

let counter = 0;

/**
 * Deferred commands under fresh IDs, and what happened to them. Documents other tests left open
 * would load them at once, so only documents this file opens (tagged by their content) count.
 */
function deferred(delayMs: number) {
  const tag = `workmail.test.deferred${++counter}`;
  const ids = [`${tag}.a`, `${tag}.b`];
  const context = { subscriptions: [] as vscode.Disposable[] };
  const calls: unknown[][] = [];
  let loads = 0;
  registerDeferred(
    context,
    ids,
    delayMs,
    () => {
      loads++;
      context.subscriptions.push(
        vscode.commands.registerCommand(ids[0]!, (...args: unknown[]) => {
          calls.push(args);
          return { ran: 'a', args };
        }),
        vscode.commands.registerCommand(ids[1]!, () => ({ ran: 'b' })),
      );
    },
    { error: (message) => assert.fail(message) },
    (document) => needsDeferredLenses(document) && document.getText().includes(tag),
  );
  return { tag, ids, calls, loads: () => loads, dispose: () => context.subscriptions.forEach((d) => d.dispose()) };
}

describe('deferred commands', () => {
  const created: Array<{ dispose(): void }> = [];
  afterEach(() => {
    created.splice(0).forEach((d) => d.dispose());
  });

  it('a command run the moment after activation runs the real command, with its arguments, and loads once', async () => {
    const commands = deferred(60_000);
    created.push(commands);
    assert.equal(commands.loads(), 0, 'nothing loaded before it is needed');
    const result = await vscode.commands.executeCommand<{ ran: string; args: unknown[] }>(commands.ids[0]!, 'node', { organization: 'acme' });
    assert.deepEqual(result, { ran: 'a', args: ['node', { organization: 'acme' }] });
    assert.deepEqual(await vscode.commands.executeCommand(commands.ids[1]!), { ran: 'b' }, 'the other commands are the real ones too');
    await vscode.commands.executeCommand(commands.ids[0]!);
    assert.equal(commands.loads(), 1);
    assert.equal(commands.calls.length, 2, 'each run reached the real command once');
  });

  it('loads by itself after the delay', async () => {
    const commands = deferred(50);
    created.push(commands);
    const deadline = Date.now() + 5_000;
    while (commands.loads() === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(commands.loads(), 1);
    assert.deepEqual(await vscode.commands.executeCommand(commands.ids[1]!), { ran: 'b' });
  });

  it('loads when a change file opens, for its CodeLenses', async () => {
    const commands = deferred(60_000);
    created.push(commands);
    assert.equal(commands.loads(), 0);
    await vscode.workspace.openTextDocument({ language: 'json', content: `{ "changes": [], "note": "${commands.tag}" }` });
    const deadline = Date.now() + 5_000;
    while (commands.loads() === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(commands.loads(), 1);
  });

  it('disposed before it loaded, leaves no command behind and loads nothing later', async () => {
    const commands = deferred(50);
    commands.dispose();
    const all = await vscode.commands.getCommands(true);
    assert.ok(!commands.ids.some((id) => all.includes(id)), 'a stand-in outlived its extension');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(commands.loads(), 0, 'nothing loads after it is disposed');
  });

  it('a JSON document already open loads them at once', async () => {
    const tag = `workmail.test.deferred${counter + 1}`;
    await vscode.workspace.openTextDocument({ language: 'json', content: `{ "note": "${tag}" }` });
    const commands = deferred(60_000);
    created.push(commands);
    assert.equal(commands.tag, tag);
    assert.equal(commands.loads(), 1);
  });
});
