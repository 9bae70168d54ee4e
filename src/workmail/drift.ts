// Drift: what changed between two snapshots of one organization (two files, or a file and a fresh
// scan): grants added, removed or changed, entities that appeared, disappeared or changed state or
// address. For scheduled audits ("tell me what changed since last time") and after a bulk change.
//
// A mailbox that could not be read in either snapshot is not compared: its grants are unknown
// there, and calling them added or removed would be a guess. Such mailboxes are listed instead.
// The other routes (booking delegates and options, impersonation roles, access rules) are compared
// by routeDrift.ts, under `routes`; a snapshot that did not record them (version 1) says so there.
import { fieldChange, markdownNotCompared, markdownTable, unreadIn } from './driftWords';
import { WorkMailError } from './errors';
import { markdownCell } from './markdown';
import type { Snapshot, SnapshotEntity, SnapshotGrant } from './migration/schema';
import { entityName } from './names';
import { normalizeRights } from './rights';
import { diffRoutes, hasRouteDrift, routeDriftLines, routeDriftMarkdown, routesIncomplete, type RouteDrift } from './routeDrift';
import type { Right } from './types';

export interface GrantDrift {
  readonly mailboxId: string;
  readonly granteeId: string;
  readonly mailbox: string;
  readonly grantee: string;
  readonly before: readonly Right[];
  readonly after: readonly Right[];
}

export interface EntityDrift {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  /** What changed, in words: "state ENABLED → DISABLED", "email a@x → b@x". Empty for appeared/disappeared. */
  readonly changes: readonly string[];
}

export interface Drift {
  readonly organizationId: string;
  readonly from: { readonly label: string; readonly readAt: string };
  readonly to: { readonly label: string; readonly readAt: string };
  readonly grantsAdded: readonly GrantDrift[];
  readonly grantsRemoved: readonly GrantDrift[];
  readonly grantsChanged: readonly GrantDrift[];
  readonly entitiesAppeared: readonly EntityDrift[];
  readonly entitiesDisappeared: readonly EntityDrift[];
  readonly entitiesChanged: readonly EntityDrift[];
  /** Mailboxes unread in either snapshot: their grants were not compared. */
  readonly notCompared: readonly { readonly mailboxId: string; readonly mailbox: string; readonly why: string }[];
  /** Booking delegates and options, impersonation roles and access rules. */
  readonly routes: RouteDrift;
}

export function hasDrift(drift: Drift): boolean {
  return (
    drift.grantsAdded.length + drift.grantsRemoved.length + drift.grantsChanged.length + drift.entitiesAppeared.length + drift.entitiesDisappeared.length + drift.entitiesChanged.length > 0 ||
    hasRouteDrift(drift.routes)
  );
}

/** Whether part of the comparison could not be made: mailboxes or routes unread, or routes not recorded. */
export function driftIncomplete(drift: Drift): boolean {
  return drift.notCompared.length > 0 || routesIncomplete(drift.routes);
}

function pairKey(grant: Pick<SnapshotGrant, 'mailboxId' | 'granteeId'>): string {
  return `${grant.mailboxId}\u0000${grant.granteeId}`;
}

/** Grants by pair; a pair listed in two rows (WorkMail can) holds the union of both. */
function grantsByPair(snapshot: Snapshot): Map<string, SnapshotGrant & { rights: Right[] }> {
  const pairs = new Map<string, SnapshotGrant & { rights: Right[] }>();
  for (const grant of snapshot.grants) {
    const key = pairKey(grant);
    const earlier = pairs.get(key);
    pairs.set(key, { ...grant, rights: normalizeRights([...(earlier?.rights ?? []), ...grant.rights]) });
  }
  return pairs;
}

const WATCHED: ReadonlyArray<keyof SnapshotEntity> = ['state', 'email', 'name', 'displayName', 'userRole'];

function entityChanges(a: SnapshotEntity, b: SnapshotEntity): string[] {
  const changes: string[] = [];
  for (const field of WATCHED) {
    const before = a[field] as string | undefined;
    const after = b[field] as string | undefined;
    if ((before ?? '') !== (after ?? '')) {
      changes.push(fieldChange(field, before, after));
    }
  }
  if (a.members && b.members) {
    const added = b.members.filter((m) => !a.members!.includes(m)).length;
    const removed = a.members.filter((m) => !b.members!.includes(m)).length;
    if (added + removed > 0) {
      changes.push(`members: ${added} added, ${removed} removed`);
    }
  }
  return changes;
}

export function diffSnapshots(from: Snapshot, to: Snapshot, labels: { from: string; to: string } = { from: 'before', to: 'after' }): Drift {
  if (from.organization.id !== to.organization.id) {
    throw new WorkMailError(
      'InvalidInput',
      `The two snapshots are of different organizations (${from.organization.alias ?? from.organization.id} and ${to.organization.alias ?? to.organization.id}); compare snapshots of one organization.`,
    );
  }
  const entitiesBefore = new Map(from.entities.map((e) => [e.id, e]));
  const entitiesAfter = new Map(to.entities.map((e) => [e.id, e]));
  const nameOf = (id: string): string => {
    const entity = entitiesAfter.get(id) ?? entitiesBefore.get(id);
    return entity ? entityName(entity) : id;
  };
  const unread = new Map<string, string>();
  for (const [snapshot, label] of [
    [from, labels.from],
    [to, labels.to],
  ] as const) {
    for (const mailbox of snapshot.unreadMailboxes) {
      if (!unread.has(mailbox.mailboxId)) {
        unread.set(mailbox.mailboxId, unreadIn(label, mailbox.code));
      }
    }
  }
  const before = grantsByPair(from);
  const after = grantsByPair(to);
  const describe = (grant: SnapshotGrant, b: readonly Right[], a: readonly Right[]): GrantDrift => ({
    mailboxId: grant.mailboxId,
    granteeId: grant.granteeId,
    mailbox: nameOf(grant.mailboxId),
    grantee: nameOf(grant.granteeId),
    before: b,
    after: a,
  });
  const grantsAdded: GrantDrift[] = [];
  const grantsRemoved: GrantDrift[] = [];
  const grantsChanged: GrantDrift[] = [];
  for (const [key, grant] of after) {
    if (unread.has(grant.mailboxId)) {
      continue;
    }
    const earlier = before.get(key);
    if (!earlier) {
      grantsAdded.push(describe(grant, [], grant.rights));
    } else if (earlier.rights.join() !== grant.rights.join()) {
      grantsChanged.push(describe(grant, earlier.rights, grant.rights));
    }
  }
  for (const [key, grant] of before) {
    if (!unread.has(grant.mailboxId) && !after.has(key)) {
      grantsRemoved.push(describe(grant, grant.rights, []));
    }
  }
  const entity = (e: SnapshotEntity, changes: string[] = []): EntityDrift => ({ id: e.id, name: entityName(e), kind: e.kind, changes });
  const byName = <T extends { mailbox?: string; grantee?: string; name?: string }>(a: T, b: T): number =>
    `${a.mailbox ?? a.name}\u0000${a.grantee ?? ''}`.localeCompare(`${b.mailbox ?? b.name}\u0000${b.grantee ?? ''}`);
  return {
    organizationId: to.organization.id,
    from: { label: labels.from, readAt: from.readAt },
    to: { label: labels.to, readAt: to.readAt },
    grantsAdded: grantsAdded.sort(byName),
    grantsRemoved: grantsRemoved.sort(byName),
    grantsChanged: grantsChanged.sort(byName),
    entitiesAppeared: to.entities.filter((e) => !entitiesBefore.has(e.id)).map((e) => entity(e)).sort(byName),
    entitiesDisappeared: from.entities.filter((e) => !entitiesAfter.has(e.id)).map((e) => entity(e)).sort(byName),
    entitiesChanged: to.entities
      .flatMap((e) => {
        const earlier = entitiesBefore.get(e.id);
        const changes = earlier ? entityChanges(earlier, e) : [];
        return changes.length > 0 ? [entity(e, changes)] : [];
      })
      .sort(byName),
    notCompared: [...unread].map(([mailboxId, why]) => ({ mailboxId, mailbox: nameOf(mailboxId), why })).sort(byName),
    routes: diffRoutes(from, to, labels),
  };
}

function words(rights: readonly Right[]): string {
  return rights.length > 0 ? rights.join(', ') : 'nothing';
}

/** For a terminal or a mail from a scheduled job. */
export function driftText(drift: Drift): string {
  const lines = [`Drift in ${drift.organizationId} from ${drift.from.label} (${drift.from.readAt}) to ${drift.to.label} (${drift.to.readAt}):`];
  if (!hasDrift(drift)) {
    lines.push('  no difference.');
  }
  for (const g of drift.grantsAdded) lines.push(`  + grant   ${g.grantee} on ${g.mailbox}: ${words(g.after)}`);
  for (const g of drift.grantsRemoved) lines.push(`  - grant   ${g.grantee} on ${g.mailbox}: had ${words(g.before)}`);
  for (const g of drift.grantsChanged) lines.push(`  ~ grant   ${g.grantee} on ${g.mailbox}: ${words(g.before)} -> ${words(g.after)}`);
  for (const e of drift.entitiesAppeared) lines.push(`  + ${e.kind.padEnd(8)}${e.name} (${e.id})`);
  for (const e of drift.entitiesDisappeared) lines.push(`  - ${e.kind.padEnd(8)}${e.name} (${e.id})`);
  for (const e of drift.entitiesChanged) lines.push(`  ~ ${e.kind.padEnd(8)}${e.name}: ${e.changes.join('; ')}`);
  for (const m of drift.notCompared) lines.push(`  ? mailbox ${m.mailbox}: not compared, ${m.why}`);
  lines.push(...routeDriftLines(drift.routes));
  // Names come from the directory: a line break in one must not start a line of its own.
  return `${lines.map(oneLine).join('\n')}\n`;
}

/** The same as a markdown report; `escape` makes values from the directory inert. */
export function driftMarkdown(drift: Drift, escape: (value: string) => string = markdownCell): string {
  const out = [
    `# ${escape(`Changes in ${drift.organizationId}`)}`,
    '',
    `From **${escape(drift.from.label)}** (${escape(drift.from.readAt)}) to **${escape(drift.to.label)}** (${escape(drift.to.readAt)}).`,
    '',
  ];
  if (!hasDrift(drift)) {
    out.push('No difference.', '');
  }
  const grants = (title: string, list: readonly GrantDrift[]): void => {
    out.push(...markdownTable(title, ['mailbox', 'grantee', 'before', 'after'], list.map((g) => [escape(g.mailbox), escape(g.grantee), words(g.before), words(g.after)])));
  };
  const entities = (title: string, list: readonly EntityDrift[]): void => {
    out.push(...markdownTable(title, ['name', 'kind', 'ID', 'change'], list.map((e) => [escape(e.name), e.kind, escape(e.id), escape(e.changes.join('; '))])));
  };
  grants('Grants added', drift.grantsAdded);
  grants('Grants removed', drift.grantsRemoved);
  grants('Grants changed', drift.grantsChanged);
  entities('Appeared', drift.entitiesAppeared);
  entities('Disappeared', drift.entitiesDisappeared);
  entities('Changed', drift.entitiesChanged);
  out.push(...markdownNotCompared('Not compared', drift.notCompared.map((m) => ({ subject: escape(m.mailbox), why: escape(m.why) }))));
  out.push(...routeDriftMarkdown(drift.routes, escape));
  return out.join('\n');
}

function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}
