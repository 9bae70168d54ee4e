/** Copy email: the primary email of the selected mailboxes or grantees, one per line. */
import * as vscode from 'vscode';
import type { ExplorerNode } from '../tree/explorerNode';
import { GranteeNode } from '../tree/granteeNode';
import { MailboxNode } from '../tree/mailboxNode';
import { targetNodes } from './selection';

function emailOf(node: ExplorerNode): string | undefined {
  if (node instanceof MailboxNode) {
    return node.entity.email;
  }
  if (node instanceof GranteeNode) {
    return node.grantee?.email;
  }
  return undefined;
}

export function copyEmailCommand() {
  return async (node?: unknown, selection?: unknown): Promise<void> => {
    const emails = targetNodes(node, selection)
      .map(emailOf)
      .filter((email): email is string => Boolean(email));
    if (emails.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The selection has no email address to copy.'));
      return;
    }
    await vscode.env.clipboard.writeText(emails.join('\n'));
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', emails.length === 1 ? emails[0] : vscode.l10n.t('{0} addresses', emails.length)), 3000);
  };
}
