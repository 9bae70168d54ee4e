// The users an impersonation rule or an access rule names, found in the directory once. Rules name
// users by EntityIdentifier as they were given (an ID, a user name or an email address; names and
// addresses in any case), so each identifier is looked up by all three, through maps built in one
// pass over the users: naming the targets of every rule costs one look-up each, not a pass over
// the directory (10,000 users, ten rules of ten targets each per role).
import type { DirectoryEntity } from '../types';

export type UserFinder = (identifier: string) => DirectoryEntity | undefined;

export function userFinder(users: Iterable<DirectoryEntity>): UserFinder {
  const byId = new Map<string, DirectoryEntity>();
  const byKey = new Map<string, DirectoryEntity>();
  for (const user of users) {
    if (user.kind !== 'user') continue;
    byId.set(user.id, user);
    for (const key of [user.name, user.email]) {
      // The first user listed keeps a key two of them share (WorkMail keeps names and addresses unique).
      if (key && !byKey.has(key.toLowerCase())) byKey.set(key.toLowerCase(), user);
    }
  }
  return (identifier) => byId.get(identifier) ?? byKey.get(identifier.toLowerCase());
}

/** Every identifier the role's rules name, each once, in the order the rules give them. */
export function namedTargets(role: { readonly rules: ReadonlyArray<{ readonly targetUsers?: readonly string[]; readonly notTargetUsers?: readonly string[] }> }): string[] {
  return [...new Set(role.rules.flatMap((rule) => [...(rule.targetUsers ?? []), ...(rule.notTargetUsers ?? [])]))];
}
