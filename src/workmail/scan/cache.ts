// The extension's one scan cache: the last finished scan of each organization (per profile and
// endpoint), so a report or export opened after a scan does not read WorkMail again.
import type { WorkMailSession } from '../session';
import type { OrgRef } from '../types';
import { collectScan } from './collect';
import type { ScanOptions } from './engine';
import type { OrganizationScan } from './records';

/**
 * Finished scans by organization, stamped with the time they were read so the UI can say "as of
 * 14:02". Cancelled or failed scans are never stored; a newer scan replaces an older one.
 */
export class ScanCache {
  private readonly snapshots = new Map<string, OrganizationScan>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  static key(session: Pick<WorkMailSession, 'profile' | 'endpoint'>, org: OrgRef): string {
    return JSON.stringify([session.profile ?? '', session.endpoint ?? '', org.region, org.organizationId]);
  }

  get(session: Pick<WorkMailSession, 'profile' | 'endpoint'>, org: OrgRef, maxAgeMs?: number): OrganizationScan | undefined {
    const snapshot = this.snapshots.get(ScanCache.key(session, org));
    if (snapshot && maxAgeMs !== undefined && this.now().getTime() - snapshot.readAt.getTime() > maxAgeMs) {
      return undefined;
    }
    return snapshot;
  }

  async scan(session: WorkMailSession, org: OrgRef, options: ScanOptions = {}): Promise<OrganizationScan> {
    const snapshot = await collectScan(session, org, options, this.now);
    const key = ScanCache.key(session, org);
    const current = this.snapshots.get(key);
    if (!current || current.readAt.getTime() <= snapshot.readAt.getTime()) {
      this.snapshots.set(key, snapshot);
    }
    return snapshot;
  }

  /** After a change made through the extension, so the next read is not served stale data. */
  invalidate(session: Pick<WorkMailSession, 'profile' | 'endpoint'>, org: OrgRef): void {
    this.snapshots.delete(ScanCache.key(session, org));
  }

  clear(): void {
    this.snapshots.clear();
  }
}
