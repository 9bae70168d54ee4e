// Snapshots for the migration tests: a small hand-written one whose every field is visible here.
import { SNAPSHOT_FORMAT, type Snapshot } from '../../../src/workmail/migration/schema';

/** A small valid snapshot, for the load checks. */
export function sampleSnapshot(): Snapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: 1,
    startedAt: '2026-03-02T14:00:00.000Z',
    readAt: '2026-03-02T14:02:00.000Z',
    writtenBy: 'workmail-permissions 0.1.0',
    organization: { id: 'm-11111111111111111111111111111111', alias: 'acme', region: 'us-east-1', state: 'Active', defaultMailDomain: 'acme.example.com' },
    entities: [
      { id: 'u-ana', kind: 'user', name: 'ana', displayName: 'Ana Silva', email: 'ana@acme.example.com', state: 'ENABLED', userRole: 'USER' },
      { id: 'u-bob', kind: 'user', name: 'bob', email: 'bob@acme.example.com', state: 'ENABLED', userRole: 'USER' },
      { id: 'g-sales', kind: 'group', name: 'sales', email: 'sales@acme.example.com', state: 'ENABLED', members: ['u-ana', 'u-bob'] },
      { id: 'g-locked', kind: 'group', name: 'locked', state: 'ENABLED', membersUnreadable: 'AccessDenied: not allowed' },
    ],
    grants: [
      { mailboxId: 'u-ana', granteeId: 'u-bob', granteeType: 'USER', rights: ['FULL_ACCESS', 'SEND_AS'] },
      { mailboxId: 'u-ana', granteeId: 'u-ghost', granteeType: 'USER', rights: ['SEND_ON_BEHALF'], granteeUnknown: true },
    ],
    unreadMailboxes: [{ mailboxId: 'u-bob', code: 'ThrottlingException', message: 'Rate exceeded' }],
  };
}

