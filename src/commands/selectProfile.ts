/**
 * Select profile: pick one of the profiles in the shared AWS config/credentials files, or the
 * default credential chain. The choice is saved in user settings (never the workspace) and the
 * tree reloads with a new session. Automation may pass the profile name ('' = default chain).
 */
import * as vscode from 'vscode';
import { readProfile, writeProfile } from '../settings';
import { compareNames } from '../workmail/names';
import { loadWorkMail } from '../workmailLoader';
import type { FoundationCommandDeps } from './foundationDeps';

async function askForProfile(): Promise<string | undefined> {
  const current = readProfile();
  let profiles: string[] = [];
  try {
    profiles = await loadWorkMail().listProfiles();
  } catch (err) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Could not read your AWS config files: {0}', err instanceof Error ? err.message : String(err)),
    );
  }
  const defaultChain = {
    label: vscode.l10n.t('Default credential chain'),
    description: current === undefined ? vscode.l10n.t('current') : undefined,
    detail: vscode.l10n.t('AWS_PROFILE, environment variables, the default profile, SSO or the instance role'),
    profile: '',
  };
  const picked = await vscode.window.showQuickPick(
    [
      defaultChain,
      ...[...profiles].sort(compareNames).map((profile) => ({
        label: profile,
        description: profile === current ? vscode.l10n.t('current') : undefined,
        detail: undefined as string | undefined,
        profile,
      })),
    ],
    // Kept open when focus moves (the walkthrough redraws as its step ticks off; see selectRegions).
    { title: vscode.l10n.t('Select AWS Profile for WorkMail'), placeHolder: vscode.l10n.t('Profiles from your AWS config and credentials files'), ignoreFocusOut: true },
  );
  return picked?.profile;
}

export function selectProfileCommand(deps: FoundationCommandDeps) {
  return async (profileArgument?: unknown): Promise<void> => {
    const profile = typeof profileArgument === 'string' ? profileArgument.trim() : await askForProfile();
    if (profile === undefined) {
      return;
    }
    await writeProfile(profile === '' ? undefined : profile);
    deps.applySettings();
  };
}
