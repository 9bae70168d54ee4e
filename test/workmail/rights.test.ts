import * as assert from 'node:assert/strict';
import {
  RIGHT_DESCRIPTIONS,
  RIGHT_LABELS,
  normalizeRights,
  rightsAllowedOn,
  rightsDiff,
  rightsLabel,
  sameRights,
  unionRights,
} from '../../src/workmail/rights';
import { ALL_RIGHTS, type Right } from '../../src/workmail/types';

describe('rights helpers', () => {
  it('labels every right and describes it in plain words', () => {
    for (const right of ALL_RIGHTS) {
      assert.ok(RIGHT_LABELS[right].length > 0);
      assert.ok(RIGHT_DESCRIPTIONS[right].length > 20);
    }
    assert.equal(RIGHT_LABELS.FULL_ACCESS, 'Full access');
  });

  it('labels a set in canonical order whatever the input order', () => {
    assert.equal(rightsLabel(['SEND_AS', 'FULL_ACCESS']), 'Full access · Send as');
    assert.equal(rightsLabel(['SEND_ON_BEHALF', 'SEND_AS', 'FULL_ACCESS', 'SEND_AS']), 'Full access · Send as · Send on behalf');
    assert.equal(rightsLabel([]), 'No rights');
  });

  it('normalizes to a deduplicated canonical order and keeps unknown values', () => {
    assert.deepEqual(normalizeRights(['SEND_ON_BEHALF', 'FULL_ACCESS', 'SEND_ON_BEHALF']), ['FULL_ACCESS', 'SEND_ON_BEHALF']);
    assert.deepEqual(normalizeRights(['FUTURE_RIGHT' as Right, 'SEND_AS']), ['SEND_AS', 'FUTURE_RIGHT']);
  });

  it('unions without losing either side', () => {
    assert.deepEqual(unionRights(['FULL_ACCESS'], ['SEND_AS']), ['FULL_ACCESS', 'SEND_AS']);
    assert.deepEqual(unionRights(['SEND_AS'], ['SEND_AS']), ['SEND_AS']);
    assert.deepEqual(unionRights([], []), []);
  });

  it('compares as sets', () => {
    assert.equal(sameRights(['SEND_AS', 'FULL_ACCESS'], ['FULL_ACCESS', 'SEND_AS']), true);
    assert.equal(sameRights(['SEND_AS'], ['SEND_AS', 'SEND_AS']), true);
    assert.equal(sameRights(['SEND_AS'], ['FULL_ACCESS']), false);
    assert.equal(sameRights([], ['FULL_ACCESS']), false);
    assert.equal(sameRights([], []), true);
  });

  it('diffs added and removed rights', () => {
    assert.deepEqual(rightsDiff(['FULL_ACCESS', 'SEND_AS'], ['SEND_AS', 'SEND_ON_BEHALF']), {
      added: ['SEND_ON_BEHALF'],
      removed: ['FULL_ACCESS'],
    });
    assert.deepEqual(rightsDiff(['SEND_AS'], ['SEND_AS']), { added: [], removed: [] });
  });

  it('allows no full access on a group mailbox', () => {
    assert.deepEqual(rightsAllowedOn('group'), ['SEND_AS', 'SEND_ON_BEHALF']);
    assert.deepEqual(rightsAllowedOn('user'), [...ALL_RIGHTS]);
    assert.deepEqual(rightsAllowedOn('resource'), [...ALL_RIGHTS]);
  });
});
