import assert from 'node:assert/strict';
import { CancelledError } from '../../src/workmail/errors';
import type { ConcurrencyStats } from '../../src/workmail/concurrency';
import { collectScan, listDirectory, scanOrganization, ScanCache, type ScanProgress, type ScanRecord } from '../../src/workmail/scan';
import { AUDIT_ORG, GHOST_GRANTEE, auditWorld, seedWith, startWorld, type Running } from './auditWorld';

const world = auditWorld();

function pairKey(mailboxId: string, granteeId: string): string {
  return `${mailboxId}|${granteeId}`;
}

describe('scanOrganization (real SDK against the emulator)', function () {
  this.timeout(60_000);
  let running: Running;

  beforeEach(async () => {
    running = await startWorld(world.seed);
  });
  afterEach(async () => {
    await running.stop();
  });

  it('reads every grant of every user, group and resource, exactly as WorkMail holds them', async () => {
    const { emu, session } = running;
    const truth = new Map(emu.grants(AUDIT_ORG.organizationId).map((g) => [pairKey(g.mailboxId, g.granteeId), g]));
    const seen = new Map<string, ScanRecord>();
    for await (const record of scanOrganization(session, AUDIT_ORG, { concurrency: 6, pageSize: 7 })) {
      assert.equal(record.type, 'grant', `no mailbox may fail: ${record.type === 'failure' ? record.error.message : ''}`);
      if (record.type !== 'grant') continue;
      const key = pairKey(record.mailbox.id, record.granteeId);
      assert.ok(!seen.has(key), `record ${key} emitted twice`);
      seen.set(key, record);
      const expected = truth.get(key);
      assert.ok(expected, `scan invented ${key}`);
      assert.deepEqual([...record.rights].sort(), [...expected.rights].sort());
      assert.equal(record.granteeType, expected.granteeType);
    }
    assert.equal(seen.size, truth.size);
    assert.ok(truth.size > 1000, 'the world is large enough to page and to run concurrently');
  });

  it('names grantees from the directory it listed and describes only IDs the directory lacks', async () => {
    const { session, sdkCalls } = running;
    const records: ScanRecord[] = [];
    for await (const record of scanOrganization(session, AUDIT_ORG, {})) records.push(record);
    const ghost = records.find((r) => r.type === 'grant' && r.granteeId === GHOST_GRANTEE);
    assert.ok(ghost && ghost.type === 'grant');
    assert.equal(ghost.grantee, null, 'a grantee WorkMail does not know is reported as unknown');
    assert.equal(ghost.granteeLookupFailed, undefined);
    const byId = new Map([...(world.org.users ?? []), ...(world.org.groups ?? [])].map((e) => [e.id, e]));
    for (const record of records) {
      if (record.type !== 'grant') continue;
      const seeded = byId.get(record.granteeId);
      if (!seeded) {
        assert.equal(record.grantee, null, `${record.granteeId} is not in the directory`);
        continue;
      }
      assert.equal(record.grantee?.name, seeded.name);
      assert.equal(record.grantee?.email, seeded.email);
      assert.equal(record.grantee?.state, seeded.state ?? 'ENABLED');
    }
    const describes = sdkCalls.filter((c) => c.operation.startsWith('Describe'));
    const unknownIds = new Set(world.org.grants!.map((g) => g.grantee).filter((id) => !byId.has(id)));
    assert.equal(describes.length, unknownIds.size, 'one Describe per ID missing from the directory, none for listed ones');
  });

  it('scans users of every state and role, groups and resources, each exactly once', async () => {
    const { emu, session } = running;
    await collectScan(session, AUDIT_ORG);
    const listed = emu.calls().filter((c) => c.operation === 'ListMailboxPermissions' && c.status === 200);
    const scannedIds = listed.map((c) => (c.params as { EntityId: string }).EntityId);
    const firstPages = listed.filter((c) => !(c.params as { NextToken?: string }).NextToken).map((c) => (c.params as { EntityId: string }).EntityId);
    const expected = [...world.org.users!, ...world.org.groups!, ...world.org.resources!].map((e) => e.id);
    assert.deepEqual([...new Set(scannedIds)].sort(), [...expected].sort());
    assert.equal(firstPages.length, expected.length, 'each mailbox read once');
    assert.ok(world.org.users!.some((u) => u.role === 'SYSTEM_USER' && scannedIds.includes(u.id)), 'system users are scanned');
    assert.ok(world.org.users!.some((u) => u.state === 'DELETED' && scannedIds.includes(u.id)), 'deleted users are scanned');
  });

  it('can leave system users out', async () => {
    const { session } = running;
    const directory = await listDirectory(session, AUDIT_ORG);
    let total: number | undefined;
    await collectScan(session, AUDIT_ORG, { directory, skipSystemUsers: true, onProgress: (p) => (total = p.mailboxesTotal) });
    const systemUsers = directory.users.filter((u) => u.userRole === 'SYSTEM_USER').length;
    assert.ok(systemUsers > 0);
    assert.equal(total, directory.users.length + directory.groups.length + directory.resources.length - systemUsers);
  });

  it('keeps the number of calls in flight at the requested concurrency', async () => {
    const { emu, session } = running;
    emu.setFaults({ latencyMs: 15 });
    let inFlight = 0;
    let peak = 0;
    const counting = {
      ...session,
      listGrantsPage: async (...args: Parameters<typeof session.listGrantsPage>) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          return await session.listGrantsPage(...args);
        } finally {
          inFlight--;
        }
      },
      listEntitiesPage: session.listEntitiesPage.bind(session),
      describeEntity: session.describeEntity.bind(session),
      onThrottled: session.onThrottled.bind(session),
    } as unknown as typeof session;
    const snapshot = await collectScan(counting, AUDIT_ORG, { concurrency: 3 });
    assert.equal(peak, 3);
    assert.equal(snapshot.failures.length, 0);
  });

  it('reports progress up to every mailbox and grant', async () => {
    const { emu, session } = running;
    const updates: ScanProgress[] = [];
    await collectScan(session, AUDIT_ORG, { onProgress: (p) => updates.push(p) });
    const last = updates.at(-1)!;
    const mailboxes = world.org.users!.length + world.org.groups!.length + world.org.resources!.length;
    assert.equal(updates[0]!.mailboxesDone, 0);
    assert.equal(last.mailboxesDone, mailboxes);
    assert.equal(last.mailboxesTotal, mailboxes);
    assert.equal(last.grants, emu.grants(AUDIT_ORG.organizationId).length);
    for (let i = 1; i < updates.length; i++) {
      assert.ok(updates[i]!.mailboxesDone >= updates[i - 1]!.mailboxesDone);
    }
  });

  it('stops calling WorkMail promptly when cancelled, and says it was cancelled', async () => {
    const { emu, session } = running;
    emu.setFaults({ latencyMs: 40 });
    const controller = new AbortController();
    let records = 0;
    await assert.rejects(async () => {
      for await (const _record of scanOrganization(session, AUDIT_ORG, { concurrency: 4, signal: controller.signal })) {
        if (++records === 20) controller.abort();
      }
    }, CancelledError);
    // In-flight requests may still be logged when the server finishes them; then nothing more.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const afterAbort = emu.calls().length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(emu.calls().length, afterAbort, 'no call after cancellation');
    const fullScanCalls = world.org.users!.length + world.org.groups!.length + world.org.resources!.length;
    assert.ok(afterAbort < fullScanCalls / 2, `stopped early (${afterAbort} calls)`);
  });

  it('streams: a consumer that stops reading holds the workers back instead of buffering the organization', async () => {
    const { emu, session } = running;
    const iterator = scanOrganization(session, AUDIT_ORG, { concurrency: 2, highWaterMark: 10 })[Symbol.asyncIterator]();
    const first = await iterator.next();
    assert.equal(first.done, false);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const read = emu.calls().filter((c) => c.operation === 'ListMailboxPermissions').length;
    const mailboxes = world.org.users!.length + world.org.groups!.length + world.org.resources!.length;
    assert.ok(read < 40, `only a bounded number of mailboxes read ahead (${read} of ${mailboxes})`);
    let rest = 0;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest++;
    assert.equal(rest + 1, emu.grants(AUDIT_ORG.organizationId).length, 'and it resumes when the consumer does');
  });

  it('stops calling WorkMail when the consumer stops iterating', async () => {
    const { emu, session } = running;
    emu.setFaults({ latencyMs: 30 });
    for await (const _record of scanOrganization(session, AUDIT_ORG, { concurrency: 4 })) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 120));
    const afterBreak = emu.calls().length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(emu.calls().length, afterBreak);
  });

  it('refuses to start when already cancelled, without any call', async () => {
    const { emu, session } = running;
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(collectScan(session, AUDIT_ORG, { signal: controller.signal }), CancelledError);
    assert.equal(emu.calls().length, 0);
  });

  it('reports a mailbox that cannot be read as a failure record and reads all the others', async () => {
    const { emu, session } = running;
    const broken = world.org.users![7]!.id;
    emu.setFaults({ rules: [{ operation: 'ListMailboxPermissions', match: { EntityId: broken }, error: 'EntityStateException', message: 'not now' }] });
    const snapshot = await collectScan(session, AUDIT_ORG);
    assert.equal(snapshot.failures.length, 1);
    assert.equal(snapshot.failures[0]!.mailbox.id, broken);
    assert.equal(snapshot.failures[0]!.error.code, 'EntityStateException');
    const expected = emu.grants(AUDIT_ORG.organizationId).filter((g) => g.mailboxId !== broken);
    assert.equal(snapshot.grants.length, expected.length);
  });

  describe('while the directory is being listed', () => {
    type Call = ReturnType<Running['emu']['calls']>[number];
    const entityOf = (call: Call): string => (call.params as { EntityId: string }).EntityId;
    const isFirstGrantPage = (call: Call): boolean => call.operation === 'ListMailboxPermissions' && !(call.params as { NextToken?: string }).NextToken;
    /** The calls that arrived before the last ListUsers call: while users were still being listed. */
    const beforeLastUserPage = (calls: readonly Call[]): Call[] => {
      let last = -1;
      calls.forEach((call, index) => {
        if (call.operation === 'ListUsers') last = index;
      });
      return calls.slice(0, Math.max(0, last));
    };

    it('reads the grants of mailboxes already listed, each mailbox once, and emits nothing before the directory is known', async () => {
      const { emu, session } = running;
      emu.setFaults({ latencyMs: 5 });
      let directoryKnown = false;
      let grants = 0;
      for await (const record of scanOrganization(session, AUDIT_ORG, { pageSize: 10, onDirectory: () => (directoryKnown = true) })) {
        assert.ok(directoryKnown, 'a record was emitted before the directory was known');
        assert.equal(record.type, 'grant', record.type === 'failure' ? record.error.message : '');
        grants++;
      }
      assert.equal(grants, emu.grants(AUDIT_ORG.organizationId).length);
      const calls = emu.calls();
      const early = beforeLastUserPage(calls).filter(isFirstGrantPage);
      assert.ok(early.length >= 10, `only ${early.length} mailboxes read while the users were listed`);
      const read = calls.filter(isFirstGrantPage).map(entityOf);
      assert.equal(new Set(read).size, read.length, 'a mailbox read early was read again');
      assert.equal(read.length, world.org.users!.length + world.org.groups!.length + world.org.resources!.length);
    });

    it('reports a mailbox that failed then as a failure record, read once', async () => {
      const { emu, session } = running;
      // The fourth user WorkMail lists: on the first page, read while the others are listed.
      const broken = (await listDirectory(session, AUDIT_ORG, { pageSize: 10 })).users[3]!.id;
      emu.clearCalls();
      emu.setFaults({ latencyMs: 5, rules: [{ operation: 'ListMailboxPermissions', match: { EntityId: broken }, error: 'EntityStateException', message: 'not now' }] });
      const snapshot = await collectScan(session, AUDIT_ORG, { pageSize: 10 });
      assert.deepEqual(snapshot.failures.map((f) => [f.mailbox.id, f.error.code]), [[broken, 'EntityStateException']]);
      const brokenCalls = emu.calls().filter((c) => c.operation === 'ListMailboxPermissions' && entityOf(c) === broken);
      assert.equal(brokenCalls.length, 1);
      assert.ok(beforeLastUserPage(emu.calls()).some((call) => call.seq === brokenCalls[0]!.seq), 'it was read while the users were listed');
      assert.equal(snapshot.grants.length, emu.grants(AUDIT_ORG.organizationId).filter((g) => g.mailboxId !== broken).length);
    });

    it('a slow mailbox read early holds one slot, not two: the others go on being read meanwhile', async () => {
      const { emu, session } = running;
      // The first mailbox WorkMail lists answers after 2 s; read early, it holds its slot that long.
      const slow = (await listDirectory(session, AUDIT_ORG, { pageSize: 10 })).users[0]!.id;
      emu.clearCalls();
      emu.setFaults({ latencyMs: 5, rules: [{ operation: 'ListMailboxPermissions', match: { EntityId: slow }, delayMs: 2_000 }] });
      const snapshot = await collectScan(session, AUDIT_ORG, { pageSize: 10, concurrency: 2 });
      assert.equal(snapshot.failures.length, 0);
      assert.equal(snapshot.grants.length, emu.grants(AUDIT_ORG.organizationId).length);
      const calls = emu.calls();
      const ends = (call: Call): number => Date.parse(call.time) + call.durationMs;
      const slowCall = calls.find((c) => c.operation === 'ListMailboxPermissions' && entityOf(c) === slow)!;
      const listed = Math.max(...calls.filter((c) => /^List(Users|Groups|Resources)$/.test(c.operation ?? '')).map(ends));
      assert.ok(listed < ends(slowCall), 'precondition: the directory was listed before the slow mailbox answered');
      // With 2 slots, one held by the slow read, the other must keep reading once the listing is done.
      const meanwhile = calls.filter((c) => isFirstGrantPage(c) && entityOf(c) !== slow && Date.parse(c.time) > listed && Date.parse(c.time) < ends(slowCall));
      assert.ok(meanwhile.length >= 5, `only ${meanwhile.length} mailboxes read after the listing while the slow one was read`);
    });

    it('reads and reports once a mailbox the listing returned twice', async () => {
      const { emu, session } = running;
      const listedOnce = await listDirectory(session, AUDIT_ORG);
      const twice = listedOnce.users[0]!;
      // As a listing that shifted under concurrent changes could return it, on two pages.
      const directory = { ...listedOnce, users: [...listedOnce.users, twice] };
      emu.clearCalls();
      const snapshot = await collectScan(session, AUDIT_ORG, { directory });
      assert.equal(snapshot.grants.length, emu.grants(AUDIT_ORG.organizationId).length, 'no grant twice');
      assert.equal(emu.calls().filter((c) => isFirstGrantPage(c) && entityOf(c) === twice.id).length, 1, 'read once');
    });

    it('reads no more mailboxes early than the high-water mark', async () => {
      const { emu, session } = running;
      emu.setFaults({ latencyMs: 5 });
      const snapshot = await collectScan(session, AUDIT_ORG, { pageSize: 10, highWaterMark: 3 });
      assert.equal(snapshot.failures.length, 0);
      assert.equal(snapshot.grants.length, emu.grants(AUDIT_ORG.organizationId).length);
      const early = beforeLastUserPage(emu.calls()).filter(isFirstGrantPage);
      assert.ok(early.length > 0 && early.length <= 3, `${early.length} mailboxes read early`);
    });

    it('lists the directory paced (without the SDK\'s client-side rate limiter), as the scan paces its other calls', async () => {
      const { session } = running;
      const paced: Array<boolean | undefined> = [];
      const original = session.listEntitiesPage.bind(session);
      session.listEntitiesPage = (org, kind, options, signal) => {
        paced.push(options.paced);
        return original(org, kind, options, signal);
      };
      const snapshot = await collectScan(session, AUDIT_ORG, { pageSize: 50 });
      assert.equal(snapshot.failures.length, 0);
      assert.ok(paced.length > 3, `${paced.length} pages`);
      assert.ok(paced.every((p) => p === true), `pages listed unpaced: ${paced.filter((p) => p !== true).length}`);
    });

    it('reads nothing early when the directory is given', async () => {
      const { emu, session } = running;
      const directory = await listDirectory(session, AUDIT_ORG);
      emu.clearCalls();
      let directoryKnown = false;
      const snapshot = await collectScan(session, AUDIT_ORG, { directory, onDirectory: () => (directoryKnown = true) });
      assert.ok(directoryKnown);
      assert.equal(snapshot.grants.length, emu.grants(AUDIT_ORG.organizationId).length);
      assert.ok(!emu.calls().some((c) => c.operation === 'ListUsers'), 'the given directory is not listed again');
    });
  });

  it('retries a mailbox still throttled after the SDK gave up, without duplicating its grants', async () => {
    const smallWorld = auditWorld({ users: 40, grants: 120 });
    // The last mailbox read: the SDK's adaptive rate limiter slows the client after throttling,
    // which would make the test slow without changing what it shows.
    const target = smallWorld.org.resources!.at(-1)!.id;

    // Four throttles in a row outlast the SDK's attempts (maxAttempts 2 here), so the engine's retry is what saves it.
    const small = await startWorld(smallWorld.seed, { maxAttempts: 2 });
    try {
      small.emu.putGrantDirect(AUDIT_ORG.organizationId, target, smallWorld.org.users![0]!.id, ['SEND_AS']);
      small.emu.putGrantDirect(AUDIT_ORG.organizationId, target, smallWorld.org.users![1]!.id, ['FULL_ACCESS']);
      small.emu.setFaults({ rules: [{ operation: 'ListMailboxPermissions', match: { EntityId: target }, error: 'ThrottlingException', times: 4 }] });
      const snapshot = await collectScan(small.session, AUDIT_ORG, { retry: { baseDelayMs: 20 } });
      const truth = small.emu.grants(AUDIT_ORG.organizationId);
      assert.equal(snapshot.failures.length, 0);
      assert.equal(snapshot.grants.length, truth.length);
      const targetGrants = snapshot.grants.filter((g) => g.mailbox.id === target);
      assert.ok(targetGrants.length >= 2);
      assert.equal(targetGrants.length, truth.filter((g) => g.mailboxId === target).length);
      assert.equal(small.emu.calls().filter((c) => c.errorCode === 'ThrottlingException').length, 4);
    } finally {
      await small.stop();
    }
  });

  it('gives up on a mailbox that stays throttled and reports it, without failing the scan', async () => {
    const smallWorld = auditWorld({ users: 40, grants: 40 });
    const target = smallWorld.org.resources!.at(-1)!.id;
    const small = await startWorld(smallWorld.seed, { maxAttempts: 1 });
    try {
      small.emu.setFaults({ rules: [{ operation: 'ListMailboxPermissions', match: { EntityId: target }, error: 'ThrottlingException' }] });
      const snapshot = await collectScan(small.session, AUDIT_ORG, { retry: { retries: 2, baseDelayMs: 10 } });
      assert.deepEqual(snapshot.failures.map((f) => [f.mailbox.id, f.error.code]), [[target, 'ThrottlingException']]);
      assert.equal(small.emu.calls().filter((c) => c.errorCode === 'ThrottlingException').length, 3, 'one try and two retries');
    } finally {
      await small.stop();
    }
  });

  it('absorbs an emulator rate limit with zero failed mailboxes', async () => {
    const smallWorld = auditWorld({ users: 60, grants: 200 });
    const small = await startWorld(smallWorld.seed);
    try {
      small.emu.setFaults({ rateLimitPerSecond: 40, rateLimitBurst: 5 });
      const snapshot = await collectScan(small.session, AUDIT_ORG, { concurrency: 8 });
      assert.equal(snapshot.failures.length, 0, snapshot.failures.map((f) => f.error.message).join('; '));
      assert.equal(snapshot.grants.length, small.emu.grants(AUDIT_ORG.organizationId).length);
      assert.ok(small.emu.calls().some((c) => c.errorCode === 'ThrottlingException'), 'the rate limit really throttled calls');
    } finally {
      await small.stop();
    }
  });

  describe('adaptive concurrency (no fixed concurrency given)', () => {
    const smallWorld = auditWorld({ users: 120, grants: 300 });
    let small: Running;
    beforeEach(async () => {
      small = await startWorld(smallWorld.seed);
    });
    afterEach(async () => {
      await small.stop();
    });

    const scanWithStats = async (options: Parameters<typeof collectScan>[2] = {}) => {
      let stats: ConcurrencyStats | undefined;
      const limits: number[] = [];
      const snapshot = await collectScan(small.session, AUDIT_ORG, {
        ...options,
        onProgress: (p) => p.concurrency && limits.push(p.concurrency.limit),
        onConcurrency: (s) => (stats = s),
      });
      assert.ok(stats, 'the scan reports its concurrency statistics');
      assert.equal(snapshot.failures.length, 0, snapshot.failures.map((f) => f.error.message).join('; '));
      assert.equal(snapshot.grants.length, small.emu.grants(AUDIT_ORG.organizationId).length);
      return { stats, limits };
    };

    it('without a rate limit, raises the number of mailboxes in flight above where it started', async () => {
      small.emu.setFaults({ latencyMs: 15 });
      const { stats, limits } = await scanWithStats({ adaptive: { initial: 2 } });
      assert.equal(stats.throttles, 0);
      assert.equal(stats.decreases, 0);
      assert.equal(stats.slowStart, true, 'nothing throttled: still in slow start');
      assert.ok(stats.peak > stats.initial + 2, `peak ${stats.peak} from ${stats.initial}`);
      assert.ok(limits.some((limit) => limit > 2), 'progress shows the limit rising');
      assert.ok(!small.emu.calls().some((c) => c.errorCode === 'ThrottlingException'));
    });

    it('under a rate limit, cuts the number in flight when throttled and still reads every mailbox', async () => {
      small.emu.setFaults({ latencyMs: 10, rateLimitPerSecond: 40, rateLimitBurst: 5 });
      const { stats } = await scanWithStats({ adaptive: { initial: 16 } });
      const throttled = small.emu.calls().filter((c) => c.errorCode === 'ThrottlingException').length;
      assert.ok(throttled > 0, 'the rate limit really throttled calls');
      assert.ok(stats.throttles > 0, 'the scan heard the throttling (attempts the SDK retried included)');
      assert.ok(stats.decreases > 0, 'and cut its limit');
      assert.equal(stats.slowStart, false, 'the first throttle ended slow start');
      assert.ok(stats.lowestAfterPeak < stats.peak, `fell from ${stats.peak} to ${stats.lowestAfterPeak}`);
    });
  });
});

describe('ScanCache', function () {
  this.timeout(30_000);
  let running: Running;
  const tinyOrg = {
    id: AUDIT_ORG.organizationId,
    alias: 'tiny',
    region: AUDIT_ORG.region,
    users: [
      { id: '00000000-0000-4000-8000-000000000001', name: 'ana', email: 'ana@tiny.example.com' },
      { id: '00000000-0000-4000-8000-000000000002', name: 'bob', email: 'bob@tiny.example.com' },
    ],
    grants: [{ mailbox: '00000000-0000-4000-8000-000000000001', grantee: '00000000-0000-4000-8000-000000000002', rights: ['SEND_AS' as const] }],
  };

  beforeEach(async () => {
    running = await startWorld(seedWith(tinyOrg));
  });
  afterEach(async () => {
    await running.stop();
  });

  it('stamps a finished scan with the time it was read and serves it until it is too old', async () => {
    let clock = new Date('2026-03-02T14:02:00Z');
    const cache = new ScanCache(() => clock);
    const snapshot = await cache.scan(running.session, AUDIT_ORG);
    assert.equal(snapshot.readAt.toISOString(), '2026-03-02T14:02:00.000Z');
    assert.equal(snapshot.grants.length, 1);
    assert.equal(cache.get(running.session, AUDIT_ORG), snapshot);
    clock = new Date('2026-03-02T14:12:00Z');
    assert.equal(cache.get(running.session, AUDIT_ORG, 15 * 60_000), snapshot);
    assert.equal(cache.get(running.session, AUDIT_ORG, 5 * 60_000), undefined);
    cache.invalidate(running.session, AUDIT_ORG);
    assert.equal(cache.get(running.session, AUDIT_ORG), undefined);
  });

  it('keeps nothing from a cancelled scan', async () => {
    const cache = new ScanCache();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(cache.scan(running.session, AUDIT_ORG, { signal: controller.signal }), CancelledError);
    assert.equal(cache.get(running.session, AUDIT_ORG), undefined);
  });
});
