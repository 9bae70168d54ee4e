// The adaptive limit as the scan's two starters of mailbox reads share it: the early reads while
// the directory is listed, then the dispatcher. Each takes a slot or waits until one may have come
// free; whoever gives a slot back (or the scan's abort) wakes the one waiting.
import type { AdaptiveConcurrency } from '../concurrency';

export class MailboxSlots {
  private waiter: (() => void) | undefined;

  constructor(
    readonly limiter: AdaptiveConcurrency,
    signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => this.wake(), { once: true });
  }

  /** Takes a slot if the limit has one free. */
  tryStart(): boolean {
    return this.limiter.tryStart();
  }

  /** Gives a slot back (`ok`: the read succeeded, which may raise the limit) and wakes the one waiting. */
  finish(ok: boolean): void {
    this.limiter.finish(ok);
    this.wake();
  }

  /**
   * Resolves when a slot may have come free (not a promise of one: take it with `tryStart`). One
   * waiter at a time, which holds: the early reads stop waiting before the dispatcher starts.
   */
  waitForFree(): Promise<void> {
    return new Promise<void>((wake) => (this.waiter = wake));
  }

  /** Wakes the one waiting, to look again (a slot given back, a read that needed none, a stop). */
  wake(): void {
    const wake = this.waiter;
    this.waiter = undefined;
    wake?.();
  }
}
