// A route into a mailbox in words, the same on the command line and in the extension's report:
// "Tara Singh  Full access  via executives", "application "Mail archiver" (read only), via
// impersonating Tara Singh, who has Full access", and what access rules deny.
import { formatVia } from '../reverse';
import { rightsLabel } from '../rights';
import type { DirectoryEntity } from '../types';
import type { AccessMark } from './accessMarks';
import type { OpenRoute, PersonRoute } from './whoCanOpen';

export type EntityLabel = (entity: DirectoryEntity) => string;

export function personInWords(route: PersonRoute, label: EntityLabel): string {
  return route.person ? label(route.person) : `${route.personId} (unknown or deleted)`;
}

export function routeInWords(route: OpenRoute, label: EntityLabel): string {
  if (route.route === 'impersonation') {
    const kind = route.role.type === 'FULL_ACCESS' ? 'full access' : 'read only';
    if (!route.through) return `application "${route.role.name}" (${kind}), impersonating the owner`;
    const holds = route.through.route === 'bookingDelegate' ? 'is a booking delegate' : `has ${rightsLabel(route.through.rights)}`;
    return `application "${route.role.name}" (${kind}), via impersonating ${personInWords(route.through, label)}, who ${holds}${route.through.via.length > 0 ? ` ${formatVia(route.through.via)}` : ''}`;
  }
  const what = route.route === 'bookingDelegate' ? 'booking delegate' : rightsLabel(route.rights);
  return `${personInWords(route, label)}  ${what}${route.via.length > 0 ? `  ${formatVia(route.via)}` : ''}`;
}

/** "  [denied by access rules: IMAP from 203.0.113.10 (imap-office-only)]", or "" when nothing is denied. */
export function marksInWords(marks: readonly AccessMark[] | undefined): string {
  if (!marks || marks.length === 0) return '';
  return `  [denied by access rules: ${marks.map((mark) => `${mark.action} from ${mark.ipAddress} (${mark.rules.join(', ') || 'no rule named'})`).join('; ')}]`;
}
