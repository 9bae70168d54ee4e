// The applications of a waves plan: each impersonation role of the snapshot, with the waves of the
// mailboxes it acts as. A note, never an edge: an application is not a mailbox and moves with none,
// and tying together every mailbox a role reaches would put a whole organization in one wave when a
// role has no targets. What the note tells the person is the span: an application whose mailboxes
// are in waves 1 and 3 has to reach both systems from the first of them to the last (recreated at
// the destination before wave 1 moves, its WorkMail role kept until wave 3 has).
//
// Whom a role acts as is answered by the routes' own reading (routes/whoCanOpen.ts `ownersReached`,
// on routes/impersonation.ts's rules), and which identifiers name nobody by routes/targets.ts: the
// same answer Who Can Open and the exports give. The mailboxes those users can open in turn move
// with them through their delegations, so the note counts the users' own mailboxes.
import { userFinder, namedTargets } from '../../routes/targets';
import { ownersReached } from '../../routes/whoCanOpen';
import { recordedRoutes } from '../snapshotRoutes';
import type { Snapshot, SnapshotImpersonationRole } from '../schema';
import { compareIds } from './order';

/** One impersonation role, and where the mailboxes it acts as are in the plan. */
export interface ApplicationNote {
  readonly roleId: string;
  readonly name: string;
  readonly type: SnapshotImpersonationRole['type'];
  /** The waves holding a mailbox the role acts as, ascending. */
  readonly waves: readonly number[];
  /** The mailboxes of the plan it acts as, sorted by ID. */
  readonly mailboxIds: readonly string[];
  /** Users it acts as whose mailbox the plan does not move (no address, or a system user). */
  readonly outsidePlan: number;
  /** Identifiers its rules name that are no user of the snapshot, as the rules give them. */
  readonly unknownTargets: readonly string[];
  /** Why (some of) its rules could not be read: then what it reaches is unknown, or only what the read rules say. */
  readonly rulesUnreadable?: string;
  /** Whether any of its rules could be read. */
  readonly rulesRead: boolean;
}

export interface ApplicationNotes {
  readonly applications: readonly ApplicationNote[];
  /** Why the snapshot names no application: the roles were not recorded or could not be read. Absent when they were read. */
  readonly notRead?: string;
}

/** The note of every impersonation role of the snapshot, by name; `waveOf`: mailbox ID → wave number. */
export function applicationNotes(snapshot: Snapshot, waveOf: ReadonlyMap<string, number>): ApplicationNotes {
  const routes = recordedRoutes(snapshot);
  if (!routes.recorded) {
    return { applications: [], notRead: routes.why };
  }
  const roles = routes.routes.impersonationRoles;
  if (!roles) {
    return { applications: [], notRead: routes.routes.impersonationRolesUnreadable ?? 'not read' };
  }
  const users = snapshot.entities.filter((entity) => entity.kind === 'user');
  const findUser = userFinder(users);
  const applications = roles.map((role): ApplicationNote => {
    const rules = role.rules ?? [];
    const acted = ownersReached({ id: role.id, name: role.name, type: role.type, rules }, users);
    const mailboxIds = acted.filter((user) => waveOf.has(user.id)).map((user) => user.id).sort(compareIds);
    return {
      roleId: role.id,
      name: role.name,
      type: role.type,
      waves: [...new Set(mailboxIds.map((id) => waveOf.get(id)!))].sort((a, b) => a - b),
      mailboxIds,
      outsidePlan: acted.length - mailboxIds.length,
      unknownTargets: namedTargets({ rules }).filter((identifier) => !findUser(identifier)),
      ...(role.rulesUnreadable !== undefined ? { rulesUnreadable: role.rulesUnreadable } : {}),
      rulesRead: role.rules !== undefined,
    };
  });
  applications.sort((a, b) => compareIds(a.name.toLowerCase(), b.name.toLowerCase()) || compareIds(a.roleId, b.roleId));
  return { applications };
}

/** "wave 2", "waves 1 and 3", "waves 1, 2 and 4". */
export function wavesInWords(waves: readonly number[]): string {
  if (waves.length === 1) {
    return `wave ${waves[0]}`;
  }
  return `waves ${waves.slice(0, -1).join(', ')} and ${waves[waves.length - 1]}`;
}
