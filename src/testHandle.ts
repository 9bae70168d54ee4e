// What `activate` returns when VS Code runs the extension for its own tests (ExtensionMode.Test),
// and only then: the explorer, the services and the UIs the tests script for the next runs of a
// command. A person's VS Code gets nothing back, so no other extension can reach these.
import type * as vscode from 'vscode';
import type { CommandUi } from './commands/ui/commandUi';
import type { WorkMailRuntime } from './runtime';
import type { WorkMailExplorer } from './tree/explorer';
import type { PageRetention } from './tree/pageRetention';

/** UIs given for the next runs of a command, oldest first; a run with none gets VS Code's. */
export class NextRunUis {
  private readonly queued = new Map<string, CommandUi[]>();

  /** The next run of `commandId` talks through `ui`. */
  give(commandId: string, ui: CommandUi): void {
    const queue = this.queued.get(commandId) ?? [];
    queue.push(ui);
    this.queued.set(commandId, queue);
  }

  take(commandId: string): CommandUi | undefined {
    const queue = this.queued.get(commandId);
    const ui = queue?.shift();
    if (queue && queue.length === 0) {
      this.queued.delete(commandId);
    }
    return ui;
  }
}

export interface WorkMailExtensionApi {
  readonly explorer: WorkMailExplorer;
  readonly treeView: vscode.TreeView<unknown>;
  readonly services: WorkMailRuntime;
  readonly retention: PageRetention;
  /** The UI of the next run of a command, when a test scripts it. */
  readonly nextRunUis: NextRunUis;
  /** The extension's global storage folder (scan checkpoints live there; tests clear them). */
  readonly globalStorage: string;
}
