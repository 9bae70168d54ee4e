/**
 * Refresh: from a node, restart it (and only it) at its first page; from the view title or the
 * palette, reload everything and forget the cached directory names.
 */
import type { FoundationCommandDeps } from './foundationDeps';
import { targetNodes } from './selection';

export function refreshCommand(deps: FoundationCommandDeps) {
  return (node?: unknown, selection?: unknown): void => {
    const nodes = targetNodes(node, selection);
    if (nodes.length === 0) {
      deps.explorer.refresh();
      return;
    }
    nodes.forEach((target) => deps.explorer.refresh(target));
  };
}
