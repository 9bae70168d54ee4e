// Read-only markdown reports the commands open (a change file's plan, its results): kept in memory
// under the `workmail-report:` scheme, titled by what they are about, replaced when the same report
// is made again so an open editor updates in place.
import * as vscode from 'vscode';

export const REPORT_SCHEME = 'workmail-report';

export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly documents = new Map<string, string>();
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.documents.get(uri.toString()) ?? vscode.l10n.t('This report is no longer available; run the command again.');
  }

  /** Stores (or replaces) a report named `title` (its tab's title) and opens it beside the editor. */
  async show(title: string, text: string): Promise<vscode.Uri> {
    // eslint-disable-next-line no-control-regex -- control characters are what is removed from a tab title
    const safe = title.replace(/[\\/:*?"<>|#%\u0000-\u001f]+/g, ' ').trim().slice(0, 120) || 'report';
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${safe}.md` });
    this.documents.set(uri.toString(), text);
    this.changes.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return uri;
  }

  dispose(): void {
    this.changes.dispose();
    this.documents.clear();
  }
}
