// Generated fault schedules for the write path (model-based testing with fast-check).
//
// Each run is a schedule: a person's actions in two VS Code windows (grant, edit, revoke, bulk
// grant and revoke, two changes at once, undo, stale clean-up, profile switch and back, reload)
// interleaved with what the service does (a request held past the client's timeout and carried
// out later, a connection reset before or after the service acts, a 500, throttling, a lagging
// permission list, another administrator changing the same pair, a grantee disabled and enabled
// again). It runs through the real SDK against the emulator and checks the invariants of
// docs/CONTRACTS.md against the emulator's ground truth; fast-check shrinks a failing schedule to
// a minimal one.
//
// Each schedule also draws the emulator variant grantee-id-form (docs/EMULATOR.md): under
// `as-given` ListMailboxPermissions lists a grantee in the form its last Put named it by, so when
// another administrator sets a pair by the grantee's name or email address the person's next read
// meets a row listed by that name or email (PermissionWriter.rowsOf), and the writer's Put by ID
// lists it by ID again. The runs are split between the variants, not multiplied. Besides the
// invariants at rest, every change made while nothing else touches its pair checks that the
// writer read the grantee's rights as WorkMail held them, whatever form they were listed under,
// so a grant never drops a right it was not asked to remove.
//
// CI runs a fixed seed and a bounded number of runs; more with
//   npm run test:model -- --runs 2000 --seed 42
// and, to see the checker catch a write path with too short a settle window,
//   WORKMAIL_MODEL_SETTLE_MS=1 WORKMAIL_MODEL_RUNS=80 WORKMAIL_MODEL_SEED=7 npx mocha --no-config --node-option import=tsx --timeout 0 test/workmail/writePath.model.test.ts
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { startEmulator, type Emulator } from '../../emulator';
import type { FaultRule } from '../../emulator/faults';
import { writeFaultRules, type WriteFault } from './modelFaults';
import type { SeedRight } from '../../emulator/seedDocument';
import { applyBatch, type BatchItem } from '../../src/workmail/batch';
import { InDoubtError } from '../../src/workmail/errors';
import { PendingWriteStore } from '../../src/workmail/pendingWrites';
import { PermissionWriter, type ChangeResult, type PermissionChange } from '../../src/workmail/permissions';
import { normalizeRights, rightsAfter, sameRights } from '../../src/workmail/rights';
import { WorkMailSession } from '../../src/workmail/session';
import { currentStaleReasons, type StaleGrant } from '../../src/workmail/stale';
import type { Right } from '../../src/workmail/types';
import { looksLikeEntityId } from '../../src/workmail/validation';
import { ReliabilityLog } from '../reliability/record';
import { ACME, ANA, BOB, DEFAULT_KEYS, seed, staffId, staticCredentials } from './fixture';

// ------------------------------------------------------------------ timing of the world

/** The client gives up on a request after this long. */
const REQUEST_TIMEOUT_MS = 150;
/** A held request is carried out this long after it arrived (after its client gave up). */
const HOLD_MS = 300;
/** The permission list shows a write this long after it happened, while the lag is on. */
const LAG_MS = 200;
/**
 * The writer's settle window (longer than a hold, as the real default is) and its allowance for the
 * list lag. WORKMAIL_MODEL_SETTLE_MS=1 makes both far too short, to see the checker find the
 * overlapping writes and lost rights that follow.
 */
const SHORT_WINDOW = process.env['WORKMAIL_MODEL_SETTLE_MS'];
const SETTLE_MS = Number(SHORT_WINDOW ?? 900);
const LIST_LAG_ALLOWANCE_MS = SHORT_WINDOW === undefined ? LAG_MS + 50 : Number(SHORT_WINDOW);

const RUNS = Number(process.env['WORKMAIL_MODEL_RUNS'] ?? 40);
const SEED = Number(process.env['WORKMAIL_MODEL_SEED'] ?? 20261201);

// The CI-sized run and a longer `npm run test:model` run are recorded apart in docs/RELIABILITY.md;
// a run with a deliberately short settle window (checking the checker) is not recorded.
const log = new ReliabilityLog(join(__dirname, '..', '..'), process.env['WORKMAIL_MODEL_RUNS'] ? 'node-model-extended' : 'node-model');
const recorded = SHORT_WINDOW === undefined;
const check: ReliabilityLog['check'] = recorded ? (description, body) => log.check(description, body) : async (_description, body) => void (await body());
after(() => log.render());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How often each outcome happened over all runs, to show the schedules reach the hard cases. */
const tally = new Map<string, number>();
const count = (what: string): void => {
  tally.set(what, (tally.get(what) ?? 0) + 1);
};
/** How often the writer's reads were checked, and met a grantee listed by name or email. */
const reads = { checked: 0, unchecked: 0, email: 0, name: 0 };

/** Counts the writer's reads that met a model grantee listed by name or email (rowsOf had to look it up). */
function tallyListedForms(session: WorkMailSession): void {
  const listAllGrants = session.listAllGrants.bind(session);
  session.listAllGrants = async (...args) => {
    const grants = await listAllGrants(...args);
    const forms = new Set(grants.flatMap((grant) => GRANTEES.flatMap((grantee) => (grant.granteeId === grantee.id ? [] : grant.granteeId.toLowerCase() === grantee.email ? ['email' as const] : grant.granteeId === grantee.name ? ['name' as const] : []))));
    for (const form of forms) reads[form]++;
    return grants;
  };
}

// ------------------------------------------------------------------ the pairs

const MAILBOXES = [
  { id: ANA, name: 'ana', email: 'ana@acme.example.com' },
  { id: staffId(1), name: 'staff01', email: 'staff01@acme.example.com' },
] as const;
const GRANTEES = [
  { id: BOB, name: 'bob', email: 'bob@acme.example.com' },
  { id: staffId(2), name: 'staff02', email: 'staff02@acme.example.com' },
] as const;
type PairIndex = 0 | 1 | 2 | 3;
const PAIRS = [0, 1, 2, 3] as const;
const mailboxOf = (pair: number) => MAILBOXES[pair >> 1]!;
const granteeOf = (pair: number) => GRANTEES[pair & 1]!;
const pairName = (pair: number) => `${mailboxOf(pair).name}/${granteeOf(pair).name}`;
const emulatorPair = (pair: number) => `${ACME.organizationId}/${mailboxOf(pair).id}/${granteeOf(pair).id}`;

/**
 * How someone names a grantee: by entity ID, user name, email address, or the email address in
 * other letter case (WorkMail matches names and addresses case-insensitively).
 */
type Form = 'id' | 'name' | 'email' | 'EMAIL';
const granteeAs = (pair: number, form: Form): string => {
  const grantee = granteeOf(pair);
  return form === 'id' ? grantee.id : form === 'name' ? grantee.name : form === 'email' ? grantee.email : mixedCase(grantee.email);
};
const mixedCase = (text: string): string => text.replace(/^./, (c) => c.toUpperCase()).replace(/@.*$/, (domain) => domain.toUpperCase());
const formLabel = (form: Form): string => (form === 'id' ? '' : form === 'name' ? ' by name' : form === 'email' ? ' by email' : ' by EMAIL (other case)');

/** The emulator variant a schedule runs under: how ListMailboxPermissions names a grantee. */
type IdForm = 'as-stored' | 'as-given';

// ------------------------------------------------------------------ the world a schedule runs in

type Fault = WriteFault | 'readBackLost';

interface Claim {
  /** What the person was last told the pair holds; undefined: told that it is not known. */
  readonly rights: readonly Right[] | undefined;
  readonly at: number;
  /**
   * When the change whose reads it rests on began. The writer's read comes before the answer, by as
   * much as its look-ups of rows listed by name or email take (grantee-id-form=as-given), so it is
   * this time, not `at`, that says whether a lagging list could still hide another's change.
   */
  readonly readFrom: number;
  readonly by: string;
}

/** A change through the writer as it started: what WorkMail held then, when nothing else could change the pair. */
interface Read {
  readonly pair: number;
  /** Which change on the pair this is (another starting before it ends makes its read unchecked). */
  readonly serial: number;
  readonly held?: Right[];
  readonly externalChanges: number;
  /** When the change began (its reads come after). */
  readonly at: number;
}

interface Window {
  session: WorkMailSession;
  store: PendingWriteStore;
  writer: PermissionWriter;
  /** The last change this window made, for its Undo. */
  last?: { pair: number; before: readonly Right[]; written: readonly Right[] };
}

class World {
  readonly windows: Window[] = [];
  readonly claims = new Map<number, Claim>();
  /** When another administrator last changed each pair, and whether the list lagged then. */
  readonly external = new Map<number, { at: number; lag: boolean }>();
  readonly directory = mkdtempSync(join(tmpdir(), 'workmail-model-'));
  lag = false;
  readonly trace: string[] = [];
  /** Changes through the writer running on each pair now, and how many have started on it. */
  private readonly active = new Map<number, number>();
  private readonly started = new Map<number, number>();
  /** When each pair was last written, by anyone (a held write may land up to HOLD_MS later). */
  private readonly touched = new Map<number, number>();
  /** How many times another administrator has changed each pair. */
  private readonly externalChanges = new Map<number, number>();

  constructor(
    readonly emu: Emulator,
    readonly idForm: IdForm = 'as-stored',
    private readonly adapt: (session: WorkMailSession) => void = () => undefined,
  ) {
    this.trace.push(`grantee-id-form=${idForm}`);
    for (let i = 0; i < 2; i++) this.windows.push(this.openWindow());
  }

  openWindow(store?: PendingWriteStore): Window {
    const session = new WorkMailSession({ endpoint: this.emu.url, credentials: staticCredentials(DEFAULT_KEYS), maxAttempts: 3, requestTimeoutMs: REQUEST_TIMEOUT_MS });
    tallyListedForms(session);
    this.adapt(session);
    const pending = store ?? new PendingWriteStore(this.directory, { lockWaitMs: 20_000, lockRetryMs: 15 });
    return { session, store: pending, writer: new PermissionWriter(session, { store: pending, settleMs: SETTLE_MS, listLagMs: LIST_LAG_ALLOWANCE_MS, throttleBackoffMs: 10 }) };
  }

  replaceWindow(index: number, keepStore: boolean): void {
    const old = this.windows[index]!;
    const fresh = this.openWindow(keepStore ? old.store : undefined);
    // A profile switch keeps nothing of the old writer; a reload keeps nothing of the process either.
    fresh.last = old.last;
    this.windows[index] = fresh;
    // Requests still in flight on the old session finish on their own; it is closed afterwards.
    setTimeout(() => old.session.dispose(), 3 * HOLD_MS).unref();
  }

  truth(pair: number): Right[] {
    const grant = this.emu.grants(ACME.organizationId).find((g) => g.mailboxId === mailboxOf(pair).id && g.granteeId === granteeOf(pair).id);
    return normalizeRights((grant?.rights ?? []) as Right[]);
  }

  /** Another administrator sets the pair, naming the grantee in `form`. */
  setExternally(pair: number, rights: readonly Right[], form: Form): void {
    this.emu.putGrantDirect(ACME.organizationId, mailboxOf(pair).id, granteeAs(pair, form), rights as readonly SeedRight[]);
    this.external.set(pair, { at: Date.now(), lag: this.lag });
    this.externalChanges.set(pair, (this.externalChanges.get(pair) ?? 0) + 1);
    this.touched.set(pair, Date.now());
  }

  /**
   * Whether what WorkMail lists for the pair now is what it holds, and stays so until the writer has
   * read it: no write to it in flight, no other change to it running, and, while the list lags, no
   * write to it recent enough to be hidden (or to land and then be hidden).
   */
  private quiet(pair: number): boolean {
    if ((this.active.get(pair) ?? 0) > 0 || this.emu.writesInFlight().includes(emulatorPair(pair))) return false;
    const touched = this.touched.get(pair);
    return !this.lag || touched === undefined || Date.now() - touched > HOLD_MS + LAG_MS + 50;
  }

  baseFaults(): { consistencyDelayMs?: number } {
    return this.lag ? { consistencyDelayMs: LAG_MS } : {};
  }

  withFault(fault: Fault): void {
    const rules: FaultRule[] =
      fault === 'readBackLost'
        ? [{ operation: 'ListMailboxPermissions', delayMs: 1, times: 1 }, { operation: 'ListMailboxPermissions', resetConnection: true, times: 1 }]
        : writeFaultRules(fault, ['PutMailboxPermissions', 'DeleteMailboxPermissions'], HOLD_MS);
    this.emu.setFaults({ ...this.baseFaults(), rules });
  }

  clearFault(): void {
    this.emu.setFaults(this.baseFaults());
  }

  /** What the person is told, as the invariants read it. */
  claim(pair: number, rights: readonly Right[] | undefined, by: string, onlyOwnLateCopy = false, readFrom = Date.now()): void {
    // A write whose answer was lost although WorkMail lists its rights may still arrive late: that
    // late copy writes the very rights the person was told, and the pair is held until it cannot.
    if (rights !== undefined && !onlyOwnLateCopy) {
      // Invariant 2: never told where the pair ended while a write to it may still be carried out.
      assert.ok(!this.emu.writesInFlight().includes(emulatorPair(pair)), `${by}: told ${pairName(pair)} holds ${rights.join('+') || 'nothing'} while a write to it is still in flight`);
    }
    this.claims.set(pair, { rights: rights === undefined ? undefined : normalizeRights(rights), at: Date.now(), readFrom, by });
    this.trace.push(`${by} → ${pairName(pair)}: ${rights === undefined ? 'in doubt' : rights.join('+') || 'none'}`);
  }

  /**
   * One change made by a person through the one batch engine every front end writes with, with
   * the dialog's answers a person may give: on a concurrent change, "Apply My Change" (once) or
   * nothing. Never throws for a refusal.
   */
  async change(windowIndex: number, pair: number, change: PermissionChange, options: { expectedBefore?: readonly Right[]; form?: Form; acceptConcurrent?: boolean; by: string }): Promise<ChangeResult | undefined> {
    const window = this.windows[windowIndex]!;
    const form = options.form ?? 'id';
    const item: BatchItem = {
      org: ACME,
      mailbox: { id: form === 'id' ? mailboxOf(pair).id : form === 'name' ? mailboxOf(pair).name : mailboxOf(pair).email, kind: 'user' },
      mailboxLabel: mailboxOf(pair).name,
      grantee: { id: granteeAs(pair, form), type: 'USER', label: granteeOf(pair).name },
      change,
      expectedBefore: options.expectedBefore,
      granteeFromDirectory: form === 'id' ? undefined : false,
    };
    let read = this.startChange(pair);
    let written: ChangeResult | undefined;
    let shown = 0;
    const [outcome] = await applyBatch(window.writer, [item], {
      onWritten: (_item, result) => {
        this.endChange(pair);
        written = result;
        this.checkRead(read, result.before, change, result.requested, options.by);
        // Invariant 4: the write went to the IDs of the entities the person chose.
        assert.equal(result.mailboxId, mailboxOf(pair).id);
        assert.equal(result.granteeId, granteeOf(pair).id);
        count(result.noop ? 'no-op' : result.verified ? (result.writeError ? 'written, answer lost, verified' : 'written and verified') : 'written, not listed yet');
        this.claim(pair, result.noop ? result.before : result.verified ? result.after : result.requested, options.by, result.writeError !== undefined && result.settleAt !== undefined, read.at);
        if (!result.noop) window.last = { pair, before: result.before, written: result.requested };
      },
      onConcurrentChange: async (_item, err) => {
        this.endChange(pair);
        count('refused: ConcurrentChange');
        this.checkRead(read, err.actual, change, undefined, `${options.by} (concurrent change shown)`);
        // Shown "Now: …": that is a claim about what WorkMail holds.
        this.claim(pair, err.actual, `${options.by} (concurrent change shown)`, false, read.at);
        if (options.acceptConcurrent && shown++ === 0) {
          read = this.startChange(pair);
          return err.mine;
        }
        return undefined;
      },
      onFailed: (_item, error) => {
        this.endChange(pair);
        count(`refused: ${error.code}`);
        if (error instanceof InDoubtError || error.code === 'InDoubt') {
          this.claim(pair, undefined, `${options.by} (in doubt)`);
        } else {
          // Refused: "Nothing was changed", so the last claim stands.
          this.trace.push(`${options.by} refused: ${error.code}`);
        }
      },
    });
    return outcome?.status === 'changed' || outcome?.status === 'unchanged' ? written : undefined;
  }

  /** A change through the writer starts on the pair: what WorkMail holds, if nothing else can change it meanwhile. */
  private startChange(pair: number): Read {
    const held = this.quiet(pair) ? this.truth(pair) : undefined;
    const serial = (this.started.get(pair) ?? 0) + 1;
    this.started.set(pair, serial);
    this.active.set(pair, (this.active.get(pair) ?? 0) + 1);
    return { pair, serial, held, externalChanges: this.externalChanges.get(pair) ?? 0, at: Date.now() };
  }

  private endChange(pair: number): void {
    this.active.set(pair, (this.active.get(pair) ?? 1) - 1);
    this.touched.set(pair, Date.now());
  }

  /**
   * The writer's read, when nothing else changed the pair while the change ran: it must be what
   * WorkMail held, counting rows listed under the grantee's name or email address (a Put by ID
   * replaces those too), and a grant must write all of it back. Otherwise a right nobody asked to
   * remove would be lost, and the person told the pair holds what it holds.
   */
  private checkRead(read: Read, before: readonly Right[], change: PermissionChange, requested: readonly Right[] | undefined, by: string): void {
    if (read.held === undefined || this.started.get(read.pair) !== read.serial || (this.externalChanges.get(read.pair) ?? 0) !== read.externalChanges) {
      reads.unchecked++;
      return;
    }
    reads.checked++;
    const label = (rights: readonly Right[]) => rights.join('+') || 'nothing';
    assert.deepEqual(normalizeRights(before), read.held, `read: ${by} read ${label(before)} for ${pairName(read.pair)}, but WorkMail held ${label(read.held)} (under grantee-id-form=${this.idForm})\n${this.trace.join('\n')}`);
    if (change.kind === 'grant' && requested !== undefined) {
      const dropped = read.held.filter((right) => !requested.includes(right));
      assert.deepEqual(dropped, [], `right lost: ${by} wrote ${label(requested)} to ${pairName(read.pair)}, dropping ${label(dropped)} that WorkMail held (under grantee-id-form=${this.idForm})\n${this.trace.join('\n')}`);
    }
  }

  /** Waits until nothing the service holds can still land, then checks invariant 1 on every pair. */
  async checkAtRest(): Promise<void> {
    for (let i = 0; i < 300 && this.emu.writesInFlight().length > 0; i++) await sleep(10);
    assert.deepEqual(this.emu.writesInFlight(), [], 'held writes finish within their hold');
    await sleep(LAG_MS + 20);
    // Invariant 3: no write to a pair started while another to it could still land.
    assert.deepEqual(this.emu.writeOverlaps(), [], 'a write overlapped another to the same pair');
    for (const pair of PAIRS) {
      const claim = this.claims.get(pair);
      if (!claim || claim.rights === undefined) continue;
      // A change by someone else voids what the person was told before it (and, while the list
      // lags, what they were told from a list that could not show it yet).
      // While the list lags, a claim read from it shortly after the change cannot have seen it.
      const external = this.external.get(pair);
      if (external !== undefined && (external.lag ? claim.readFrom <= external.at + LAG_MS + 50 : claim.at <= external.at)) continue;
      assert.deepEqual(this.truth(pair), claim.rights, `invariant 1: ${pairName(pair)} holds ${this.truth(pair).join('+') || 'nothing'}, but the person was last told ${claim.rights.join('+') || 'nothing'} (${claim.by})\n${this.trace.join('\n')}`);
    }
  }

  close(): void {
    for (const window of this.windows) setTimeout(() => window.session.dispose(), 3 * HOLD_MS).unref();
  }
}

// ------------------------------------------------------------------ the actions

type Model = Record<string, never>;
type Command = fc.AsyncCommand<Model, World>;

const rightsArb = fc.subarray(['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF'] as Right[], { minLength: 0 });
const someRights = fc.subarray(['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF'] as Right[], { minLength: 1 });
const faultArb = fc.constantFrom<Fault>('none', 'none', 'none', 'hold', 'hold', 'resetBefore', 'resetAfter', 'serverError', 'throttleOnce', 'throttleAlways', 'readBackLost');
const pairArb = fc.constantFrom<PairIndex>(...PAIRS);
const windowArb = fc.constantFrom(0, 1);
/** How the person names a grantee in a grant (by email it is refused); how another administrator does. */
const personFormArb = fc.constantFrom<'id' | 'name' | 'email'>('id', 'id', 'name', 'name', 'email');
const adminFormArb = fc.constantFrom<Form>('id', 'name', 'email', 'EMAIL');
/** Split between the variants, so the runs' number (and time) is the same as under one. */
const idFormArb = fc.constantFrom<IdForm>('as-stored', 'as-given');

/**
 * The organization as the schedule finds it: pairs another administrator set before, naming the
 * grantee by ID, name or email. Under as-given most schedules start with rows listed by name or
 * email, which the person's first change to the pair must read as the grantee's.
 */
class StartingGrants {
  constructor(readonly grants: ReadonlyArray<{ pair: number; rights: Right[]; form: Form }>) {}
  apply(world: World): void {
    for (const { pair, rights, form } of this.grants) world.emu.putGrantDirect(ACME.organizationId, mailboxOf(pair).id, granteeAs(pair, form), rights as SeedRight[]);
    world.trace.push(this.toString());
  }
  toString(): string {
    return `found: ${this.grants.map(({ pair, rights, form }) => `${pairName(pair)} ${rights.join('+')}${formLabel(form)}`).join(', ') || 'the seed'}`;
  }
  [fc.toStringMethod](): string {
    return this.toString();
  }
}
const startArb = fc
  .tuple(...PAIRS.map(() => fc.option(fc.tuple(someRights, adminFormArb), { nil: undefined })))
  .map((perPair) => new StartingGrants(perPair.flatMap((grant, pair) => (grant ? [{ pair, rights: grant[0], form: grant[1] }] : []))));

/** What the person saw in a dialog: what they were last told, or a fresh read when they were told nothing. */
async function seen(world: World, windowIndex: number, pair: number): Promise<readonly Right[]> {
  const claim = world.claims.get(pair);
  if (claim?.rights) return claim.rights;
  return world.windows[windowIndex]!.writer.readRights(ACME, mailboxOf(pair).id, granteeOf(pair).id);
}

abstract class Step implements Command {
  check(): boolean {
    return true;
  }
  abstract run(model: Model, world: World): Promise<void>;
  abstract toString(): string;
}

/** A person's grant, naming the mailbox and grantee by ID or by name; by email address it is refused unsent. */
class Grant extends Step {
  constructor(readonly window: number, readonly pair: number, readonly rights: Right[], readonly fault: Fault, readonly form: 'id' | 'name' | 'email') {
    super();
  }
  async run(_: Model, world: World): Promise<void> {
    world.withFault(this.fault);
    try {
      const result = await world.change(this.window, this.pair, { kind: 'grant', add: this.rights }, { form: this.form, by: this.toString() });
      // The writer changes permissions by ID: an address typed as the grantee is refused before any call.
      if (this.form === 'email') assert.equal(result, undefined, `${this.toString()}: a grantee given by email address was written`);
    } finally {
      world.clearFault();
    }
  }
  toString(): string {
    return `grant(w${this.window}, ${pairName(this.pair)}, ${this.rights.join('+')}, ${this.fault}${formLabel(this.form)})`;
  }
}

class Edit extends Step {
  constructor(readonly window: number, readonly pair: number, readonly rights: Right[], readonly fault: Fault, readonly accept: boolean) {
    super();
  }
  async run(_: Model, world: World): Promise<void> {
    const expectedBefore = await seen(world, this.window, this.pair);
    world.withFault(this.fault);
    try {
      const change: PermissionChange = this.rights.length === 0 ? { kind: 'revoke' } : { kind: 'set', rights: this.rights };
      await world.change(this.window, this.pair, change, { expectedBefore, acceptConcurrent: this.accept, by: this.toString() });
    } finally {
      world.clearFault();
    }
  }
  toString(): string {
    return `edit(w${this.window}, ${pairName(this.pair)}, to ${this.rights.join('+') || 'nothing'}, ${this.fault}${this.accept ? ', applies my change on a conflict' : ''})`;
  }
}

class Bulk extends Step {
  constructor(readonly window: number, readonly pairs: number[], readonly kind: 'grant' | 'revoke', readonly rights: Right[], readonly fault: Fault) {
    super();
  }
  async run(_: Model, world: World): Promise<void> {
    world.withFault(this.fault);
    try {
      const change: PermissionChange = this.kind === 'grant' ? { kind: 'grant', add: this.rights } : { kind: 'revoke' };
      await Promise.all(this.pairs.map((pair) => world.change(this.window, pair, change, { by: `${this.toString()}[${pairName(pair)}]` })));
    } finally {
      world.clearFault();
    }
  }
  toString(): string {
    return `bulk ${this.kind}(w${this.window}, ${this.pairs.map(pairName).join(' ')}${this.kind === 'grant' ? `, ${this.rights.join('+')}` : ''}, ${this.fault})`;
  }
}

/** Two windows change the same or different pairs at the same moment. */
class AtOnce extends Step {
  constructor(readonly pairA: number, readonly rightsA: Right[], readonly pairB: number, readonly rightsB: Right[], readonly fault: Fault) {
    super();
  }
  async run(_: Model, world: World): Promise<void> {
    const seenB = await seen(world, 1, this.pairB);
    world.withFault(this.fault);
    try {
      await Promise.all([
        world.change(0, this.pairA, { kind: 'grant', add: this.rightsA }, { by: `${this.toString()}[w0]` }),
        world.change(1, this.pairB, this.rightsB.length === 0 ? { kind: 'revoke' } : { kind: 'set', rights: this.rightsB }, { expectedBefore: seenB, acceptConcurrent: true, by: `${this.toString()}[w1]` }),
      ]);
    } finally {
      world.clearFault();
    }
  }
  toString(): string {
    return `at once(w0 grants ${this.rightsA.join('+')} on ${pairName(this.pairA)}, w1 edits ${pairName(this.pairB)} to ${this.rightsB.join('+') || 'nothing'}, ${this.fault})`;
  }
}

class Undo extends Step {
  constructor(readonly window: number, readonly fault: Fault, readonly accept: boolean) {
    super();
  }
  async run(_: Model, world: World): Promise<void> {
    const last = world.windows[this.window]!.last;
    if (!last) return;
    world.withFault(this.fault);
    try {
      const change: PermissionChange = last.before.length === 0 ? { kind: 'revoke' } : { kind: 'set', rights: last.before };
      const result = await world.change(this.window, last.pair, change, { expectedBefore: last.written, acceptConcurrent: this.accept, by: this.toString() });
      if (result) world.windows[this.window]!.last = undefined;
    } finally {
      world.clearFault();
    }
  }
  toString(): string {
    return `undo(w${this.window}, ${this.fault}${this.accept ? ', applies my change on a conflict' : ''})`;
  }
}

/** A stale-grant review: the grantee is disabled at scan time, and maybe enabled again before the revoke. */
class StaleCleanup extends Step {
  constructor(readonly window: number, readonly pair: number, readonly enabledAgain: boolean) {
    super();
  }
  async run(_: Model, world: World): Promise<void> {
    const grantee = granteeOf(this.pair);
    const rights = world.truth(this.pair);
    if (rights.length === 0) return;
    world.emu.setEntityState(ACME.organizationId, grantee.id, 'DISABLED');
    const item: StaleGrant = {
      record: { type: 'grant', org: ACME, mailbox: { id: mailboxOf(this.pair).id, kind: 'user', name: mailboxOf(this.pair).name, state: 'ENABLED' }, granteeId: grantee.id, granteeType: 'USER', grantee: { id: grantee.id, kind: 'user', name: grantee.name, state: 'DISABLED' }, rights, readAt: new Date() },
      reasons: ['grantee-disabled'],
    };
    if (this.enabledAgain) world.emu.setEntityState(ACME.organizationId, grantee.id, 'ENABLED');
    const window = world.windows[this.window]!;
    try {
      // As the batch pipeline does for a stale clean-up: look it up again, then revoke what the scan saw.
      const reasons = await currentStaleReasons(window.session, item.record);
      if (this.enabledAgain) {
        // Bug 4: a grantee enabled again since the scan is no longer stale and keeps its rights.
        assert.deepEqual(reasons, [], `${this.toString()}: still ${reasons.join(', ')}`);
        return;
      }
      if (reasons.length > 0) {
        await world.change(this.window, this.pair, { kind: 'revoke' }, { expectedBefore: rights, by: this.toString() });
      }
    } finally {
      world.emu.setEntityState(ACME.organizationId, grantee.id, 'ENABLED');
    }
  }
  toString(): string {
    return `stale clean-up(w${this.window}, ${pairName(this.pair)}${this.enabledAgain ? ', grantee enabled again after the scan' : ''})`;
  }
}

class SwitchProfileAndBack extends Step {
  constructor(readonly window: number) {
    super();
  }
  async run(_: Model, world: World): Promise<void> {
    world.replaceWindow(this.window, true);
  }
  toString(): string {
    return `switch profile and back(w${this.window})`;
  }
}

class Reload extends Step {
  constructor(readonly window: number) {
    super();
  }
  async run(_: Model, world: World): Promise<void> {
    world.replaceWindow(this.window, false);
  }
  toString(): string {
    return `reload(w${this.window})`;
  }
}

/** Another administrator (console, CLI) sets a pair, naming the grantee by ID, name or email address. */
class OtherAdministrator extends Step {
  constructor(readonly pair: number, readonly rights: Right[], readonly form: Form) {
    super();
  }
  async run(_: Model, world: World): Promise<void> {
    world.setExternally(this.pair, this.rights, this.form);
    world.trace.push(this.toString());
  }
  toString(): string {
    return `another administrator sets ${pairName(this.pair)} to ${this.rights.join('+') || 'nothing'}${formLabel(this.form)}`;
  }
}

/** A person's change whose write the service holds, while another administrator changes the same pair. */
class ChangeDuringHold extends Step {
  constructor(readonly window: number, readonly pair: number, readonly rights: Right[], readonly adminRights: Right[], readonly adminForm: Form) {
    super();
  }
  async run(_: Model, world: World): Promise<void> {
    world.withFault('hold');
    try {
      const change: PermissionChange = this.rights.length === 0 ? { kind: 'revoke' } : { kind: 'set', rights: this.rights };
      const running = world.change(this.window, this.pair, change, { by: this.toString() });
      for (let i = 0; i < 100 && !world.emu.writesInFlight().includes(emulatorPair(this.pair)); i++) await sleep(3);
      world.setExternally(this.pair, this.adminRights, this.adminForm);
      world.trace.push(`another administrator sets ${pairName(this.pair)} to ${this.adminRights.join('+') || 'nothing'}${formLabel(this.adminForm)} during the hold`);
      await running;
    } finally {
      world.clearFault();
    }
  }
  toString(): string {
    return `w${this.window} sets ${pairName(this.pair)} to ${this.rights.join('+') || 'nothing'} (held) while another administrator sets ${this.adminRights.join('+') || 'nothing'}${formLabel(this.adminForm)}`;
  }
}

class ListLag extends Step {
  constructor(readonly on: boolean) {
    super();
  }
  async run(_: Model, world: World): Promise<void> {
    world.lag = this.on;
    world.clearFault();
  }
  toString(): string {
    return `list lag ${this.on ? 'on' : 'off'}`;
  }
}

class Wait extends Step {
  constructor(readonly ms: number) {
    super();
  }
  async run(): Promise<void> {
    await sleep(this.ms);
  }
  toString(): string {
    return `wait ${this.ms} ms`;
  }
}

const commands = [
  fc.tuple(windowArb, pairArb, someRights, faultArb, personFormArb).map(([w, p, r, f, n]) => new Grant(w, p, r, f, n)),
  fc.tuple(windowArb, pairArb, rightsArb, faultArb, fc.boolean()).map(([w, p, r, f, a]) => new Edit(w, p, r, f, a)),
  fc.tuple(windowArb, fc.subarray([...PAIRS], { minLength: 2 }), fc.constantFrom<'grant' | 'revoke'>('grant', 'revoke'), someRights, faultArb).map(([w, ps, k, r, f]) => new Bulk(w, ps, k, r, f)),
  fc.tuple(pairArb, someRights, pairArb, rightsArb, faultArb).map(([a, ra, b, rb, f]) => new AtOnce(a, ra, b, rb, f)),
  fc.tuple(windowArb, faultArb, fc.boolean()).map(([w, f, a]) => new Undo(w, f, a)),
  fc.tuple(windowArb, pairArb, fc.boolean()).map(([w, p, e]) => new StaleCleanup(w, p, e)),
  windowArb.map((w) => new SwitchProfileAndBack(w)),
  windowArb.map((w) => new Reload(w)),
  fc.tuple(pairArb, rightsArb, adminFormArb).map(([p, r, f]) => new OtherAdministrator(p, r, f)),
  fc.tuple(windowArb, pairArb, rightsArb, rightsArb, adminFormArb).map(([w, p, r, a, f]) => new ChangeDuringHold(w, p, r, a, f)),
  fc.boolean().map((on) => new ListLag(on)),
  fc.constantFrom(50, 200, 500, SETTLE_MS + 50).map((ms) => new Wait(ms)),
];

// ------------------------------------------------------------------ the property

describe('write path: generated schedules of actions and faults (model-based)', function () {
  this.timeout(Math.max(120_000, RUNS * 15_000));
  let emu: Emulator;

  before(async () => {
    emu = await startEmulator({ port: 0, seed: seed() });
  });
  after(async () => {
    await emu.stop();
  });

  it(`keeps every invariant over ${RUNS} generated schedules (seed ${SEED})`, async () => {
    await check(
      {
        area: 'generated schedules',
        name: `${RUNS} schedules, seed ${SEED}`,
        action: 'pairs found set by ID, name or email, then up to 12 steps from: grant (by ID, by name, or by email: refused), edit, bulk grant or revoke, two windows changing at once, undo, stale clean-up (grantee enabled again or not), profile switch and back, reload, in two windows',
        fault: `emulator variant grantee-id-form as-stored or as-given, drawn per schedule (as-given lists a grantee by the name or email it was last set by); per write: held ${HOLD_MS} ms past a ${REQUEST_TIMEOUT_MS} ms timeout and carried out later, reset before or after WorkMail acts, 500, throttled once or always, read-back lost; list lag ${LAG_MS} ms on and off; another administrator changing a pair by the grantee's ID, name or email; a grantee disabled and enabled`,
        expected: 'invariants 1 to 4 of docs/CONTRACTS.md hold against the emulator ground truth, and every change made while nothing else touched its pair read what WorkMail held (rows listed by name or email included) and, for a grant, dropped none of it; a violation is shrunk to a minimal schedule',
      },
      async () => {
        let runs = 0;
        const runsUnder = new Map<IdForm, number>();
        await fc.assert(
          fc.asyncProperty(idFormArb, startArb, fc.commands(commands, { maxCommands: 12 }), async (idForm, start, schedule) => {
            runs++;
            runsUnder.set(idForm, (runsUnder.get(idForm) ?? 0) + 1);
            for (let i = 0; i < 300 && emu.writesInFlight().length > 0; i++) await sleep(10);
            emu.reset();
            emu.setVariants({ 'grantee-id-form': idForm });
            emu.setFaults({});
            emu.clearCalls();
            emu.clearWriteOverlaps();
            const world = new World(emu, idForm);
            start.apply(world);
            try {
              await fc.asyncModelRun(() => ({ model: {} as Model, real: world }), schedule);
              world.clearFault();
              world.lag = false;
              await world.checkAtRest();
            } finally {
              world.close();
              emu.setFaults({});
              emu.setVariants({});
            }
          }),
          { numRuns: RUNS, seed: SEED, endOnFailure: false, verbose: 1 },
        );
        assert.ok(runs >= RUNS);
        const outcomes = [...tally].sort(([a], [b]) => a.localeCompare(b)).map(([what, n]) => `${what} ${n}`).join(', ');
        const split = (['as-stored', 'as-given'] as const).map((form) => `${form} ${runsUnder.get(form) ?? 0}`).join(', ');
        const readStats = `${reads.checked} reads checked against WorkMail (${reads.unchecked} not: pair busy); ${reads.email} reads met a grantee listed by email, ${reads.name} by name`;
        console.log(`      model: ${RUNS} schedules (${split}), seed ${SEED}, no violation`);
        console.log(`      reads: ${readStats}`);
        console.log(`      outcomes: ${outcomes}`);
        return `no violation in ${RUNS} schedules (grantee-id-form ${split}); ${readStats}; outcomes: ${outcomes}`;
      },
    );
  });

  it('the world it checks would catch a lost right (the checker itself is tested)', async () => {
    // A write made behind the writer's back, after the person was told, must fail invariant 1.
    emu.reset();
    emu.clearWriteOverlaps();
    const world = new World(emu);
    try {
      await world.change(0, 0, { kind: 'grant', add: ['SEND_AS'] }, { by: 'grant' });
      emu.putGrantDirect(ACME.organizationId, ANA, BOB, ['SEND_AS']);
      await assert.rejects(world.checkAtRest(), /invariant 1: ana\/bob holds SEND_AS, but the person was last told FULL_ACCESS\+SEND_AS/);
    } finally {
      world.close();
    }
  });

  it('the world it checks would catch a writer that misses a row listed by name or email (the read check is tested)', async () => {
    // The writer's look-up of a listed name or email is made to find nobody, as if rowsOf matched IDs only.
    const findsIdsOnly = (session: WorkMailSession): void => {
      const findEntity = session.findEntity.bind(session);
      session.findEntity = (org, identifier, signal, kinds) => (looksLikeEntityId(identifier) ? findEntity(org, identifier, signal, kinds) : Promise.resolve(undefined));
    };
    for (const form of ['email', 'name'] as const) {
      emu.reset();
      emu.clearWriteOverlaps();
      emu.setVariants({ 'grantee-id-form': 'as-given' });
      const world = new World(emu, 'as-given', findsIdsOnly);
      try {
        world.setExternally(0, ['FULL_ACCESS'], form);
        await assert.rejects(world.change(0, 0, { kind: 'grant', add: ['SEND_AS'] }, { by: 'grant' }), /read: grant read nothing for ana\/bob, but WorkMail held FULL_ACCESS \(under grantee-id-form=as-given\)/);
      } finally {
        world.close();
      }
      // The writer itself reads the row as Bob's, keeps Full access and lists him by ID again.
      emu.reset();
      emu.clearWriteOverlaps();
      const real = new World(emu, 'as-given');
      try {
        real.setExternally(0, ['FULL_ACCESS'], form);
        const result = await real.change(0, 0, { kind: 'grant', add: ['SEND_AS'] }, { by: 'grant' });
        assert.deepEqual(result?.before, ['FULL_ACCESS']);
        assert.deepEqual(real.truth(0), ['FULL_ACCESS', 'SEND_AS']);
        await real.checkAtRest();
      } finally {
        real.close();
        emu.setVariants({});
      }
    }
  });

  it('rightsAfter and the model agree on what a change means', () => {
    fc.assert(
      fc.property(rightsArb, someRights, (current, add) => {
        assert.ok(sameRights(rightsAfter({ kind: 'grant', add }, current), [...new Set([...current, ...add])]));
        assert.deepEqual(rightsAfter({ kind: 'revoke' }, current), []);
      }),
      { seed: SEED },
    );
  });
});
