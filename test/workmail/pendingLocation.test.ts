import * as assert from 'node:assert/strict';
import path from 'node:path';
import { pendingWritesDirectory } from '../../src/workmail/pendingLocation';

describe('pendingWritesDirectory: one folder per machine user for every writer', () => {
  it('follows WORKMAIL_PENDING_WRITES_DIR when set', () => {
    assert.equal(pendingWritesDirectory({ WORKMAIL_PENDING_WRITES_DIR: '/tmp/x' }, 'linux', '/home/a'), path.resolve('/tmp/x'));
  });
  it('uses XDG_STATE_HOME, else ~/.local/state, on Linux', () => {
    assert.equal(pendingWritesDirectory({ XDG_STATE_HOME: '/s' }, 'linux', '/home/a'), path.join('/s', 'workmail-permissions', 'pending-writes'));
    assert.equal(pendingWritesDirectory({}, 'linux', '/home/a'), path.join('/home/a', '.local', 'state', 'workmail-permissions', 'pending-writes'));
  });
  it('uses Application Support on macOS and LOCALAPPDATA on Windows', () => {
    assert.equal(pendingWritesDirectory({}, 'darwin', '/Users/a'), path.join('/Users/a', 'Library', 'Application Support', 'workmail-permissions', 'pending-writes'));
    assert.equal(pendingWritesDirectory({ LOCALAPPDATA: 'C:\\L' }, 'win32', 'C:\\Users\\a'), path.join('C:\\L', 'workmail-permissions', 'pending-writes'));
  });
});
