// Commands registered late (see DEFERRED_COMMANDS in extension.ts): until their modules are loaded,
// each command ID has a stand-in that loads them and runs the real command, so a person (or a
// script) who runs one in the first moment after activation gets the command, not "not found".

import * as vscode from 'vscode';

/** Documents the deferred CodeLenses are for (commands/changes/changeFileLens.ts): load before they are asked. */
export function needsDeferredLenses(document: vscode.TextDocument): boolean {
  return /\.workmail-changes\.(csv|json)$/i.test(document.uri.path) || document.languageId === 'json' || /\.json$/i.test(document.uri.path);
}

/**
 * Registers stand-ins for `ids`, and calls `register` (which registers the real commands under the
 * same IDs) once: when a stand-in runs, when a document that needs the deferred CodeLenses is open
 * or opens, or `delayMs` after this call, whichever comes first.
 */
export function registerDeferred(
  context: Pick<vscode.ExtensionContext, 'subscriptions'>,
  ids: readonly string[],
  delayMs: number,
  register: () => void,
  log: { error(message: string): void },
  /** Which documents load them at once (tests pass their own). */
  needsLenses: (document: vscode.TextDocument) => boolean = needsDeferredLenses,
): void {
  let loaded = false;
  const standIns: vscode.Disposable[] = [];
  const pending: { timer?: ReturnType<typeof setTimeout>; opened?: vscode.Disposable } = {};
  const load = (): void => {
    if (loaded) {
      return;
    }
    loaded = true;
    clearTimeout(pending.timer);
    pending.opened?.dispose();
    // The stand-ins go first: the real registrations would otherwise collide with them.
    for (const standIn of standIns) {
      standIn.dispose();
    }
    try {
      register();
    } catch (err) {
      log.error(`Registering the permission, audit, migration and change-file commands failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      throw err;
    }
  };
  for (const id of ids) {
    standIns.push(
      vscode.commands.registerCommand(id, (...args: unknown[]) => {
        load();
        return vscode.commands.executeCommand(id, ...args);
      }),
    );
  }
  context.subscriptions.push({
    dispose: () => {
      clearTimeout(pending.timer);
      pending.opened?.dispose();
      if (!loaded) {
        for (const standIn of standIns) {
          standIn.dispose();
        }
      }
    },
  });
  if (vscode.workspace.textDocuments.some(needsLenses)) {
    load();
    return;
  }
  pending.opened = vscode.workspace.onDidOpenTextDocument((document) => {
    if (needsLenses(document)) {
      load();
    }
  });
  pending.timer = setTimeout(load, delayMs);
}
