// Shared base for nodes whose children come from a paginated List call: the loaded items, the
// continuation token, a lock so one click loads one page, and the error/placeholder items.
// Nothing is requested until VS Code (or a test) asks for the children, or until the tree reads a
// first page ahead of the person (prefetchFirstPage).
import { isCancellation, toWorkMailError, type WorkMailError } from '../workmail/errors';
import type { Page } from '../workmail/types';
import { ExplorerNode, type Refreshable, type TreeContext } from './explorerNode';
import { ErrorNode, LoadMoreNode, PlaceholderNode } from './messageNodes';
import { PREFETCH_FRESH_MS, ReadAhead } from './readAhead';

export abstract class PaginatedNode<T> extends ExplorerNode implements Refreshable {
  private items: T[] = [];
  private nextToken: string | undefined;
  private started = false;
  private firstPageLoaded = false;
  private failure: WorkMailError | undefined;
  private inflight: Promise<void> | undefined;
  /** Aborted by a refresh: a page that arrives after it is dropped instead of appended. */
  private abort: AbortController | undefined;
  /** A first page read ahead that VS Code has not been given yet (readAhead.ts). */
  private readAhead: ReadAhead | undefined;

  constructor(
    parent: ExplorerNode | undefined,
    protected readonly context: TreeContext,
  ) {
    super(parent);
  }

  /** Fetch one page; `nextToken` undefined means the first page. */
  protected abstract fetchPage(nextToken: string | undefined, signal: AbortSignal): Promise<Page<T>>;
  /** Build the child nodes for the items loaded so far. */
  protected abstract render(items: readonly T[], complete: boolean): ExplorerNode[];
  /** Shown when the whole list turned out empty. */
  protected abstract emptyLabel(): string;
  /** What the failure was about, for the error message ("users of acme"). */
  protected abstract subject(): string;
  /**
   * Identity of an item. Tree item IDs must be unique, and a listing that shifts between pages
   * (an entity added meanwhile) can repeat an item; repeats are dropped.
   */
  protected abstract keyOf(item: T): string;
  /** What an item listed again under the same key becomes; by default the first listing stands. */
  protected mergeRepeat(first: T, _repeat: T): T {
    return first;
  }

  /** Drop per-item state (e.g. registrations) before the items are thrown away. */
  protected discard(_items: readonly T[]): void {}

  get loadedItems(): readonly T[] {
    return this.items;
  }

  /** Items held in memory (for PageRetention). */
  get loadedCount(): number {
    return this.items.length;
  }

  /** Forget the loaded pages to free memory; the next expansion loads the first page again. */
  release(): void {
    if (this.started) {
      this.reset();
      this.context.changed(this);
    }
  }

  /** The first page has arrived (so `loadedItems` and `hasMore` say something). */
  get isLoaded(): boolean {
    return this.firstPageLoaded;
  }

  get hasMore(): boolean {
    return this.nextToken !== undefined;
  }

  get isLoading(): boolean {
    return this.inflight !== undefined;
  }

  // A read overtaken by a refresh of this node (or of one above it) is answered with nothing by the
  // explorer through TreeSync.read, which counts the changes it fires.
  override async getChildren(): Promise<ExplorerNode[]> {
    if (await this.readFirstPageIfNeeded()) {
      this.firstPageListed();
    }
    return this.children();
  }

  /** Waits for a load under way, or loads the first page; whether this call read it (and it came). */
  private async readFirstPageIfNeeded(): Promise<boolean> {
    const readAhead = this.readAhead;
    // The person opened the list while its read ahead was under way: its outcome is the answer.
    const joinedReadAhead = readAhead !== undefined && this.inflight !== undefined;
    if (this.inflight) {
      await this.inflight;
    }
    if (readAhead && this.readAhead === readAhead) {
      this.readAhead = undefined;
      if (joinedReadAhead) {
        if (this.failure) {
          this.logFailure(this.failure);
        }
        return false;
      }
      if (this.firstPageLoaded && readAhead.usable()) {
        return false;
      }
      // Failed unseen, or read too long ago: read it now, as if it had never been read ahead.
      this.restart();
    }
    if (!this.started) {
      await this.loadMore();
      return this.firstPageLoaded;
    }
    if (this.inflight) {
      await this.inflight;
    }
    return false;
  }

  /**
   * Start reading the first page before the person opens the list, so opening it shows rows without
   * waiting for WorkMail. Does nothing for a list read or being read. The page is
   * kept for `usableForMs` after it arrives (PREFETCH_FRESH_MS); asked again after that, and still
   * not shown, it is read again. A failure is not reported: opening the list reads it again, and
   * reports a failure of that.
   */
  prefetchFirstPage(usableForMs = PREFETCH_FRESH_MS): void {
    if (this.readAhead?.stale() && !this.inflight) {
      this.restart();
      // The row's count was of that page: gone until the new one is in.
      this.firstPageListed();
    }
    if (this.started) {
      return;
    }
    const readAhead = new ReadAhead(usableForMs);
    this.readAhead = readAhead;
    this.load({ quiet: true })
      .then(() => {
        if (this.firstPageLoaded && this.readAhead === readAhead) {
          readAhead.arrived();
          this.firstPageListed();
        }
      })
      .catch((err: unknown) => this.context.log.error(`${this.subject()}: reading ahead failed: ${err instanceof Error ? err.message : String(err)}`));
  }

  /**
   * Load whatever is missing: the first page if none loaded (or it failed), otherwise the next one.
   * While a load runs, callers share it, so a double click costs one call.
   */
  loadMore(): Promise<void> {
    return this.load({ quiet: false });
  }

  /** `quiet`: a failure is kept for the rows but not written to the log (a read ahead nobody asked for). */
  private load({ quiet }: { quiet: boolean }): Promise<void> {
    if (this.inflight) {
      return this.inflight;
    }
    if (this.started && this.firstPageLoaded && this.nextToken === undefined) {
      return Promise.resolve();
    }
    const firstPage = !this.firstPageLoaded;
    this.started = true;
    const token = firstPage ? undefined : this.nextToken;
    const abort = new AbortController();
    this.abort = abort;
    const run = this.fetchPage(token, abort.signal).then(
      (page) => {
        if (abort.signal.aborted) {
          return;
        }
        const seen = new Map(this.items.map((item, index) => [this.keyOf(item), index]));
        const fresh: T[] = [];
        for (const item of page.items) {
          const key = this.keyOf(item);
          const at = seen.get(key);
          if (at === undefined) {
            seen.set(key, this.items.length + fresh.length);
            fresh.push(item);
          } else if (at < this.items.length) {
            this.items[at] = this.mergeRepeat(this.items[at] as T, item);
          } else {
            fresh[at - this.items.length] = this.mergeRepeat(fresh[at - this.items.length] as T, item);
          }
        }
        const kept = new Set(fresh);
        this.discard(page.items.filter((item) => !kept.has(item)));
        this.items.push(...fresh);
        this.nextToken = page.nextToken;
        this.firstPageLoaded = true;
        this.failure = undefined;
      },
      (err: unknown) => {
        if (abort.signal.aborted || isCancellation(err)) {
          return;
        }
        this.failure = toWorkMailError(err, { profile: this.context.session().profile, subject: this.subject() });
        if (!quiet) {
          this.logFailure(this.failure);
        }
      },
    );
    const locked = run.finally(() => {
      if (this.inflight === locked) {
        this.inflight = undefined;
        this.abort = undefined;
      }
    });
    this.inflight = locked;
    return locked;
  }

  /** Load the next page and re-render just this node. */
  async loadMoreAndShow(): Promise<void> {
    await this.loadMore();
    this.context.changed(this);
  }

  private logFailure(failure: WorkMailError): void {
    this.context.log.error(`${this.subject()}: ${failure.message}${failure.detail ? ` (${failure.detail})` : ''}`);
  }

  /** Restart at the first page; the next getChildren loads it. */
  refresh(): void {
    this.reset();
    this.context.changed(this);
  }

  /**
   * Forget every page without telling VS Code: for a parent whose own change covers this node (the
   * organization's Refresh), so that one change goes out instead of four.
   */
  reset(): void {
    this.restart();
    this.onRefresh();
  }

  /** Forget every page and any load under way, without telling VS Code. */
  private restart(): void {
    this.abort?.abort();
    this.abort = undefined;
    this.inflight = undefined;
    this.readAhead = undefined;
    this.discard(this.items);
    this.items = [];
    this.nextToken = undefined;
    this.started = false;
    this.firstPageLoaded = false;
    this.failure = undefined;
  }

  protected onRefresh(): void {}

  /**
   * The first page is in, and the row VS Code shows for this node was built before it: when
   * getChildren has read it, or a page read ahead arrives. ("Load more…" and a retried page end in
   * loadMoreAndShow, which announces the change itself.)
   */
  protected firstPageListed(): void {}

  private children(): ExplorerNode[] {
    const nodes = this.render(this.items, this.nextToken === undefined && !this.failure);
    if (this.failure) {
      nodes.push(
        new ErrorNode(this, this.id, this.failure.message, this.failure.detail, {
          title: this.failure.message,
          command: 'workmail.loadMore',
          arguments: [this],
        }),
      );
    } else if (this.nextToken !== undefined) {
      nodes.push(new LoadMoreNode(this));
    } else if (nodes.length === 0) {
      nodes.push(new PlaceholderNode(this, this.emptyLabel()));
    }
    return nodes;
  }

}
