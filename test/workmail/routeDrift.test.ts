// Drift of the other routes between two snapshots: booking delegates added and removed, booking
// options changed, impersonation roles added, removed and changed (type, rules), access rules
// added, removed and changed, their order; what one side could not read left out and listed; a
// version 1 snapshot saying the routes were not recorded rather than every route "added"; and
// names from WorkMail unable to forge a line of the text or break the markdown.
import * as assert from 'node:assert/strict';
import { diffSnapshots, driftIncomplete, driftMarkdown, driftText, hasDrift } from '../../src/workmail/drift';
import { SNAPSHOT_VERSION, type Snapshot, type SnapshotAccessRule, type SnapshotRoutes } from '../../src/workmail/migration/schema';
import { sampleCurrentSnapshot, sampleSnapshot } from './migration/support';

type Mutable<T> = T extends readonly (infer U)[] ? Mutable<U>[] : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;

function withRoutes(change: (routes: Mutable<SnapshotRoutes>) => void): Snapshot {
  const snapshot = sampleCurrentSnapshot();
  const routes = JSON.parse(JSON.stringify(snapshot.routes)) as Mutable<SnapshotRoutes>;
  change(routes);
  return { ...snapshot, routes };
}

describe('drift of booking delegates, applications and access rules', () => {
  it('finds delegates added and removed, booking options changed, roles and access rules added, removed and changed, and the rule order', () => {
    const before = withRoutes((routes) => {
      routes.resources[1] = { resourceId: 'r-proj', delegates: [{ id: 'u-bob', type: 'USER' }], bookingOptions: { autoAcceptRequests: true } };
      routes.impersonationRoles![1] = { id: 'role-crm', name: 'CRM sync', type: 'READ_ONLY', rules: [{ id: 'sales', effect: 'ALLOW', targetUsers: ['u-bob'] }] };
      routes.impersonationRoles!.push({ id: 'role-old', name: 'Old backup', type: 'READ_ONLY', rules: [{ id: 'all', effect: 'ALLOW' }] });
      routes.accessRules!.push({ name: 'no-webmail-bob', effect: 'DENY', actions: ['WebMail'], userIds: ['u-bob'] });
    });
    const after = withRoutes((routes) => {
      routes.resources[0]!.delegates = [{ id: 'u-ana', type: 'USER' }, { id: 'u-ghost', type: 'USER' }];
      routes.resources[0]!.bookingOptions = { autoAcceptRequests: true, autoDeclineRecurringRequests: false, autoDeclineConflictingRequests: true };
      routes.resources[1] = { resourceId: 'r-proj', delegates: [{ id: 'u-bob', type: 'USER' }], bookingOptions: { autoAcceptRequests: true } };
      routes.impersonationRoles![1] = { id: 'role-crm', name: 'CRM sync', type: 'FULL_ACCESS', rules: [{ id: 'sales', effect: 'ALLOW', targetUsers: ['u-bob', 'ana@acme.example.com'] }, { id: 'no-ana', effect: 'DENY', targetUsers: ['u-ana'] }] };
      routes.impersonationRoles!.push({ id: 'role-new', name: 'New search', type: 'READ_ONLY', rules: [{ id: 'all-but-ana', effect: 'ALLOW', notTargetUsers: ['u-ana'] }] });
      // The default rule moved after the IMAP rule, which now covers EWS too; a new rule first.
      const [defaultRule, imap] = routes.accessRules! as [Mutable<SnapshotAccessRule>, Mutable<SnapshotAccessRule>];
      routes.accessRules = [{ name: 'no-smtp', effect: 'DENY', actions: ['SMTP'] }, { ...imap, actions: ['IMAP', 'EWS'] }, defaultRule];
    });
    const drift = diffSnapshots(before, after, { from: 'monday.json', to: 'live' }).routes;
    assert.deepEqual(drift.delegatesAdded.map((d) => [d.resource, d.delegate, d.type]), [['room-atlas', 'u-ghost (unknown)', 'USER']]);
    assert.deepEqual(drift.delegatesRemoved.map((d) => [d.resource, d.delegate, d.type]), [['room-atlas', 'sales', 'GROUP']]);
    assert.deepEqual(drift.bookingOptionsChanged.map((o) => [o.resource, o.before, o.after, o.changes]), [
      ['room-atlas', 'Delegates approve every request', 'Accepts automatically · declines conflicts', ['autoAcceptRequests false → true']],
    ]);
    assert.deepEqual(drift.rolesAdded.map((r) => [r.name, r.changes]), [['New search', ['read only', 'all-but-ana: Allow: everyone except Ana Silva']]]);
    assert.deepEqual(drift.rolesRemoved.map((r) => [r.name, r.changes]), [['Old backup', ['read only', 'all: Allow: everyone']]]);
    assert.deepEqual(drift.rolesChanged.map((r) => [r.name, r.changes]), [
      ['CRM sync', ['type READ_ONLY → FULL_ACCESS', 'rule changed: sales: Allow: bob → sales: Allow: bob, Ana Silva', 'rule added: no-ana: Deny: Ana Silva']],
    ]);
    assert.deepEqual(drift.accessRulesAdded.map((a) => [a.name, a.position, a.rule]), [['no-smtp', 1, 'Deny SMTP from every address, for everyone']]);
    assert.deepEqual(drift.accessRulesRemoved.map((a) => [a.name, a.position]), [['no-webmail-bob', 3]]);
    assert.deepEqual(drift.accessRulesChanged.map((a) => [a.name, a.changes]), [['imap-office-only', ['actions IMAP → IMAP, EWS']]]);
    assert.deepEqual(drift.accessRuleOrder, { before: ['default-rule', 'imap-office-only'], after: ['imap-office-only', 'default-rule'] });
    assert.deepEqual(drift.notCompared, [], 'every part read on both sides');

    const whole = diffSnapshots(before, after, { from: 'monday.json', to: 'live' });
    assert.ok(hasDrift(whole), 'a route change alone is drift');
    const text = driftText(whole);
    assert.match(text, /^ {2}\+ delegate u-ghost \(unknown\) \(user\) on room-atlas$/m);
    assert.match(text, /^ {2}- delegate sales \(group\) on room-atlas$/m);
    assert.match(text, /^ {2}~ booking room-atlas: Delegates approve every request -> Accepts automatically · declines conflicts \(autoAcceptRequests false → true\)$/m);
    assert.match(text, /^ {2}\+ role {4}New search: read only; all-but-ana: Allow: everyone except Ana Silva$/m);
    assert.match(text, /^ {2}- role {4}Old backup: had read only; all: Allow: everyone$/m);
    assert.match(text, /^ {2}~ role {4}CRM sync: type READ_ONLY → FULL_ACCESS; /m);
    assert.match(text, /^ {2}\+ rule {4}no-smtp \(1st\): Deny SMTP from every address, for everyone$/m);
    assert.match(text, /^ {2}- rule {4}no-webmail-bob \(was 3rd\): Deny WebMail from every address, for bob$/m);
    assert.match(text, /^ {2}~ rule {4}imap-office-only: actions IMAP → IMAP, EWS$/m);
    assert.match(text, /^ {2}~ rule order: default-rule, imap-office-only -> imap-office-only, default-rule$/m);
    const markdown = driftMarkdown(whole);
    for (const section of ['Booking delegates added (1)', 'Booking delegates removed (1)', 'Booking options changed (1)', 'Applications added (1)', 'Applications removed (1)', 'Applications changed (1)', 'Access rules added (1)', 'Access rules removed (1)', 'Access rules changed (1)', 'Access rule order changed']) {
      assert.ok(markdown.includes(`## ${section}`), section);
    }
  });

  it('reports nothing for the same routes', () => {
    const drift = diffSnapshots(sampleCurrentSnapshot(), sampleCurrentSnapshot());
    assert.equal(hasDrift(drift), false);
    assert.match(driftText(drift), /no difference/);
  });

  it('leaves out what either side could not read, and lists it, rather than calling it added or removed', () => {
    const before = withRoutes((routes) => {
      routes.resources[1] = { resourceId: 'r-proj', delegates: [{ id: 'u-bob', type: 'USER' }], bookingOptions: { autoAcceptRequests: true } };
      routes.impersonationRoles![1] = { id: 'role-crm', name: 'CRM sync', type: 'FULL_ACCESS', rules: [{ id: 'x', effect: 'ALLOW' }] };
    });
    const after = withRoutes((routes) => {
      routes.resources[0] = { resourceId: 'r-atlas', delegatesUnreadable: 'EntityStateException: locked', bookingOptionsUnreadable: 'AccessDeniedException: no' };
      delete routes.accessRules;
      routes.accessRulesUnreadable = 'AccessDeniedException: not allowed';
    });
    const whole = diffSnapshots(before, after, { from: 'a', to: 'b' });
    const drift = whole.routes;
    assert.equal(hasDrift(whole), false, `nothing known changed: ${driftText(whole)}`);
    assert.ok(driftIncomplete(whole));
    assert.deepEqual(drift.notCompared, [
      { subject: 'the booking delegates of room-atlas', why: 'could not be read in b (EntityStateException)' },
      { subject: 'the booking options of room-atlas', why: 'could not be read in b (AccessDeniedException)' },
      { subject: 'the booking delegates of projector', why: 'could not be read in b (ThrottlingException)' },
      { subject: 'the rules of the impersonation role CRM sync', why: 'could not be read in b (AccessDeniedException)' },
      { subject: 'the access rules', why: 'could not be read in b (AccessDeniedException)' },
    ]);
    assert.match(driftText(whole), /^ {2}\? routes {2}the access rules: not compared, could not be read in b \(AccessDeniedException\)$/m);
    assert.match(driftMarkdown(whole), /## Routes not compared \(5\)/);
  });

  it('compared with a version 1 snapshot, says the routes were not recorded there instead of reporting every one as added', () => {
    const older = sampleSnapshot();
    const now = sampleCurrentSnapshot();
    assert.equal(now.version, SNAPSHOT_VERSION);
    const whole = diffSnapshots(older, now, { from: 'monday.json', to: 'live' });
    const drift = whole.routes;
    assert.equal(drift.notRecorded, 'not recorded in monday.json (snapshot version 1)');
    assert.deepEqual([drift.delegatesAdded, drift.rolesAdded, drift.accessRulesAdded], [[], [], []]);
    assert.ok(driftIncomplete(whole), 'the comparison is incomplete');
    assert.match(driftText(whole), /^ {2}\? routes {2}booking delegates, applications and access rules not compared: not recorded in monday\.json \(snapshot version 1\)$/m);
    assert.match(driftMarkdown(whole), /Not compared: not recorded in monday\.json \(snapshot version 1\)\./);
    // Both old: each side named.
    assert.equal(diffSnapshots(older, older, { from: 'a.json', to: 'b.json' }).routes.notRecorded, 'not recorded in a.json (snapshot version 1); not recorded in b.json (snapshot version 1)');
  });

  it('keeps every change on its own line and every cell in its column, whatever the names', () => {
    const hostile = 'Evil\n  + grant   Mallory on CEO: FULL_ACCESS | *x*';
    const before = sampleCurrentSnapshot();
    const after = withRoutes((routes) => {
      routes.impersonationRoles!.push({ id: 'role-evil', name: hostile, type: 'FULL_ACCESS', description: 'a\u2028b', rules: [{ id: 'r', name: 'x\ry', effect: 'ALLOW' }] });
    });
    const text = driftText(diffSnapshots(before, after));
    assert.doesNotMatch(text, /^ {2}\+ grant/m, 'no forged line');
    assert.equal(text.split('\n').filter((line) => line.includes('Evil')).length, 1);
    const markdown = driftMarkdown(diffSnapshots(before, after));
    const row = markdown.split('\n').find((line) => line.includes('Evil'))!;
    assert.ok(row.includes('\\|'), 'the pipe cannot open a cell');
    assert.ok(row.includes('\\*x\\*'), 'no markup');
  });
});
