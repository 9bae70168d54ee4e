// Fault injection: latency, throttling, random server faults, eventual consistency and targeted
// rules. Everything is off unless configured; random choices use a seedable PRNG so a failing
// run can be replayed.

export interface FaultRule {
  /** Operation name, e.g. "PutMailboxPermissions"; any operation when absent. */
  readonly operation?: string;
  /** Request fields that must all equal these values (top-level members of the JSON body). */
  readonly match?: Readonly<Record<string, unknown>>;
  /** Error code to answer with, e.g. "EntityStateException". Without it the call proceeds after delayMs. */
  readonly error?: string;
  /** HTTP status for the error; 400 unless given. */
  readonly status?: number;
  readonly message?: string;
  /** How many calls the rule fires for; unlimited when absent. */
  readonly times?: number;
  /**
   * Destroy the connection without answering. `true`: before the operation runs, so nothing
   * happens. `"after"`: the operation runs (a write lands) and only its successful answer is lost, which is
   * the case a client cannot tell apart from the first one without reading back.
   */
  readonly resetConnection?: boolean | 'after';
  /** Hold this call for the given time before acting. */
  readonly delayMs?: number;
}

export interface FaultSettings {
  readonly latencyMs?: number;
  readonly jitterMs?: number;
  readonly rateLimitPerSecond?: number;
  /** Token-bucket capacity; defaults to rateLimitPerSecond (at least 1). */
  readonly rateLimitBurst?: number;
  /** Fraction (0..1) of calls answered with 500 InternalFailure. */
  readonly failRate?: number;
  /** For this long after a Put/Delete, ListMailboxPermissions still shows the earlier state. */
  readonly consistencyDelayMs?: number;
  readonly rules?: readonly FaultRule[];
  /** Seed for the PRNG behind jitter and failRate. */
  readonly seed?: number;
}

export class InvalidFaultSettingsError extends Error {}

/** mulberry32: tiny, fast, good enough for test randomness. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkNonNegative(name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidFaultSettingsError(`${name} must be a non-negative number`);
  }
}

export function validateFaultSettings(settings: FaultSettings): void {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new InvalidFaultSettingsError('fault settings must be an object');
  }
  for (const key of ['latencyMs', 'jitterMs', 'rateLimitPerSecond', 'rateLimitBurst', 'consistencyDelayMs'] as const) {
    checkNonNegative(key, settings[key]);
  }
  if (settings.failRate !== undefined) {
    checkNonNegative('failRate', settings.failRate);
    if (settings.failRate > 1) throw new InvalidFaultSettingsError('failRate must be between 0 and 1');
  }
  if (settings.seed !== undefined && !Number.isInteger(settings.seed)) {
    throw new InvalidFaultSettingsError('seed must be an integer');
  }
  if (settings.rules !== undefined) {
    if (!Array.isArray(settings.rules)) throw new InvalidFaultSettingsError('rules must be a list');
    settings.rules.forEach((rule, i) => {
      if (typeof rule !== 'object' || rule === null) throw new InvalidFaultSettingsError(`rules[${i}] must be an object`);
      if (rule.error === undefined && !rule.resetConnection && rule.delayMs === undefined) {
        throw new InvalidFaultSettingsError(`rules[${i}] needs error, resetConnection or delayMs`);
      }
      if (rule.resetConnection !== undefined && typeof rule.resetConnection !== 'boolean' && rule.resetConnection !== 'after') {
        throw new InvalidFaultSettingsError(`rules[${i}].resetConnection must be true, false or "after"`);
      }
      checkNonNegative(`rules[${i}].delayMs`, rule.delayMs);
      checkNonNegative(`rules[${i}].times`, rule.times);
      if (rule.status !== undefined && (!Number.isInteger(rule.status) || rule.status < 400 || rule.status > 599)) {
        throw new InvalidFaultSettingsError(`rules[${i}].status must be an HTTP error status (400..599)`);
      }
    });
  }
}

interface ActiveRule {
  readonly rule: FaultRule;
  remaining: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class FaultInjector {
  private settings: FaultSettings = {};
  private rules: ActiveRule[] = [];
  private random: () => number = Math.random;
  private readonly buckets = new Map<string, Bucket>();

  constructor(settings: FaultSettings = {}, private readonly clock: () => number = Date.now) {
    this.configure(settings);
  }

  /** Replaces the whole configuration: anything not given is off. */
  configure(settings: FaultSettings): void {
    validateFaultSettings(settings);
    this.settings = { ...settings, rules: settings.rules ? settings.rules.map((r) => ({ ...r })) : [] };
    this.rules = (settings.rules ?? []).map((rule) => ({ rule: { ...rule }, remaining: rule.times ?? Infinity }));
    this.random = settings.seed !== undefined ? seededRandom(settings.seed) : Math.random;
    this.buckets.clear();
  }

  /** The configuration in force, with each rule's remaining `times`. */
  current(): FaultSettings {
    const rules = this.rules
      .filter((r) => r.remaining > 0)
      .map((r) => (r.remaining === Infinity ? { ...r.rule } : { ...r.rule, times: r.remaining }));
    return { ...this.settings, rules };
  }

  get consistencyDelayMs(): number {
    return this.settings.consistencyDelayMs ?? 0;
  }

  latencyForCall(): number {
    const fixed = this.settings.latencyMs ?? 0;
    const jitter = this.settings.jitterMs ?? 0;
    return fixed + (jitter > 0 ? this.random() * jitter : 0);
  }

  /** The first rule matching this call, consuming one of its `times`. */
  takeRule(operation: string, params: unknown): FaultRule | undefined {
    for (const active of this.rules) {
      if (active.remaining <= 0) continue;
      const { rule } = active;
      if (rule.operation !== undefined && rule.operation !== operation) continue;
      if (rule.match && !matches(rule.match, params)) continue;
      active.remaining -= 1;
      return rule;
    }
    return undefined;
  }

  /** False when the caller's bucket is empty (the call should be throttled). */
  takeRateToken(bucketKey: string): boolean {
    const rate = this.settings.rateLimitPerSecond;
    if (rate === undefined || rate <= 0) return true;
    const capacity = Math.max(1, this.settings.rateLimitBurst ?? rate);
    const now = this.clock();
    let bucket = this.buckets.get(bucketKey);
    if (!bucket) {
      bucket = { tokens: capacity, updatedAt: now };
      this.buckets.set(bucketKey, bucket);
    }
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rate);
    bucket.updatedAt = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  shouldFailRandomly(): boolean {
    const rate = this.settings.failRate ?? 0;
    return rate > 0 && this.random() < rate;
  }
}

function matches(expected: Readonly<Record<string, unknown>>, params: unknown): boolean {
  if (typeof params !== 'object' || params === null) return false;
  const actual = params as Record<string, unknown>;
  return Object.entries(expected).every(([field, value]) => JSON.stringify(actual[field]) === JSON.stringify(value));
}
