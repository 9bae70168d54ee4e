// Programmatic entry point (docs/CONTRACTS.md "Emulator"): tests, the benchmark and the demo
// start an emulator with this and drive it over HTTP with the real AWS SDK.
import { FaultInjector, type FaultSettings } from './faults';
import { RequestValidator, loadServiceModel } from './model';
import { SAMPLE_SEED_PATH, readSeedFile, type SeedDocument, type SeedUser } from './seed';
import { EmulatorHttpServer, type CallRecord } from './server';
import type { AccessControlRuleInfo } from './accessRules';
import type { BookingInfo } from './booking';
import type { ImpersonationRoleInfo } from './impersonation';
import { WorkMailStore, type EntityState, type GrantInfo, type OrganizationInfo, type Right } from './store';
import { resolveVariants, type Variants } from './variants';

export type { AccessControlRuleInfo } from './accessRules';
export { ACCESS_RULES_LISTED, DEFAULT_ACCESS_RULE } from './accessRules';
export type { BookingInfo, BookingOptions } from './booking';
export type { ImpersonationRoleInfo } from './impersonation';
export type { CallRecord } from './server';
export type { FaultRule, FaultSettings } from './faults';
export type { GrantInfo, OrganizationInfo, Right, EntityState } from './store';
export type { SeedDocument, SeedUser } from './seed';
export { DEFAULT_PAGE_SIZE } from './pagination';
export { ALL_VARIANTS, DEFAULT_VARIANTS, DIRECTORY_LAG_MS, ROUTE_VARIANTS, VARIANTS, type AnyVariantName, type RouteVariantName, type VariantName, type Variants } from './variants';

export interface StartEmulatorOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Always loopback unless a caller insists; the admin API is unauthenticated. */
  readonly host?: string;
  /** A seed file path or a seed document; the sample seed when absent. */
  readonly seed?: string | SeedDocument;
  readonly faults?: FaultSettings;
  /** Variants (emulator/variants.ts), over the seed's own `variants`. */
  readonly variants?: Readonly<Record<string, string>>;
}

export interface Emulator {
  /** http://127.0.0.1:PORT — use as the SDK `endpoint`. */
  readonly url: string;
  readonly port: number;
  calls(): CallRecord[];
  clearCalls(): void;
  /**
   * Put and Delete requests received and not finished yet, as "orgId/mailbox/grantee" (delegate
   * writes as "orgId/resource/delegate/entity"): a request held by a `delayMs` rule stays here, and
   * is carried out, after its client has given up.
   */
  writesInFlight(): string[];
  /** Each write that arrived while another write to the same pair was still in flight. */
  writeOverlaps(): Array<{ pair: string; operation: string; time: string }>;
  clearWriteOverlaps(): void;
  /** The behaviours in force where the real service's is unknown. */
  variants(): Variants;
  /** Chooses variants by name (the rest back to their defaults); refuses unknown names and values. */
  setVariants(chosen: Readonly<Record<string, string>>): void;
  /** Replaces the whole fault configuration; `{}` turns every fault off. */
  setFaults(faults: FaultSettings): void;
  faults(): FaultSettings;
  /** Back to the seed it started with, or to `seed`. Faults and the call log are kept. */
  reset(seed?: string | SeedDocument): void;
  organizations(): OrganizationInfo[];
  grants(orgId: string): GrantInfo[];
  /** Ground truth: each resource's booking options (as DescribeResource reports them), delegates, and the users who receive its requests. */
  booking(orgId: string): BookingInfo[];
  /** Ground truth: every impersonation role of the organization with its rules (targets by user ID), by role ID. */
  impersonationRoles(orgId: string): ImpersonationRoleInfo[];
  /** Ground truth: every access control rule of the organization in evaluation order, also those past the ten ListAccessControlRules shows. */
  accessControlRules(orgId: string): AccessControlRuleInfo[];
  putGrantDirect(orgId: string, mailboxId: string, granteeId: string, rights: readonly Right[]): void;
  setEntityState(orgId: string, entityId: string, state: EntityState): void;
  /** A new user, as if another administrator created it (hidden for a while under directory-lag=lagging). */
  addUser(orgId: string, user: SeedUser): void;
  setOrganizationState(orgId: string, state: string): void;
  stop(): Promise<void>;
}

/** The three credentials of the sample seed (emulator-only, never valid in AWS). */
export const EMULATOR_CREDENTIALS = {
  default: { accessKeyId: 'AKIDWORKMAILEMULATOR', secretAccessKey: 'emulator-secret-do-not-use-in-aws' },
  other: { accessKeyId: 'AKIDWORKMAILOTHERACCT', secretAccessKey: 'emulator-other-secret-do-not-use' },
  temporary: { accessKeyId: 'ASIAWORKMAILEMULATOR', secretAccessKey: 'emulator-temp-secret', sessionToken: 'emulator-session-token' },
} as const;

/** Organization IDs of the sample seed (emulator/seeds/sample.json). */
export const SAMPLE_ORGS = {
  acme: 'm-ac0e0000000000000000000000000001',
  acmeArchive: 'm-ac0e0000000000000000000000000002',
  acmeLabs: 'm-ac0e0000000000000000000000000003',
  acmeEu: 'm-ac0e0000000000000000000000000004',
  globex: 'm-910be000000000000000000000000001',
} as const;

function seedDocument(seed: string | SeedDocument | undefined): SeedDocument {
  if (seed === undefined) return readSeedFile(SAMPLE_SEED_PATH);
  return typeof seed === 'string' ? readSeedFile(seed) : seed;
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const initialSeed = seedDocument(options.seed);
  const faults = new FaultInjector(options.faults ?? {});
  let variants = resolveVariants({ ...initialSeed.variants, ...options.variants });
  const store = new WorkMailStore(initialSeed, () => faults.consistencyDelayMs, Date.now, () => variants);
  const validator = new RequestValidator(loadServiceModel());
  const reset = (seed?: string | SeedDocument): void => store.load(seed === undefined ? initialSeed : seedDocument(seed));
  const http = new EmulatorHttpServer({
    store,
    faults,
    validator,
    reset,
    variants: () => variants,
    setVariants: (chosen) => {
      variants = resolveVariants(chosen);
    },
  });
  const host = options.host ?? '127.0.0.1';
  const port = await http.listen(options.port ?? 0, host);
  const url = `http://${host}:${port}`;

  return {
    url,
    port,
    calls: () => http.calls(),
    clearCalls: () => http.clearCalls(),
    writesInFlight: () => http.writesInFlight(),
    writeOverlaps: () => http.writeOverlaps(),
    clearWriteOverlaps: () => http.clearWriteOverlaps(),
    variants: () => variants,
    setVariants: (chosen) => {
      variants = resolveVariants(chosen);
    },
    setFaults: (settings) => faults.configure(settings),
    faults: () => faults.current(),
    reset,
    organizations: () => store.organizations(),
    grants: (orgId) => store.grants(orgId),
    booking: (orgId) => store.booking(orgId),
    impersonationRoles: (orgId) => store.impersonationRoles(orgId),
    accessControlRules: (orgId) => store.accessControlRules(orgId),
    putGrantDirect: (orgId, mailboxId, granteeId, rights) => store.putGrantDirect(orgId, mailboxId, granteeId, rights),
    setEntityState: (orgId, entityId, state) => store.setEntityState(orgId, entityId, state),
    addUser: (orgId, user) => store.addUser(orgId, user),
    setOrganizationState: (orgId, state) => store.setOrganizationState(orgId, state),
    stop: () => http.close(),
  };
}
