// Registers the commands of the explorer itself (everything except grant/edit/revoke/undo,
// which live in ./permissions).
import * as vscode from 'vscode';
import type { FoundationCommandDeps } from './foundationDeps';
import { checkConnectionCommand } from './checkConnection';
import { clearFilterCommand } from './clearFilter';
import { copyEmailCommand } from './copyEmail';
import { copyIdCommand } from './copyId';
import { filterCommand } from './filter';
import { loadMoreCommand } from './loadMore';
import { openEmulatorGuideCommand } from './openEmulatorGuide';
import { refreshCommand } from './refresh';
import { registerCommand, type CommandPolicy } from './registerCommand';
import { selectProfileCommand } from './selectProfile';
import { selectRegionsCommand } from './selectRegions';
import { showLogCommand } from './showLog';

export type { FoundationCommandDeps } from './foundationDeps';

export function registerFoundationCommands(context: vscode.ExtensionContext, deps: FoundationCommandDeps, policy: CommandPolicy): void {
  const commands: Record<string, (...args: never[]) => unknown> = {
    'workmail.refresh': refreshCommand(deps),
    'workmail.selectProfile': selectProfileCommand(deps),
    'workmail.selectRegions': selectRegionsCommand(deps),
    'workmail.loadMore': loadMoreCommand(deps),
    'workmail.filter': filterCommand(deps),
    'workmail.clearFilter': clearFilterCommand(),
    'workmail.copyId': copyIdCommand(),
    'workmail.copyEmail': copyEmailCommand(),
    'workmail.showLog': showLogCommand(deps),
    'workmail.checkConnection': checkConnectionCommand(deps),
    'workmail.openEmulatorGuide': openEmulatorGuideCommand(context),
  };
  for (const [id, handler] of Object.entries(commands)) {
    registerCommand(context, policy, id, (_run, ...args: unknown[]) => (handler as (...args: unknown[]) => unknown)(...args));
  }
}
