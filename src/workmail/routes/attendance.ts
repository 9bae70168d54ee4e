// Who still answers a resource's booking requests once some of its delegates are gone. A listed
// delegate answers only if requests can reach a person: an enabled user, or an enabled group with
// at least one enabled user among its members (through nested groups). A disabled or deleted user,
// an ID the directory no longer knows, or an empty group is listed by ListResourceDelegates all the
// same, and counting it would let the real last delegate go without the question.
import { expandGroup } from '../groups';
import type { WorkMailSession } from '../session';
import type { OrgRef } from '../types';
import type { BookingDelegate } from './booking';

export type AbsenceReason = 'leaving' | 'unknown' | 'disabled' | 'deleted' | 'no-enabled-member' | 'members-unreadable';

export interface Attendance {
  /** The delegates that answer requests, users first. Only the first is looked for unless `all`. */
  readonly attending: readonly string[];
  /** The listed delegates that do not, with why (in words: `absenceInWords`). */
  readonly absent: ReadonlyArray<{ readonly id: string; readonly name?: string; readonly reason: AbsenceReason }>;
}

const ABSENCE_WORDS: Readonly<Record<AbsenceReason, string>> = {
  leaving: 'being removed',
  unknown: 'not in the directory',
  disabled: 'disabled',
  deleted: 'deleted',
  'no-enabled-member': 'a group with no enabled member',
  'members-unreadable': 'a group whose members could not be read',
};

export function absenceInWords(absent: Attendance['absent']): string {
  return absent.map((entry) => `${entry.name ?? entry.id} (${ABSENCE_WORDS[entry.reason]})`).join(', ');
}

/**
 * Reads the directory for the delegates in `listed` (except those in `leaving`) until one answers
 * requests, or for all of them with `all`. Users are read first: one DescribeUser usually settles
 * it, where a group costs a DescribeGroup and its members.
 */
export async function attendance(
  session: WorkMailSession,
  org: OrgRef,
  listed: readonly BookingDelegate[],
  leaving: ReadonlySet<string>,
  signal: AbortSignal | undefined,
  all = false,
): Promise<Attendance> {
  const attending: string[] = [];
  const absent: Array<{ id: string; name?: string; reason: AbsenceReason }> = [];
  const ordered = [...listed.filter((d) => d.type === 'USER'), ...listed.filter((d) => d.type !== 'USER')];
  for (const delegate of ordered) {
    if (attending.length > 0 && !all) {
      break;
    }
    if (leaving.has(delegate.id)) {
      absent.push({ id: delegate.id, reason: 'leaving' });
      continue;
    }
    const { reason, name } = await absenceOf(session, org, delegate, signal);
    if (reason) {
      absent.push({ id: delegate.id, ...(name ? { name } : {}), reason });
    } else {
      attending.push(delegate.id);
    }
  }
  return { attending, absent };
}

async function absenceOf(session: WorkMailSession, org: OrgRef, delegate: BookingDelegate, signal: AbortSignal | undefined): Promise<{ reason?: AbsenceReason; name?: string }> {
  const isGroup = delegate.type === 'GROUP';
  const entity = await session.findEntity(org, delegate.id, signal, [isGroup ? 'group' : 'user']);
  if (!entity || entity.id !== delegate.id) {
    return { reason: 'unknown' };
  }
  const name = entity.name;
  if (entity.state === 'DELETED') {
    return { reason: 'deleted', name };
  }
  if (entity.state !== 'ENABLED') {
    return { reason: 'disabled', name };
  }
  if (!isGroup) {
    return {};
  }
  const expansion = await expandGroup(session, org, delegate.id, { signal });
  if (expansion.members.some((member) => member.kind === 'user' && member.state === 'ENABLED')) {
    return {};
  }
  return { reason: expansion.failures.length > 0 ? 'members-unreadable' : 'no-enabled-member', name };
}
