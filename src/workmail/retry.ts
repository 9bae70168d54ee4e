// The engine's own retry of a read that failed transiently (throttling, network, server error)
// after the SDK's retries gave up: the scan, the directory listing and group membership use it, so
// a long burst of throttling ends in a slower read instead of a list of failures.
import { CancelledError, WorkMailError, isCancellation } from './errors';

export interface RetryOptions {
  /** Extra attempts after the SDK's own retries gave up (default 5). */
  readonly retries?: number;
  /** First back-off in ms, doubled each time (default 250). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

/** Sleeps, or rejects with CancelledError as soon as the signal aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `work` again after a back-off while it fails transiently. The SDK's adaptive retries come
 * first; this outer loop covers bursts longer than they last, so a large scan under a rate limit
 * ends with every mailbox read instead of a list of throttling failures.
 */
export async function retryTransient<T>(work: () => Promise<T>, signal: AbortSignal | undefined, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 5;
  const base = options.baseDelayMs ?? 250;
  const max = options.maxDelayMs ?? 8000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (signal?.aborted || isCancellation(err)) {
        throw new CancelledError();
      }
      if (!(err instanceof WorkMailError) || !err.retryable || attempt >= retries) {
        throw err;
      }
      // Full jitter keeps eight workers that were throttled together from returning together.
      const ceiling = Math.min(max, base * 2 ** attempt);
      await sleep(ceiling / 2 + Math.random() * (ceiling / 2), signal);
    }
  }
}
