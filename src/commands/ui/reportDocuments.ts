// Read-only markdown reports the commands open (Show Access of…, a verification, a change file's
// plan and results, drift): kept in memory under a scheme of their own, titled by what they are
// about (the tab reads "Preview Access of Jane Doe.md", never an ID), replaced when the same report
// is made again so an open preview updates in place. They open rendered, in the markdown preview;
// its "Open Source" button (editor title) shows the markdown, which can be copied or saved.
import * as vscode from 'vscode';

export const REPORT_SCHEME = 'workmail-report';

export interface ReportPlacement {
  /** Beside the active editor (a change file's plan next to the file), or in the active group. */
  readonly beside?: boolean;
  /**
   * Keeps reports with the same title apart (two people called Jane Doe in two organizations): a
   * folder of the URI, which the tab does not show.
   */
  readonly folder?: string;
}

/** The preview of a markdown document, as a tab title reads: its file name. */
export function reportFileName(title: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed from a tab title
  const safe = title.replace(/[\\/:*?"<>|#%\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120) || 'report';
  return `${safe}.md`;
}

/** Opens a markdown document rendered; "Open Source" in the preview's title bar shows its text. */
export async function showRendered(uri: vscode.Uri, beside: boolean): Promise<void> {
  await vscode.workspace.openTextDocument(uri);
  await vscode.commands.executeCommand(beside ? 'markdown.showPreviewToSide' : 'markdown.showPreview', uri);
}

export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly documents = new Map<string, string>();
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;

  constructor(readonly scheme: string = REPORT_SCHEME) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.documents.get(uri.toString()) ?? vscode.l10n.t('This report is no longer available; run the command again.');
  }

  /** Stores (or replaces) a report named `title` without opening it. */
  publish(title: string, text: string, placement: ReportPlacement = {}): vscode.Uri {
    const folder = placement.folder ? `/${placement.folder.split('/').map(encodeURIComponent).join('/')}` : '';
    const uri = vscode.Uri.from({ scheme: this.scheme, path: `${folder}/${reportFileName(title)}` });
    this.documents.set(uri.toString(), text);
    this.changes.fire(uri);
    return uri;
  }

  /** Stores (or replaces) a report named `title` (its tab's title) and opens it rendered. */
  async show(title: string, text: string, placement: ReportPlacement = {}): Promise<vscode.Uri> {
    const uri = this.publish(title, text, placement);
    await showRendered(uri, placement.beside ?? true);
    return uri;
  }

  dispose(): void {
    this.changes.dispose();
    this.documents.clear();
  }
}
