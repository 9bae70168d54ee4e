// The active profile where a person looks: a status bar item with the profile, the account(s) and
// regions on hover, and Select Profile on click. (A view's description is hidden while the WorkMail
// container shows a single view, so the view's title cannot carry it.) The account is shown once a
// session has read it (DescribeOrganization: a change, Check Connection, an audit); the item never
// makes a call of its own.
import * as vscode from 'vscode';
import type { WorkMailRuntime } from './runtime';
import { readEndpoint } from './settings';
import type { WorkMailSession } from './workmail/session';

export class ProfileStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('workmail.profile', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[] = [this.item];
  /** Accounts read by the current session, by organization ("region/id"). */
  private accounts = new Map<string, string>();
  private session: WorkMailSession | undefined;
  private sessionKey: string;

  constructor(private readonly services: WorkMailRuntime) {
    this.sessionKey = this.currentKey();
    this.item.name = vscode.l10n.t('WorkMail Profile');
    this.item.command = 'workmail.selectProfile';
    this.subscriptions.push(
      services.onDidReadAccount(({ session, org }) => {
        void session.accountOf(org).then(
          (account) => {
            if (session !== this.session) {
              this.session = session;
              this.accounts = new Map();
            }
            if (account !== '?') {
              this.accounts.set(`${org.region}/${org.organizationId}`, account);
            }
            this.update();
          },
          () => undefined,
        );
      }),
    );
    this.update();
    this.item.show();
  }

  /** After a settings change: a new profile or endpoint means a new session and unknown accounts. */
  settingsChanged(): void {
    const key = this.currentKey();
    if (key !== this.sessionKey) {
      this.sessionKey = key;
      this.session = undefined;
      this.accounts = new Map();
    }
    this.update();
  }

  private currentKey(): string {
    return JSON.stringify([this.services.profile() ?? '', readEndpoint() ?? '']);
  }

  update(): void {
    const profile = this.services.profile();
    const name = profile ?? vscode.l10n.t('default credentials');
    this.item.text = `$(mail) ${name}`;
    const accounts = [...new Set(this.accounts.values())].sort();
    const endpoint = readEndpoint();
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = { enabledCommands: ['workmail.selectProfile', 'workmail.selectRegions', 'workmail.checkConnection'] };
    tooltip.appendMarkdown(`**${vscode.l10n.t('WorkMail profile')}:** `).appendText(name).appendMarkdown('\n\n');
    tooltip.appendMarkdown(`**${vscode.l10n.t('Account')}:** `);
    if (accounts.length > 0) {
      tooltip.appendText(accounts.join(', '));
    } else {
      tooltip.appendText(vscode.l10n.t('not read yet')).appendMarkdown(` ([${vscode.l10n.t('Check Connection')}](command:workmail.checkConnection))`);
    }
    tooltip.appendMarkdown(`\n\n**${vscode.l10n.t('Regions')}:** `).appendText(this.services.regions().join(', '));
    if (endpoint) {
      tooltip.appendMarkdown(`\n\n**${vscode.l10n.t('Endpoint')}:** `).appendText(vscode.l10n.t('{0} (not AWS)', endpoint));
    }
    tooltip.appendMarkdown(`\n\n[${vscode.l10n.t('Select AWS Profile…')}](command:workmail.selectProfile) · [${vscode.l10n.t('Select Regions…')}](command:workmail.selectRegions)`);
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: vscode.l10n.t('WorkMail profile: {0}', name) };
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
  }
}
