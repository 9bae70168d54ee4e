// The address mapping: drafted from a snapshot (same local part at a new domain, or unchanged;
// never guessed), read back from CSV as spreadsheets write it, and refused with file, line and
// column when a row is wrong.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Snapshot } from '../../../src/workmail/migration/schema';
import { checkMapping, draftMapping, loadMapping, MAPPING_COLUMNS, parseMapping } from '../../../src/workmail/migration/mapping';
import { sampleCurrentSnapshot, sampleSnapshot } from './support';

function snapshotWith(extra: Partial<Snapshot>): Snapshot {
  return { ...sampleSnapshot(), ...extra };
}

/** The sample plus entities the draft must treat specially. */
function richSnapshot(): Snapshot {
  const base = sampleSnapshot();
  return {
    ...base,
    entities: [
      ...base.entities,
      { id: 'u-sys', kind: 'user', name: 'postmaster', state: 'ENABLED', userRole: 'SYSTEM_USER' },
      { id: 'u-old', kind: 'user', name: 'old', email: 'old@acme.example.com', state: 'DELETED' },
      { id: 'u-ana-uk', kind: 'user', name: 'ana-uk', email: 'ana@acme.example.co.uk', state: 'ENABLED' },
      { id: 'u-dash', kind: 'user', name: 'dash', displayName: '=HYPERLINK("x")', email: '-dash@acme.example.com', state: 'DISABLED' },
      { id: 'r-room', kind: 'resource', name: 'boardroom', email: 'boardroom@acme.example.com', state: 'ENABLED', resourceType: 'ROOM' },
    ],
  };
}

const rowsOf = (csv: string): Record<string, string>[] => parse(csv, { columns: true }) as Record<string, string>[];

describe('address mapping: draft', () => {
  it('gives every entity a row: the same local part at the new domain, or the same address', () => {
    const snapshot = sampleSnapshot();
    const moved = rowsOf(draftMapping(snapshot, { domain: 'New.Example' }));
    assert.deepEqual(Object.keys(moved[0]!), [...MAPPING_COLUMNS]);
    assert.deepEqual(
      moved.map((r) => [r.entity_id, r.workmail_address, r.kind, r.destination_address]),
      [
        ['u-ana', 'ana@acme.example.com', 'user', 'ana@new.example'],
        ['u-bob', 'bob@acme.example.com', 'user', 'bob@new.example'],
        ['g-sales', 'sales@acme.example.com', 'group', 'sales@new.example'],
        ['g-locked', '', 'group', ''],
      ],
    );
    assert.equal(moved[0]!.display_name, 'Ana Silva');
    assert.match(moved[3]!.comment!, /^no WorkMail address: fill in the destination by hand/);
    const same = rowsOf(draftMapping(snapshot));
    assert.deepEqual(same.map((r) => r.destination_address), ['ana@acme.example.com', 'bob@acme.example.com', 'sales@acme.example.com', '']);
    assert.ok(draftMapping(snapshot).endsWith('\r\n'));
  });

  it('says why on rows that need a person: system users, deleted or disabled entities, collisions', () => {
    const rows = rowsOf(draftMapping(richSnapshot(), { domain: 'new.example' }));
    const row = (id: string) => rows.find((r) => r.entity_id === id)!;
    assert.equal(row('u-sys').destination_address, '');
    assert.match(row('u-sys').comment!, /no WorkMail address.*; WorkMail system user/);
    assert.match(row('u-old').comment!, /deleted in WorkMail/);
    assert.equal(row('u-ana').destination_address, 'ana@new.example');
    assert.equal(row('u-ana-uk').destination_address, 'ana@new.example');
    assert.match(row('u-ana').comment!, /same destination as ana@acme\.example\.co\.uk: change one/);
    assert.match(row('u-ana-uk').comment!, /same destination as ana@acme\.example\.com: change one/);
    assert.equal(row('r-room').kind, 'resource');
    assert.equal(row('u-dash').display_name, `'=HYPERLINK("x")`, 'a formula is never live in a spreadsheet');
  });

  it('refuses a domain that is not one', () => {
    assert.throws(() => draftMapping(sampleSnapshot(), { domain: 'not a domain' }), /"not a domain" is not a domain name/);
    assert.equal(rowsOf(draftMapping(sampleSnapshot(), { domain: '@new.example' }))[0]!.destination_address, 'ana@new.example');
  });

  it('reads back its own draft: every entity with an address mapped, nothing unmatched', () => {
    const snapshot = richSnapshot();
    const mapping = parseMapping(draftMapping(snapshot, { domain: 'new.example' }), snapshot, 'draft.csv');
    assert.deepEqual(mapping.unmatchedRows, []);
    const byId = new Map(snapshot.entities.map((e) => [e.id, e]));
    assert.equal(mapping.destinationOf(byId.get('u-bob')!), 'bob@new.example');
    assert.equal(mapping.destinationOf(byId.get('u-dash')!), '-dash@new.example', 'the formula guard is taken off again');
    assert.equal(mapping.destinationOf(byId.get('u-sys')!), undefined, 'never guessed');
    assert.equal(mapping.destinationOf(byId.get('g-locked')!), undefined);
  });
});

describe('address mapping: reading', () => {
  const snapshot = sampleSnapshot();
  const ana = snapshot.entities[0]!;
  const bob = snapshot.entities[1]!;
  const sales = snapshot.entities[2]!;

  it('reads what spreadsheets write: BOM, CRLF, quoted commas, upper case, extra columns, blank lines', () => {
    const text =
      '\ufeffDestination_Address,Notes,WorkMail_Address\r\n' +
      '"Ana.Silva@New.Example","moved, renamed",ANA@ACME.EXAMPLE.COM\r\n' +
      '\r\n' +
      'bob@new.example,"multi\r\nline note",bob@acme.example.com\r\n' +
      'someone@new.example,,nobody@acme.example.com\r\n' +
      ',,sales@acme.example.com\r\n';
    const mapping = parseMapping(text, snapshot, 'm.csv');
    assert.equal(mapping.destinationOf(ana), 'Ana.Silva@New.Example');
    assert.equal(mapping.destinationOf(bob), 'bob@new.example');
    assert.equal(mapping.destinationOf(sales), undefined, 'an empty destination is unmapped');
    assert.deepEqual(mapping.unmatchedRows, [{ line: 6, source: 'nobody@acme.example.com', destination: 'someone@new.example' }]);
    assert.equal(mapping.entries.get('u-bob')!.line, 4);
  });

  it('keys rows by entity ID too; the ID wins over an absent address', () => {
    const text = 'entity_id,destination_address\nu-ana,ana@new.example\ng-sales,team@new.example\nu-gone,x@new.example\n';
    const mapping = parseMapping(text, snapshot, 'ids.csv');
    assert.equal(mapping.destinationOf(ana), 'ana@new.example');
    assert.equal(mapping.destinationOf(sales), 'team@new.example');
    assert.deepEqual(mapping.unmatchedRows, [{ line: 4, source: 'u-gone', destination: 'x@new.example' }]);
  });

  it('names file, line and column for a destination that is not an address', () => {
    const text = 'workmail_address,entity_id,destination_address\nana@acme.example.com,u-ana,ana@new.example\r\nbob@acme.example.com,,"bob at new.example"\n';
    assert.throws(
      () => parseMapping(text, snapshot, 'map.csv'),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'InvalidMapping');
        assert.equal(err.message, 'map.csv line 3, column 3: "bob at new.example" is not an email address (destination_address). Fix the file and try again; nothing was changed.');
        return true;
      },
    );
  });

  it('refuses an entity mapped twice, by address and by ID alike', () => {
    const twice = 'workmail_address,entity_id,destination_address\nana@acme.example.com,,a@new.example\n,u-ana,b@new.example\n';
    assert.throws(() => parseMapping(twice, snapshot, 'twice.csv'), /^WorkMailError: twice\.csv line 3, column 2: ana@acme\.example\.com is mapped twice \(also on line 2\); keep one row\./);
    const conflict = 'workmail_address,entity_id,destination_address\nana@acme.example.com,u-bob,a@new.example\n';
    assert.throws(() => parseMapping(conflict, snapshot, 'c.csv'), /c\.csv line 2, column 1: workmail_address ana@acme\.example\.com is u-ana, but entity_id is u-bob: the row names two entities/);
  });

  it('refuses a file without the columns it needs, a broken quote, and a destination with no entity', () => {
    assert.throws(() => parseMapping('address,target\na,b\n', snapshot, 'h.csv'), /h\.csv line 1: the header row has no workmail_address or entity_id and no destination_address column \(found: address, target\)/);
    assert.throws(() => parseMapping('', snapshot, 'e.csv'), /e\.csv line 1: the file is empty/);
    assert.throws(() => parseMapping('workmail_address,destination_address\r\nana@acme.example.com,"a"x@new.example\r\n', snapshot, 'q.csv'), /q\.csv line 2: Invalid Closing Quote/);
    assert.throws(() => parseMapping('workmail_address,destination_address\n,a@new.example\n', snapshot, 'k.csv'), /k\.csv line 2, column 1: the row gives a destination \(a@new\.example\) but no workmail_address or entity_id/);
    assert.throws(() => parseMapping('workmail_address,destination_address,Workmail_Address\n', snapshot, 'd.csv'), /d\.csv line 1, column 3: the column workmail_address appears twice/);
  });

  it('loads from a file, and says so when there is none', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-mapping-'));
    try {
      const file = path.join(dir, 'mapping.csv');
      fs.writeFileSync(file, draftMapping(snapshot, { domain: 'new.example' }));
      const mapping = await loadMapping(file, snapshot);
      assert.equal(mapping.destinationOf(bob), 'bob@new.example');
      assert.equal(mapping.source, file);
      await assert.rejects(loadMapping(path.join(dir, 'none.csv'), snapshot), /Could not read the address mapping .*none\.csv: no such file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('address mapping: check', () => {
  it('lists every entity a grant names without a destination, and the rows that name nobody', () => {
    const snapshot = snapshotWith({
      grants: [
        { mailboxId: 'u-ana', granteeId: 'u-bob', granteeType: 'USER', rights: ['FULL_ACCESS'] },
        { mailboxId: 'g-sales', granteeId: 'u-ana', granteeType: 'USER', rights: ['SEND_AS'] },
        { mailboxId: 'u-ana', granteeId: 'u-ghost', granteeType: 'USER', rights: ['SEND_AS'], granteeUnknown: true },
      ],
      unreadMailboxes: [],
    });
    const mapping = parseMapping('workmail_address,destination_address\nana@acme.example.com,ana@new.example\nzed@acme.example.com,zed@new.example\n', snapshot, 'm.csv');
    const check = checkMapping(snapshot, mapping);
    assert.deepEqual(check.unmapped.map((u) => [u.entity.id, u.grants]), [['u-bob', 1], ['g-sales', 1]]);
    assert.equal(check.involved, 3);
    assert.equal(check.mapped, 1);
    assert.deepEqual(check.unmatchedRows, [{ line: 3, source: 'zed@acme.example.com', destination: 'zed@new.example' }]);
  });
});

describe('address mapping: aliases', () => {
  // sampleCurrentSnapshot: Ana has two aliases (one on acme.example.org), Bob's could not be read, room-atlas has one.
  const current = (): Snapshot => sampleCurrentSnapshot();

  it('drafts a row per alias after its entity, marked as an alias of it, moved like the entity’s address', () => {
    const rows = rowsOf(draftMapping(current(), { domain: 'new.example' }));
    assert.deepEqual(
      rows.map((r) => [r.workmail_address, r.entity_id, r.kind, r.destination_address]),
      [
        ['ana@acme.example.com', 'u-ana', 'user', 'ana@new.example'],
        ['ana.silva@acme.example.com', 'u-ana', 'user alias', 'ana.silva@new.example'],
        ['ana@acme.example.org', 'u-ana', 'user alias', 'ana@new.example'],
        ['bob@acme.example.com', 'u-bob', 'user', 'bob@new.example'],
        ['sales@acme.example.com', 'g-sales', 'group', 'sales@new.example'],
        ['', 'g-locked', 'group', ''],
        ['room-atlas@acme.example.com', 'r-atlas', 'resource', 'room-atlas@new.example'],
        ['atlas@acme.example.com', 'r-atlas', 'resource alias', 'atlas@new.example'],
        ['', 'r-proj', 'resource', ''],
      ],
    );
    const row = (address: string) => rows.find((r) => r.workmail_address === address)!;
    assert.match(row('ana.silva@acme.example.com').comment!, /^alias of ana@acme\.example\.com/);
    assert.equal(row('ana.silva@acme.example.com').display_name, 'Ana Silva');
    // The alias on the other domain lands on the entity's own destination: said, not dropped or changed.
    assert.match(row('ana@acme.example.org').comment!, /^the same destination as its entity: it needs no alias there/);
    assert.equal(row('ana@acme.example.org').destination_address, 'ana@new.example');
    // Unchanged addresses: every alias kept as it is.
    const same = rowsOf(draftMapping(current()));
    assert.deepEqual(same.filter((r) => r.kind.endsWith('alias')).map((r) => r.destination_address), ['ana.silva@acme.example.com', 'ana@acme.example.org', 'atlas@acme.example.com']);
  });

  it('drafts no alias row from a version 2 file, which did not record them', () => {
    const v2: Snapshot = { ...current(), version: 2, entities: current().entities.map(({ aliases: _a, aliasesUnreadable: _u, ...rest }) => rest) };
    assert.equal(rowsOf(draftMapping(v2)).some((r) => r.kind.endsWith('alias')), false);
  });

  it('reads the draft back: each alias mapped to its row’s destination, the entity to its own', () => {
    const snapshot = current();
    const mapping = parseMapping(draftMapping(snapshot, { domain: 'new.example' }), snapshot, 'm.csv');
    const ana = snapshot.entities.find((e) => e.id === 'u-ana')!;
    assert.equal(mapping.destinationOf(ana), 'ana@new.example');
    assert.deepEqual(mapping.aliasesOf!(ana).map((a) => [a.alias, a.destination]), [['ana.silva@acme.example.com', 'ana.silva@new.example'], ['ana@acme.example.org', 'ana@new.example']]);
    assert.deepEqual(mapping.aliasEntries.get('r-atlas')!.map((a) => a.line), [9]);
    assert.deepEqual(mapping.unmatchedRows, []);
    assert.equal(checkMapping(snapshot, mapping).unmapped.length, 0);
  });

  it('accepts alias rows as a person writes them: without the kind, without the ID, in any case, emptied', () => {
    const snapshot = current();
    const text = [
      'workmail_address,entity_id,destination_address',
      'ana@acme.example.com,,ana@new.example',
      'ANA.SILVA@acme.example.com,,silva@new.example',
      'ana@acme.example.org,u-ana,',
      'atlas@acme.example.com,r-atlas,atlas@new.example',
    ].join('\r\n');
    const mapping = parseMapping(text, snapshot, 'm.csv');
    const ana = snapshot.entities.find((e) => e.id === 'u-ana')!;
    assert.equal(mapping.destinationOf(ana), 'ana@new.example', 'an alias row is never the entity’s own');
    assert.deepEqual(mapping.aliasesOf!(ana), [{ alias: 'ana.silva@acme.example.com', destination: 'silva@new.example', line: 3 }], 'the alias as the snapshot spells it; an emptied one maps nothing');
  });

  it('lists an alias row the snapshot does not know as unmatched, and takes one for an entity whose aliases it did not record', () => {
    const snapshot = current();
    const text = 'workmail_address,entity_id,kind,destination_address\nnot.an.alias@acme.example.com,u-ana,user alias,x@new.example\nbobby@acme.example.com,u-bob,user alias,bobby@new.example\n';
    const mapping = parseMapping(text, snapshot, 'm.csv');
    assert.deepEqual(mapping.unmatchedRows, [{ line: 2, source: 'not.an.alias@acme.example.com', destination: 'x@new.example' }]);
    // Bob's aliases could not be read: the person's row is taken as given.
    assert.deepEqual(mapping.aliasEntries.get('u-bob'), [{ alias: 'bobby@acme.example.com', destination: 'bobby@new.example', line: 3 }]);
  });

  it('refuses an alias row that names two entities, an entity’s own address, no address, or an alias twice, with file, line and column', () => {
    const snapshot = current();
    const header = 'workmail_address,entity_id,kind,destination_address\n';
    const cases: Array<[string, RegExp]> = [
      ['atlas@acme.example.com,u-ana,user alias,a@new.example\n', /^WorkMailError: m\.csv line 2, column 1: workmail_address atlas@acme\.example\.com is an alias of r-atlas, but entity_id is u-ana: the row names two entities/],
      ['ana@acme.example.com,u-ana,user alias,a@new.example\n', /line 2, column 1: ana@acme\.example\.com is the address of u-ana, not one of its aliases/],
      [',u-ana,user alias,a@new.example\n', /line 2, column 1: an alias row needs the alias in workmail_address/],
      ['atlas@acme.example.com,,,a@new.example\nATLAS@acme.example.com,r-atlas,resource alias,b@new.example\n', /line 3, column 1: the alias ATLAS@acme\.example\.com is mapped twice \(also on line 2\)/],
      ['atlas@acme.example.com,,,not an address\n', /line 2, column 4: "not an address" is not an email address/],
    ];
    for (const [rows, expected] of cases) {
      assert.throws(() => parseMapping(header + rows, snapshot, 'm.csv'), expected, rows);
    }
  });
});
