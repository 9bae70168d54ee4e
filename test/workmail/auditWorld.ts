// The emulator world for the audit tests: a generated organization of a few hundred users with
// hand-added edge cases (a membership cycle, a deep nesting chain, grantees that are disabled,
// deleted or unknown), plus a brute-force oracle over the seed for the reverse lookup.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { generateDirectory } from '../../emulator/generate';
import { startEmulator, type Emulator } from '../../emulator/index';
import type { SeedDocument, SeedGrant, SeedGroup, SeedOrganization } from '../../emulator/seed';
import { WorkMailSession, type CallRecord } from '../../src/workmail/session';
import type { Right } from '../../src/workmail/types';

export const AUDIT_ORG = { organizationId: 'm-a0d17000000000000000000000000001', region: 'us-east-1' } as const;
export const AUDIT_KEYS = { accessKeyId: 'AKIDWORKMAILEMULATOR', secretAccessKey: 'emulator-secret-do-not-use-in-aws' };

export const CYCLE_A = 'S-1-1-12-9000000000-000000000-000000000-0001';
export const CYCLE_B = 'S-1-1-12-9000000000-000000000-000000000-0002';
export const CHAIN_TOP = 'S-1-1-12-9000000000-000000000-000000000-0010';
export const CHAIN_MID = 'S-1-1-12-9000000000-000000000-000000000-0011';
export const CHAIN_LEAF = 'S-1-1-12-9000000000-000000000-000000000-0012';
export const OLD_TEAM = 'S-1-1-12-9000000000-000000000-000000000-0020';
export const PAUSED_TEAM = 'S-1-1-12-9000000000-000000000-000000000-0021';
export const GHOST_GRANTEE = '99999999-9999-4999-8999-999999999999';

export interface AuditWorld {
  readonly seed: SeedDocument;
  readonly org: SeedOrganization;
}

/** Deterministic: the same organization on every run. */
export function auditWorld(options: { users?: number; grants?: number } = {}): AuditWorld {
  const domain = 'audit.example.com';
  const generated = generateDirectory({ users: options.users ?? 300, groups: 25, resources: 8, grants: options.grants ?? 1200, seed: 11, domain });
  const users = generated.users;
  const enabledUsers = users.filter((user) => user.state === 'ENABLED' && user.role !== 'SYSTEM_USER');
  const disabledUser = users.find((user) => user.state === 'DISABLED')!;
  const u = (n: number) => enabledUsers[n]!.id;
  const extraGroups: SeedGroup[] = [
    // A cycle: each group contains the other.
    { id: CYCLE_A, name: 'cycle-a', email: `cycle-a@${domain}`, members: [CYCLE_B, u(0)] },
    { id: CYCLE_B, name: 'cycle-b', email: `cycle-b@${domain}`, members: [CYCLE_A, u(1)] },
    // Three levels: top contains mid contains leaf contains a user (and a generated group).
    { id: CHAIN_TOP, name: 'chain-top', email: `chain-top@${domain}`, members: [CHAIN_MID] },
    { id: CHAIN_MID, name: 'chain-mid', email: `chain-mid@${domain}`, members: [CHAIN_LEAF, u(3)] },
    { id: CHAIN_LEAF, name: 'chain-leaf', email: `chain-leaf@${domain}`, members: [u(2), generated.groups[0]!.id, disabledUser.id] },
    // A deleted group reaches no one; a disabled one is still followed.
    { id: OLD_TEAM, name: 'old-team', email: `old-team@${domain}`, state: 'DELETED', members: [u(4), CHAIN_MID] },
    { id: PAUSED_TEAM, name: 'paused-team', email: `paused-team@${domain}`, state: 'DISABLED', members: [u(5), CYCLE_A] },
  ];
  const extraGrants: SeedGrant[] = [
    { mailbox: u(16), grantee: OLD_TEAM, rights: ['SEND_AS'] },
    { mailbox: u(17), grantee: PAUSED_TEAM, rights: ['SEND_ON_BEHALF'] },
    { mailbox: u(10), grantee: CYCLE_A, rights: ['SEND_AS'] },
    { mailbox: u(11), grantee: CYCLE_B, rights: ['SEND_ON_BEHALF'] },
    { mailbox: u(12), grantee: CHAIN_TOP, rights: ['FULL_ACCESS', 'SEND_AS'] },
    { mailbox: u(13), grantee: CHAIN_LEAF, rights: ['FULL_ACCESS'] },
    { mailbox: u(14), grantee: GHOST_GRANTEE, rights: ['FULL_ACCESS'], granteeType: 'USER' },
    { mailbox: u(15), grantee: disabledUser.id, rights: ['SEND_AS'] },
    { mailbox: CYCLE_A, grantee: u(2), rights: ['SEND_AS'] },
  ];
  const org: SeedOrganization = {
    id: AUDIT_ORG.organizationId,
    alias: 'audit',
    region: AUDIT_ORG.region,
    defaultMailDomain: domain,
    users,
    groups: [...generated.groups, ...extraGroups],
    resources: generated.resources,
    grants: dedupeGrants([...generated.grants, ...extraGrants]),
  };
  return { org, seed: seedWith(org) };
}

function dedupeGrants(grants: SeedGrant[]): SeedGrant[] {
  const byPair = new Map<string, SeedGrant>();
  for (const grant of grants) {
    byPair.set(`${grant.mailbox}|${grant.grantee}`, grant);
  }
  return [...byPair.values()];
}

export function seedWith(...organizations: SeedOrganization[]): SeedDocument {
  return { accounts: [{ id: '111111111111', name: 'default', accessKeys: [AUDIT_KEYS], organizations }] };
}

export interface Running {
  readonly emu: Emulator;
  readonly session: WorkMailSession;
  readonly sdkCalls: CallRecord[];
  stop(): Promise<void>;
}

export async function startWorld(seed: SeedDocument, sessionOptions: { maxAttempts?: number } = {}): Promise<Running> {
  const emu = await startEmulator({ port: 0, seed });
  const sdkCalls: CallRecord[] = [];
  const session = new WorkMailSession({
    endpoint: emu.url,
    credentials: async () => AUDIT_KEYS,
    onCall: (record) => sdkCalls.push(record),
    ...sessionOptions,
  });
  return {
    emu,
    session,
    sdkCalls,
    stop: async () => {
      session.dispose();
      await emu.stop();
    },
  };
}

/**
 * The oracle for "what can this entity open": every group it is in, found by repeating "which
 * groups contain anything in the set" until nothing changes, then every grant to the set.
 * Deleted groups reach no one.
 */
export function bruteForceAccess(org: SeedOrganization, entityId: string): Map<string, { granteeId: string; rights: readonly Right[]; depth: number }[]> {
  const groups = (org.groups ?? []).filter((group) => group.state !== 'DELETED');
  const depth = new Map<string, number>([[entityId, 0]]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const group of groups) {
      const memberDepths = (group.members ?? []).map((member) => depth.get(member)).filter((d): d is number => d !== undefined);
      if (memberDepths.length === 0) continue;
      const candidate = Math.min(...memberDepths) + 1;
      if (!depth.has(group.id) || depth.get(group.id)! > candidate) {
        depth.set(group.id, candidate);
        changed = true;
      }
    }
  }
  const result = new Map<string, { granteeId: string; rights: readonly Right[]; depth: number }[]>();
  for (const grant of org.grants ?? []) {
    const d = depth.get(grant.grantee);
    if (d === undefined) continue;
    const list = result.get(grant.mailbox) ?? [];
    list.push({ granteeId: grant.grantee, rights: grant.rights, depth: d });
    result.set(grant.mailbox, list);
  }
  return result;
}

// The small fixture organization of test/fixtures/audit-seed.json, and helpers for golden files.
export const FIXTURE_ORG = { organizationId: 'm-a0d17000000000000000000000000002', region: 'us-east-1', alias: 'fixture' } as const;
const GOLDEN_DIR = path.join(__dirname, '..', 'fixtures', 'golden');

/** Compares with the golden file; UPDATE_GOLDEN=1 rewrites it instead (then review the diff). */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  assert.ok(fs.existsSync(file), `golden file ${name} is missing; run with UPDATE_GOLDEN=1 to create it`);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `${name} differs from the golden file`);
}

export class StringSink extends Writable {
  readonly chunks: string[] = [];
  constructor(private readonly delayMs = 0, highWaterMark = 16 * 1024) {
    super({ highWaterMark });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk.toString('utf8'));
    if (this.delayMs > 0) setTimeout(callback, this.delayMs);
    else callback();
  }
  get text(): string {
    return this.chunks.join('');
  }
}

/** RFC 4180 reader, for checking what the writer produced. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  assert.equal(cell, '', 'the text ends with a line end');
  return rows;
}

export const FIXTURE_SEED_PATH = path.join(__dirname, '..', 'fixtures', 'audit-seed.json');
