// Resumable scans against the emulator: an interrupted scan, resumed from its checkpoint, reads
// only the mailboxes it had not read (counted in the emulator's own call log) and ends with the
// same result as a fresh scan; damaged or foreign checkpoints are refused and left alone.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CancelledError } from '../../src/workmail/errors';
import { CheckpointWriter, checkpointKeyFor, readCheckpoint, type CheckpointKey } from '../../src/workmail/checkpoint';
import { EXPORT_COLUMNS, exportTimes, writeCsv, writeJson } from '../../src/workmail/exporters';
import { planDestination, renderDestination, unchangedAddresses } from '../../src/workmail/migration/destinations';
import { buildSnapshot, readSnapshot, writeSnapshot } from '../../src/workmail/migration/snapshot';
import { collectScan, type OrganizationScan } from '../../src/workmail/scan';
import { AUDIT_KEYS, AUDIT_ORG, GHOST_GRANTEE, StringSink, auditWorld, parseCsv, startWorld, type Running } from './auditWorld';

const world = auditWorld({ users: 150, grants: 500 });

/** A scan's result in a form two scans can be compared by (records come in completion order). */
function canonical(snapshot: OrganizationScan): unknown {
  return {
    users: snapshot.directory.users.map((e) => e.id),
    groups: snapshot.directory.groups.map((e) => e.id),
    resources: snapshot.directory.resources.map((e) => e.id),
    grants: snapshot.grants
      .map((g) => JSON.stringify([g.mailbox.id, g.mailbox.name, g.granteeId, g.granteeType, g.grantee?.name ?? null, g.grantee?.email ?? null, g.granteeLookupFailed ?? false, g.rights]))
      .sort(),
    failures: snapshot.failures.map((f) => f.mailbox.id).sort(),
  };
}

describe('resumable scans (checkpoint, real SDK against the emulator)', function () {
  this.timeout(120_000);
  let running: Running;
  let folder: string;
  let key: CheckpointKey;
  let file: string;

  beforeEach(async () => {
    running = await startWorld(world.seed);
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'workmail-checkpoint-test-'));
    key = await checkpointKeyFor(running.session, AUDIT_ORG);
    file = path.join(folder, 'export.csv.scan-checkpoint.jsonl');
  });
  afterEach(async () => {
    await running.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const mailboxCount = (): number => world.org.users!.length + world.org.groups!.length + world.org.resources!.length;

  /** Starts a checkpointed scan and cancels it once `after` mailboxes are done. */
  async function interruptedScan(after: number): Promise<void> {
    const controller = new AbortController();
    await assert.rejects(
      collectScan(running.session, AUDIT_ORG, {
        signal: controller.signal,
        checkpoint: new CheckpointWriter(file, key),
        onProgress: (p) => {
          if (p.mailboxesDone >= after) controller.abort();
        },
      }),
      CancelledError,
    );
  }

  it('a cancelled scan, resumed, reads only the mailboxes it had not read, and ends as a fresh scan does', async () => {
    const { emu, session } = running;
    const fresh = await collectScan(session, AUDIT_ORG);
    assert.equal(fresh.failures.length, 0);

    await interruptedScan(60);
    const found = readCheckpoint(file, key);
    assert.equal(found.state, 'found');
    if (found.state !== 'found') return;
    const alreadyRead = found.resume.done.size;
    assert.ok(alreadyRead >= 60 && alreadyRead < mailboxCount(), `${alreadyRead} mailboxes in the checkpoint`);
    assert.equal(found.resume.directory.users.length, world.org.users!.length);

    emu.clearCalls();
    const resumed = await collectScan(session, AUDIT_ORG, { resume: found.resume, checkpoint: new CheckpointWriter(file, key) });
    const calls = emu.calls();
    const lists = calls.filter((c) => c.operation === 'ListMailboxPermissions' && c.status === 200);
    const listed = new Set(lists.map((c) => (c.params as { EntityId: string }).EntityId));
    for (const id of found.resume.done.keys()) assert.ok(!listed.has(id), `mailbox ${id} was read again`);
    assert.equal(listed.size, mailboxCount() - alreadyRead, 'every other mailbox read');
    assert.ok(!calls.some((c) => /^List(Users|Groups|Resources)$/.test(c.operation ?? '')), 'the directory came from the checkpoint');
    const remainderPages = lists.length;
    const others = calls.filter((c) => c.operation !== 'ListMailboxPermissions' && c.status === 200 && !(c.operation ?? '').startsWith('Describe'));
    assert.deepEqual(others, [], 'nothing else is read');
    assert.ok(remainderPages >= listed.size);

    assert.deepEqual(canonical(resumed), canonical(fresh), 'the resumed scan equals a fresh one');
    assert.equal(resumed.startedAt.getTime() <= Date.now(), true);
    assert.ok(!fs.existsSync(file), 'a completed scan deletes its checkpoint');
  });

  it('a resumed scan is dated in parts: a mailbox read before the interruption keeps its time in the scan, the exports, the snapshot and the script header', async () => {
    const { emu, session } = running;
    // An injected clock that moves a second at each reading: the first part on 2 March, the
    // resumed part the next day. A grant is revoked and another added in between.
    let ticks = Date.parse('2026-03-02T09:00:00.000Z');
    const now = (): Date => new Date((ticks += 1000));
    const controller = new AbortController();
    await assert.rejects(
      collectScan(session, AUDIT_ORG, {
        signal: controller.signal,
        concurrency: 1,
        checkpoint: new CheckpointWriter(file, key, now),
        onProgress: (p) => {
          if (p.mailboxesDone >= 30) controller.abort();
        },
      }, now),
      CancelledError,
    );
    const found = readCheckpoint(file, key);
    assert.equal(found.state, 'found');
    if (found.state !== 'found') return;
    const { resume } = found;
    const [mailboxId, records] = [...resume.done].find(([, grants]) => grants.length > 0)!;
    const readBefore = resume.mailboxReadAt.get(mailboxId)!;
    assert.ok(readBefore.getTime() > resume.startedAt.getTime() && readBefore.getTime() < Date.parse('2026-03-03T00:00:00.000Z'), `read ${readBefore.toISOString()}`);
    const revoked = records[0]!;
    const added = world.org.users!.find((u) => u.state === 'ENABLED' && u.id !== mailboxId && !records.some((r) => r.granteeId === u.id))!;
    emu.putGrantDirect(AUDIT_ORG.organizationId, mailboxId, revoked.granteeId, []);
    emu.putGrantDirect(AUDIT_ORG.organizationId, mailboxId, added.id, ['SEND_AS']);

    ticks = Date.parse('2026-03-03T10:00:00.000Z');
    const resumedAt = new Date(ticks + 1000);
    const scan = await collectScan(session, AUDIT_ORG, { resume, checkpoint: new CheckpointWriter(file, key, now) }, now);

    // The scan: started with the first part, ended with the second, and says it was resumed.
    assert.equal(scan.startedAt.toISOString(), resume.startedAt.toISOString());
    assert.ok(scan.readAt.getTime() > resumedAt.getTime());
    assert.deepEqual(scan.resumed, { resumedAt, checkpointWrittenAt: resume.lastReadAt, mailboxesFromCheckpoint: resume.done.size });
    assert.equal(resume.lastReadAt.getTime(), Math.max(...[...resume.mailboxReadAt.values()].map((d) => d.getTime())));
    assert.equal(scan.mailboxReadAt.get(mailboxId)?.toISOString(), readBefore.toISOString(), 'the mailbox keeps the time it was read');
    const later = scan.directory.users.find((u) => !resume.done.has(u.id))!;
    assert.ok(scan.mailboxReadAt.get(later.id)!.getTime() > resumedAt.getTime(), 'a mailbox read after the resume has its own time');
    const kept = scan.grants.find((g) => g.mailbox.id === mailboxId && g.granteeId === revoked.granteeId);
    assert.equal(kept?.readAt.toISOString(), readBefore.toISOString(), 'the revoked grant is there as read, dated before the revoke');
    assert.ok(!scan.grants.some((g) => g.mailbox.id === mailboxId && g.granteeId === added.id), 'the grant added meanwhile is not (the mailbox was not read again)');

    // CSV: each row says when its mailbox was read.
    const csv = new StringSink();
    await writeCsv(scan.grants, csv);
    const [header, ...rows] = parseCsv(csv.text);
    assert.deepEqual(header, [...EXPORT_COLUMNS]);
    const col = (name: (typeof EXPORT_COLUMNS)[number]): number => header!.indexOf(name);
    const row = rows.find((r) => r[col('mailbox_id')] === mailboxId && r[col('grantee_id')] === revoked.granteeId);
    assert.equal(row?.[col('read_at')], readBefore.toISOString());
    assert.ok(rows.some((r) => Date.parse(r[col('read_at')]!) > resumedAt.getTime()));

    // JSON: the reading's start, end and resume in the head; each row's read time.
    const json = new StringSink();
    await writeJson(scan.grants, json, { organization: AUDIT_ORG, ...exportTimes(scan) });
    const document = JSON.parse(json.text);
    assert.equal(document.startedAt, resume.startedAt.toISOString());
    assert.equal(document.readAt, scan.readAt.toISOString());
    assert.deepEqual(document.resumed, { resumedAt: resumedAt.toISOString(), checkpointWrittenAt: resume.lastReadAt.toISOString(), mailboxesFromCheckpoint: resume.done.size });
    assert.equal(document.grants.find((g: { mailboxId: string; granteeId: string }) => g.mailboxId === mailboxId && g.granteeId === revoked.granteeId)?.readAt, readBefore.toISOString());

    // The snapshot file: the same, read back.
    const snapshotFile = path.join(folder, 'resumed.snapshot.json');
    const noRoutes = { delegates: new Map(), bookingOptions: new Map(), roles: [], accessRules: [], unreadableRules: 0, failures: [] };
    const noAliases = { aliases: new Map(scan.directory.users.concat(scan.directory.groups, scan.directory.resources).map((e) => [e.id, []])), failures: [] };
    await writeSnapshot(snapshotFile, buildSnapshot(scan, { membership: new Map(), failures: [] }, { writtenBy: 'test', routes: noRoutes, aliases: noAliases }));
    const snapshot = await readSnapshot(snapshotFile);
    assert.equal(snapshot.startedAt, resume.startedAt.toISOString());
    assert.equal(snapshot.readAt, scan.readAt.toISOString());
    assert.deepEqual(snapshot.resumed, document.resumed);
    assert.equal(snapshot.mailboxesRead?.find((m) => m.mailboxId === mailboxId)?.readAt, readBefore.toISOString());
    assert.equal(snapshot.mailboxesRead?.length, scan.mailboxReadAt.size);

    // A script made from it says it was read in parts, not "as of" one time.
    const script = renderDestination(planDestination('exchange', snapshot, unchangedAddresses(), { generatedAt: new Date('2026-03-04T00:00:00.000Z') }));
    assert.match(
      script,
      new RegExp(
        `^# Snapshot: read between ${resume.startedAt.toISOString()} and ${scan.readAt.toISOString()}, resumed: ${resume.done.size} mailboxes read up to ${resume.lastReadAt.toISOString()}, the others from ${resumedAt.toISOString()}$`.replace(/\./g, '\\.'),
        'm',
      ),
    );
  });

  it('keeps what a grantee lookup found, so a resumed scan does not describe it again', async () => {
    const { emu, session } = running;
    // Cancel late enough that the mailbox with the grant to a deleted grantee has been read.
    const ghostMailboxes = new Set(world.org.grants!.filter((g) => g.grantee === GHOST_GRANTEE).map((g) => g.mailbox));
    assert.ok(ghostMailboxes.size > 0);
    await interruptedScan(mailboxCount() - 5);
    const found = readCheckpoint(file, key);
    assert.equal(found.state, 'found');
    if (found.state !== 'found') return;
    const ghostRead = [...ghostMailboxes].some((id) => found.resume.done.has(id));
    emu.clearCalls();
    const resumed = await collectScan(session, AUDIT_ORG, { resume: found.resume, checkpoint: new CheckpointWriter(file, key) });
    const ghost = resumed.grants.find((g) => g.granteeId === GHOST_GRANTEE);
    assert.ok(ghost);
    assert.equal(ghost.grantee, null);
    if (ghostRead) {
      assert.ok(found.resume.described.has(GHOST_GRANTEE));
      assert.ok(!emu.calls().some((c) => (c.operation ?? '').startsWith('Describe') && JSON.stringify(c.params).includes(GHOST_GRANTEE)), 'no second Describe of the same ID');
    }
  });

  it('does not record a mailbox that failed: the resumed scan reads it again', async () => {
    const { emu, session } = running;
    const victim = world.org.users![3]!.id;
    emu.setFaults({ rules: [{ operation: 'ListMailboxPermissions', match: { EntityId: victim }, error: 'AccessDeniedException', status: 400 }] });
    const controller = new AbortController();
    await assert.rejects(
      collectScan(session, AUDIT_ORG, {
        signal: controller.signal,
        checkpoint: new CheckpointWriter(file, key),
        onProgress: (p) => {
          if (p.failures > 0 && p.mailboxesDone >= 40) controller.abort();
        },
      }),
      CancelledError,
    );
    emu.setFaults({});
    const found = readCheckpoint(file, key);
    assert.equal(found.state, 'found');
    if (found.state !== 'found') return;
    assert.ok(!found.resume.done.has(victim));
    emu.clearCalls();
    const resumed = await collectScan(session, AUDIT_ORG, { resume: found.resume });
    assert.equal(resumed.failures.length, 0);
    assert.ok(emu.calls().some((c) => c.operation === 'ListMailboxPermissions' && (c.params as { EntityId: string }).EntityId === victim));
  });

  it('ignores a line the process did not finish writing (killed mid-write)', async () => {
    await interruptedScan(30);
    const before = readCheckpoint(file, key);
    assert.equal(before.state, 'found');
    fs.appendFileSync(file, '{"mailbox":"00000000-0000-4000-8000-0000');
    const after = readCheckpoint(file, key);
    assert.equal(after.state, 'found');
    if (before.state === 'found' && after.state === 'found') assert.equal(after.resume.done.size, before.resume.done.size);
  });

  it('refuses, with a reason, a checkpoint of another organization or account, and leaves it alone', async () => {
    await interruptedScan(20);
    const bytes = fs.readFileSync(file);
    for (const other of [{ ...key, organizationId: 'm-ffffffffffffffffffffffffffffffff' }, { ...key, account: '999999999999' }, { ...key, endpoint: 'https://elsewhere.example' }]) {
      const lookup = readCheckpoint(file, other);
      assert.equal(lookup.state, 'refused');
      if (lookup.state === 'refused') {
        assert.match(lookup.reason, /belongs to organization m-a0d17/);
        assert.match(lookup.reason, /ignored/);
      }
    }
    assert.deepEqual(fs.readFileSync(file), bytes, 'the file is not changed');
  });

  it('refuses a damaged checkpoint with a clear message and no change to the file', () => {
    const cases: Array<[string, RegExp]> = [
      ['not json at all\n', /line 1 is not JSON/],
      ['{"kind":"something-else"}\n', /is not a scan checkpoint/],
      [`${JSON.stringify({ kind: 'workmail-scan-checkpoint', version: 99, key, startedAt: new Date().toISOString() })}\n`, /version 99/],
      [`${JSON.stringify({ kind: 'workmail-scan-checkpoint', version: 2, key, startedAt: new Date().toISOString() })}\n{"mailbox":"x","readAt":"2026-03-02T14:00:00.000Z","grants":[]}\n`, /line 2/],
      [`${JSON.stringify({ kind: 'workmail-scan-checkpoint', version: 2, key, startedAt: new Date().toISOString() })}\n`, /nothing to resume/],
      [
        `${JSON.stringify({ kind: 'workmail-scan-checkpoint', version: 2, key, startedAt: new Date().toISOString() })}\n{"directory":"complete","users":0,"groups":0,"resources":0}\n{"mailbox":"x","grants":[]}\n`,
        /damaged \(line 3\)/,
      ],
      // Version 1 recorded no read times: resuming it would date what it read as read now.
      [`${JSON.stringify({ kind: 'workmail-scan-checkpoint', version: 1, key, startedAt: new Date().toISOString() })}\n`, /earlier version of WorkMail Permissions \(checkpoint version 1, which does not record when each mailbox was read/],
      ['', /empty or damaged/],
    ];
    for (const [text, reason] of cases) {
      fs.writeFileSync(file, text);
      const lookup = readCheckpoint(file, key);
      assert.equal(lookup.state, 'refused', text);
      if (lookup.state === 'refused') {
        assert.match(lookup.reason, reason);
        assert.ok(lookup.reason.includes(file), 'the message names the file');
      }
      assert.equal(fs.readFileSync(file, 'utf8'), text);
    }
    assert.equal(readCheckpoint(path.join(folder, 'missing.jsonl'), key).state, 'none');
  });

  it('writes no credentials into the checkpoint', async () => {
    await interruptedScan(20);
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(!text.includes(AUDIT_KEYS.secretAccessKey));
    assert.ok(!text.includes(AUDIT_KEYS.accessKeyId));
    assert.equal(fs.statSync(file).mode & 0o077, 0, 'readable by its owner only');
  });
});
