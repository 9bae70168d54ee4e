/**
 * Select regions: choose which of the three WorkMail regions the tree lists organizations from.
 * Saved in user settings; the tree reloads. Automation may pass the region list.
 */
import * as vscode from 'vscode';
import { readRegions, writeRegions } from '../settings';
import { WORKMAIL_REGIONS } from '../workmail/types';
import type { FoundationCommandDeps } from './foundationDeps';

async function askForRegions(): Promise<string[] | undefined> {
  const current = readRegions();
  const picked = await vscode.window.showQuickPick(
    WORKMAIL_REGIONS.map((region) => ({ label: region, picked: current.includes(region) })),
    // Kept open when focus moves: run from the walkthrough, the step ticks off as the command
    // starts and the walkthrough's redraw took focus, closing the picker before OK.
    { title: vscode.l10n.t('WorkMail Regions'), placeHolder: vscode.l10n.t('Regions to list organizations from'), canPickMany: true, ignoreFocusOut: true },
  );
  return picked?.map((item) => item.label);
}

export function selectRegionsCommand(deps: FoundationCommandDeps) {
  return async (regionsArgument?: unknown): Promise<void> => {
    const regions = Array.isArray(regionsArgument) ? regionsArgument.map(String) : await askForRegions();
    if (regions === undefined) {
      return;
    }
    const unknown = regions.filter((region) => !(WORKMAIL_REGIONS as readonly string[]).includes(region));
    if (unknown.length > 0) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('WorkMail is not available in {0}; choose from {1}', unknown.join(', '), WORKMAIL_REGIONS.join(', ')),
      );
      return;
    }
    if (regions.length === 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Choose at least one region; the selection was not changed.'));
      return;
    }
    await writeRegions(WORKMAIL_REGIONS.filter((region) => regions.includes(region)));
    deps.applySettings();
  };
}
