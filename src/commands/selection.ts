// VS Code calls item commands with (clicked node, all selected nodes); a command acts on the whole
// selection when the clicked node is part of it, otherwise on the clicked node alone.
import { ExplorerNode } from '../tree/explorerNode';

export function targetNodes(node: unknown, selection: unknown): ExplorerNode[] {
  if (!(node instanceof ExplorerNode)) {
    return [];
  }
  if (Array.isArray(selection) && selection.includes(node)) {
    return selection.filter((item): item is ExplorerNode => item instanceof ExplorerNode);
  }
  return [node];
}
