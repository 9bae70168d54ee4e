// Bounds the memory a browsing session holds: every expanded list keeps its loaded pages, but of
// the lists a person has collapsed only the most recently collapsed few do. Expanding one again
// takes it off the list; a released list loads its first page again when next expanded.
import type { ExplorerNode } from './explorerNode';

export interface Releasable {
  /** Items held now (pages loaded). */
  readonly loadedCount: number;
  /** Forget the loaded pages. */
  release(): void;
}

export function isReleasable(node: unknown): node is ExplorerNode & Releasable {
  return typeof node === 'object' && node !== null && typeof (node as Partial<Releasable>).release === 'function' && typeof (node as Partial<Releasable>).loadedCount === 'number';
}

/** How many collapsed lists keep their pages (a person going back to one they just closed). */
export const RETAINED_COLLAPSED_LISTS = 20;

export class PageRetention {
  /** Collapsed lists still holding pages, least recently collapsed first (Map keeps insertion order). */
  private readonly collapsed = new Map<Releasable, true>();
  private releasedCount = 0;

  constructor(private readonly limit = RETAINED_COLLAPSED_LISTS) {}

  onCollapsed(node: unknown): void {
    if (!isReleasable(node)) {
      return;
    }
    this.collapsed.delete(node);
    if (node.loadedCount > 0) {
      this.collapsed.set(node, true);
    }
    this.trim();
  }

  onExpanded(node: unknown): void {
    if (isReleasable(node)) {
      this.collapsed.delete(node);
    }
  }

  /** Forget every collapsed list (a full refresh replaced them all). */
  clear(): void {
    this.collapsed.clear();
  }

  /** Whether `node` is one of the collapsed lists still holding pages. */
  holds(node: unknown): boolean {
    return isReleasable(node) && this.collapsed.has(node);
  }

  /** Collapsed lists still holding pages. */
  get retainedLists(): number {
    return this.collapsed.size;
  }

  /** Items held by collapsed lists. */
  get retainedItems(): number {
    let total = 0;
    this.collapsed.forEach((_, node) => (total += node.loadedCount));
    return total;
  }

  /** Lists released so far (for the log and the tests). */
  get released(): number {
    return this.releasedCount;
  }

  private trim(): void {
    for (const node of this.collapsed.keys()) {
      if (this.collapsed.size <= this.limit) {
        return;
      }
      this.collapsed.delete(node);
      node.release();
      this.releasedCount++;
    }
  }
}
