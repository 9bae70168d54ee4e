import * as assert from 'node:assert/strict';
import { createLimiter, mapConcurrent } from '../../src/workmail/concurrency';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('concurrency limiter', () => {
  it('never runs more than the bound at once and runs everything', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapConcurrent([...Array(20).keys()], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await tick(5);
      running--;
      return n * 2;
    });
    assert.equal(peak, 3);
    assert.deepEqual(results, [...Array(20).keys()].map((n) => n * 2));
  });

  it('frees the slot of a failing task', async () => {
    const limit = createLimiter(1);
    await assert.rejects(limit(async () => { throw new Error('boom'); }), /boom/);
    await assert.rejects(limit(() => { throw new Error('sync boom'); }), /sync boom/);
    assert.equal(await limit(async () => 'still works'), 'still works');
  });

  it('rejects a bound below one', () => {
    assert.throws(() => createLimiter(0), RangeError);
  });
});
