// The last change, kept in memory so it can be undone exactly: the rights read just before it
// and the rights it wrote. Only the last one: an older undo could overwrite later changes.
import type { DirectoryEntity, Organization, Right } from '../../workmail/types';

export interface RecordedChange {
  /** The AWS account that owns the organization ('?' when it could not be read). */
  readonly account?: string;
  readonly org: Organization;
  readonly mailbox: DirectoryEntity;
  readonly grantee: { readonly id: string; readonly type: 'USER' | 'GROUP'; readonly label: string };
  /** Mailbox permissions (absent), or a booking delegation: undone on the same route. */
  readonly route?: 'permission' | 'booking-delegate';
  readonly before: readonly Right[];
  readonly after: readonly Right[];
}

export interface RecordedBatch {
  readonly verb: string;
  readonly changes: readonly RecordedChange[];
  /** The AWS profile the change was made with: undo must go to the same account. */
  readonly profile?: string;
  /** The endpoint it was written to (undefined: the real regional endpoint): undo must go there too. */
  readonly endpoint?: string;
}

export class ChangeHistory {
  private last: RecordedBatch | undefined;

  remember(batch: RecordedBatch): void {
    this.last = batch;
  }

  peek(): RecordedBatch | undefined {
    return this.last;
  }

  /**
   * After undoing `batch`, keeps only its changes that are still not undone (a partly failed undo
   * can be retried). A newer change recorded while the undo ran is left alone: it is now the last.
   */
  keepOnly(batch: RecordedBatch, changes: readonly RecordedChange[]): void {
    if (this.last !== batch) {
      return;
    }
    this.last = changes.length > 0 ? { ...batch, changes } : undefined;
  }

  forget(): void {
    this.last = undefined;
  }
}
