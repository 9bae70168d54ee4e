// Where a command offers to save its file: the folder last used for that command (remembered per
// workspace, or for the machine's user when no folder is open), else the first workspace folder,
// else the home folder. Never wherever the editor happens to run from (code-server's profile folder,
// say). Every save dialog of the extension goes through here.
import os from 'node:os';
import * as vscode from 'vscode';

export interface SaveRequest {
  /** Proposed file name, e.g. workmail-permissions-acme-2026-03-02.csv. */
  readonly fileName: string;
  readonly filters: Record<string, string[]>;
  readonly title: string;
  readonly saveLabel?: string;
}

/** The save dialog of one command, which remembers the folder its files were last saved in. */
export class SaveLocation {
  constructor(
    private readonly memory: vscode.Memento,
    readonly commandId: string,
  ) {}

  private get key(): string {
    return `workmail.saveFolder/${this.commandId}`;
  }

  /** The folder the dialog opens in. A remembered folder that has gone is passed over. */
  async defaultFolder(): Promise<vscode.Uri> {
    const remembered = this.memory.get<string>(this.key);
    if (remembered) {
      const folder = vscode.Uri.parse(remembered);
      try {
        if ((await vscode.workspace.fs.stat(folder)).type & vscode.FileType.Directory) {
          return folder;
        }
      } catch {
        // deleted or unreachable since: fall back to the workspace
      }
    }
    return workspaceFolder() ?? vscode.Uri.file(os.homedir());
  }

  /** Asks where to save; remembers the chosen folder for this command. Undefined when cancelled. */
  async ask(request: SaveRequest): Promise<vscode.Uri | undefined> {
    const folder = await this.defaultFolder();
    const uri = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder, request.fileName),
      filters: request.filters,
      title: request.title,
      saveLabel: request.saveLabel,
    });
    if (uri) {
      await this.memory.update(this.key, vscode.Uri.joinPath(uri, '..').toString());
    }
    return uri;
  }
}

/** The first workspace folder on disk, if any. */
export function workspaceFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri;
}

/** The save location of `commandId`: remembered in the workspace, or globally without one. */
export function saveLocationFor(context: vscode.ExtensionContext, commandId: string): SaveLocation {
  return new SaveLocation(vscode.workspace.workspaceFolders?.length ? context.workspaceState : context.globalState, commandId);
}
