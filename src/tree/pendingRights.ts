// Rights this window has just written. ListMailboxPermissions may lag behind a write, so until the
// listing agrees (or the entry is old enough that the listing must have caught up) the tree shows
// what was written rather than a stale listing that would suggest the change failed.
import type { Grant, OrgRef, Right } from '../workmail/types';

interface PendingGrant {
  readonly granteeType: 'USER' | 'GROUP';
  readonly rights: readonly Right[];
  readonly recordedAt: number;
}

/** After this long the listing is trusted again even if it still disagrees. */
const PENDING_LIFETIME_MS = 10 * 60 * 1000;

function sameRights(a: readonly Right[], b: readonly Right[]): boolean {
  return a.length === b.length && a.every((right) => b.includes(right));
}

export function mailboxKey(org: OrgRef, mailboxId: string): string {
  return `${org.region}/${org.organizationId}/${mailboxId}`;
}

export class PendingRights {
  private readonly byMailbox = new Map<string, Map<string, PendingGrant>>();

  constructor(private readonly now: () => number = Date.now) {}

  record(org: OrgRef, mailboxId: string, granteeId: string, granteeType: 'USER' | 'GROUP', rights: readonly Right[]): void {
    const key = mailboxKey(org, mailboxId);
    let grants = this.byMailbox.get(key);
    if (!grants) {
      grants = new Map();
      this.byMailbox.set(key, grants);
    }
    grants.set(granteeId, { granteeType, rights: [...rights], recordedAt: this.now() });
  }

  /** Grantees with pending rights on this mailbox (for name resolution). */
  grantees(org: OrgRef, mailboxId: string): Array<{ granteeId: string; granteeType: 'USER' | 'GROUP' }> {
    this.expire(org, mailboxId);
    const grants = this.byMailbox.get(mailboxKey(org, mailboxId));
    return grants ? [...grants].map(([granteeId, pending]) => ({ granteeId, granteeType: pending.granteeType })) : [];
  }

  /**
   * The listed grants with pending writes applied. Entries the listing already agrees with are
   * forgotten; a removal is only known to be visible once the listing is complete.
   */
  apply(org: OrgRef, mailboxId: string, listed: readonly Grant[], complete: boolean): Grant[] {
    this.expire(org, mailboxId);
    const key = mailboxKey(org, mailboxId);
    const pending = this.byMailbox.get(key);
    if (!pending || pending.size === 0) {
      return [...listed];
    }
    const result: Grant[] = [];
    const seen = new Set<string>();
    for (const grant of listed) {
      seen.add(grant.granteeId);
      const override = pending.get(grant.granteeId);
      if (!override) {
        result.push(grant);
        continue;
      }
      if (sameRights(override.rights, grant.rights)) {
        pending.delete(grant.granteeId);
      }
      if (override.rights.length > 0) {
        result.push({ granteeId: grant.granteeId, granteeType: override.granteeType, rights: override.rights });
      }
    }
    for (const [granteeId, override] of pending) {
      if (seen.has(granteeId)) {
        continue;
      }
      if (override.rights.length === 0) {
        if (complete) {
          pending.delete(granteeId);
        }
        continue;
      }
      result.push({ granteeId, granteeType: override.granteeType, rights: override.rights });
    }
    if (pending.size === 0) {
      this.byMailbox.delete(key);
    }
    return result;
  }

  /** True while rights written for this grantee are shown ahead of what WorkMail lists. */
  isPending(org: OrgRef, mailboxId: string, granteeId: string): boolean {
    return this.byMailbox.get(mailboxKey(org, mailboxId))?.has(granteeId) ?? false;
  }

  /** Drops what is pending on one mailbox: the person asked to see what WorkMail lists. */
  forget(org: OrgRef, mailboxId: string): void {
    this.byMailbox.delete(mailboxKey(org, mailboxId));
  }

  clear(): void {
    this.byMailbox.clear();
  }

  private expire(org: OrgRef, mailboxId: string): void {
    const key = mailboxKey(org, mailboxId);
    const grants = this.byMailbox.get(key);
    if (!grants) {
      return;
    }
    const cutoff = this.now() - PENDING_LIFETIME_MS;
    for (const [granteeId, pending] of grants) {
      if (pending.recordedAt < cutoff) {
        grants.delete(granteeId);
      }
    }
    if (grants.size === 0) {
      this.byMailbox.delete(key);
    }
  }
}
