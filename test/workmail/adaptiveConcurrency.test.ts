// The scan's adaptive concurrency as pure logic: generated event sequences, no I/O, no timers.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AdaptiveConcurrency } from '../../src/workmail/concurrency';

type Event = { kind: 'start' } | { kind: 'finish'; ok: boolean } | { kind: 'throttle' };

const events = fc.array(
  fc.oneof(
    fc.constant<Event>({ kind: 'start' }),
    fc.boolean().map<Event>((ok) => ({ kind: 'finish', ok })),
    fc.constant<Event>({ kind: 'throttle' }),
  ),
  { maxLength: 400 },
);

const settings = fc
  .record({
    min: fc.integer({ min: 1, max: 8 }),
    span: fc.integer({ min: 0, max: 60 }),
    initial: fc.integer({ min: 0, max: 80 }),
    decrease: fc.double({ min: 0.1, max: 0.95, noNaN: true }),
    increase: fc.double({ min: 0.25, max: 4, noNaN: true }),
  })
  .map(({ min, span, initial, decrease, increase }) => ({ min, max: min + span, initial, decrease, increase }));

/** Plays events; a finish without anything in flight is skipped (the scan never does that). */
function play(limiter: AdaptiveConcurrency, list: readonly Event[], check: (before: number, event: Event, started?: boolean) => void = () => {}): void {
  for (const event of list) {
    const before = limiter.limit;
    if (event.kind === 'start') {
      check(before, event, limiter.tryStart());
    } else if (event.kind === 'finish') {
      if (limiter.inFlight === 0) continue;
      limiter.finish(event.ok);
      check(before, event);
    } else {
      limiter.throttled();
      check(before, event);
    }
  }
}

/**
 * A service that answers `capacity` requests per round trip, driven the way the scan drives the
 * controller: whenever a task ends, free slots are filled at once. Each round, the tasks in flight
 * at its start end: the first `capacity` succeed, the rest are throttled (the throttle heard, the
 * slot freed as not ok). Returns the limit and the requests served after every round.
 */
function simulate(limiter: AdaptiveConcurrency, capacity: number, rounds: number): { limits: number[]; served: number[] } {
  const limits: number[] = [];
  const served: number[] = [];
  const refill = (): void => {
    while (limiter.tryStart()) {
      // started
    }
  };
  refill();
  for (let round = 0; round < rounds; round++) {
    const ending = limiter.inFlight;
    let ok = 0;
    for (let i = 0; i < ending; i++) {
      if (ok < capacity) {
        ok++;
        limiter.finish(true);
      } else {
        limiter.throttled();
        limiter.finish(false);
      }
      refill();
    }
    limits.push(limiter.limit);
    served.push(ok);
  }
  return { limits, served };
}

describe('AdaptiveConcurrency (slow start, then additive increase; multiplicative decrease)', () => {
  it('keeps the limit between min and max and never lets more than the limit start', () => {
    fc.assert(
      fc.property(settings, events, (options, list) => {
        const limiter = new AdaptiveConcurrency(options);
        play(limiter, list, (before, event, started) => {
          assert.ok(limiter.limit >= options.min && limiter.limit <= options.max, `limit ${limiter.limit} outside [${options.min}, ${options.max}]`);
          if (event.kind === 'start') {
            if (started) assert.ok(limiter.inFlight <= before, 'never more in flight than the limit');
            else assert.ok(limiter.inFlight >= before, 'a start is refused only when every slot is taken');
          }
        });
      }),
    );
  });

  it('never grows past max or is cut below min, whatever the phase and the step', () => {
    // Slow start from just below max, then an increase larger than a slot at a small limit.
    const doubling = new AdaptiveConcurrency({ initial: 5, max: 7 });
    const { limits } = simulate(doubling, Number.POSITIVE_INFINITY, 3);
    assert.deepEqual(limits, [7, 7, 7]);
    const bigSteps = new AdaptiveConcurrency({ initial: 3, min: 2, max: 3, increase: 4 });
    bigSteps.throttled();
    assert.equal(bigSteps.limit, 2, 'halved to 1.5, held at min');
    simulate(bigSteps, Number.POSITIVE_INFINITY, 3);
    assert.equal(bigSteps.limit, 3, 'an increase of 4 slots per window still stops at max');
    for (let i = 0; i < 20; i++) {
      while (bigSteps.tryStart()) {
        // fill every slot, so each throttle is news
      }
      bigSteps.throttled();
      assert.ok(bigSteps.limit >= 2, `cut to ${bigSteps.limit}, below min`);
    }
  });

  it('only grows on success with every slot taken: a whole slot before the first throttle, at most the increase after', () => {
    fc.assert(
      fc.property(settings, events, (options, list) => {
        const limiter = new AdaptiveConcurrency(options);
        let throttledYet = false;
        for (const event of list) {
          const before = limiter.limit;
          const full = limiter.inFlight >= before;
          assert.equal(limiter.stats().slowStart, !throttledYet, 'slow start lasts until the first throttle');
          if (event.kind === 'start') {
            limiter.tryStart();
            assert.equal(limiter.limit, before, 'starting does not move the limit');
          } else if (event.kind === 'finish') {
            if (limiter.inFlight === 0) continue;
            limiter.finish(event.ok);
            if (!event.ok || !full) assert.equal(limiter.limit, before, 'a failure, or a success with free slots, does not raise the limit');
            else if (!throttledYet) assert.equal(limiter.limit, Math.min(options.max, before + 1), 'in slow start, a success at the limit adds a whole slot');
            else assert.ok(limiter.limit - before <= Math.ceil(options.increase), 'after the first throttle, one success raises the limit by at most the increase');
            assert.ok(limiter.limit >= before, 'finishing never lowers the limit');
          } else {
            limiter.throttled();
            throttledYet = true;
            assert.ok(limiter.limit <= before, 'throttling never raises the limit');
          }
        }
      }),
    );
  });

  it('before the first throttle, doubles the limit every window of successes, up to max', () => {
    fc.assert(
      fc.property(settings, fc.integer({ min: 1, max: 8 }), (options, rounds) => {
        const limiter = new AdaptiveConcurrency(options);
        const start = limiter.limit;
        const { limits } = simulate(limiter, Number.POSITIVE_INFINITY, rounds);
        limits.forEach((limit, round) => assert.equal(limit, Math.min(options.max, start * 2 ** (round + 1)), `round ${round + 1} from ${start}`));
        assert.equal(limiter.stats().slowStart, true);
      }),
    );
  });

  it('after the first throttle, adds about one slot per window of successes instead of doubling', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 1, max: 20 }), (initial, rounds) => {
        const limiter = new AdaptiveConcurrency({ initial, min: 1, max: 1000 });
        limiter.throttled();
        assert.equal(limiter.stats().slowStart, false);
        const cut = limiter.limit;
        const { limits } = simulate(limiter, Number.POSITIVE_INFINITY, rounds);
        let previous = cut;
        for (const limit of limits) {
          assert.ok(limit - previous <= 1, `one window raised the limit from ${previous} to ${limit}`);
          previous = limit;
        }
        // A window of L successes adds about 1/L each: close to one slot per window (at least half
        // of one while the limit is small and whole slots round down), never doubling.
        assert.ok(limits.at(-1)! >= cut + Math.floor(rounds / 2), `after ${rounds} windows from ${cut}: only ${limits.at(-1)}`);
        assert.equal(limiter.stats().slowStart, false, 'no second slow start');
      }),
    );
  });

  it('without slow start (slowStart: false), grows additively from the start', () => {
    const limiter = new AdaptiveConcurrency({ initial: 4, max: 64, slowStart: false });
    assert.equal(limiter.stats().slowStart, false);
    const { limits } = simulate(limiter, Number.POSITIVE_INFINITY, 10);
    // 4 + 1/4 + 1/4.25 + ... stays below 5 after the first window: one slot per window after that.
    assert.deepEqual(limits, [4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it('reaches an untold capacity in a few windows where additive increase needs one window per slot', () => {
    const capacity = 48;
    const windowsToFill = (slowStart: boolean): number => {
      const { served } = simulate(new AdaptiveConcurrency({ initial: 4, max: 64, slowStart }), capacity, 200);
      return served.findIndex((n) => n === capacity) + 1;
    };
    // 4, 8, 16, 32, 64: the fifth window is served in full.
    assert.ok(windowsToFill(true) <= 5, `slow start filled the capacity in ${windowsToFill(true)} windows`);
    assert.ok(windowsToFill(false) >= capacity - 4, `additive increase filled it in ${windowsToFill(false)} windows`);
  });

  it('halves the limit on the throttle that ends slow start (or cuts by decrease if deeper), then cuts by decrease at most once per window', () => {
    fc.assert(
      fc.property(settings, fc.integer({ min: 1, max: 50 }), (options, burst) => {
        const limiter = new AdaptiveConcurrency(options);
        const before = limiter.limit;
        for (let i = 0; i < burst; i++) limiter.throttled();
        const firstCut = Math.max(options.min, before * Math.min(0.5, options.decrease));
        assert.equal(limiter.limit, Math.floor(firstCut));
        assert.ok(limiter.stats().decreases <= 1, 'a burst of throttles from one window cuts once');
        assert.equal(limiter.stats().throttles, burst);
        // Once as many tasks as the new limit have started, a throttle is news and cuts again.
        const afterCut = limiter.limit;
        for (let i = 0; i < afterCut; i++) assert.ok(limiter.tryStart());
        limiter.throttled();
        assert.equal(limiter.limit, Math.floor(Math.max(options.min, firstCut * options.decrease)));
      }),
    );
  });

  it('without throttling, rises from the start to max when every slot stays busy', () => {
    fc.assert(
      fc.property(settings, (options) => {
        const limiter = new AdaptiveConcurrency(options);
        const { limits } = simulate(limiter, Number.POSITIVE_INFINITY, 4 * options.max + 10);
        for (let i = 1; i < limits.length; i++) assert.ok(limits[i]! >= limits[i - 1]!, 'never falls without throttling');
        assert.equal(limits.at(-1), options.max);
        assert.equal(limiter.stats().peak, options.max);
        assert.equal(limiter.stats().decreases, 0);
      }),
    );
  });

  it('follows a capacity it is not told: stays near it, and uses most of it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 1, max: 30 }), (capacity, initial) => {
        const limiter = new AdaptiveConcurrency({ initial, min: 1, max: 64 });
        const { limits, served } = simulate(limiter, capacity, 600);
        const tail = limits.slice(-300);
        // A sawtooth just under capacity + 1; a cut may land twice when the throttles of the round
        // after a cut come from requests started after it.
        assert.ok(Math.max(...tail) <= capacity + 1, `peak ${Math.max(...tail)} above capacity ${capacity} + 1`);
        assert.ok(Math.min(...tail) >= Math.floor(0.8 * 0.8 * capacity) - 1, `trough ${Math.min(...tail)} far below capacity ${capacity}`);
        const used = served.slice(-300).reduce((a, b) => a + b, 0) / (300 * capacity);
        assert.ok(used >= 0.85, `used ${used.toFixed(3)} of the capacity`);
      }),
    );
  });

  it('after throttling stops, climbs back above where it was cut, additively', () => {
    const limiter = new AdaptiveConcurrency({ initial: 20, min: 1, max: 64 });
    simulate(limiter, 5, 50);
    const low = limiter.limit;
    assert.ok(low <= 6, `fell to the capacity, got ${low}`);
    assert.ok(limiter.stats().decreases > 0);
    // The first window's five successes, in slow start, raised 20 to 25 before the throttles.
    const peak = limiter.stats().peak;
    assert.equal(peak, 25);
    assert.ok(limiter.stats().lowestAfterPeak <= low, 'the lowest limit since the peak is reported');
    const { limits } = simulate(limiter, Number.POSITIVE_INFINITY, 100);
    let previous = low;
    for (const limit of limits) {
      assert.ok(limit - previous <= 1, `one window after throttling raised the limit from ${previous} to ${limit}`);
      previous = limit;
    }
    assert.ok(limiter.limit > peak, `recovered to ${limiter.limit}`);
    assert.equal(limiter.stats().peak, limiter.limit, 'a new peak');
  });

  it('refuses nonsense parameters and an unmatched finish', () => {
    assert.throws(() => new AdaptiveConcurrency({ min: 0 }), RangeError);
    assert.throws(() => new AdaptiveConcurrency({ min: 5, max: 4 }), RangeError);
    assert.throws(() => new AdaptiveConcurrency({ decrease: 1 }), RangeError);
    assert.throws(() => new AdaptiveConcurrency({ increase: 0 }), RangeError);
    assert.throws(() => new AdaptiveConcurrency().finish(true), RangeError);
  });
});
