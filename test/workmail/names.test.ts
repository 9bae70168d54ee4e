// The order lists are shown in: by the name a person sees, case and accents aside, numbers as numbers.
import * as assert from 'node:assert/strict';
import { compareByName, entityName } from '../../src/workmail/names';
import type { DirectoryEntity } from '../../src/workmail/types';

const user = (id: string, fields: Partial<DirectoryEntity>): DirectoryEntity => ({ id, kind: 'user', ...fields });

describe('names: compareByName', () => {
  it('orders by the name shown (display name, else name, else address, else ID), not by ID', () => {
    const listed = [
      user('0003', { displayName: 'jack Thompson', name: 'jack' }),
      user('0001', { displayName: 'Bob Martinez' }),
      user('0002', { name: 'noah.fischer' }),
      user('0004', { displayName: 'Émile Zola' }),
      user('0005', { email: 'alice@example.com' }),
      user('0006', { displayName: 'User 10' }),
      user('0007', { displayName: 'User 2' }),
    ];
    const names = [...listed].sort(compareByName).map(entityName);
    assert.deepEqual(names, ['alice@example.com', 'Bob Martinez', 'Émile Zola', 'jack Thompson', 'noah.fischer', 'User 2', 'User 10']);
  });

  it('is total: equal names go by address, then ID, so the order never depends on the listing', () => {
    const a = user('b', { displayName: 'Sam', email: 'sam@b.example' });
    const b = user('a', { displayName: 'sam', email: 'sam@a.example' });
    const c = user('c', { displayName: 'Sam', email: 'sam@a.example' });
    assert.deepEqual([a, c, b].sort(compareByName).map((e) => e.id), ['a', 'c', 'b']);
    assert.deepEqual([b, a, c].sort(compareByName).map((e) => e.id), ['a', 'c', 'b']);
  });
});
