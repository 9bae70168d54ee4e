// A small concurrency bound shared by the directory cache and the scan engine: WorkMail has no
// published rate limit, so callers keep a fixed number of requests in flight instead of all at once.

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  let running = 0;
  const waiting: Array<() => void> = [];

  const release = (): void => {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      next();
    }
  };

  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = (): void => {
        // A task that throws synchronously must still free its slot.
        Promise.resolve()
          .then(task)
          .then(resolve, reject)
          .finally(release);
      };
      if (running < concurrency) {
        running++;
        start();
      } else {
        waiting.push(start);
      }
    });
}

/** Runs `fn` over `items` with at most `concurrency` in flight; results keep the input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const limit = createLimiter(concurrency);
  return Promise.all(items.map((item, index) => limit(() => fn(item, index))));
}

export interface AdaptiveConcurrencyOptions {
  /** Slots at the start (default 4). */
  readonly initial?: number;
  /** Never fewer (default 1). */
  readonly min?: number;
  /** Never more (default 64). */
  readonly max?: number;
  /** Slots added per window of successes at the limit after the first throttle (default 1): additive increase. */
  readonly increase?: number;
  /** Factor the limit is multiplied by on throttling (default 0.8): multiplicative decrease. */
  readonly decrease?: number;
  /**
   * Until the first throttle, every success at the limit adds a whole slot, so a window of
   * successes doubles the limit (default true): slow start. False: additive increase from the start.
   */
  readonly slowStart?: boolean;
}

export interface ConcurrencyStats {
  /** The limit now (whole slots). */
  readonly limit: number;
  readonly initial: number;
  /** The highest limit reached. */
  readonly peak: number;
  /** The lowest limit reached after the peak was first set (equals `peak` while nothing fell). */
  readonly lowestAfterPeak: number;
  /** Throttling answers heard (every one, also those inside a window that already decreased). */
  readonly throttles: number;
  /** Times the limit was cut. */
  readonly decreases: number;
  /** Still doubling per window: nothing has been throttled yet. */
  readonly slowStart: boolean;
  readonly inFlight: number;
}

/**
 * How many tasks may be in flight when the service publishes no rate limit: slow start, then
 * additive increase and multiplicative decrease, as TCP does with its window. Pure bookkeeping, no
 * timers and no I/O, so its rules can be checked with generated event sequences:
 *
 * - A task may start while fewer than `limit` (whole slots) are in flight.
 * - Slow start: until the first throttle, a task that finishes well while every slot was taken
 *   adds a whole slot, so a window of successes doubles the limit. The service's capacity is
 *   found in a few round trips instead of one slot per round trip.
 * - After the first throttle (congestion avoidance), such a success adds `increase / limit`, so a
 *   full window of successes adds `increase` slots.
 * - Finishing while slots were free adds nothing, in either phase: the limit only grows when it is
 *   what holds the work back.
 * - Throttling multiplies the limit by `decrease` (never below `min`), at most once per window:
 *   after a cut, further throttling is ignored until as many tasks as the new limit have started,
 *   because answers to requests sent before the cut say nothing about the new limit. The throttle
 *   that ends slow start halves the limit if that is lower: the limit doubled over the last window,
 *   so half is the last limit a whole window of requests was sent at without throttling.
 */
export class AdaptiveConcurrency {
  readonly initial: number;
  readonly min: number;
  readonly max: number;
  private readonly increase: number;
  private readonly decrease: number;
  private slowStarting: boolean;
  private current: number;
  private running = 0;
  private startedSinceCut = Number.POSITIVE_INFINITY;
  private windowAfterCut = 0;
  private peakLimit: number;
  private lowest: number;
  private throttleCount = 0;
  private cuts = 0;

  constructor(options: AdaptiveConcurrencyOptions = {}) {
    const min = options.min ?? 1;
    const max = options.max ?? 64;
    if (!Number.isInteger(min) || min < 1 || !Number.isInteger(max) || max < min) {
      throw new RangeError(`need whole numbers 1 <= min <= max, got min ${min}, max ${max}`);
    }
    const increase = options.increase ?? 1;
    const decrease = options.decrease ?? 0.8;
    if (!(increase > 0) || !(decrease > 0 && decrease < 1)) {
      throw new RangeError(`need increase > 0 and 0 < decrease < 1, got ${increase} and ${decrease}`);
    }
    this.min = min;
    this.max = max;
    this.increase = increase;
    this.decrease = decrease;
    this.slowStarting = options.slowStart ?? true;
    this.initial = Math.min(max, Math.max(min, Math.trunc(options.initial ?? 4)));
    this.current = this.initial;
    this.peakLimit = this.initial;
    this.lowest = this.initial;
  }

  /** Whole slots a task may use now. */
  get limit(): number {
    return Math.floor(this.current);
  }

  get inFlight(): number {
    return this.running;
  }

  /** Takes a slot if one is free. */
  tryStart(): boolean {
    if (this.running >= this.limit) {
      return false;
    }
    this.running++;
    this.startedSinceCut++;
    return true;
  }

  /** Gives the slot back. `ok`: the task succeeded (a throttled or failed task says false). */
  finish(ok: boolean): void {
    if (this.running <= 0) {
      throw new RangeError('finish() without a matching tryStart()');
    }
    const wasFull = this.running >= this.limit;
    this.running--;
    if (ok && wasFull && this.current < this.max) {
      this.current = Math.min(this.max, this.current + (this.slowStarting ? 1 : this.increase / this.current));
      if (this.limit > this.peakLimit) {
        this.peakLimit = this.limit;
        this.lowest = this.limit;
      }
    }
  }

  /** The service answered ThrottlingException (or TooManyRequests) to one of the requests. */
  throttled(): void {
    this.throttleCount++;
    if (this.startedSinceCut < this.windowAfterCut) {
      return;
    }
    const factor = this.slowStarting ? Math.min(this.decrease, 0.5) : this.decrease;
    this.slowStarting = false;
    const next = Math.max(this.min, this.current * factor);
    if (next < this.current) {
      this.current = next;
      this.cuts++;
      this.lowest = Math.min(this.lowest, this.limit);
    }
    this.startedSinceCut = 0;
    this.windowAfterCut = this.limit;
  }

  stats(): ConcurrencyStats {
    return {
      limit: this.limit,
      initial: this.initial,
      peak: this.peakLimit,
      lowestAfterPeak: this.lowest,
      throttles: this.throttleCount,
      decreases: this.cuts,
      slowStart: this.slowStarting,
      inFlight: this.running,
    };
  }
}
