// The undo history keeps exactly the last change; an undo that finishes after a newer change was
// recorded must not overwrite or drop that newer change.
import * as assert from 'node:assert/strict';
import { ChangeHistory, type RecordedBatch, type RecordedChange } from '../../../src/commands/permissions/history';

function change(grantee: string): RecordedChange {
  return {
    org: { region: 'us-east-1', organizationId: 'm-00000000000000000000000000000001' },
    mailbox: { id: 'mailbox-1', kind: 'user' },
    grantee: { id: grantee, type: 'USER', label: grantee },
    before: ['FULL_ACCESS'],
    after: ['FULL_ACCESS', 'SEND_AS'],
  };
}

describe('Change history', () => {
  it('keeps what an undo could not restore, so it can be retried', () => {
    const history = new ChangeHistory();
    const batch: RecordedBatch = { verb: 'grant', changes: [change('a'), change('b')], profile: 'p' };
    history.remember(batch);
    history.keepOnly(batch, [change('b')]);
    assert.deepEqual(history.peek()?.changes.map((c) => c.grantee.id), ['b']);
    assert.equal(history.peek()?.profile, 'p');
    history.keepOnly(history.peek()!, []);
    assert.equal(history.peek(), undefined, 'fully undone');
  });

  it('leaves a newer change alone when an older undo finishes after it was recorded', () => {
    const history = new ChangeHistory();
    const older: RecordedBatch = { verb: 'grant', changes: [change('a')], profile: 'p' };
    history.remember(older);
    // An undo of `older` starts; meanwhile another grant finishes and is recorded.
    const newer: RecordedBatch = { verb: 'revoke', changes: [change('c')], profile: 'q' };
    history.remember(newer);
    history.keepOnly(older, []);
    assert.equal(history.peek(), newer, 'the newer change is still the one to undo');
    history.keepOnly(older, [change('a')]);
    assert.equal(history.peek(), newer, 'and it is not merged with the older one');
  });
});
