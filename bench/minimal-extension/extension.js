// The baseline the benchmark compares the extension's activation with: one command, nothing else.
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const vscode = require('vscode');

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('workmailBench.minimal.hello', () => vscode.window.showInformationMessage('Hello from the minimal extension')),
  );
}

function deactivate() {}

module.exports = { activate, deactivate };
