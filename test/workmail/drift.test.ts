// Drift between two snapshots: every kind of change found, nothing reported for what is the same,
// and mailboxes unread on either side left out of the comparison rather than guessed.
import * as assert from 'node:assert/strict';
import { diffSnapshots, driftMarkdown, driftText, hasDrift } from '../../src/workmail/drift';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type Snapshot, type SnapshotEntity, type SnapshotGrant } from '../../src/workmail/migration/schema';

function snapshot(entities: SnapshotEntity[], grants: SnapshotGrant[], unread: Snapshot['unreadMailboxes'] = [], org = 'm-1'): Snapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    startedAt: '2026-11-01T10:00:00.000Z',
    readAt: '2026-11-01T10:05:00.000Z',
    writtenBy: 'test',
    organization: { id: org, alias: 'acme', region: 'us-east-1' },
    entities,
    grants,
    unreadMailboxes: unread,
    routes: { resources: [], impersonationRoles: [], accessRules: [] },
  };
}

const ana: SnapshotEntity = { id: 'u-ana', kind: 'user', name: 'ana', displayName: 'Ana', email: 'ana@x.com', state: 'ENABLED' };
const bob: SnapshotEntity = { id: 'u-bob', kind: 'user', name: 'bob', displayName: 'Bob', email: 'bob@x.com', state: 'ENABLED' };
const eve: SnapshotEntity = { id: 'u-eve', kind: 'user', name: 'eve', displayName: 'Eve', email: 'eve@x.com', state: 'ENABLED' };
const sales: SnapshotEntity = { id: 'g-sales', kind: 'group', name: 'sales', email: 'sales@x.com', state: 'ENABLED', members: ['u-ana'] };
const grant = (mailboxId: string, granteeId: string, rights: SnapshotGrant['rights']): SnapshotGrant => ({ mailboxId, granteeId, granteeType: granteeId.startsWith('g-') ? 'GROUP' : 'USER', rights });

describe('drift between snapshots', () => {
  it('finds grants added, removed and changed, and entities that appeared, disappeared or changed', () => {
    const before = snapshot([ana, bob, sales, eve], [grant('u-ana', 'u-bob', ['FULL_ACCESS']), grant('u-ana', 'g-sales', ['SEND_AS']), grant('u-bob', 'u-ana', ['SEND_AS'])]);
    const carol: SnapshotEntity = { id: 'u-carol', kind: 'user', name: 'carol', email: 'carol@x.com', state: 'ENABLED' };
    const after = snapshot(
      [ana, { ...bob, state: 'DISABLED' }, { ...sales, members: ['u-ana', 'u-carol'] }, carol],
      [grant('u-ana', 'u-bob', ['FULL_ACCESS', 'SEND_AS']), grant('u-bob', 'u-ana', ['SEND_AS']), grant('u-ana', 'u-carol', ['SEND_ON_BEHALF'])],
    );
    const drift = diffSnapshots(before, after, { from: 'monday.json', to: 'live' });
    assert.ok(hasDrift(drift));
    assert.deepEqual(drift.grantsAdded.map((g) => [g.mailbox, g.grantee, g.after.join()]), [['Ana', 'carol', 'SEND_ON_BEHALF']]);
    assert.deepEqual(drift.grantsRemoved.map((g) => [g.mailbox, g.grantee, g.before.join()]), [['Ana', 'sales', 'SEND_AS']]);
    assert.deepEqual(drift.grantsChanged.map((g) => [g.grantee, g.before.join(), g.after.join()]), [['Bob', 'FULL_ACCESS', 'FULL_ACCESS,SEND_AS']]);
    assert.deepEqual(drift.entitiesAppeared.map((e) => e.id), ['u-carol']);
    assert.deepEqual(drift.entitiesDisappeared.map((e) => e.id), ['u-eve']);
    assert.deepEqual(drift.entitiesChanged.map((e) => [e.id, e.changes.join('; ')]), [
      ['u-bob', 'state ENABLED → DISABLED'],
      ['g-sales', 'members: 1 added, 0 removed'],
    ]);
    const text = driftText(drift);
    assert.match(text, /\+ grant {3}carol on Ana: SEND_ON_BEHALF/);
    assert.match(text, /- grant {3}sales on Ana: had SEND_AS/);
    assert.match(driftMarkdown(drift), /## Grants changed \(1\)/);
  });

  it('reports no drift for equal snapshots, whatever the order or a pair split over two rows', () => {
    const a = snapshot([ana, bob], [grant('u-ana', 'u-bob', ['FULL_ACCESS', 'SEND_AS'])]);
    const b = snapshot([bob, ana], [grant('u-ana', 'u-bob', ['SEND_AS']), grant('u-ana', 'u-bob', ['FULL_ACCESS'])]);
    const drift = diffSnapshots(a, b);
    assert.equal(hasDrift(drift), false);
    assert.match(driftText(drift), /no difference/);
  });

  it('leaves mailboxes unread on either side out, and lists them', () => {
    const a = snapshot([ana, bob], [grant('u-ana', 'u-bob', ['FULL_ACCESS'])]);
    const b = snapshot([ana, bob], [], [{ mailboxId: 'u-ana', code: 'ThrottlingException', message: 'slow down' }]);
    const drift = diffSnapshots(a, b, { from: 'a', to: 'b' });
    assert.equal(hasDrift(drift), false, 'an unread mailbox is not a removed grant');
    assert.deepEqual(drift.notCompared, [{ mailboxId: 'u-ana', mailbox: 'Ana', why: 'could not be read in b (ThrottlingException)' }]);
  });

  it('refuses snapshots of two organizations', () => {
    assert.throws(() => diffSnapshots(snapshot([], []), snapshot([], [], [], 'm-2')), /different organizations/);
  });
});
