// Migration waves: which mailboxes move together. Practice guides for mailbox migrations put a
// mailbox and everyone with rights on it in the same batch, because a delegation between a moved
// and a not-yet-moved mailbox does not work across systems. So:
//
// 1. The delegation graph. Nodes are the mailboxes to move: users and resources with an address,
//    not deleted, not WorkMail system users. Each grant on such a mailbox links it to its grantee
//    when the grantee is such a mailbox too; a group grantee links it to every member, nested
//    groups followed (cycles are safe: each group once), from the snapshot's `members`. A group
//    whose members could not be read is listed: its delegations are missing from the plan.
// 2. Connected components must move together; each is a wave.
// 3. With a maximum wave size, a component larger than it is split into parts of at most that
//    size, cutting as few delegations as the heuristic finds: parts are grown greedily from the
//    edge of the component (always adding the mailbox with the most delegations into the part),
//    then improved by Kernighan–Lin style passes (move one mailbox to a part with room, or swap
//    two, whenever that cuts fewer delegations). It is a heuristic: the fewest possible cuts is an
//    NP-hard graph-partitioning problem, and the plan may cut more than the minimum on large,
//    dense components. Every delegation it cuts is listed. Parts and components are then packed
//    into as few waves as first-fit decreasing finds, never cutting anything more.
//    Without a maximum, each component of two or more mailboxes is a wave, and the mailboxes
//    with no delegation to or from another one form the last wave (they can move at any time).
//
// Delegations that do not bind two mailboxes to move (rights on a group's address, grants to
// grantees that are unknown, deleted or system users) are counted in the report, not planned.
import type { Right } from '../types';
import { csvCell } from '../exporters';
import { WorkMailError } from '../errors';
import { csvError, headerColumns, readCsvRows, readTextFile } from './csv';
import { markdownText } from './markdown';
import type { Snapshot, SnapshotEntity } from './schema';
import { counted, noun } from '../plural';
import { readTimeText } from '../readTimes';

/** One grant, as it binds two mailboxes to move: on `mailboxId`, used by `delegateId`. */
export interface Delegation {
  readonly mailboxId: string;
  readonly delegateId: string;
  /** What the grant names: the delegate itself, or a group the delegate is (perhaps nested) in. */
  readonly granteeId: string;
  readonly rights: readonly Right[];
}

export interface CutDelegation extends Delegation {
  readonly mailboxWave: number;
  readonly delegateWave: number;
  /** Mailboxes in the linked group the size limit split. */
  readonly componentSize: number;
}

export interface Wave {
  /** 1, 2, ... */
  readonly number: number;
  readonly mailboxes: readonly SnapshotEntity[];
}

export interface WavePlan {
  readonly maxSize?: number;
  readonly waves: readonly Wave[];
  /** Every delegation between two mailboxes of the plan. */
  readonly delegations: readonly Delegation[];
  /** The delegations whose two mailboxes are in different waves (only when a component was split). */
  readonly cut: readonly CutDelegation[];
  /** Components larger than the maximum, which were split. */
  readonly splitComponents: readonly number[];
  /** Group grantees whose members (or some nested group's) could not be read, with the grants through them. */
  readonly unreadableGroups: ReadonlyArray<{ readonly group: SnapshotEntity; readonly grants: number }>;
  /** Grants that bind no two mailboxes of the plan, by reason. */
  readonly notPlanned: ReadonlyArray<{ readonly reason: string; readonly grants: number }>;
}

export interface WaveOptions {
  /** At most this many mailboxes in a wave (a whole number ≥ 1). */
  readonly maxSize?: number;
}

/** A mailbox the plan moves: a user or resource with an address, not deleted, not a system user. */
export function isWaveMailbox(entity: SnapshotEntity): boolean {
  return entity.kind !== 'group' && !!entity.email && entity.state !== 'DELETED' && entity.userRole !== 'SYSTEM_USER';
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The delegations between mailboxes of the plan, and what was left out and why. */
export function delegationsOf(snapshot: Snapshot): Pick<WavePlan, 'delegations' | 'unreadableGroups' | 'notPlanned'> & { mailboxes: SnapshotEntity[] } {
  const byId = new Map(snapshot.entities.map((entity) => [entity.id, entity]));
  const mailboxes = snapshot.entities.filter(isWaveMailbox);
  const inPlan = new Set(mailboxes.map((m) => m.id));
  const expansions = new Map<string, { members: string[]; unreadable: string[] }>();
  /** Every entity a group reaches, nested groups followed once each; the unreadable groups met. */
  const expand = (groupId: string): { members: string[]; unreadable: string[] } => {
    const known = expansions.get(groupId);
    if (known) {
      return known;
    }
    const members = new Set<string>();
    const unreadable: string[] = [];
    const visited = new Set<string>([groupId]);
    const queue = [groupId];
    while (queue.length > 0) {
      const group = byId.get(queue.shift()!);
      if (!group) {
        continue;
      }
      if (group.membersUnreadable !== undefined) {
        unreadable.push(group.id);
      }
      for (const member of group.members ?? []) {
        const entity = byId.get(member);
        if (entity?.kind === 'group') {
          if (!visited.has(member)) {
            visited.add(member);
            queue.push(member);
          }
        } else {
          members.add(member);
        }
      }
    }
    const result = { members: [...members].sort(compareIds), unreadable };
    expansions.set(groupId, result);
    return result;
  };

  const delegations: Delegation[] = [];
  const unreadableGrants = new Map<string, number>();
  const notPlanned = new Map<string, number>();
  const skip = (reason: string): void => {
    notPlanned.set(reason, (notPlanned.get(reason) ?? 0) + 1);
  };
  for (const grant of snapshot.grants) {
    const mailbox = byId.get(grant.mailboxId);
    if (!mailbox || !inPlan.has(mailbox.id)) {
      skip(mailbox?.kind === 'group' ? "rights on a group's address (recreate them with the group)" : 'rights on a mailbox that is not moved (deleted, system user, or no address)');
      continue;
    }
    const grantee = byId.get(grant.granteeId);
    if (!grantee) {
      skip('grants to grantees WorkMail does not know (deleted or never there)');
      continue;
    }
    if (grantee.kind === 'group') {
      const { members, unreadable } = expand(grantee.id);
      for (const group of unreadable) {
        unreadableGrants.set(group, (unreadableGrants.get(group) ?? 0) + 1);
      }
      const delegates = members.filter((id) => id !== mailbox.id && inPlan.has(id));
      if (delegates.length === 0 && unreadable.length === 0) {
        skip('grants to groups with no member mailbox to move');
      }
      for (const delegateId of delegates) {
        delegations.push({ mailboxId: mailbox.id, delegateId, granteeId: grantee.id, rights: grant.rights });
      }
      continue;
    }
    if (!inPlan.has(grantee.id)) {
      skip('grants to grantees that are not moved (deleted, system users, or no address)');
      continue;
    }
    if (grantee.id !== mailbox.id) {
      delegations.push({ mailboxId: mailbox.id, delegateId: grantee.id, granteeId: grantee.id, rights: grant.rights });
    }
  }
  return {
    mailboxes,
    delegations,
    unreadableGroups: [...unreadableGrants].map(([id, grants]) => ({ group: byId.get(id)!, grants })).sort((a, b) => compareIds(a.group.id, b.group.id)),
    notPlanned: [...notPlanned].map(([reason, grants]) => ({ reason, grants })).sort((a, b) => a.reason.localeCompare(b.reason)),
  };
}

/** Plans the waves of a snapshot. Deterministic: the same snapshot and options give the same plan. */
export function planWaves(snapshot: Snapshot, options: WaveOptions = {}): WavePlan {
  const maxSize = options.maxSize;
  if (maxSize !== undefined && (!Number.isInteger(maxSize) || maxSize < 1)) {
    throw new WorkMailError('InvalidInput', `The maximum wave size must be a whole number of at least 1, not ${maxSize}.`);
  }
  const { mailboxes, delegations, unreadableGroups, notPlanned } = delegationsOf(snapshot);
  const ids = mailboxes.map((m) => m.id).sort(compareIds);
  const graph = new Graph(ids, delegations);
  const components = graph.components();

  const splitComponents: number[] = [];
  const groups: string[][] = [];
  const componentSizeOf = new Map<string, number>();
  for (const component of components) {
    for (const id of component) {
      componentSizeOf.set(id, component.length);
    }
    if (maxSize !== undefined && component.length > maxSize) {
      splitComponents.push(component.length);
      groups.push(...graph.partition(component, maxSize));
    } else {
      groups.push(component);
    }
  }

  let waveMembers: string[][];
  if (maxSize === undefined) {
    const linked = groups.filter((g) => g.length > 1);
    const alone = groups.filter((g) => g.length === 1).flat().sort(compareIds);
    waveMembers = [...linked, ...(alone.length > 0 ? [alone] : [])];
  } else {
    waveMembers = packFirstFitDecreasing(groups, maxSize);
  }

  const byId = new Map(mailboxes.map((m) => [m.id, m]));
  const waveOf = new Map<string, number>();
  const waves: Wave[] = waveMembers.map((members, index) => {
    const sorted = [...members].sort(compareIds);
    for (const id of sorted) {
      waveOf.set(id, index + 1);
    }
    return { number: index + 1, mailboxes: sorted.map((id) => byId.get(id)!) };
  });
  const cut: CutDelegation[] = delegations
    .filter((d) => waveOf.get(d.mailboxId) !== waveOf.get(d.delegateId))
    .map((d) => ({ ...d, mailboxWave: waveOf.get(d.mailboxId)!, delegateWave: waveOf.get(d.delegateId)!, componentSize: componentSizeOf.get(d.mailboxId)! }));
  return { ...(maxSize !== undefined ? { maxSize } : {}), waves, delegations, cut, splitComponents: splitComponents.sort((a, b) => b - a), unreadableGroups, notPlanned };
}

/** Largest first, each into the first wave with room; ties by first mailbox ID, so the plan is stable. */
function packFirstFitDecreasing(groups: readonly string[][], capacity: number): string[][] {
  const sorted = groups.map((g) => [...g].sort(compareIds)).sort((a, b) => b.length - a.length || compareIds(a[0]!, b[0]!));
  const bins: string[][] = [];
  for (const group of sorted) {
    const bin = bins.find((b) => b.length + group.length <= capacity);
    if (bin) {
      bin.push(...group);
    } else {
      bins.push([...group]);
    }
  }
  return bins;
}

/** Undirected, weighted: the weight of a pair is the number of delegations between them, either way. */
class Graph {
  private readonly adjacency = new Map<string, Map<string, number>>();

  constructor(nodes: readonly string[], delegations: readonly Delegation[]) {
    for (const node of nodes) {
      this.adjacency.set(node, new Map());
    }
    for (const d of delegations) {
      this.link(d.mailboxId, d.delegateId);
      this.link(d.delegateId, d.mailboxId);
    }
  }

  private link(a: string, b: string): void {
    const neighbours = this.adjacency.get(a)!;
    neighbours.set(b, (neighbours.get(b) ?? 0) + 1);
  }

  private neighbours(node: string): ReadonlyMap<string, number> {
    return this.adjacency.get(node)!;
  }

  /** Connected components, each sorted; in order of their smallest ID. */
  components(): string[][] {
    const seen = new Set<string>();
    const components: string[][] = [];
    for (const start of [...this.adjacency.keys()].sort(compareIds)) {
      if (seen.has(start)) {
        continue;
      }
      const component: string[] = [];
      const stack = [start];
      seen.add(start);
      while (stack.length > 0) {
        const node = stack.pop()!;
        component.push(node);
        for (const next of this.neighbours(node).keys()) {
          if (!seen.has(next)) {
            seen.add(next);
            stack.push(next);
          }
        }
      }
      components.push(component.sort(compareIds));
    }
    return components;
  }

  /** Splits one component into parts of at most `max` nodes, cutting few edges (see the file comment). */
  partition(component: readonly string[], max: number): string[][] {
    const partOf = new Map<string, number>();
    const parts: Set<string>[] = [];
    const unassigned = new Set(component);
    const weightTo = (node: string, within: ReadonlySet<string>): number => {
      let sum = 0;
      for (const [next, weight] of this.neighbours(node)) {
        if (within.has(next)) {
          sum += weight;
        }
      }
      return sum;
    };

    // Greedy growing: start from a mailbox at the edge (fewest links to what is left), then keep
    // adding the mailbox most linked to the part; stop at the size limit, or when nothing left is
    // linked to the part (a part closed off from the rest costs no cut).
    while (unassigned.size > 0) {
      const index = parts.length;
      if (unassigned.size <= max) {
        parts.push(new Set(unassigned));
        unassigned.forEach((node) => partOf.set(node, index));
        unassigned.clear();
        break;
      }
      let seed: string | undefined;
      let seedLinks = Infinity;
      for (const node of unassigned) {
        const links = weightTo(node, unassigned);
        if (links < seedLinks || (links === seedLinks && compareIds(node, seed!) < 0)) {
          seed = node;
          seedLinks = links;
        }
      }
      const part = new Set<string>();
      const gain = new Map<string, number>();
      const take = (node: string): void => {
        part.add(node);
        unassigned.delete(node);
        partOf.set(node, index);
        gain.delete(node);
        for (const [next, weight] of this.neighbours(node)) {
          if (unassigned.has(next)) {
            gain.set(next, (gain.get(next) ?? 0) + weight);
          }
        }
      };
      take(seed!);
      while (part.size < max && gain.size > 0) {
        let best: string | undefined;
        let bestGain = -1;
        let bestOutside: number | undefined;
        for (const [node, g] of gain) {
          if (best === undefined || g > bestGain) {
            best = node;
            bestGain = g;
            bestOutside = undefined;
            continue;
          }
          if (g < bestGain) {
            continue;
          }
          // A tie: the one with fewer links to what is still unassigned, then the smaller ID.
          bestOutside ??= weightTo(best, unassigned);
          const outside = weightTo(node, unassigned);
          if (outside < bestOutside || (outside === bestOutside && compareIds(node, best) < 0)) {
            best = node;
            bestOutside = outside;
          }
        }
        take(best!);
      }
      parts.push(part);
    }

    // Refinement, Kernighan–Lin style: move a mailbox to a part with room, or swap two mailboxes,
    // whenever that lowers the number of cut delegations. Each accepted step lowers the cut by at
    // least one, so the passes end; a bound keeps very large components quick.
    const linksTo = (node: string, part: number): number => weightTo(node, parts[part]!);
    for (let pass = 0; pass < 8; pass++) {
      let improved = false;
      for (const node of [...component].sort(compareIds)) {
        const own = partOf.get(node)!;
        const ownLinks = linksTo(node, own);
        const candidates = new Set<number>();
        for (const next of this.neighbours(node).keys()) {
          const part = partOf.get(next);
          if (part !== undefined && part !== own) {
            candidates.add(part);
          }
        }
        let done = false;
        for (const part of [...candidates].sort((a, b) => a - b)) {
          if (parts[part]!.size < max && linksTo(node, part) - ownLinks > 0) {
            this.move(node, own, part, parts, partOf);
            improved = done = true;
            break;
          }
        }
        if (done) {
          continue;
        }
        let bestSwap: { other: string; part: number; gain: number } | undefined;
        for (const part of candidates) {
          const nodeGain = linksTo(node, part) - ownLinks;
          if (nodeGain <= 0) {
            continue;
          }
          for (const other of parts[part]!) {
            const between = this.neighbours(node).get(other) ?? 0;
            const gain = nodeGain + linksTo(other, own) - linksTo(other, part) - 2 * between;
            if (gain > 0 && (!bestSwap || gain > bestSwap.gain || (gain === bestSwap.gain && compareIds(other, bestSwap.other) < 0))) {
              bestSwap = { other, part, gain };
            }
          }
        }
        if (bestSwap) {
          this.move(node, own, bestSwap.part, parts, partOf);
          this.move(bestSwap.other, bestSwap.part, own, parts, partOf);
          improved = true;
        }
      }
      if (!improved) {
        break;
      }
    }
    return parts.filter((part) => part.size > 0).map((part) => [...part].sort(compareIds));
  }

  private move(node: string, from: number, to: number, parts: Set<string>[], partOf: Map<string, number>): void {
    parts[from]!.delete(node);
    parts[to]!.add(node);
    partOf.set(node, to);
  }
}

// ------------------------------------------------------------------------------------- output

export const WAVE_COLUMNS = ['wave', 'mailbox_id', 'mailbox_address', 'display_name', 'kind', 'state', 'delegations', 'cut_delegations'] as const;

/** One row per mailbox, by wave then address; CRLF line ends, cells formula-guarded. */
export function wavesCsv(plan: WavePlan): string {
  const touching = new Map<string, number>();
  const cutTouching = new Map<string, number>();
  const count = (map: Map<string, number>, id: string): void => {
    map.set(id, (map.get(id) ?? 0) + 1);
  };
  for (const d of plan.delegations) {
    count(touching, d.mailboxId);
    count(touching, d.delegateId);
  }
  for (const d of plan.cut) {
    count(cutTouching, d.mailboxId);
    count(cutTouching, d.delegateId);
  }
  const line = (values: readonly string[]): string => `${values.map(csvCell).join(',')}\r\n`;
  let out = line(WAVE_COLUMNS);
  for (const wave of plan.waves) {
    for (const mailbox of [...wave.mailboxes].sort((a, b) => (a.email ?? '').localeCompare(b.email ?? '') || compareIds(a.id, b.id))) {
      out += line([
        String(wave.number),
        mailbox.id,
        mailbox.email ?? '',
        mailbox.displayName || mailbox.name || '',
        mailbox.kind,
        mailbox.state ?? '',
        String(touching.get(mailbox.id) ?? 0),
        String(cutTouching.get(mailbox.id) ?? 0),
      ]);
    }
  }
  return out;
}

const RIGHT_LABEL: Record<Right, string> = { FULL_ACCESS: 'Full access', SEND_AS: 'Send as', SEND_ON_BEHALF: 'Send on behalf' };

/** The readable report: the waves, their sizes, every cut delegation with the reason, and what the plan leaves out. */
export function wavesReport(plan: WavePlan, snapshot: Snapshot): string {
  const byId = new Map(snapshot.entities.map((entity) => [entity.id, entity]));
  const name = (id: string): string => {
    const entity = byId.get(id);
    if (!entity) {
      return `\`${markdownText(id)}\``;
    }
    const label = entity.displayName || entity.name;
    return entity.email ? `${markdownText(entity.email)}${label ? ` (${markdownText(label)})` : ''}` : markdownText(label || entity.id);
  };
  const org = snapshot.organization;
  const mailboxes = plan.waves.reduce((sum, wave) => sum + wave.mailboxes.length, 0);
  const lines: string[] = [];
  lines.push(`# Migration waves: ${markdownText(org.alias ?? org.id)}`, '');
  lines.push(`Organization ${markdownText(org.id)} (${markdownText(org.region)}), snapshot read ${markdownText(readTimeText(snapshot))}.`, '');
  lines.push(
    `**${plan.waves.length}** ${noun(plan.waves.length, 'wave')}, **${mailboxes}** ${noun(mailboxes, 'mailbox', 'mailboxes')}, **${plan.delegations.length}** ${noun(plan.delegations.length, 'delegation')} between them, **${plan.cut.length}** cut. ` +
      (plan.maxSize !== undefined ? `At most ${counted(plan.maxSize, 'mailbox', 'mailboxes')} a wave.` : 'No maximum wave size: nothing is cut.'),
    '',
  );
  lines.push(
    'Move each wave\'s mailboxes together: a delegation between two mailboxes of the same wave keeps working, because both are on the same system before and after the move. ' +
      (plan.maxSize === undefined ? 'The last wave holds the mailboxes with no delegation to or from another mailbox; they can move at any time.' : 'Waves hold whole linked groups of mailboxes where they fit, packed together to make as few waves as possible.'),
    '',
  );
  lines.push('| Wave | Mailboxes | Delegations inside | Cut delegations |', '| ---: | ---: | ---: | ---: |');
  for (const wave of plan.waves) {
    const members = new Set(wave.mailboxes.map((m) => m.id));
    const inside = plan.delegations.filter((d) => members.has(d.mailboxId) && members.has(d.delegateId)).length;
    const cut = plan.cut.filter((d) => members.has(d.mailboxId) || members.has(d.delegateId)).length;
    lines.push(`| ${wave.number} | ${wave.mailboxes.length} | ${inside} | ${cut} |`);
  }
  lines.push('');

  lines.push('## Cut delegations', '');
  if (plan.cut.length === 0) {
    lines.push(plan.maxSize === undefined ? 'None: without a maximum wave size, every linked group of mailboxes is one wave.' : 'None: every linked group of mailboxes fits in one wave.', '');
  } else {
    lines.push(
      `The maximum wave size (${plan.maxSize}) split ${counted(plan.splitComponents.length, 'linked group')} of ${plan.splitComponents.join(', ')} mailboxes. ` +
        'Each delegation below joins two waves: between the first of the two moves and the second, it does not work (the mailbox and its delegate are on different systems). ' +
        'Move these two waves close together, or recreate the delegation right after the second move.',
      '',
    );
    lines.push('| Mailbox | Wave | Delegate | Wave | Through | Rights | Reason |', '| --- | ---: | --- | ---: | --- | --- | --- |');
    for (const d of plan.cut) {
      const through = d.granteeId === d.delegateId ? 'direct' : `group ${name(d.granteeId)}`;
      lines.push(
        `| ${name(d.mailboxId)} | ${d.mailboxWave} | ${name(d.delegateId)} | ${d.delegateWave} | ${through} | ${d.rights.map((r) => RIGHT_LABEL[r]).join(', ')} | size limit ${plan.maxSize}: a linked group of ${d.componentSize} mailboxes was split |`,
      );
    }
    lines.push('');
  }

  lines.push('## Waves', '');
  for (const wave of plan.waves) {
    lines.push(`### Wave ${wave.number} (${wave.mailboxes.length} mailbox${wave.mailboxes.length === 1 ? '' : 'es'})`, '');
    for (const mailbox of [...wave.mailboxes].sort((a, b) => (a.email ?? '').localeCompare(b.email ?? ''))) {
      lines.push(`- ${name(mailbox.id)}${mailbox.state === 'DISABLED' ? ' (disabled)' : ''}`);
    }
    lines.push('');
  }

  lines.push('## Not in the plan', '');
  const unread = snapshot.unreadMailboxes;
  if (plan.unreadableGroups.length === 0 && plan.notPlanned.length === 0 && unread.length === 0) {
    lines.push('Nothing: every grant of the snapshot is planned.', '');
  }
  if (unread.length > 0) {
    lines.push(`**${counted(unread.length, 'mailbox', 'mailboxes')} could not be read** when the snapshot was taken: their delegations are unknown and may link them to other waves. Take a new snapshot.`, '');
    for (const u of unread) {
      lines.push(`- ${name(u.mailboxId)}: ${markdownText(u.code)}`);
    }
    lines.push('');
  }
  if (plan.unreadableGroups.length > 0) {
    lines.push('**Groups whose members could not be read**: delegations through them are missing from the plan. Take a new snapshot, or check their members by hand.', '');
    for (const { group, grants } of plan.unreadableGroups) {
      lines.push(`- ${name(group.id)}: ${counted(grants, 'grant')} through it`);
    }
    lines.push('');
  }
  for (const { reason, grants } of plan.notPlanned) {
    lines.push(`- ${markdownText(reason)}: ${grants}`);
  }
  if (plan.notPlanned.length > 0) {
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

// ------------------------------------------------------------------------------------- reading

/**
 * The waves of a waves CSV (as wavesCsv writes it, perhaps edited): wave number → mailbox IDs.
 * Needs the columns `wave` and `mailbox_id`; errors name file, line and column.
 */
export async function readWaves(file: string): Promise<Map<number, Set<string>>> {
  return parseWaves(await readTextFile(file, 'the waves file'), file);
}

export function parseWaves(text: string, file = 'the waves file'): Map<number, Set<string>> {
  const CODE = 'InvalidWaves';
  const rows = readCsvRows(text, file, CODE);
  if (rows.length === 0) {
    throw csvError(CODE, file, 1, undefined, `the file is empty; it needs a header row (${WAVE_COLUMNS.join(',')})`);
  }
  const columns = headerColumns(rows[0]!, file, CODE);
  const waveCol = columns.get('wave');
  const idCol = columns.get('mailbox_id');
  if (waveCol === undefined || idCol === undefined) {
    throw csvError(CODE, file, rows[0]!.line, undefined, `the header row needs the columns wave and mailbox_id (found: ${[...columns.keys()].join(', ') || 'nothing'})`);
  }
  const waves = new Map<number, Set<string>>();
  const seenAt = new Map<string, number>();
  for (const { cells, line } of rows.slice(1)) {
    const rawWave = (cells[waveCol] ?? '').trim();
    const id = (cells[idCol] ?? '').trim();
    if (!rawWave && !id) {
      continue;
    }
    if (!/^[1-9][0-9]{0,8}$/.test(rawWave)) {
      throw csvError(CODE, file, line, waveCol + 1, `${JSON.stringify(rawWave)} is not a wave number (1, 2, ...)`);
    }
    if (!id) {
      throw csvError(CODE, file, line, idCol + 1, 'the mailbox_id is empty');
    }
    const earlier = seenAt.get(id);
    if (earlier !== undefined) {
      throw csvError(CODE, file, line, idCol + 1, `${id} is in a wave twice (also on line ${earlier}); keep one row`);
    }
    seenAt.set(id, line);
    const wave = Number(rawWave);
    if (!waves.has(wave)) {
      waves.set(wave, new Set());
    }
    waves.get(wave)!.add(id);
  }
  return new Map([...waves].sort((a, b) => a[0] - b[0]));
}
