// What a command was called with. VS Code calls a tree command with (node, selectedNodes); scripts
// and tests may add an options object at the end, or pass only options for the palette flows.

export interface CommandArgs<O> {
  /** The node the command was invoked on (clicked, or the focused one). */
  readonly node: unknown;
  /** The tree's multi-selection, when more than one node is selected. */
  readonly selection: readonly unknown[];
  readonly options: O;
}

/** An options object, as opposed to a tree node (nodes carry a `kind`). */
function isOptionsObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !('kind' in value);
}

export function parseCommandArgs<O extends object>(args: readonly unknown[]): CommandArgs<O> {
  const last = args.length > 0 ? args[args.length - 1] : undefined;
  const options = (isOptionsObject(last) ? last : {}) as O;
  const positional = isOptionsObject(last) ? args.slice(0, -1) : args;
  const node = positional[0] ?? undefined;
  const selection = Array.isArray(positional[1]) ? (positional[1] as unknown[]) : [];
  return { node: isOptionsObject(node) ? undefined : node, selection, options };
}
