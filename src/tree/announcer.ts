// Changes a node announces about itself (a list's count, once its first page is in) reach VS Code
// only while the tree is quiet: no getChildren under way anywhere in the view for a while, and no
// change fired for a while.
//
// Why: VS Code 1.100's extension host applies a node's change while it may be fetching that node's
// children or a descendant's (it holds the parent's TreeNode across the await, and batches changes
// over 200 ms, so a change fired during a quiet moment can still be applied later). Applied during
// such a fetch, the change files the fetched rows under a node it has just replaced; the next fetch
// of those rows then fails ("Element with id … is already registered") and the list shows nothing.
// A change fired more than 200 ms after the previous one is applied at once, and with no fetch under
// way none can be caught in it.

/** No change fired for this long: the extension host applies the next one at once (it batches over 200 ms). */
export const QUIET_AFTER_CHANGE_MS = 250;
/** No getChildren for this long: the workbench has asked for the rows below the ones just given. */
export const QUIET_AFTER_FETCH_MS = 100;

// performance.now(): a step of the system clock must not hold announcements back.

export class QuietAnnouncer<T> {
  private readonly pending = new Set<T>();
  private fetches = 0;
  private lastChange = Number.NEGATIVE_INFINITY;
  private lastFetchEnd = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(
    /** Fires one change event for all of `nodes` (one event, so the extension host applies them as one). */
    private readonly fire: (nodes: T[]) => void,
    private readonly timing: { readonly afterChangeMs: number; readonly afterFetchMs: number } = { afterChangeMs: QUIET_AFTER_CHANGE_MS, afterFetchMs: QUIET_AFTER_FETCH_MS },
  ) {}

  /** A change was fired (by anyone in the view): the quiet time starts again. */
  changed(): void {
    this.lastChange = performance.now();
  }

  /** Runs one getChildren; nothing is announced while any runs. */
  async fetching<R>(body: () => Promise<R>): Promise<R> {
    this.fetches++;
    try {
      return await body();
    } finally {
      this.fetches--;
      this.lastFetchEnd = performance.now();
      this.schedule();
    }
  }

  /** `node` has changed by itself; tell VS Code at the next quiet moment (once, however often asked). */
  announce(node: T): void {
    this.pending.add(node);
    this.schedule();
  }

  /** Announcements waiting for a quiet moment. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Forget what waits (the nodes were replaced). */
  clear(): void {
    this.pending.clear();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.pending.clear();
  }

  private schedule(): void {
    if (this.disposed || this.timer !== undefined || this.pending.size === 0 || this.fetches > 0) {
      // A fetch under way schedules again when it ends.
      return;
    }
    const quietAt = Math.max(this.lastChange + this.timing.afterChangeMs, this.lastFetchEnd + this.timing.afterFetchMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, Math.max(0, quietAt - performance.now()));
  }

  private flush(): void {
    const now = performance.now();
    if (this.fetches > 0 || now < this.lastChange + this.timing.afterChangeMs || now < this.lastFetchEnd + this.timing.afterFetchMs) {
      this.schedule();
      return;
    }
    const nodes = [...this.pending];
    this.pending.clear();
    if (nodes.length > 0) {
      this.fire(nodes);
    }
  }
}
