// A small, hand-written emulator world for the access-layer tests: every ID and grant is visible
// here, so each test can say exactly what WorkMail holds and which calls a step must make.
import type { SeedDocument, SeedGrant, SeedUser } from '../../emulator/seed';
import type { AwsCredentialIdentity } from '@smithy/types';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PendingWriteStore } from '../../src/workmail/pendingWrites';

export const ACME = { organizationId: 'm-11111111111111111111111111111111', region: 'us-east-1' } as const;
export const ACME_EU = { organizationId: 'm-22222222222222222222222222222222', region: 'eu-west-1' } as const;
export const ACME_PAUSED = { organizationId: 'm-33333333333333333333333333333333', region: 'us-east-1' } as const;
export const OTHER_CO = { organizationId: 'm-44444444444444444444444444444444', region: 'us-east-1' } as const;

export const DEFAULT_KEYS: AwsCredentialIdentity = { accessKeyId: 'AKIDWORKMAILEMULATOR', secretAccessKey: 'emulator-secret-do-not-use-in-aws' };
export const OTHER_KEYS: AwsCredentialIdentity = { accessKeyId: 'AKIDWORKMAILOTHERACCT', secretAccessKey: 'emulator-other-secret-do-not-use' };
export const TEMP_KEYS: AwsCredentialIdentity = {
  accessKeyId: 'ASIAWORKMAILEMULATOR',
  secretAccessKey: 'emulator-temp-secret',
  sessionToken: 'emulator-session-token',
};

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const ANA = id(1);
export const BOB = id(2);
export const CAROL = id(3); // disabled
export const SYSTEM = id(4);
export const SALES = 'S-1-1-12-1111111111-111111111-111111111-1001';
export const ALL_STAFF = 'S-1-1-12-1111111111-111111111-111111111-1002';
export const ROOM = 'r-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
export const SHARED = id(90); // a mailbox with 130 grantees
export const GHOST = id(999); // in grants, not in the directory
/** Numbered users staff01..staff25, ids id(101)..id(125). */
export const staffId = (n: number) => id(100 + n);

const staff: SeedUser[] = Array.from({ length: 25 }, (_, i) => ({
  id: staffId(i + 1),
  name: `staff${String(i + 1).padStart(2, '0')}`,
  displayName: `Staff Member ${i + 1}`,
  email: `staff${String(i + 1).padStart(2, '0')}@acme.example.com`,
}));

const sharedGrants: SeedGrant[] = [...staff, ...Array.from({ length: 105 }, (_, i) => ({ id: id(200 + i) }))].map((user) => ({
  mailbox: SHARED,
  grantee: user.id,
  rights: ['SEND_AS'],
}));

export function seed(): SeedDocument {
  return {
    accounts: [
      {
        id: '111111111111',
        name: 'default',
        accessKeys: [DEFAULT_KEYS as { accessKeyId: string; secretAccessKey: string }, TEMP_KEYS as { accessKeyId: string; secretAccessKey: string; sessionToken: string }],
        organizations: [
          {
            ...orgFields(ACME),
            alias: 'acme',
            defaultMailDomain: 'acme.example.com',
            users: [
              { id: ANA, name: 'ana', displayName: 'Ana Silva', email: 'ana@acme.example.com' },
              { id: BOB, name: 'bob', displayName: 'Bob Jones', email: 'bob@acme.example.com' },
              { id: CAROL, name: 'carol', displayName: 'Carol White', email: 'carol@acme.example.com', state: 'DISABLED' },
              { id: SYSTEM, name: 'postmaster', role: 'SYSTEM_USER' },
              { id: SHARED, name: 'shared', displayName: 'Shared Inbox', email: 'shared@acme.example.com' },
              ...staff,
            ],
            groups: [
              { id: SALES, name: 'sales', email: 'sales@acme.example.com', members: [ANA, BOB] },
              { id: ALL_STAFF, name: 'all-staff', email: 'all@acme.example.com', members: [SALES, CAROL] },
            ],
            resources: [{ id: ROOM, name: 'boardroom', email: 'boardroom@acme.example.com', type: 'ROOM' }],
            grants: [
              { mailbox: ANA, grantee: BOB, rights: ['FULL_ACCESS'] },
              { mailbox: ANA, grantee: SALES, rights: ['SEND_AS'] },
              { mailbox: ANA, grantee: GHOST, rights: ['SEND_ON_BEHALF'], granteeType: 'USER' },
              { mailbox: SALES, grantee: ANA, rights: ['SEND_AS'] },
              ...sharedGrants,
            ],
          },
          { ...orgFields(ACME_EU), alias: 'acme-eu', users: [{ id: id(500), name: 'eu-user' }] },
          { ...orgFields(ACME_PAUSED), alias: 'acme-paused', state: 'Inactive' },
        ],
      },
      {
        id: '222222222222',
        name: 'other',
        accessKeys: [OTHER_KEYS as { accessKeyId: string; secretAccessKey: string }],
        organizations: [{ ...orgFields(OTHER_CO), alias: 'other-co' }],
      },
    ],
  };
}

function orgFields(org: { organizationId: string; region: string }) {
  return { id: org.organizationId, region: org.region };
}

export const staticCredentials = (keys: AwsCredentialIdentity) => async () => keys;

/** The subset of the emulator's call record these tests read. */
export interface EmulatorCall {
  readonly operation?: string;
  readonly params?: unknown;
  readonly status: number;
  readonly errorCode?: string;
  readonly time: string;
  readonly durationMs: number;
}

export function operations(calls: readonly EmulatorCall[]): string[] {
  return calls.map((call) => call.operation ?? '?');
}

export function paramsOf(call: EmulatorCall): Record<string, unknown> {
  return (call.params ?? {}) as Record<string, unknown>;
}

/** A record of pending writes of its own, in a new temporary folder: one per test, like one machine. */
export function tempPendingStore(options: import('../../src/workmail/pendingWrites').PendingWriteStoreOptions = {}): PendingWriteStore {
  return new PendingWriteStore(mkdtempSync(join(tmpdir(), 'workmail-pending-')), options);
}

/** A user that has no mailbox (never registered for mail: no email, DISABLED). */
export const NOBOX = '00000000-0000-4000-8000-000000000555';

/** The fixture seed plus a user without a mailbox, and any extra grants. */
export function seedWithMailboxlessUser(extraGrants: readonly SeedGrant[] = []): SeedDocument {
  const document = JSON.parse(JSON.stringify(seed())) as { accounts: Array<{ organizations: Array<{ users: unknown[]; grants: unknown[] }> }> };
  const org = document.accounts[0]!.organizations[0]!;
  org.users.push({ id: NOBOX, name: 'not.registered', displayName: '', state: 'DISABLED' });
  org.grants.push(...extraGrants);
  return document as unknown as SeedDocument;
}
