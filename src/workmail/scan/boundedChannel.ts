// Between the scan's mailbox workers and its consumer: records wait here until the consumer takes
// them, and a worker with more to add waits while too many are waiting, so a slow consumer (a file
// being written, a tree being drawn) holds memory to a bound instead of the whole organization.
//
// Not concurrency.ts: its limiter and adaptive limit bound the calls in flight; this bounds what
// those calls produced and nobody has taken yet. Waiting ends for everyone when the scan's signal
// aborts.

/** A FIFO that does not copy on every dequeue the way Array.shift does. */
class Fifo<T> {
  private items: Array<T | undefined> = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(items: readonly T[]): void {
    for (const item of items) {
      this.items.push(item);
    }
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) {
      return undefined;
    }
    const item = this.items[this.head];
    // Dropped at once, so a taken record can be collected before the array is compacted.
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/**
 * One consumer, any number of producers. Producers wait for room (`waitForRoom`) while
 * `highWaterMark` items or more are waiting, and are let in again once the consumer has brought
 * it below half, so they do not wake for every item taken. Items are objects (never undefined).
 */
export class BoundedChannel<T extends object> {
  private readonly waiting = new Fifo<T>();
  private wakeConsumer: (() => void) | undefined;
  private producersWaiting: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly highWaterMark: number,
    private readonly signal: AbortSignal,
  ) {
    signal.addEventListener(
      'abort',
      () => {
        this.notifyConsumer();
        this.releaseProducers();
      },
      { once: true },
    );
  }

  /** As many items are waiting as the bound allows: a producer waits for room before adding more. */
  get full(): boolean {
    return this.waiting.length >= this.highWaterMark;
  }

  /**
   * Resolves when there is room for more, true; false when the signal aborted first (add nothing
   * then: the scan is over). A producer that finds the channel not `full` adds at once, without
   * this await, so records are not held back a turn when nothing is waiting.
   */
  async waitForRoom(): Promise<boolean> {
    while (this.full && !this.signal.aborted) {
      await new Promise<void>((resume) => this.producersWaiting.push(resume));
    }
    return !this.signal.aborted;
  }

  /** Adds items whatever is waiting (call `waitForRoom` first to respect the bound) and wakes the consumer. */
  push(items: readonly T[]): void {
    this.waiting.push(items);
    this.notifyConsumer();
  }

  /** Nothing more will be pushed: the consumer takes what is left, then hears the end. */
  close(): void {
    this.closed = true;
    this.notifyConsumer();
  }

  /**
   * The next waiting item, without waiting; undefined when none is waiting. What is waiting is
   * still handed out after an abort; the consumer decides what an abort means.
   */
  take(): T | undefined {
    const item = this.waiting.shift();
    if (item !== undefined && this.waiting.length < this.highWaterMark / 2) {
      this.releaseProducers();
    }
    return item;
  }

  /** Resolves when an item may be waiting, true; false at once when closed or aborted (take what is left, then stop). */
  async waitForItems(): Promise<boolean> {
    if (this.closed || this.signal.aborted) {
      return false;
    }
    await new Promise<void>((wake) => (this.wakeConsumer = wake));
    return true;
  }

  private notifyConsumer(): void {
    const wake = this.wakeConsumer;
    this.wakeConsumer = undefined;
    wake?.();
  }

  private releaseProducers(): void {
    const waiting = this.producersWaiting;
    this.producersWaiting = [];
    waiting.forEach((resume) => resume());
  }
}
