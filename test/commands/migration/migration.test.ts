// Save Migration Snapshot…, Draft Address Mapping… and Plan Migration Waves… in a real extension
// host against the emulator: files equal to the emulator's ground truth (the booking delegates,
// applications and access rules too), unread mailboxes and routes reported, cancellation writes
// nothing, bad input files fail with the field or line they name.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MappingDraftResult, SnapshotResult, WavesResult } from '../../../src/commands/migration';
import type { Snapshot } from '../../../src/workmail/migration/schema';
import type { WhoCanOpenResult } from '../../../src/commands/audit/types';
import { acceptItem, acme, ACME_ID, acmeSeed, admin, byName, calls, clearCalls, delay, freshStart, groundTruth, parseCsv, previewTab, Recorder, runCommand, setFaults, tempFile } from '../audit/support';

const SAVE = 'workmail.saveMigrationSnapshot';
const DRAFT = 'workmail.draftAddressMapping';
const WAVES = 'workmail.planMigrationWaves';

const key = (g: { mailboxId: string; granteeId: string; rights: readonly string[] }) => `${g.mailboxId}|${g.granteeId}|${[...g.rights].sort().join(',')}`;

describe('Save Migration Snapshot…', () => {
  const seed = acmeSeed();
  let temp: ReturnType<typeof tempFile>;

  beforeEach(async () => {
    await freshStart();
    temp = tempFile('acme.snapshot.json');
  });
  afterEach(async () => {
    temp.dispose();
    await setFaults({});
  });

  it('from the organization node: every entity, grant and group membership, as WorkMail holds them', async () => {
    const org = await acme();
    const recorder = new Recorder();
    const result = await runCommand<SnapshotResult>(SAVE, { kind: 'organization', org }, undefined, { path: temp.file, observe: recorder.observe });
    assert.equal(result.outcome, 'done', result.reason);
    const snapshot = JSON.parse(fs.readFileSync(temp.file, 'utf8')) as Snapshot;
    assert.equal(snapshot.format, 'workmail-permissions-snapshot');
    assert.equal(snapshot.organization.id, ACME_ID);
    assert.equal(snapshot.organization.alias, 'acme');
    assert.equal(snapshot.readAt, result.readAt);
    const truth = await groundTruth(ACME_ID);
    assert.deepEqual(snapshot.grants.map(key).sort(), truth.map(key).sort());
    assert.equal(result.grants, truth.length);
    const ids = new Set(snapshot.entities.map((e) => e.id));
    for (const entity of [...seed.users, ...seed.groups, ...seed.resources]) {
      assert.ok(ids.has(entity.id), `${entity.name} is in the snapshot`);
    }
    for (const group of seed.groups) {
      const saved = snapshot.entities.find((e) => e.id === group.id)!;
      assert.deepEqual(saved.members, group.state === 'DELETED' ? [] : [...new Set(group.members ?? [])].sort(), `members of ${group.name}`);
    }
    assert.match(recorder.messages('info')[0] ?? '', new RegExp(`^Saved the migration snapshot of acme as of \\d\\d:\\d\\d: ${snapshot.entities.length} entities, ${truth.length} grants, to `));
    assert.deepEqual(fs.readdirSync(path.dirname(temp.file)), ['acme.snapshot.json'], 'no temporary file left behind');
  });

  it('records every booking delegate and option, application and access rule as WorkMail holds them; a report on the same scan reads them no more', async () => {
    const result = await runCommand<SnapshotResult>(SAVE, { organization: 'acme', path: temp.file });
    assert.equal(result.outcome, 'done', result.reason);
    assert.deepEqual(result.unreadRoutes, []);
    const snapshot = JSON.parse(fs.readFileSync(temp.file, 'utf8')) as Snapshot;
    assert.equal(snapshot.version, 3);
    const booking = await admin<Array<{ resourceId: string; delegates: Array<{ id: string; type: string }>; bookingOptions: { AutoAcceptRequests: boolean } }>>('GET', `/organizations/${ACME_ID}/booking`);
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    assert.deepEqual(
      snapshot.routes!.resources.map((r) => [r.resourceId, r.delegates, r.bookingOptions?.autoAcceptRequests]),
      booking.map((b) => [b.resourceId, [...b.delegates].sort(byId), b.bookingOptions.AutoAcceptRequests]).sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
    );
    const roles = await admin<Array<{ id: string; type: string }>>('GET', `/organizations/${ACME_ID}/impersonation-roles`);
    assert.deepEqual(snapshot.routes!.impersonationRoles!.map((r) => [r.id, r.type]), roles.map((r) => [r.id, r.type]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
    const rules = await admin<Array<{ name: string }>>('GET', `/organizations/${ACME_ID}/access-control-rules`);
    assert.deepEqual(snapshot.routes!.accessRules!.map((r) => r.name), rules.map((r) => r.name), "in WorkMail's order");
    assert.deepEqual(snapshot.routes!.accessRules!.filter((r) => r.default).map((r) => r.name), ['default-rule']);

    // The scan the snapshot made is the recent one Who Can Open… takes, and its routes with it.
    await clearCalls();
    const who = await runCommand<WhoCanOpenResult>('workmail.whoCanOpen', { organization: 'acme', entity: 'room-atlas', open: false });
    assert.equal(who.outcome, 'done', who.reason);
    assert.deepEqual(await calls('ListResourceDelegates'), [], 'the booking delegates are not read twice');
    assert.deepEqual(await calls('GetImpersonationRole'), []);
  });

  it('records a route that could not be read as unread, names it, and still writes the file', async () => {
    const atlas = byName(seed, 'room-atlas');
    await setFaults({ rules: [{ operation: 'ListResourceDelegates', match: { ResourceId: atlas.id }, error: 'EntityStateException', status: 400, message: 'resource is locked' }] });
    const recorder = new Recorder();
    const result = await runCommand<SnapshotResult>(SAVE, { organization: 'acme', path: temp.file, observe: recorder.observe });
    assert.equal(result.outcome, 'partial');
    assert.deepEqual(result.unreadRoutes, ['the booking delegates of room-atlas']);
    assert.match(recorder.messages('warning')[0] ?? '', /Some booking delegates, applications or access rules could not be read \(recorded as unread in the snapshot\): the booking delegates of room-atlas\./);
    const snapshot = JSON.parse(fs.readFileSync(temp.file, 'utf8')) as Snapshot;
    const saved = snapshot.routes!.resources.find((r) => r.resourceId === atlas.id)!;
    assert.equal(saved.delegates, undefined, 'unknown, not none');
    assert.match(saved.delegatesUnreadable ?? '', /^EntityStateException: /);
  });

  it('records and names a mailbox and a group that could not be read', async () => {
    const alice = byName(seed, 'alice.johnson');
    const group = seed.groups.find((g) => g.state !== 'DELETED' && (g.members ?? []).length > 0)!;
    await setFaults({
      rules: [
        { operation: 'ListMailboxPermissions', match: { EntityId: alice.id }, error: 'EntityStateException', status: 400 },
        { operation: 'ListGroupMembers', match: { GroupId: group.id }, error: 'EntityStateException', status: 400 },
      ],
    });
    const recorder = new Recorder();
    const result = await runCommand<SnapshotResult>(SAVE, { organization: 'acme', path: temp.file, observe: recorder.observe });
    assert.equal(result.outcome, 'partial');
    assert.deepEqual(result.unreadMailboxes?.map((m) => m.mailboxId), [alice.id]);
    assert.deepEqual(result.unreadGroups, [group.id]);
    const warning = recorder.messages('warning')[0] ?? '';
    assert.match(warning, /The permissions of 1 mailbox could not be read and are missing from the snapshot \(it records them as unread\): Alice Johnson/);
    assert.match(warning, /The members of 1 group could not be read/);
    const snapshot = JSON.parse(fs.readFileSync(temp.file, 'utf8')) as Snapshot;
    assert.deepEqual(snapshot.unreadMailboxes.map((u) => u.mailboxId), [alice.id]);
    assert.ok(snapshot.entities.find((e) => e.id === group.id)!.membersUnreadable);
  });

  it('cancelling stops the scan and writes nothing', async () => {
    await setFaults({ latencyMs: 150 });
    const controller = new AbortController();
    const running = runCommand<SnapshotResult>(SAVE, { organization: 'acme', path: temp.file, signal: controller.signal });
    for (let i = 0; i < 100 && (await calls('ListMailboxPermissions')).length === 0; i++) {
      await delay(50);
    }
    controller.abort();
    const result = await running;
    assert.equal(result.outcome, 'cancelled');
    assert.deepEqual(fs.readdirSync(path.dirname(temp.file)), [], 'no file, not even a temporary one');
  });
});

describe('Draft Address Mapping… and Plan Migration Waves…', () => {
  let temp: ReturnType<typeof tempFile>;
  let snapshotFile: string;

  before(async () => {
    await freshStart();
  });
  beforeEach(async () => {
    temp = tempFile('acme.snapshot.json');
    snapshotFile = temp.file;
    const saved = await runCommand<SnapshotResult>(SAVE, { organization: 'acme', path: snapshotFile });
    assert.equal(saved.outcome, 'done', saved.reason);
  });
  afterEach(() => temp.dispose());

  it('drafts the mapping at a new domain from a snapshot file and opens it', async () => {
    const file = path.join(path.dirname(snapshotFile), 'mapping.csv');
    const recorder = new Recorder();
    const result = await runCommand<MappingDraftResult>(DRAFT, { snapshot: snapshotFile, domain: 'new.example', path: file, observe: recorder.observe });
    assert.equal(result.outcome, 'done', result.reason);
    const snapshot = JSON.parse(fs.readFileSync(snapshotFile, 'utf8')) as Snapshot;
    const rows = parseCsv(fs.readFileSync(file, 'utf8'));
    assert.equal(rows[0]!.join(','), 'workmail_address,entity_id,kind,display_name,destination_address,comment');
    // A row per entity, and one per alias the snapshot recorded (kind "user alias" and so on).
    assert.equal(rows.slice(1).filter((r) => !r[2]!.endsWith(' alias')).length, snapshot.entities.length);
    assert.equal(rows.slice(1).filter((r) => r[2]!.endsWith(' alias')).length, snapshot.entities.reduce((n, e) => n + (e.aliases?.length ?? 0), 0));
    assert.ok(rows.some((r) => r[0] === 'alice.johnson@acme.com' && r[2] === 'user alias'));
    for (const entity of snapshot.entities.filter((e) => e.email && !e.email.startsWith('-'))) {
      const row = rows.find((r) => r[1] === entity.id)!;
      assert.equal(row[4], `${entity.email!.split('@')[0]}@new.example`);
    }
    assert.ok(rows.slice(1).filter((r) => r[0] === '').every((r) => r[4] === '' && /no WorkMail address/.test(r[5] ?? '')), 'never guessed');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file);
    assert.match(recorder.messages('info')[0] ?? '', /^Drafted the address mapping of acme: \d+ entities, \d+ without a destination/);
  });

  it('asks for the domain in a picker, and refuses a snapshot that is not valid, naming the field', async () => {
    const file = path.join(path.dirname(snapshotFile), 'same.csv');
    const recorder = new Recorder();
    const running = runCommand<MappingDraftResult>(DRAFT, { snapshot: snapshotFile, path: file, open: false, observe: recorder.observe });
    const picker = await recorder.pickerLoaded();
    await acceptItem(picker, (label) => label === 'Keep the WorkMail addresses');
    const result = await running;
    assert.equal(result.outcome, 'done', result.reason);
    const alice = parseCsv(fs.readFileSync(file, 'utf8')).find((r) => r[0] === byName(acmeSeed(), 'alice.johnson').email)!;
    assert.equal(alice[4], alice[0], 'unchanged');

    const document = JSON.parse(fs.readFileSync(snapshotFile, 'utf8'));
    document.entities[1].kind = 'mailbox';
    const damaged = path.join(path.dirname(snapshotFile), 'damaged.json');
    fs.writeFileSync(damaged, JSON.stringify(document));
    const errors = new Recorder();
    const failed = await runCommand<MappingDraftResult>(DRAFT, { snapshot: damaged, domain: null, path: file, open: false, observe: errors.observe });
    assert.equal(failed.outcome, 'failed');
    assert.match(errors.messages('error')[0] ?? '', /^Could not draft the address mapping of .*damaged\.json: .*damaged\.json is not a valid snapshot: entities\[1\]\.kind: "mailbox" is not an entity kind \(user, group, resource\)/);
  });

  it('plans waves from a snapshot file: every mailbox once, none over the maximum, the report opened', async () => {
    const file = path.join(path.dirname(snapshotFile), 'waves.csv');
    const recorder = new Recorder();
    const result = await runCommand<WavesResult>(WAVES, { snapshot: snapshotFile, maxSize: 3, path: file, observe: recorder.observe });
    assert.equal(result.outcome, 'done', result.reason);
    assert.equal(result.source, 'snapshot');
    const rows = parseCsv(fs.readFileSync(file, 'utf8')).slice(1);
    assert.equal(new Set(rows.map((r) => r[1])).size, rows.length, 'every mailbox once');
    assert.equal(rows.length, result.mailboxes);
    const sizes = new Map<string, number>();
    for (const row of rows) sizes.set(row[0]!, (sizes.get(row[0]!) ?? 0) + 1);
    assert.ok([...sizes.values()].every((n) => n <= 3), 'no wave over the maximum');
    assert.equal(sizes.size, result.waves);
    assert.equal(result.reportPath, path.join(path.dirname(file), 'waves.md'));
    await previewTab('Preview waves.md');
    const report = fs.readFileSync(result.reportPath!, 'utf8');
    assert.match(report, /^# Migration waves: acme/);
    const n = (count: number | undefined, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
    const spanning = (result.applications ?? []).filter((a) => a.waves.length > 1);
    assert.ok(spanning.length > 0, "acme's applications reach mailboxes in several waves of at most 3");
    const applications = spanning.length === 1 ? ` The application ${spanning[0]!.name} reaches mailboxes in ${spanning[0]!.waves.length} waves (named in the report).` : ` ${spanning.length} applications reach mailboxes in more than one wave (named in the report).`;
    assert.equal(
      recorder.messages('info')[0],
      `Planned ${n(result.waves, 'wave', 'waves')} of ${n(result.mailboxes, 'mailbox', 'mailboxes')} of acme; ${result.cut} of ${n(result.delegations, 'delegation', 'delegations')} cut.${applications}`,
      'short sentences, counted as a person counts',
    );
    assert.match(report, /## Applications \(impersonation roles\)\n\n[^\n]*\n\n- the application \*\*CRM sync\*\* \(full access\) reaches mailboxes in waves /);
  });

  it('plans waves by scanning from the organization node, choosing the source and size in pickers', async () => {
    const org = await acme();
    const file = path.join(path.dirname(snapshotFile), 'scan-waves.csv');
    const recorder = new Recorder();
    const running = runCommand<WavesResult>(WAVES, { kind: 'organization', org }, undefined, { path: file, open: false, observe: recorder.observe });
    await acceptItem(await recorder.pickerLoaded(), (label) => label.startsWith('Scan acme'));
    await acceptItem(await recorder.pickerLoaded(), (label) => label === 'No maximum');
    const result = await running;
    assert.equal(result.outcome, 'done', result.reason);
    assert.equal(result.source, 'scan');
    assert.equal(result.cut, 0, 'no maximum, nothing cut');
    assert.equal(result.maxSize, undefined);
    assert.ok(fs.existsSync(file) && fs.existsSync(result.reportPath!));
    // A room moves with its booking delegates: each user delegate the plan moves is in its room's wave.
    const waveOf = new Map(parseCsv(fs.readFileSync(file, 'utf8')).slice(1).map((row) => [row[1]!, row[0]!]));
    const snapshot = JSON.parse(fs.readFileSync(snapshotFile, 'utf8')) as Snapshot;
    const pairs = snapshot.routes!.resources.flatMap((r) => (r.delegates ?? []).filter((d) => d.type === 'USER' && waveOf.has(d.id)).map((d) => [r.resourceId, d.id] as const));
    assert.ok(pairs.length > 0 && (result.bookingDelegations ?? 0) >= pairs.length, 'acme has booking delegates, counted');
    for (const [room, delegate] of pairs) assert.equal(waveOf.get(room), waveOf.get(delegate), `${room} moves with its delegate ${delegate}`);
  });
});
