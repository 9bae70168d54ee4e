import assert from 'node:assert/strict';
import { planDestination, renderDestination, mailboxAddresses, type DestinationOptions, type DestinationPlan, type DestinationTarget } from '../../../src/workmail/migration/destinations';
import { compare, decodeText, readExports, renderVerificationCsv, renderVerificationMarkdown, verifyMigration, VerifyInputError, type VerificationResult } from '../../../src/workmail/migration/verify';
import { EXCHANGE_READBACK_FILES } from '../../../src/workmail/migration/destinations/exchange';
import { splitValues } from '../../../src/workmail/migration/verify/exchange';
import { readCsv } from '../../../src/workmail/migration/verify/csv';
import { dn, exchangeExports, googleExports, grommunioExport, recipientFor } from './exports';
import type { AddressMapping, Snapshot } from '../../../src/workmail/migration/schema';
import { unchangedAddresses } from '../../../src/workmail/migration/destinations/common';
import { domainMapping, interpretExchange, interpretGoogle, interpretGrommunio, smallOrg, type Applied } from './support';

const options: DestinationOptions = { generatedAt: new Date('2026-03-02T14:02:00Z'), mappingSource: 'map.csv', sendOnBehalf: 'delegate' };
const org = smallOrg();
const mapping = domainMapping(org, 'new.example.org');

function files(record: Record<string, string>): Array<{ file: string; text: string }> {
  return Object.entries(record).map(([file, text]) => ({ file, text }));
}

/** The destination state a script produces, written as that destination exports it. */
function exportsOf(target: DestinationTarget, plan: DestinationPlan, state: readonly Applied[]): Array<{ file: string; text: string }> {
  switch (target) {
    case 'exchange':
      return files(exchangeExports(renderDestination(plan), state, mailboxAddresses(plan)));
    case 'google':
      return files(googleExports(state));
    case 'grommunio':
      return [{ file: 'readback.jsonl', text: grommunioExport(state, mailboxAddresses(plan)) }];
    case 'zoho': {
      // The checklist comes back with every line the administrator carried out ticked.
      const rows = renderDestination(plan, 'csv').split('\r\n');
      const done = new Set(state.map((a) => `${a.owner}|${a.grantee}|${a.right}`));
      const ticked = rows.map((row, i) => {
        if (i === 0 || !row) return row;
        const [, mailbox, delegate, right] = row.split(',');
        return done.has(`${mailbox}|${delegate}|${right}`) ? `yes${row}` : row;
      });
      return [{ file: 'checklist.csv', text: ticked.join('\r\n') }];
    }
  }
}

function interpret(target: DestinationTarget, script: string, plan: DestinationPlan): Applied[] {
  switch (target) {
    case 'exchange':
      return interpretExchange(script);
    case 'google':
      return interpretGoogle(script);
    case 'grommunio':
      return interpretGrommunio(script);
    case 'zoho':
      // A checklist is carried out by a person: each line is one (owner, delegate, right).
      return plan.delegations.map((d) => ({ owner: d.mailboxAddress, grantee: d.granteeAddress, right: d.right }));
  }
}

describe('verification after cutover: round trip per destination', () => {
  for (const target of ['exchange', 'google', 'grommunio', 'zoho'] as const) {
    describe(target, () => {
      const plan = planDestination(target, org, mapping, options);
      const state = interpret(target, renderDestination(plan), plan);

      it('snapshot → script → destination state → export → everything arrived', () => {
        assert.ok(state.length >= 4, 'the script carries several delegations');
        const result = verifyMigration(target, org, mapping, options, exportsOf(target, plan, state));
        assert.deepEqual(
          result.items.filter((i) => i.status !== 'arrived').map((i) => `${i.status} ${i.mailbox} ${i.grantee} ${i.right} ${i.detail ?? ''}`),
          [],
        );
        assert.equal(result.counts.arrived, plan.delegations.length);
        assert.equal(result.exitCode, 0);
        assert.equal(result.counts.notMappable + result.counts.notCarried, plan.notCarried.length);
        assert.match(renderVerificationMarkdown(result), /\*\*Everything arrived\.\*\*/);
      });

      it('removing one delegation from the export reports exactly that one missing', () => {
        for (const removed of [state[0]!, state[state.length - 1]!]) {
          const result = verifyMigration(target, org, mapping, options, exportsOf(target, plan, state.filter((a) => a !== removed)));
          const missing = result.items.filter((i) => i.status === 'missing');
          assert.deepEqual(
            missing.map((i) => `${i.mailbox}|${i.grantee}|${i.right}`),
            [`${removed.owner}|${removed.grantee}|${removed.right}`],
          );
          assert.equal(result.counts.arrived, plan.delegations.length - 1);
          assert.equal(result.counts.extra, 0);
          assert.equal(result.exitCode, 4);
          const csv = renderVerificationCsv(result).split('\r\n');
          assert.equal(csv.filter((l) => l.startsWith('missing,')).length, 1);
        }
      });

      it('a delegation at the destination that the plan does not call for is extra', () => {
        const owner = plan.delegations[0]!.mailboxAddress;
        const right = plan.delegations[0]!.right;
        const stranger: Applied = { owner, grantee: 'stranger@new.example.org', right };
        const result = verifyMigration(target, org, mapping, options, exportsOf(target, plan, [...state, stranger]));
        if (target === 'zoho') {
          // A checklist lists only planned lines: nothing else can be ticked.
          assert.equal(result.counts.extra, 0);
          return;
        }
        assert.deepEqual(
          result.items.filter((i) => i.status === 'extra').map((i) => `${i.mailbox.toLowerCase()}|${i.grantee.toLowerCase()}|${i.right}`),
          [`${owner}|stranger@new.example.org|${right}`],
        );
        assert.equal(result.exitCode, 0, 'extra alone is reported, not a failure');
      });
    });
  }

  it('a wave is verified against that wave only', () => {
    const wave: DestinationOptions = { ...options, mailboxIds: new Set(['u-ana']), wave: 1 };
    const plan = planDestination('exchange', org, mapping, wave);
    const state = interpretExchange(renderDestination(plan));
    assert.ok(state.every((a) => a.owner === 'ana@new.example.org'));
    const result = verifyMigration('exchange', org, mapping, wave, files(exchangeExports(renderDestination(plan), state, mailboxAddresses(plan))));
    assert.equal(result.exitCode, 0);
    assert.equal(result.counts.arrived, plan.delegations.length);
  });
});

describe('verification: partial input', () => {
  const plan = planDestination('exchange', org, mapping, options);
  const script = renderDestination(plan);
  const state = interpretExchange(script);
  const all = exchangeExports(script, state, mailboxAddresses(plan));

  it('an export left out makes its right not checked and the exit code 3', () => {
    const { [EXCHANGE_READBACK_FILES.sendOnBehalf]: _left, ...rest } = all;
    void _left;
    const result = verifyMigration('exchange', org, mapping, options, files(rest));
    assert.ok(result.counts.notChecked > 0);
    assert.ok(result.items.filter((i) => i.status === 'not-checked').every((i) => i.right === 'SendOnBehalf' && /no export of SendOnBehalf/.test(i.detail ?? '')));
    assert.equal(result.counts.missing, 0);
    assert.equal(result.exitCode, 3);
  });

  it('without the recipient export, names and distinguished names are unresolved, listed, and the input partial', () => {
    const { [EXCHANGE_READBACK_FILES.recipients]: _left, ...rest } = all;
    void _left;
    const result = verifyMigration('exchange', org, mapping, options, files(rest));
    assert.ok(result.counts.unresolved > 0);
    assert.ok(result.unresolved.some((u) => u.value.startsWith('CN=') && u.file === EXCHANGE_READBACK_FILES.sendOnBehalf && u.column === 4));
    assert.ok(result.exitCode === 3 || result.exitCode === 4);
  });

  it('a mailbox the exports have no rows for is not checked rather than missing', () => {
    const plan2 = planDestination('grommunio', org, mapping, options);
    const state2 = interpretGrommunio(renderDestination(plan2));
    const lines = grommunioExport(state2, mailboxAddresses(plan2)).split('\n').filter((l) => !l.includes('"mailbox":"bob@new.example.org"'));
    const result = verifyMigration('grommunio', org, mapping, options, [{ file: 'r.jsonl', text: lines.join('\n') }]);
    const bob = result.items.filter((i) => i.mailbox === 'bob@new.example.org');
    assert.ok(bob.length > 0 && bob.every((i) => i.status === 'not-checked'));
    assert.equal(result.exitCode, 3);
  });

  it('an API error answer for one mailbox leaves exactly that mailbox and right unchecked, with the message', () => {
    const plan2 = planDestination('grommunio', org, mapping, options);
    const state2 = interpretGrommunio(renderDestination(plan2));
    const text = grommunioExport(state2, mailboxAddresses(plan2)).replace(
      /\{"mailbox":"ana@new\.example\.org","endpoint":"sendas","response":\{[^\n]*\}\}/,
      '{"mailbox":"ana@new.example.org","endpoint":"sendas","response":{"message":"User not found"}}',
    );
    const result = verifyMigration('grommunio', org, mapping, options, [{ file: 'r.jsonl', text }]);
    const unchecked = result.items.filter((i) => i.status === 'not-checked');
    assert.deepEqual(unchecked.map((i) => `${i.mailbox}|${i.right}`), ['ana@new.example.org|sendas']);
    assert.match(unchecked[0]!.detail ?? '', /r\.jsonl, line \d+: User not found/);
  });

  it('an export that names a mailbox or grantee by one of its aliases: the delegation arrived, nothing missing or extra', () => {
    const bob = 'bob@new.example.org';
    const alias = 'robert@new.example.org';
    const withAlias: AddressMapping = { ...mapping, aliasesOf: (entity) => (entity.id === 'u-bob' ? [{ alias: 'robert@old.example.com', destination: alias }] : []) };
    const plan2 = planDestination('google', org, withAlias, options);
    const exported = googleExports(interpretGoogle(renderDestination(plan2)));
    const byAlias = Object.fromEntries(Object.entries(exported).map(([file, text]) => [file, text.split(bob).join(alias)]));
    assert.ok(Object.values(byAlias).some((text) => text.includes(alias)), 'the export names bob by his alias');
    const result = verifyMigration('google', org, withAlias, options, files(byAlias));
    assert.deepEqual(result.counts.missing, 0);
    assert.deepEqual(result.items.filter((i) => i.status === 'extra'), []);
    assert.ok(result.items.filter((i) => i.status === 'arrived').some((i) => i.mailbox === bob || i.grantee === bob));
    // Without the alias in the mapping, the same export is bob missing and someone else extra.
    const unaware = verifyMigration('google', org, mapping, options, files(byAlias));
    assert.ok(unaware.counts.missing > 0 && unaware.counts.extra > 0);
  });

  it('with addresses unchanged, the aliases the snapshot recorded resolve', () => {
    const recorded: Snapshot = { ...org, entities: org.entities.map((e) => (e.id === 'u-bob' ? { ...e, aliases: ['robert@old.example.com'] } : e)) };
    const plan2 = planDestination('google', recorded, unchangedAddresses(), options);
    const exported = googleExports(interpretGoogle(renderDestination(plan2)));
    const byAlias = Object.fromEntries(Object.entries(exported).map(([file, text]) => [file, text.split('bob@old.example.com').join('robert@old.example.com')]));
    const result = verifyMigration('google', recorded, unchangedAddresses(), options, files(byAlias));
    assert.equal(result.counts.missing, 0);
    assert.equal(result.counts.extra, 0);
  });

  it('a Gmail send-as address still pending verification is missing, with the status', () => {
    const plan2 = planDestination('google', org, mapping, options);
    const state2 = interpretGoogle(renderDestination(plan2));
    const exported = googleExports(state2);
    exported['sendas.csv'] = exported['sendas.csv']!.replace(/,False,False,False,accepted,/, ',False,False,False,pending,');
    const result = verifyMigration('google', org, mapping, options, files(exported));
    const missing = result.items.filter((i) => i.status === 'missing');
    assert.equal(missing.length, 1);
    assert.equal(missing[0]!.right, 'sendas');
    assert.match(missing[0]!.detail ?? '', /pending/);
  });
});

describe('verification: messy exports parse', () => {
  const plan = planDestination('exchange', org, mapping, options);
  const script = renderDestination(plan);
  const state = interpretExchange(script);
  const clean = exchangeExports(script, state, mailboxAddresses(plan), { identityOnly: true });
  const arrivedAll = (result: VerificationResult): void => {
    assert.equal(result.counts.missing, 0, JSON.stringify(result.items.filter((i) => i.status !== 'arrived')));
    assert.equal(result.counts.arrived, plan.delegations.length);
    assert.equal(result.exitCode, 0);
  };

  it('names instead of addresses (Identity only, display names with commas, DNs), upper case, extra columns', () => {
    arrivedAll(verifyMigration('exchange', org, mapping, options, files(clean)));
  });

  it('a UTF-8 byte-order mark, LF line ends, a #TYPE line, UTF-16 from PowerShell redirection', () => {
    const messy = Object.fromEntries(
      Object.entries(clean).map(([file, text], i) => {
        const variants = [
          `\uFEFF${text}`,
          text.replace(/\r\n/g, '\n'),
          `#TYPE Selected.System.Management.Automation.PSCustomObject\r\n${text}`,
          decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])),
        ];
        return [file, variants[i % variants.length]!];
      }),
    );
    arrivedAll(verifyMigration('exchange', org, mapping, options, files(messy)));
  });

  it('multi-valued cells: semicolons, bars, line breaks, and commas only where every piece resolves', () => {
    const resolves = (v: string) => /^[^\s,]+@[^\s,]+$/.test(v) || v === 'Doe, Jane';
    assert.deepEqual(splitValues('a@x.com;b@x.com|c@x.com\nd@x.com', resolves), ['a@x.com', 'b@x.com', 'c@x.com', 'd@x.com']);
    assert.deepEqual(splitValues('a@x.com, b@x.com', resolves), ['a@x.com', 'b@x.com']);
    assert.deepEqual(splitValues('Doe, Jane', resolves), ['Doe, Jane']);
    assert.deepEqual(splitValues('CN=x,OU=y,DC=z', resolves), ['CN=x,OU=y,DC=z']);
    const ana = recipientFor('ana@new.example.org');
    const both = state.filter((a) => a.right === 'SendOnBehalf');
    const text = clean[EXCHANGE_READBACK_FILES.sendOnBehalf]!;
    const result = verifyMigration('exchange', org, mapping, options, files(clean));
    assert.ok(both.length > 0 && result.items.filter((i) => i.right === 'SendOnBehalf').every((i) => i.status === 'arrived'));
    assert.ok(text.includes(dn(recipientFor(both[0]!.grantee))) || text.includes(ana.displayName));
  });

  it('Google and grommunio: BOM, CRLF, upper case, extra columns, JSON array and keyed forms', () => {
    const gPlan = planDestination('google', org, mapping, options);
    const gState = interpretGoogle(renderDestination(gPlan));
    const g = googleExports(gState);
    const gResult = verifyMigration('google', org, mapping, options, [
      { file: 'delegates.csv', text: `\uFEFF${g['delegates.csv']!.replace('User,delegateAddress,delegationStatus', 'USER,DelegateName,delegateAddress,delegationStatus').replace(/\r\n([^,\r\n]+),/g, '\r\n$1,"Name, Some",')}` },
      { file: 'sendas.csv', text: g['sendas.csv']!.toUpperCase().replace(/ACCEPTED/g, 'accepted').replace(/TRUE/g, 'True').replace(/FALSE/g, 'False') },
    ]);
    assert.equal(gResult.exitCode, 0, JSON.stringify(gResult.items.filter((i) => i.status !== 'arrived')));

    const rPlan = planDestination('grommunio', org, mapping, options);
    const rState = interpretGrommunio(renderDestination(rPlan));
    const lines = grommunioExport(rState, mailboxAddresses(rPlan)).trim().split('\n').map((l) => JSON.parse(l) as { mailbox: string; endpoint: string; response: unknown });
    const asArray = verifyMigration('grommunio', org, mapping, options, [{ file: 'r.json', text: JSON.stringify(lines, null, 2) }]);
    assert.equal(asArray.exitCode, 0);
    const keyed: Record<string, Record<string, unknown>> = {};
    for (const l of lines) (keyed[l.mailbox.toUpperCase()] ??= {})[l.endpoint] = l.response;
    assert.equal(verifyMigration('grommunio', org, mapping, options, [{ file: 'r.json', text: JSON.stringify(keyed) }]).exitCode, 0);
  });
});

describe('verification: unreadable input names file, line and column', () => {
  it('an unclosed quote', () => {
    const text = 'Identity,User,AccessRights,IsInherited,Deny\r\nana,bob@x.com,FullAccess,False,False\r\nana,"bob@x.com,FullAccess,False,False\r\n';
    assert.throws(() => readExports('exchange', [{ file: 'perms.csv', text }]), (err: unknown) => {
      assert.ok(err instanceof VerifyInputError);
      assert.equal(err.file, 'perms.csv');
      assert.equal(err.line, 3);
      assert.equal(err.column, 2);
      assert.match(err.message, /^perms\.csv, line 3, column 2: not readable as CSV: a quoted cell starts here and is never closed/);
      return true;
    });
  });

  it('a quote in the middle of a cell, after a #TYPE line', () => {
    const text = '#TYPE x\nIdentity,Trustee,AccessControlType,AccessRights\nana,bob@x.com,Allow,SendAs\nana,bo"b,Allow,SendAs\n';
    assert.throws(() => readExports('exchange', [{ file: 'sendas.csv', text }]), /^VerifyInputError: sendas\.csv, line 4, column 2: not readable as CSV/);
  });

  it('rights exported as a type name, with what to do', () => {
    const text = 'Identity,User,AccessRights,IsInherited,Deny\nana,bob@x.com,System.Collections.ObjectModel.Collection`1[System.String],False,False\n';
    assert.throws(() => readExports('exchange', [{ file: 'p.csv', text }]), /p\.csv, line 2, column 3: AccessRights holds a type name .*-join ','/);
  });

  it('a collection the read-back does not join is refused as a type name, with the file, line, column and what to do', () => {
    const plan = planDestination('exchange', org, mapping, options);
    const script = renderDestination(plan);
    const state = interpretExchange(script);
    const joins = [...script.matchAll(/@\{Name='(\w+)';Expression=\{\$_\.\1 -join '([^']*)'\}\}/g)];
    assert.deepEqual([...new Set(joins.map((m) => m[1]))], ['AccessRights', 'GrantSendOnBehalfTo', 'EmailAddresses']);
    for (const join of joins) {
      const [calculated, property, separator] = [join[0], join[1]!, join[2]!];
      const bare = `${script.slice(0, join.index)}${property}${script.slice(join.index + calculated.length)}`;
      const exported = exchangeExports(bare, state, mailboxAddresses(plan));
      const [file, text] = Object.entries(exported).find(([, t]) => t.includes('"System.'))!;
      const lines = text.replace(/^\uFEFF/, '').split('\r\n');
      const line = lines.findIndex((l) => l.includes('"System.')) + 1;
      const column = lines[0]!.split(',').indexOf(`"${property}"`) + 1;
      assert.throws(() => verifyMigration('exchange', org, mapping, options, files(exported)), (err: unknown) => {
        assert.ok(err instanceof VerifyInputError, String(err));
        assert.deepEqual([err.file, err.line, err.column], [file, line, column], err.message);
        assert.match(err.message, new RegExp(`^${file.replace(/\./g, '\\.')}, line ${line}, column ${column}: ${property} holds a type name \\("System\\.Collections\\.[^"]+"\\)`));
        assert.match(err.message, /Make the script again, run its read-back again and verify the new files/);
        assert.ok(err.message.includes(`@{Name='${property}';Expression={$_.${property} -join '${separator}'}}`), err.message);
        return true;
      });
    }
  });

  it('a file that is no export verify knows, naming its columns and the expected ones', () => {
    assert.throws(() => readExports('exchange', [{ file: 'other.csv', text: 'a,b\n1,2\n' }]), /other\.csv, line 1: its columns \(a, b\) match none of the Exchange Online exports/);
    assert.throws(() => readExports('google', [{ file: 'g.csv', text: 'User,foo\nx@y.com,1\n' }]), /g\.csv, line 1: its columns \(user, foo\) match no GAM export verify reads/);
    assert.throws(() => readExports('zoho', [{ file: 'z.csv', text: 'mailbox,delegate\n' }]), /z\.csv, line 1: no "done" column/);
  });

  it('broken JSON lines, with the line and column', () => {
    const text = '{"mailbox":"a@x.com","endpoint":"sendas","response":{"data":[]}}\n{"mailbox":"a@x.com","endpoint":"delegates","response":{"data":[}}\n';
    assert.throws(() => readExports('grommunio', [{ file: 'r.jsonl', text }]), (err: unknown) => {
      assert.ok(err instanceof VerifyInputError);
      assert.equal(err.line, 2);
      assert.ok(err.column !== undefined && err.column > 50, `column ${err.column}`);
      return true;
    });
    assert.throws(() => readExports('grommunio', [{ file: 'r.jsonl', text: '{"mailbox":"a@x.com","endpoint":"calendar","response":null}\n' }]), /r\.jsonl, line 1: unknown endpoint "calendar"/);
  });

  it('an empty file', () => {
    assert.throws(() => readCsv('e.csv', '\uFEFF'), /e\.csv, line 1: the file is empty/);
  });
});

describe('verification report', () => {
  it('lists every item with counts, in markdown and CSV; unmapped and not-carried grants are there too', () => {
    const partialMapping = { ...domainMapping(org, 'new.example.org'), unmatchedRows: [{ line: 7, source: 'ghost@old.example.com', destination: 'ghost@new.example.org' }] };
    const plan = planDestination('google', org, partialMapping, options);
    const result = compare(plan, readExports('google', files(googleExports([]))), partialMapping);
    const markdown = renderVerificationMarkdown(result);
    assert.match(markdown, new RegExp(`\\| Missing \\| ${plan.delegations.length} \\|`));
    assert.match(markdown, /## Not carried by the script \(\d+\)/);
    assert.match(markdown, /## Mapping rows that name nobody in the snapshot \(1\)\n\n\| Line \| Source \| Destination \|\n\| --- \| --- \| --- \|\n\| 7 \| ghost@old\.example\.com \| ghost@new\.example\.org \|/);
    const csv = renderVerificationCsv(result).trimEnd().split('\r\n');
    assert.equal(csv[0], 'status,mailbox,grantee,destination_right,workmail_rights,workmail_mailbox_id,workmail_grantee_id,detail,source');
    assert.equal(csv.length - 1, result.items.length + result.notCarried.length + result.unresolved.length);
    assert.equal(result.exitCode, 4);
  });
});
