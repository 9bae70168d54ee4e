// Splitting one component that is larger than the maximum wave size into parts of at most that
// size, cutting as few delegations as the heuristic finds. The fewest possible cuts is an NP-hard
// graph-partitioning problem, so this is a heuristic in two steps, and it may cut more than the
// minimum on large, dense components:
// 1. Greedy growing: each part starts from a mailbox at the edge of what is left (the fewest links
//    to it) and keeps taking the mailbox most linked to the part; it stops at the size limit, or
//    when nothing left is linked to the part (a part closed off from the rest costs no cut).
// 2. Refinement, Kernighan–Lin style: move one mailbox to a part with room, or swap two, whenever
//    that cuts fewer delegations.
// Every choice breaks ties by ID, so the same component always splits the same way.
import type { DelegationGraph } from './graph';
import { compareIds } from './order';

/** Splits one component into parts of at most `max` nodes, cutting few edges. */
export function splitComponent(graph: DelegationGraph, component: readonly string[], max: number): string[][] {
  const parts = new Partition(graph, growParts(graph, component, max));
  refine(parts, component, max);
  return parts.nonEmpty().map((part) => [...part].sort(compareIds));
}

// ---------------------------------------------------------------------------------- growing

function growParts(graph: DelegationGraph, component: readonly string[], max: number): Set<string>[] {
  const parts: Set<string>[] = [];
  const unassigned = new Set(component);
  while (unassigned.size > max) {
    parts.push(growPart(graph, unassigned, max));
  }
  if (unassigned.size > 0) {
    parts.push(new Set(unassigned));
  }
  return parts;
}

/** One part grown from the edge of `unassigned`, whose nodes it takes out of it. */
function growPart(graph: DelegationGraph, unassigned: Set<string>, max: number): Set<string> {
  const part = new Set<string>();
  /** Every unassigned node linked to the part, with the weight of its links into it. */
  const frontier = new Map<string, number>();
  const take = (node: string): void => {
    part.add(node);
    unassigned.delete(node);
    frontier.delete(node);
    for (const [next, weight] of graph.neighbours(node)) {
      if (unassigned.has(next)) {
        frontier.set(next, (frontier.get(next) ?? 0) + weight);
      }
    }
  };
  take(edgeNode(graph, unassigned));
  while (part.size < max && frontier.size > 0) {
    take(mostLinked(graph, frontier, unassigned));
  }
  return part;
}

/** The node with the fewest links to the rest of `unassigned`; a tie goes to the smaller ID. */
function edgeNode(graph: DelegationGraph, unassigned: ReadonlySet<string>): string {
  let edge: string | undefined;
  let edgeLinks = Infinity;
  for (const node of unassigned) {
    const links = graph.weightTo(node, unassigned);
    if (links < edgeLinks || (links === edgeLinks && compareIds(node, edge!) < 0)) {
      edge = node;
      edgeLinks = links;
    }
  }
  return edge!;
}

/**
 * The frontier node most linked to the part. A tie goes to the one with fewer links to what is
 * still unassigned (it leaves fewer links behind to cut), then to the smaller ID.
 */
function mostLinked(graph: DelegationGraph, frontier: ReadonlyMap<string, number>, unassigned: ReadonlySet<string>): string {
  let best: string | undefined;
  let bestLinks = -1;
  // Counted only when a tie needs it: most frontier nodes never tie.
  let bestOutside: number | undefined;
  for (const [node, links] of frontier) {
    if (best === undefined || links > bestLinks) {
      best = node;
      bestLinks = links;
      bestOutside = undefined;
      continue;
    }
    if (links < bestLinks) {
      continue;
    }
    bestOutside ??= graph.weightTo(best, unassigned);
    const outside = graph.weightTo(node, unassigned);
    if (outside < bestOutside || (outside === bestOutside && compareIds(node, best) < 0)) {
      best = node;
      bestOutside = outside;
    }
  }
  return best!;
}

// ------------------------------------------------------------------------------- refinement

/** The parts of one component and the part of each node, kept in step as nodes move. */
class Partition {
  private readonly partOf = new Map<string, number>();

  constructor(
    private readonly graph: DelegationGraph,
    private readonly parts: readonly Set<string>[],
  ) {
    parts.forEach((part, index) => part.forEach((node) => this.partOf.set(node, index)));
  }

  part(node: string): number {
    return this.partOf.get(node)!;
  }

  members(part: number): ReadonlySet<string> {
    return this.parts[part]!;
  }

  /** The weight between two nodes (0 when not linked). */
  weightBetween(a: string, b: string): number {
    return this.graph.weightBetween(a, b);
  }

  /** The weight of the links from `node` into `part`. */
  linksTo(node: string, part: number): number {
    return this.graph.weightTo(node, this.parts[part]!);
  }

  /** The other parts `node` has links into, in the order its links are met. */
  linkedParts(node: string): Set<number> {
    const own = this.part(node);
    const linked = new Set<number>();
    for (const next of this.graph.neighbours(node).keys()) {
      const part = this.partOf.get(next);
      if (part !== undefined && part !== own) {
        linked.add(part);
      }
    }
    return linked;
  }

  move(node: string, to: number): void {
    this.parts[this.part(node)]!.delete(node);
    this.parts[to]!.add(node);
    this.partOf.set(node, to);
  }

  nonEmpty(): Set<string>[] {
    return this.parts.filter((part) => part.size > 0);
  }
}

/** Each accepted step lowers the cut by at least one, so the passes end; the bound keeps very large components quick. */
const REFINEMENT_PASSES = 8;

function refine(parts: Partition, component: readonly string[], max: number): void {
  const order = [...component].sort(compareIds);
  for (let pass = 0; pass < REFINEMENT_PASSES; pass++) {
    let improved = false;
    for (const node of order) {
      if (improvePlace(parts, node, max)) {
        improved = true;
      }
    }
    if (!improved) {
      break;
    }
  }
}

/**
 * Moves `node` to the first linked part with room that holds more of its links; failing that,
 * swaps it with the node of a linked part whose swap lowers the cut most. Says whether it did.
 */
function improvePlace(parts: Partition, node: string, max: number): boolean {
  const own = parts.part(node);
  const ownLinks = parts.linksTo(node, own);
  const linked = parts.linkedParts(node);
  const gainOfMoving = (part: number): number => parts.linksTo(node, part) - ownLinks;
  const target = [...linked].sort((a, b) => a - b).find((part) => parts.members(part).size < max && gainOfMoving(part) > 0);
  if (target !== undefined) {
    parts.move(node, target);
    return true;
  }
  const swap = bestSwap(parts, node, linked, gainOfMoving);
  if (swap) {
    parts.move(node, swap.part);
    parts.move(swap.other, own);
    return true;
  }
  return false;
}

/** The swap of `node` with a node of a linked part that lowers the cut most; a tie goes to the smaller ID. */
function bestSwap(parts: Partition, node: string, linked: ReadonlySet<number>, gainOfMoving: (part: number) => number): { other: string; part: number } | undefined {
  const own = parts.part(node);
  let best: { other: string; part: number; gain: number } | undefined;
  for (const part of linked) {
    const nodeGain = gainOfMoving(part);
    if (nodeGain <= 0) {
      continue;
    }
    for (const other of parts.members(part)) {
      // Each side's gain counts the link between the two as joining it to the other's part, but
      // after the swap that link still joins two parts: take it back from both.
      const gain = nodeGain + parts.linksTo(other, own) - parts.linksTo(other, part) - 2 * parts.weightBetween(node, other);
      if (gain > 0 && (!best || gain > best.gain || (gain === best.gain && compareIds(other, best.other) < 0))) {
        best = { other, part, gain };
      }
    }
  }
  return best;
}
