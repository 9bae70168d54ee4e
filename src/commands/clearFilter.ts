/** Clear filter: show the whole Users/Groups/Resources list again, from its first page. */
import { CategoryNode } from '../tree/categoryNode';
import { targetNodes } from './selection';

export function clearFilterCommand() {
  return (node?: unknown, selection?: unknown): void => {
    for (const target of targetNodes(node, selection)) {
      if (target instanceof CategoryNode && target.filter) {
        target.setFilter(undefined);
      }
    }
  };
}
