// The plan: the components of the delegation graph become waves. Without a maximum wave size, each
// component of two or more mailboxes is a wave, and the mailboxes with no delegation to or from
// another one form the last wave (they can move at any time). With a maximum, a larger component is
// split (partition.ts), then parts and components are packed into as few waves as first-fit
// decreasing finds, never cutting anything more. Every delegation a split cuts is listed. The
// applications (impersonation roles) are noted with the waves they reach once the waves are made:
// they never change them.
import { WorkMailError } from '../../errors';
import type { Snapshot, SnapshotEntity } from '../schema';
import { applicationNotes, type ApplicationNote } from './applications';
import { delegationsOf, type Delegation, type NotPlanned, type UnreadableDelegates, type UnreadableGroup } from './delegations';
import { DelegationGraph } from './graph';
import { compareIds } from './order';
import { splitComponent } from './partition';

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
  /** Group grantees and delegates whose members (or some nested group's) could not be read, with what goes through them. */
  readonly unreadableGroups: readonly UnreadableGroup[];
  /** Resources whose booking delegates could not be read. */
  readonly unreadableDelegates: readonly UnreadableDelegates[];
  /** Why the plan holds no booking delegation at all (the snapshot did not record them). */
  readonly bookingDelegatesNotRecorded?: string;
  /** Grants and booking delegations that bind no two mailboxes of the plan, by reason. */
  readonly notPlanned: readonly NotPlanned[];
  /** Every impersonation role, with the waves of the mailboxes it acts as: a note, not a delegation. */
  readonly applications: readonly ApplicationNote[];
  /** Why no application is noted (the roles were not recorded or could not be read). */
  readonly applicationsNotRead?: string;
}

export interface WaveOptions {
  /** At most this many mailboxes in a wave (a whole number ≥ 1). */
  readonly maxSize?: number;
}

/** Plans the waves of a snapshot. Deterministic: the same snapshot and options give the same plan. */
export function planWaves(snapshot: Snapshot, options: WaveOptions = {}): WavePlan {
  const maxSize = options.maxSize;
  if (maxSize !== undefined && (!Number.isInteger(maxSize) || maxSize < 1)) {
    throw new WorkMailError('InvalidInput', `The maximum wave size must be a whole number of at least 1, not ${maxSize}.`);
  }
  const { mailboxes, delegations, unreadableGroups, unreadableDelegates, bookingDelegatesNotRecorded, notPlanned } = delegationsOf(snapshot);
  const graph = new DelegationGraph(mailboxes.map((m) => m.id).sort(compareIds), delegations);
  const components = graph.components();
  const groups = maxSize === undefined ? components : components.flatMap((component) => (component.length > maxSize ? splitComponent(graph, component, maxSize) : [component]));
  const waveMembers = maxSize === undefined ? linkedThenAlone(groups) : packFirstFitDecreasing(groups, maxSize);

  const byId = new Map(mailboxes.map((m) => [m.id, m]));
  const waves: Wave[] = waveMembers.map((members, index) => ({ number: index + 1, mailboxes: [...members].sort(compareIds).map((id) => byId.get(id)!) }));
  const splitComponents = maxSize === undefined ? [] : components.map((component) => component.length).filter((size) => size > maxSize);
  const waveOf = new Map(waves.flatMap((wave) => wave.mailboxes.map((mailbox) => [mailbox.id, wave.number] as const)));
  const { applications, notRead } = applicationNotes(snapshot, waveOf);
  return {
    ...(maxSize !== undefined ? { maxSize } : {}),
    waves,
    delegations,
    cut: cutDelegations(delegations, waves, components),
    splitComponents: splitComponents.sort((a, b) => b - a),
    unreadableGroups,
    unreadableDelegates,
    ...(bookingDelegatesNotRecorded !== undefined ? { bookingDelegatesNotRecorded } : {}),
    notPlanned,
    applications,
    ...(notRead !== undefined ? { applicationsNotRead: notRead } : {}),
  };
}

/** Without a maximum: each linked group is a wave, then one last wave of the mailboxes linked to none. */
function linkedThenAlone(groups: readonly string[][]): string[][] {
  const linked = groups.filter((g) => g.length > 1);
  const alone = groups.filter((g) => g.length === 1).flat().sort(compareIds);
  return [...linked, ...(alone.length > 0 ? [alone] : [])];
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

/** The delegations whose two mailboxes ended in different waves, with both waves and the size of the component that was split. */
function cutDelegations(delegations: readonly Delegation[], waves: readonly Wave[], components: readonly string[][]): CutDelegation[] {
  const waveOf = new Map<string, number>();
  for (const wave of waves) {
    for (const mailbox of wave.mailboxes) {
      waveOf.set(mailbox.id, wave.number);
    }
  }
  const componentSizeOf = new Map<string, number>();
  for (const component of components) {
    for (const id of component) {
      componentSizeOf.set(id, component.length);
    }
  }
  return delegations
    .filter((d) => waveOf.get(d.mailboxId) !== waveOf.get(d.delegateId))
    .map((d) => ({ ...d, mailboxWave: waveOf.get(d.mailboxId)!, delegateWave: waveOf.get(d.delegateId)!, componentSize: componentSizeOf.get(d.mailboxId)! }));
}
