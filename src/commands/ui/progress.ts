// Long work under a cancellable notification, seen by the work as an AbortSignal: the one bridge
// from VS Code's CancellationToken (and an optional outer signal, for scripts and tests) to the
// access layer, which speaks AbortSignal.
import { setMaxListeners } from 'node:events';
import * as vscode from 'vscode';

export interface CancellableProgress {
  readonly title: string;
  /** Cancelled too when this one aborts (a caller's own signal). */
  readonly outer?: AbortSignal;
}

export type ProgressReporter = vscode.Progress<{ message?: string; increment?: number }>;

export function withCancellableProgress<T>(options: CancellableProgress, work: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: options.title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    // Every call in flight (scan workers, group reads) listens on it; that is expected, not a leak.
    setMaxListeners(64, abort.signal);
    const onCancel = token.onCancellationRequested(() => abort.abort());
    const forward = (): void => abort.abort();
    if (options.outer?.aborted) {
      abort.abort();
    }
    options.outer?.addEventListener('abort', forward, { once: true });
    try {
      return await work(progress, abort.signal);
    } finally {
      onCancel.dispose();
      options.outer?.removeEventListener('abort', forward);
    }
  });
}
