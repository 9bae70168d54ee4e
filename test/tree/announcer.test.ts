// The quiet announcer (src/tree/announcer.ts): a node's own change reaches VS Code only when no
// getChildren runs and no change went out for a while, once however often it was asked for.
import * as assert from 'node:assert/strict';
import { QuietAnnouncer } from '../../src/tree/announcer';

const timing = { afterChangeMs: 150, afterFetchMs: 60 };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    assert.ok(Date.now() < deadline, `${what} after 5 s`);
    await sleep(5);
  }
}

function announcer(): { announcer: QuietAnnouncer<string>; fired: Array<{ nodes: string[]; at: number }> } {
  const fired: Array<{ nodes: string[]; at: number }> = [];
  const announcer: QuietAnnouncer<string> = new QuietAnnouncer((nodes) => {
    fired.push({ nodes, at: Date.now() });
    announcer.changed();
  }, timing);
  return { announcer, fired };
}

describe('tree: announcements wait for a quiet tree', () => {
  it('fires nothing while a getChildren runs, and once, for every node asked, after it ends', async () => {
    const { announcer: quiet, fired } = announcer();
    let finish!: () => void;
    const fetch = quiet.fetching(() => new Promise<void>((resolve) => (finish = resolve)));
    quiet.announce('users');
    quiet.announce('groups');
    quiet.announce('users');
    await sleep(timing.afterChangeMs + timing.afterFetchMs + 50);
    assert.equal(fired.length, 0, 'nothing while the fetch runs, however long');
    finish();
    await fetch;
    const ended = Date.now();
    await until(() => fired.length > 0, 'nothing fired');
    assert.deepEqual(fired.map((f) => f.nodes), [['users', 'groups']], 'one event, each node once');
    assert.ok(fired[0]!.at - ended >= timing.afterFetchMs - 5, `fired ${fired[0]!.at - ended} ms after the fetch ended`);
    assert.equal(quiet.waiting, 0);
    quiet.dispose();
  });

  it('waits until no change has gone out for a while: the extension host applies such a change at once', async () => {
    const { announcer: quiet, fired } = announcer();
    quiet.changed();
    const changedAt = Date.now();
    quiet.announce('users');
    await sleep(20);
    quiet.changed();
    const lastChange = Date.now();
    await until(() => fired.length > 0, 'nothing fired');
    assert.ok(fired[0]!.at - lastChange >= timing.afterChangeMs - 5, `fired ${fired[0]!.at - lastChange} ms after the last change (first at ${fired[0]!.at - changedAt})`);
    quiet.dispose();
  });

  it('a fetch starting while it waits holds it back again', async () => {
    const { announcer: quiet, fired } = announcer();
    quiet.announce('users');
    let finish!: () => void;
    const fetch = quiet.fetching(() => new Promise<void>((resolve) => (finish = resolve)));
    await sleep(timing.afterFetchMs + 50);
    assert.equal(fired.length, 0);
    finish();
    await fetch;
    await until(() => fired.length > 0, 'nothing fired');
    assert.deepEqual(fired.map((f) => f.nodes), [['users']]);
    quiet.dispose();
  });

  it('a failed getChildren ends its fetch too', async () => {
    const { announcer: quiet, fired } = announcer();
    await assert.rejects(quiet.fetching(() => Promise.reject(new Error('no'))));
    quiet.announce('users');
    await until(() => fired.length > 0, 'nothing fired after a failed fetch');
    quiet.dispose();
  });

  it('fires nothing once disposed', async () => {
    const { announcer: quiet, fired } = announcer();
    quiet.announce('users');
    quiet.dispose();
    await sleep(timing.afterChangeMs + timing.afterFetchMs + 50);
    assert.equal(fired.length, 0);
  });
});
