// Who still answers a resource's booking requests once some of its delegates are gone. A listed
// delegate answers only if requests certainly reach a person: an enabled user. A disabled or
// deleted user, or an ID the directory no longer knows, is listed by ListResourceDelegates all the
// same, and counting it would let the real last delegate go without the question. A group never
// counts: whether WorkMail passes a group delegate's requests to its members is not documented
// (emulator variant group-delegate-members), so with only groups left the person is asked. Who Can
// Open takes the other, wider reading (every member), which over-reports rather than hides.
import type { WorkMailSession } from '../session';
import type { OrgRef } from '../types';
import type { BookingDelegate } from './booking';

export type AbsenceReason = 'leaving' | 'unknown' | 'disabled' | 'deleted' | 'group';

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
  group: 'a group: WorkMail does not document that its members receive the requests',
};

export function absenceInWords(absent: Attendance['absent']): string {
  return absent.map((entry) => `${entry.name ?? entry.id} (${ABSENCE_WORDS[entry.reason]})`).join(', ');
}

/**
 * Reads the directory for the user delegates in `listed` (except those in `leaving`) until one
 * answers requests, or for all of them with `all`: one DescribeUser each.
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
  for (const delegate of [...listed.filter((d) => d.type === 'USER'), ...listed.filter((d) => d.type !== 'USER')]) {
    if (attending.length > 0 && !all) {
      break;
    }
    if (delegate.type !== 'USER') {
      absent.push({ id: delegate.id, reason: 'group' });
      continue;
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
  const entity = await session.findEntity(org, delegate.id, signal, ['user']);
  if (!entity || entity.id !== delegate.id) {
    return { reason: 'unknown' };
  }
  const name = entity.name;
  if (entity.state === 'DELETED') {
    return { reason: 'deleted', name };
  }
  return entity.state === 'ENABLED' ? {} : { reason: 'disabled', name };
}
