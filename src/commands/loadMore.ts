/**
 * Load more: fetch exactly the next page of the list a "Load more…" item (or a failed page's error
 * item) belongs to. Clicking twice while the page loads still costs one call.
 */
import { ExplorerNode } from '../tree/explorerNode';
import type { FoundationCommandDeps } from './foundationDeps';

export function loadMoreCommand(deps: FoundationCommandDeps) {
  return async (node?: unknown): Promise<void> => {
    if (node instanceof ExplorerNode) {
      await deps.explorer.loadMore(node);
    }
  };
}
