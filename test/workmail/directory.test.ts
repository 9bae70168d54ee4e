import * as assert from 'node:assert/strict';
import { startEmulator } from '../../emulator/index';
import { CancelledError } from '../../src/workmail/errors';
import { DirectoryCache } from '../../src/workmail/directory';
import { WorkMailSession } from '../../src/workmail/session';
import { ACME, ANA, BOB, DEFAULT_KEYS, GHOST, SALES, operations, paramsOf, seed, staffId, staticCredentials } from './fixture';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const user = (granteeId: string) => ({ granteeId, granteeType: 'USER' as const });
const group = (granteeId: string) => ({ granteeId, granteeType: 'GROUP' as const });

/**
 * The session with its Describe calls counted as the cache makes them: the most it had waiting at
 * once. Counted at the caller, not from the emulator's clock, so a loaded machine that delays a
 * request's arrival cannot make the bound look kept or broken.
 */
function countingDescribes(session: WorkMailSession): { session: WorkMailSession; peak: () => number } {
  let inFlight = 0;
  let peak = 0;
  const counting = Object.create(session) as WorkMailSession;
  counting.describeEntity = async (...args: Parameters<WorkMailSession['describeEntity']>) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    try {
      return await session.describeEntity(...args);
    } finally {
      inFlight--;
    }
  };
  return { session: counting, peak: () => peak };
}

describe('DirectoryCache against the emulator', () => {
  let emu: Emulator;
  let session: WorkMailSession;

  before(async () => {
    emu = await startEmulator({ port: 0, seed: seed() });
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    emu.setFaults({});
    emu.clearCalls();
    session = new WorkMailSession({ endpoint: emu.url, credentials: staticCredentials(DEFAULT_KEYS), maxAttempts: 1 });
  });
  afterEach(() => session.dispose());

  it('answers from remembered directory pages without any call', async () => {
    const cache = new DirectoryCache(session, ACME);
    cache.remember((await session.listEntitiesPage(ACME, 'user', { maxResults: 100 })).items);
    emu.clearCalls();
    const resolved = await cache.resolve([user(ANA), user(BOB)]);
    assert.equal(resolved.get(ANA)?.name, 'ana');
    assert.equal(resolved.get(BOB)?.name, 'bob');
    assert.equal(cache.describeCalls, 0);
    assert.equal(emu.calls().length, 0);
  });

  it('describes each unknown ID once with the call that fits its type, and null for one that does not exist', async () => {
    const cache = new DirectoryCache(session, ACME);
    const resolved = await cache.resolve([user(ANA), group(SALES), user(GHOST), user(ANA)]);
    assert.equal(resolved.get(ANA)?.displayName, 'Ana Silva');
    assert.equal(resolved.get(SALES)?.kind, 'group');
    assert.equal(resolved.get(GHOST), null);
    assert.equal(cache.get(GHOST), null);
    assert.equal(cache.describeCalls, 3);
    assert.deepEqual(operations(emu.calls()).sort(), ['DescribeGroup', 'DescribeUser', 'DescribeUser']);
    assert.equal(paramsOf(emu.calls().find((c) => c.operation === 'DescribeGroup')!).GroupId, SALES);

    await cache.resolve([user(ANA), group(SALES), user(GHOST)]);
    assert.equal(cache.describeCalls, 3, 'known IDs, including known-missing ones, are not asked again');
    assert.equal(emu.calls().length, 3);
  });

  it('asks again after clear()', async () => {
    const cache = new DirectoryCache(session, ACME);
    await cache.resolve([user(ANA)]);
    cache.clear();
    assert.equal(cache.get(ANA), undefined);
    await cache.resolve([user(ANA)]);
    assert.equal(cache.describeCalls, 2);
    assert.equal(emu.calls().length, 2);
  });

  it('shares one call between concurrent resolves of the same ID', async () => {
    emu.setFaults({ latencyMs: 50 });
    const cache = new DirectoryCache(session, ACME);
    const ids = [ANA, BOB, staffId(1), staffId(2)].map(user);
    const [first, second, third] = await Promise.all([cache.resolve(ids), cache.resolve(ids), cache.resolve(ids.slice(0, 2))]);
    assert.equal(cache.describeCalls, 4);
    assert.equal(emu.calls().length, 4);
    for (const result of [first, second]) {
      assert.equal(result.get(staffId(2))?.name, 'staff02');
    }
    assert.equal(third.get(BOB)?.name, 'bob');
  });

  it('keeps at most the configured number of Describe calls in flight', async () => {
    emu.setFaults({ latencyMs: 60 });
    const narrow = countingDescribes(session);
    const cache = new DirectoryCache(narrow.session, ACME, { concurrency: 3 });
    const ids = Array.from({ length: 12 }, (_, i) => user(staffId(i + 1)));
    const resolved = await cache.resolve(ids);
    assert.equal(resolved.size, 12);
    assert.equal(narrow.peak(), 3, 'three at a time, never more');

    const wide = countingDescribes(session);
    await new DirectoryCache(wide.session, ACME, { concurrency: 8 }).resolve(Array.from({ length: 16 }, (_, i) => user(staffId(i + 1))));
    assert.equal(wide.peak(), 8, 'a wider bound really runs more calls at once');
  });

  it('leaves an ID unresolved after a failure other than not-found, and retries it next time', async () => {
    emu.setFaults({ rules: [{ operation: 'DescribeUser', match: { UserId: BOB }, error: 'InternalFailure', status: 500, times: 1 }] });
    const cache = new DirectoryCache(session, ACME);
    const first = await cache.resolve([user(ANA), user(BOB)]);
    assert.equal(first.get(ANA)?.name, 'ana');
    assert.equal(first.has(BOB), false);
    assert.equal(cache.get(BOB), undefined);
    const second = await cache.resolve([user(ANA), user(BOB)]);
    assert.equal(second.get(BOB)?.name, 'bob');
    assert.equal(cache.describeCalls, 3);
  });

  it('stops waiting when cancelled', async () => {
    emu.setFaults({ latencyMs: 500 });
    const cache = new DirectoryCache(session, ACME);
    const controller = new AbortController();
    const pending = cache.resolve([user(ANA)], controller.signal);
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, CancelledError);
  });
});
