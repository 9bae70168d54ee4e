/**
 * Open the emulator guide: the README shipped with the extension, which explains how to try the
 * extension against the local WorkMail emulator instead of AWS. Linked from the welcome views.
 */
import * as vscode from 'vscode';

export function openEmulatorGuideCommand(context: vscode.ExtensionContext) {
  return async (): Promise<void> => {
    const readme = vscode.Uri.joinPath(context.extensionUri, 'README.md');
    await vscode.commands.executeCommand('markdown.showPreview', readme);
  };
}
