// The delegation graph: mailboxes as nodes, undirected and weighted, the weight of a pair being the
// number of delegations between them either way (a pair linked twice costs two when cut). Its
// connected components are the groups of mailboxes that must move together.
import type { Delegation } from './delegations';
import { compareIds } from './order';

export class DelegationGraph {
  private readonly adjacency = new Map<string, Map<string, number>>();

  constructor(nodes: readonly string[], delegations: readonly Delegation[]) {
    for (const node of nodes) {
      this.adjacency.set(node, new Map());
    }
    for (const d of delegations) {
      this.link(d.mailboxId, d.delegateId);
      this.link(d.delegateId, d.mailboxId);
    }
  }

  private link(a: string, b: string): void {
    const neighbours = this.adjacency.get(a)!;
    neighbours.set(b, (neighbours.get(b) ?? 0) + 1);
  }

  /** Each neighbour of `node` with the weight of the pair. */
  neighbours(node: string): ReadonlyMap<string, number> {
    return this.adjacency.get(node)!;
  }

  /** The weight between two nodes (0 when not linked). */
  weightBetween(a: string, b: string): number {
    return this.neighbours(a).get(b) ?? 0;
  }

  /** The total weight from `node` to the nodes of `within`. */
  weightTo(node: string, within: ReadonlySet<string>): number {
    let sum = 0;
    for (const [next, weight] of this.neighbours(node)) {
      if (within.has(next)) {
        sum += weight;
      }
    }
    return sum;
  }

  /** Connected components, each sorted; in order of their smallest ID. */
  components(): string[][] {
    const seen = new Set<string>();
    const components: string[][] = [];
    for (const start of [...this.adjacency.keys()].sort(compareIds)) {
      if (seen.has(start)) {
        continue;
      }
      const component: string[] = [];
      const stack = [start];
      seen.add(start);
      while (stack.length > 0) {
        const node = stack.pop()!;
        component.push(node);
        for (const next of this.neighbours(node).keys()) {
          if (!seen.has(next)) {
            seen.add(next);
            stack.push(next);
          }
        }
      }
      components.push(component.sort(compareIds));
    }
    return components;
  }
}
