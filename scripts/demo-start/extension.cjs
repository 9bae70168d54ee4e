// Installed next to the extension by `npm run demo` (scripts/demo.mjs) and nowhere else: a demo
// window starts on the WorkMail view with the "Get started" walkthrough in the editor beside it,
// instead of an empty Explorer. The extension itself never opens anything on its own.
const vscode = require('vscode');

exports.activate = async () => {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'workmail-tools.workmail-permissions#gettingStarted', false);
  await vscode.commands.executeCommand('workbench.view.extension.workmail');
};

exports.deactivate = () => {};
