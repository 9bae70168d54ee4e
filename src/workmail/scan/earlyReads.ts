// While the scan lists the directory itself (page after page, one call at a time), the grants of
// the mailboxes already listed are read with the slots the listing leaves free, so a large
// directory's listing time is not added to the scan's. They are only read here: named, counted and
// emitted once the whole directory is known, exactly as the other mailboxes, so no grantee is
// called unknown for being listed late.
import type { DirectoryEntity } from '../types';
import { isNoMailboxRefusal } from '../mailboxes';
import type { MailboxSlots } from './mailboxSlots';

/**
 * Reads the grants of mailboxes as directory pages arrive, while the adaptive limit has a free
 * slot, until `stop` (the directory is complete) or `cap` mailboxes: what it read waits for the
 * scan in memory, so a directory much larger than the cap is mostly read the usual way.
 */
export class EarlyReads {
  private readonly pending: DirectoryEntity[] = [];
  private readonly seen = new Set<string>();
  private stopped = false;
  private wakeLoop: (() => void) | undefined;
  private readonly loop: Promise<void>;

  constructor(
    private readonly slots: MailboxSlots,
    private readonly cap: number,
    /** Starts one mailbox's read; the scan keeps the promise and handles its outcome. */
    private readonly read: (mailbox: DirectoryEntity) => Promise<unknown>,
    private readonly signal: AbortSignal,
  ) {
    this.loop = this.run();
  }

  add(entities: readonly DirectoryEntity[]): void {
    for (const entity of entities) {
      if (this.stopped || this.seen.size >= this.cap) break;
      if (this.seen.has(entity.id)) continue;
      this.seen.add(entity.id);
      this.pending.push(entity);
    }
    this.wake();
  }

  /** No mailbox starts after this; reads already started go on (the scan awaits each one). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    this.slots.wake();
    await this.loop;
  }

  private wake(): void {
    const wake = this.wakeLoop;
    this.wakeLoop = undefined;
    wake?.();
  }

  private async run(): Promise<void> {
    let next = 0;
    while (!this.stopped && !this.signal.aborted) {
      if (next >= this.pending.length) {
        await new Promise<void>((wake) => (this.wakeLoop = wake));
        continue;
      }
      if (!this.slots.tryStart()) {
        await this.slots.waitForFree();
        continue;
      }
      const mailbox = this.pending[next++]!;
      let ok = false;
      this.read(mailbox)
        .then(
          () => (ok = true),
          (err: unknown) => (ok = isNoMailboxRefusal(err, mailbox)),
        )
        .finally(() => this.slots.finish(ok))
        .catch(() => {
          // The scan awaits the read itself and handles its failure there.
        });
    }
  }
}
