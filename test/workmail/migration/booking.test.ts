// Booking delegates and options of rooms and equipment carried to every destination, and verified:
// the plan (wave, states, mapping, unreadable parts, group delegates expanded), each destination's
// script, a round trip through the destinations' own export formats, and hostile names.
import assert from 'node:assert/strict';
import { BOOKING_DELEGATE, BOOKING_OPTIONS, bookingDelegations, mailboxAddresses, planDestination, renderDestination, type DestinationOptions, type DestinationPlan, type DestinationTarget } from '../../../src/workmail/migration/destinations';
import { renderVerificationMarkdown, verifyMigration } from '../../../src/workmail/migration/verify';
import type { Snapshot, SnapshotEntity, SnapshotResourceRoutes } from '../../../src/workmail/migration/schema';
import { exchangeExports, googleExports, grommunioExportWithCalendars } from './exports';
import { domainMapping, grant, group, interpretExchange, testMapping, interpretGoogle, interpretGrommunio, resource, shellWords, snapshotOf, user, type Applied } from './support';

const base: DestinationOptions = { generatedAt: new Date('2026-03-02T14:02:00Z'), mappingSource: 'map.csv' };

function withRoutes(entities: SnapshotEntity[], resources: SnapshotResourceRoutes[], grants = [grant('u-ana', 'u-bob', ['FULL_ACCESS'])]): Snapshot {
  return snapshotOf(entities, grants, { routes: { resources, impersonationRoles: [], accessRules: [] } });
}

/** Rooms with user and (nested) group delegates, a disabled member, unreadable parts and every kind of booking option. */
function bookingOrg(): Snapshot {
  const inner: SnapshotEntity = { ...group('g-inner', 'inner@old.example.com', ['u-cy', 'u-eve', 'u-bob']) };
  return withRoutes(
    [
      user('u-ana', 'ana@old.example.com'),
      user('u-bob', 'bob@old.example.com'),
      user('u-cy', 'cy@old.example.com'),
      user('u-dee', 'dee@old.example.com'),
      user('u-eve', 'eve@old.example.com', { state: 'DISABLED' }),
      group('g-sales', 'sales@old.example.com', ['u-bob', 'g-inner']),
      inner,
      { id: 'g-locked', kind: 'group', name: 'locked', email: 'locked@old.example.com', state: 'ENABLED', membersUnreadable: 'AccessDenied: no' },
      resource('r-room', 'room@old.example.com'),
      resource('r-van', 'van@old.example.com'),
      resource('r-proj', 'proj@old.example.com'),
      resource('r-hall', 'hall@old.example.com'),
      resource('r-free', 'free@old.example.com'),
    ],
    [
      { resourceId: 'r-free', delegates: [], bookingOptions: { autoAcceptRequests: true } },
      { resourceId: 'r-hall', delegates: [{ id: 'g-locked', type: 'GROUP' }, { id: 'u-ghost', type: 'USER' }] },
      { resourceId: 'r-proj', delegatesUnreadable: 'ThrottlingException: Rate exceeded', bookingOptionsUnreadable: 'ThrottlingException: Rate exceeded' },
      { resourceId: 'r-room', delegates: [{ id: 'g-sales', type: 'GROUP' }, { id: 'u-ana', type: 'USER' }], bookingOptions: { autoAcceptRequests: false, autoDeclineConflictingRequests: true, autoDeclineRecurringRequests: false } },
      { resourceId: 'r-van', delegates: [{ id: 'u-dee', type: 'USER' }], bookingOptions: { autoAcceptRequests: true, autoDeclineRecurringRequests: true, autoDeclineConflictingRequests: false } },
    ],
  );
}

const org = bookingOrg();
const mapping = domainMapping(org, 'new.example.org');
const plan = (target: DestinationTarget, options: Partial<DestinationOptions> = {}, snapshot = org): DestinationPlan => planDestination(target, snapshot, mapping, { ...base, ...options });
const lines = (p: DestinationPlan): string[] => bookingDelegations(p).map((d) => `${d.resourceAddress}<-${d.delegateAddress}${d.via.length ? ` via ${d.via.map((g) => g.id).join('>')}` : ''}`);

describe('booking delegates: the plan (every destination)', () => {
  for (const target of ['exchange', 'google', 'grommunio', 'zoho'] as const) {
    it(`${target}: each delegate carried once, groups expanded to their enabled members (nested), the rest listed with the reason`, () => {
      const p = plan(target);
      assert.deepEqual(lines(p), [
        'room@new.example.org<-ana@new.example.org',
        'room@new.example.org<-bob@new.example.org via g-sales',
        'room@new.example.org<-cy@new.example.org via g-sales>g-inner',
        'van@new.example.org<-dee@new.example.org',
      ]);
      const booking = p.notCarried.filter((n) => n.right === BOOKING_DELEGATE).map((n) => `${n.kind} ${n.mailboxId} ${n.granteeId ?? ''}`);
      assert.deepEqual(booking.sort(), ['not-carried r-hall u-ghost', 'not-carried r-room u-eve', 'unread r-hall g-locked', 'unread r-proj '].sort());
      assert.match(p.notCarried.find((n) => n.granteeId === 'u-eve')!.reason, /member of the group delegate sales@old\.example\.com .* through inner@old\.example\.com .*disabled/);
      assert.ok(p.notCarried.some((n) => n.mailboxId === 'r-proj' && n.right === BOOKING_OPTIONS && n.kind === 'unread'));
      const script = renderDestination(p);
      assert.match(script, /resource room@old\.example\.com \(r-room\) \\?<- delegate eve@old\.example\.com/);
      assert.match(script, /WARNING: the booking delegates or options of 2 rooms and equipment could not be read/);
    });
  }

  it('a wave carries only its resources; disabled and deleted resources, unmapped and unsafe addresses are listed', () => {
    assert.deepEqual(lines(plan('exchange', { mailboxIds: new Set(['van@old.example.com']) })), ['van@new.example.org<-dee@new.example.org']);
    const entities = org.entities.map((e) => (e.id === 'r-van' ? { ...e, state: 'DISABLED' as const } : e.id === 'u-ana' ? { ...e, email: "ana'$(x)@old.example.com" } : e));
    const changed = { ...org, entities };
    const p = planDestination('exchange', changed, mapping, { ...base });
    assert.ok(p.notCarried.some((n) => n.mailboxId === 'r-van' && n.granteeId === 'u-dee' && /resource is disabled/.test(n.reason)));
    const partial = domainMapping({ ...org, entities: org.entities.filter((e) => e.id !== 'u-cy') }, 'new.example.org');
    const unmapped = planDestination('exchange', org, partial, base);
    assert.ok(unmapped.notCarried.some((n) => n.granteeId === 'u-cy' && n.kind === 'not-mappable' && /group delegate sales/.test(n.reason)));
  });

  it('Exchange with groups recreated as security groups names the group itself, with the caveat', () => {
    const p = plan('exchange', { groupGrantees: 'security-group' });
    assert.ok(lines(p).includes('room@new.example.org<-sales@new.example.org'));
    assert.match(bookingDelegations(p).find((d) => d.delegate.id === 'g-sales')!.note ?? '', /not documented/);
  });

  it('a version 1 snapshot lists every resource as not recorded, never as without delegates', () => {
    const { routes: _routes, ...rest } = org;
    void _routes;
    const p = planDestination('exchange', { ...rest, version: 1 }, mapping, base);
    assert.equal(p.booking.length, 0);
    assert.equal(p.notCarried.filter((n) => n.right === BOOKING_DELEGATE && /snapshot version 1/.test(n.reason)).length, 5);
  });
});

describe('booking delegates: the scripts', () => {
  it('Exchange: adds to the delegates the room has (never replaces), and maps the booking options honestly', () => {
    const script = renderDestination(plan('exchange'));
    const room = script.slice(script.indexOf('# ---- Booking: room@new.example.org'), script.indexOf('# ---- Booking: van@'));
    assert.match(room, /\$WorkMailDelegates = @\(@\(\(Get-CalendarProcessing -Identity 'room@new\.example\.org' -ErrorAction Stop\)\.ResourceDelegates\) \| Where-Object \{ \$_ \} \| ForEach-Object \{ \$d = \$_\.ToString\(\); try \{ \[string\]\(Get-EXORecipient -Identity \$d -ErrorAction Stop\)\.PrimarySmtpAddress \} catch \{ \$d \} \}\)/);
    // A WorkMail delegate Exchange Online does not know yet is left out with a warning; the room's others still go.
    assert.match(room, /if \(Get-EXORecipient -Identity '[^']+' -ErrorAction SilentlyContinue\) \{ \$WorkMailDelegates \+= '[^']+' \} else \{ Write-Warning \("booking delegate "/);
    assert.match(room, /# from WorkMail: resource=r-room delegate=g-sales member=u-cy via group=g-sales>g-inner right=BOOKING_DELEGATE/);
    assert.match(room, /Set-CalendarProcessing -Identity 'room@new\.example\.org' -ResourceDelegates @\(\$WorkMailDelegates \| Sort-Object -Unique\) -AutomateProcessing AutoAccept -AllBookInPolicy \$false -AllRequestInPolicy \$true -ForwardRequestsToDelegates \$true -ErrorAction Stop -WhatIf:\$WhatIf/);
    assert.doesNotMatch(room, /AllowConflicts/, 'a decline flag while delegates approve is not set');
    const van = script.slice(script.indexOf('# ---- Booking: van@'));
    assert.match(van, /-AutomateProcessing AutoAccept -AllBookInPolicy \$true -AllowConflicts \$true -AllowRecurringMeetings \$false -ForwardRequestsToDelegates \$true/);
    assert.match(script, /Set-CalendarProcessing -Identity 'free@new\.example\.org' -AutomateProcessing AutoAccept -AllBookInPolicy \$true -ErrorAction Stop/);
    assert.match(script, /BOOKING_OPTIONS: resource room@old\.example\.com \(r-room\): AutoDeclineConflictingRequests is set while delegates approve/);
    // free@ has options and no delegates: read back too, so verify compares its options.
    assert.match(script, /\$WorkMailResources = @\(\n {2}'free@new\.example\.org'\n {2}'room@new\.example\.org'\n {2}'van@new\.example\.org'\n\)/);
    assert.match(script, /ResourceDelegates -join ';'\}\},AutomateProcessing,AllBookInPolicy,AllRequestInPolicy,ForwardRequestsToDelegates,AllowConflicts,AllowRecurringMeetings \}/);
    assert.match(script, /Get-CalendarProcessing -Identity \$m \| Select-Object @\{Name='Mailbox';Expression=\{\$m\}\},Identity,@\{Name='ResourceDelegates';Expression=\{\$_\.ResourceDelegates -join ';'\}\}/);
  });

  it('Google: each delegate an owner of the resource calendar, auto-accept as a console step, decline flags listed, the ACL read-back', () => {
    const script = renderDestination(plan('google'));
    assert.ok(script.includes('gam calendars room@new.example.org add acls owner user:cy@new.example.org'));
    assert.match(script, /# CONSOLE STEP: room@new\.example\.org: turn the resource's "Auto-accept invitations" setting off/);
    assert.match(script, /# CONSOLE STEP: van@new\.example\.org: keep the resource's "Auto-accept invitations" setting on/);
    assert.match(script, /BOOKING_OPTIONS: resource van@old\.example\.com \(r-van\): AutoDeclineRecurringRequests=true \(WorkMail declined recurring bookings\): no Google Workspace setting found/);
    assert.match(script, /^gam redirect csv \.\/workmail-google-resource-acls\.csv print resources fields resourceid,resourcename,resourceemail acls$/m);
  });

  it('grommunio: a grant on the room\'s calendar folder; Zoho: a Resource Manager checklist line; options listed at both', () => {
    const g = renderDestination(plan('grommunio'));
    assert.ok(g.includes("run grommunio-admin exmdb 'room@new.example.org' folder grant 0xf 'bob@new.example.org' readany create editowned deleteowned editany deleteany foldervisible freebusysimple freebusydetailed"));
    assert.match(g, /readcalendar 'room@new\.example\.org'/);
    assert.match(g, /BOOKING_OPTIONS: resource van@old\.example\.com \(r-van\): no grommunio setting was found/);
    const z = renderDestination(plan('zoho'));
    assert.match(z, /^- \[ \] room@new\.example\.org: cy@new\.example\.org as Resource Manager/m);
    assert.match(z, /BOOKING_OPTIONS: resource free@old\.example\.com \(r-free\): no Zoho Mail setting/);
    const csv = renderDestination(plan('zoho'), 'csv').trimEnd().split('\r\n');
    assert.equal(csv.filter((row) => row.includes(',BOOKING_DELEGATE,')).length, 4);
  });
});

/** The destination state the script's own lines make, and the exports the destination's tools write of it. */
function roundTrip(target: DestinationTarget): { p: DestinationPlan; state: Applied[]; exportsOf: (state: readonly Applied[]) => Array<{ file: string; text: string }> } {
  const p = plan(target);
  const script = renderDestination(p);
  const resources = p.booking.map((r) => r.resourceAddress);
  const state: Applied[] =
    target === 'exchange'
      ? interpretExchange(script)
      : target === 'google'
        ? interpretGoogle(script)
        : target === 'grommunio'
          ? interpretGrommunio(script)
          : [...p.delegations.map((d) => ({ owner: d.mailboxAddress, grantee: d.granteeAddress, right: d.right })), ...bookingDelegations(p).map((d) => ({ owner: d.resourceAddress, grantee: d.delegateAddress, right: d.right }))];
  const files = (record: Record<string, string>) => Object.entries(record).map(([file, text]) => ({ file, text }));
  const exportsOf = (s: readonly Applied[]) => {
    switch (target) {
      case 'exchange':
        return files(exchangeExports(script, s, [...mailboxAddresses(p), ...resources], { identityOnly: true }));
      case 'google':
        return files(googleExports(s, resources));
      case 'grommunio':
        return [{ file: 'readback.jsonl', text: grommunioExportWithCalendars(s, mailboxAddresses(p), resources.filter((r) => p.booking.find((b) => b.resourceAddress === r)!.delegations.length > 0)) }];
      case 'zoho': {
        const done = new Set(s.map((a) => `${a.owner}|${a.grantee}|${a.right}`));
        const rows = renderDestination(p, 'csv').split('\r\n').map((row, i) => {
          if (i === 0 || !row) return row;
          const [, mailbox, delegate, right] = row.split(',');
          return done.has(`${mailbox}|${delegate}|${right}`) ? `x${row}` : row;
        });
        return [{ file: 'checklist.csv', text: rows.join('\r\n') }];
      }
    }
  };
  return { p, state, exportsOf };
}

describe('booking delegates: round trip snapshot → script → destination → its exports → verify', () => {
  for (const target of ['exchange', 'google', 'grommunio', 'zoho'] as const) {
    it(`${target}: every delegate arrived; with three removed, exactly those three are missing (exit 4)`, () => {
      const { p, state, exportsOf } = roundTrip(target);
      const right = bookingDelegations(p)[0]!.right;
      const booked = state.filter((a) => a.right === right);
      assert.equal(booked.length, 4, 'the script\'s own lines give every planned delegate');
      const all = verifyMigration(target, org, mapping, base, exportsOf(state));
      assert.deepEqual(all.items.filter((i) => i.status !== 'arrived').map((i) => `${i.status} ${i.mailbox} ${i.grantee} ${i.right} ${i.detail ?? ''}`), []);
      // Exchange also checks each booking option its script sets: room 4, van 5, free 2 (see the script test above).
      assert.equal(all.counts.arrived, p.delegations.length + 4 + (target === 'exchange' ? 11 : 0));
      assert.ok(all.items.some((i) => i.status === 'arrived' && i.right === right && i.carries[0] === 'BOOKING_DELEGATE (via group sales@old.example.com)'));
      // The snapshot could not read two resources: partial, never "everything arrived".
      assert.equal(all.exitCode, 3);
      const removed = [booked[0]!, booked[2]!, booked[3]!];
      const result = verifyMigration(target, org, mapping, base, exportsOf(state.filter((a) => !removed.includes(a))));
      assert.deepEqual(
        result.items.filter((i) => i.status === 'missing').map((i) => `${i.mailbox}|${i.grantee}|${i.right}`).sort(),
        removed.map((a) => `${a.owner}|${a.grantee}|${a.right}`).sort(),
      );
      assert.equal(result.counts.extra, 0);
      assert.equal(result.exitCode, 4);
    });
  }

  it('exchange: every booking option the script sets arrives; a room whose AllBookInPolicy differs is reported (exit 4), a column left out is not checked', () => {
    const { p, state } = roundTrip('exchange');
    const script = renderDestination(p);
    const resources = p.booking.map((r) => r.resourceAddress);
    const exportsOf = (calendarProcessing?: Record<string, Record<string, string>>) => Object.entries(exchangeExports(script, state, [...mailboxAddresses(p), ...resources], { identityOnly: true, calendarProcessing })).map(([file, text]) => ({ file, text }));
    const options = (r: ReturnType<typeof verifyMigration>) => r.items.filter((i) => i.carries[0] === BOOKING_OPTIONS).map((i) => `${i.status} ${i.mailbox} ${i.right}${i.detail ? ` ${i.detail}` : ''}`);
    const all = verifyMigration('exchange', org, mapping, base, exportsOf());
    assert.deepEqual(options(all).sort(), [
      'arrived free@new.example.org AllBookInPolicy',
      'arrived free@new.example.org AutomateProcessing',
      'arrived room@new.example.org AllBookInPolicy',
      'arrived room@new.example.org AllRequestInPolicy',
      'arrived room@new.example.org AutomateProcessing',
      'arrived room@new.example.org ForwardRequestsToDelegates',
      'arrived van@new.example.org AllBookInPolicy',
      'arrived van@new.example.org AllowConflicts',
      'arrived van@new.example.org AllowRecurringMeetings',
      'arrived van@new.example.org AutomateProcessing',
      'arrived van@new.example.org ForwardRequestsToDelegates',
    ]);
    assert.equal(all.counts.missing, 0);
    // room@ should wait for a delegate (AllBookInPolicy False); someone turned booking on for all.
    const changed = verifyMigration('exchange', org, mapping, base, exportsOf({ 'room@new.example.org': { AllBookInPolicy: 'True' } }));
    assert.deepEqual(changed.items.filter((i) => i.status === 'missing').map((i) => `${i.mailbox} ${i.right} ${i.detail}`), ['room@new.example.org AllBookInPolicy expected False, found True']);
    assert.match(changed.items.find((i) => i.status === 'missing')!.source ?? '', /^workmail-exchange-calendar-processing\.csv:\d+$/);
    assert.equal(changed.exitCode, 4);
    assert.match(renderVerificationMarkdown(changed), /AllBookInPolicy \| BOOKING\\_OPTIONS \| expected False, found True/);
    // The verdict names it as an option, not as a missing delegation.
    assert.match(renderVerificationMarkdown(changed), /\*\*1 booking option is not as the script set it\*\* at Exchange Online\./);
    // An export without the AllowConflicts column: van's AllowConflicts is not checked, never arrived.
    const files = exportsOf().map((f) => (f.file === 'workmail-exchange-calendar-processing.csv' ? { ...f, text: dropColumn(f.text, 'AllowConflicts') } : f));
    const partial = verifyMigration('exchange', org, mapping, base, files);
    assert.deepEqual(options(partial).filter((line) => !line.startsWith('arrived')), ['not-checked van@new.example.org AllowConflicts the Get-CalendarProcessing export has no AllowConflicts column']);
    assert.equal(partial.exitCode, 3);
  });

  it('google with the ACLs numbered on one row per resource (acls.0.…, acls.1.…): the same delegates arrive, the same three are missing', () => {
    const { p, state } = roundTrip('google');
    const resources = p.booking.map((b) => b.resourceAddress);
    const exportsOf = (s: readonly Applied[]) => Object.entries(googleExports(s, resources, 'numbered')).map(([file, text]) => ({ file, text }));
    assert.match(exportsOf(state).find((f) => f.file === 'resource-acls.csv')!.text, /acls\.1\.scope\.value/);
    const right = bookingDelegations(p)[0]!.right;
    const booked = state.filter((a) => a.right === right);
    const all = verifyMigration('google', org, mapping, base, exportsOf(state));
    assert.deepEqual(all.items.filter((i) => i.status !== 'arrived').map((i) => `${i.status} ${i.mailbox} ${i.grantee} ${i.right}`), []);
    const removed = [booked[0]!, booked[2]!, booked[3]!];
    const result = verifyMigration('google', org, mapping, base, exportsOf(state.filter((a) => !removed.includes(a))));
    assert.deepEqual(result.items.filter((i) => i.status === 'missing').map((i) => `${i.mailbox}|${i.grantee}|${i.right}`).sort(), removed.map((a) => `${a.owner}|${a.grantee}|${a.right}`).sort());
    assert.equal(result.exitCode, 4);
  });

  it('a delegate at the destination the plan does not call for is extra (Exchange, Google, grommunio)', () => {
    for (const target of ['exchange', 'google', 'grommunio'] as const) {
      const { state, exportsOf, p } = roundTrip(target);
      const stranger: Applied = { owner: 'room@new.example.org', grantee: 'stranger@new.example.org', right: bookingDelegations(p)[0]!.right };
      const result = verifyMigration(target, org, mapping, base, exportsOf([...state, stranger]));
      assert.deepEqual(result.items.filter((i) => i.status === 'extra').map((i) => `${i.mailbox.toLowerCase()}|${i.grantee.toLowerCase()}`), ['room@new.example.org|stranger@new.example.org'], target);
    }
  });
});

/** A CSV without one column (no quoted commas in these files' cells other than whole quoted cells). */
function dropColumn(text: string, column: string): string {
  const rows = text.split('\r\n').map((row) => row.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.filter((cell) => cell !== '').map((cell) => cell.replace(/,$/, '')));
  const at = rows[0]!.findIndex((cell) => cell.replace(/"/g, '') === column);
  assert.ok(at >= 0, `the export has a ${column} column`);
  return rows.map((row) => row.filter((_, i) => i !== at).join(',')).join('\r\n');
}

describe('booking delegates: hostile names cannot break out of any script or cell', () => {
  const hostile = `Ro'om "$(Remove-Item C:\\ -Recurse)"; \`whoami\`\n=HYPERLINK("http://x")\r\n# ; rm -rf /`;
  // No addresses in the directory, so every label shows the hostile name; the mapping names them by ID.
  const evil = withRoutes(
    [
      user('u-ana', undefined, { displayName: hostile, name: hostile }),
      user('u-bob', undefined, { displayName: hostile, name: hostile }),
      { id: 'g-x', kind: 'group', name: hostile, displayName: hostile, state: 'ENABLED', members: ['u-bob'] },
      { id: 'r-x', kind: 'resource', name: hostile, displayName: hostile, state: 'ENABLED', resourceType: 'ROOM' },
    ],
    [{ resourceId: 'r-x', delegates: [{ id: 'u-ana', type: 'USER' }, { id: 'g-x', type: 'GROUP' }, { id: `u-$(evil)'\n`, type: 'USER' }], bookingOptions: { autoAcceptRequests: false } }],
  );
  const m = testMapping({ 'u-ana': 'ana@new.example.org', 'u-bob': 'bob@new.example.org', 'r-x': 'rx@new.example.org' });

  it('the hostile names are in the scripts (traces, not-migrated list), so the checks below see them', () => {
    const script = renderDestination(planDestination('exchange', evil, m, base));
    assert.ok(script.includes('$(Remove-Item'), 'the name is shown');
    assert.ok(script.includes("u-$(evil)'"), 'the unknown delegate ID is shown');
  });

  it('PowerShell, GAM batch and grommunio shell: every line is a comment or a command the interpreter reads, with the planned words only', () => {
    for (const target of ['exchange', 'google', 'grommunio'] as const) {
      const p = planDestination(target, evil, m, base);
      assert.equal(bookingDelegations(p).length, 2, target);
      const script = renderDestination(p);
      for (const line of script.split('\n')) {
        assert.ok(!line.includes('\r'), `${target}: no carriage return inside a line`);
        if (/\$\(Remove-Item|`whoami`|rm -rf/.test(line)) assert.match(line.trim(), /^#/, `${target}: hostile text only in comments: ${line}`);
      }
      const applied = (target === 'exchange' ? interpretExchange(script) : target === 'google' ? interpretGoogle(script) : interpretGrommunio(script)).filter((a) => a.owner === 'rx@new.example.org');
      assert.deepEqual(applied.map((a) => a.grantee).sort(), ['ana@new.example.org', 'bob@new.example.org'], target);
      if (target !== 'exchange') {
        for (const line of script.split('\n').filter((l) => /^(gam |run )/.test(l))) shellWords(line);
      }
    }
  });

  it('Zoho CSV and markdown: a hostile name is one cell, never a formula, never a new line', () => {
    const p = planDestination('zoho', evil, m, base);
    const csv = renderDestination(p, 'csv');
    const rows = csv.trimEnd().split('\r\n');
    assert.equal(rows.length, 1 + bookingDelegations(p).length + p.delegations.length);
    for (const row of rows) assert.doesNotMatch(row, /(^|,)=/);
    const markdown = renderDestination(p);
    for (const line of markdown.split('\n')) assert.doesNotMatch(line, /^=HYPERLINK|^# ; rm/);
  });
});
