// Aliases recreated by every destination's script: the plan (mapping rows, unchanged aliases, wave,
// states, unreadable aliases), each destination's commands read back the way the destination would
// carry them out, aliases before the grants, what a destination cannot hold listed with the reason,
// and hostile alias values that never reach a command.
import assert from 'node:assert/strict';
import { ALIAS, planDestination, renderDestination, type DestinationOptions, type DestinationPlan, type DestinationTarget } from '../../../src/workmail/migration/destinations';
import { parseMapping } from '../../../src/workmail/migration/mapping';
import { verifyMigration } from '../../../src/workmail/migration/verify';
import type { Snapshot, SnapshotEntity } from '../../../src/workmail/migration/schema';
import { grant, group, interpretExchange, interpretGoogle, interpretGrommunio, resource, shellWords, snapshotOf, user } from './support';

const base: DestinationOptions = { generatedAt: new Date('2026-03-02T14:02:00Z'), mappingSource: 'map.csv' };

/** Like the sample organization: a user with three aliases (one on another domain), a group alias, a room alias, unreadable, disabled and deleted entities. */
function aliasOrg(overrides: (entity: SnapshotEntity) => SnapshotEntity = (e) => e): Snapshot {
  const entities: SnapshotEntity[] = [
    user('u-ana', 'ana@old.example.com', { aliases: ['ana.silva@old.example.com', 'a.silva@old.example.com', 'ana@old-brand.example.net'] }),
    user('u-bob', 'bob@old.example.com', { aliases: [] }),
    user('u-cy', 'cy@old.example.com', { aliasesUnreadable: 'ThrottlingException: Rate exceeded' }),
    user('u-dee', 'dee@old.example.com', { state: 'DISABLED', aliases: ['dee.x@old.example.com'] }),
    user('u-eve', 'eve@old.example.com', { state: 'DELETED', aliasesUnreadable: 'NotRead: deleted in WorkMail, its aliases are not read' }),
    { ...group('g-sales', 'sales@old.example.com', ['u-bob']), aliases: ['team@old.example.com'] },
    { ...resource('r-room', 'room@old.example.com'), aliases: ['boardroom@old.example.com'] },
  ].map(overrides);
  return snapshotOf(entities, [grant('u-ana', 'u-bob', ['FULL_ACCESS', 'SEND_AS']), grant('g-sales', 'u-ana', ['SEND_AS'])]);
}

/** The mapping file as a person fills it in: every entity to new.example.org, two aliases mapped, the others left empty (kept as they are). */
function mappingFor(snapshot: Snapshot): ReturnType<typeof parseMapping> {
  const rows = [
    'workmail_address,entity_id,kind,display_name,destination_address,comment',
    ...snapshot.entities.map((e) => `${e.email},${e.id},${e.kind},,${e.email!.replace('@old.example.com', '@new.example.org')},`),
    'ana.silva@old.example.com,u-ana,user alias,,ana.silva@new.example.org,',
    'a.silva@old.example.com,u-ana,user alias,,,',
    'team@old.example.com,g-sales,group alias,,team@new.example.org,',
    'boardroom@old.example.com,r-room,resource alias,,boardroom@new.example.org,',
  ];
  return parseMapping(`${rows.join('\r\n')}\r\n`, snapshot, 'map.csv');
}

const org = aliasOrg();
const plan = (target: DestinationTarget, options: Partial<DestinationOptions> = {}, snapshot = org): DestinationPlan => planDestination(target, snapshot, mappingFor(snapshot), { ...base, ...options });
const planned = (p: DestinationPlan): string[] => p.aliases.map((a) => `${a.entityAddress}+${a.aliasAddress}`);
/** The index of the last line that matches. */
const lastIndex = (lines: readonly string[], match: (line: string) => boolean): number => lines.reduce((last, line, i) => (match(line) ? i : last), -1);
const listed = (p: DestinationPlan): string[] => p.notCarried.filter((n) => n.right === ALIAS).map((n) => `${n.kind} ${n.mailboxId} ${n.alias ?? '*'}`).sort();

describe('aliases: the plan (every destination)', () => {
  it('each alias mapped by its row, or kept as it is when the row is empty; disabled entities and unreadable aliases listed; a deleted entity adds nothing', () => {
    const p = plan('exchange');
    // In the plan's order: entity by entity (by WorkMail address), each entity's aliases as recorded.
    assert.deepEqual(planned(p), [
      'ana@new.example.org+ana.silva@new.example.org',
      'ana@new.example.org+a.silva@old.example.com',
      'ana@new.example.org+ana@old-brand.example.net',
      'room@new.example.org+boardroom@new.example.org',
      'sales@new.example.org+team@new.example.org',
    ]);
    assert.deepEqual(listed(p), ['not-carried u-dee dee.x@old.example.com', 'unread u-cy *']);
    assert.match(p.notCarried.find((n) => n.mailboxId === 'u-cy' && n.right === ALIAS)!.reason, /could not be read \(ThrottlingException: Rate exceeded\)/);
    const script = renderDestination(p);
    assert.match(script, /^# It adds 5 aliases on 3 entities, before the permissions\.$/m);
    assert.match(script, /^# WARNING: the aliases of 1 entity could not be read/m);
    assert.match(script, /^# - ALIAS: dee\.x@old\.example\.com of dee@old\.example\.com \(u-dee\): the entity is disabled in WorkMail/m);
    assert.match(script, /^# - ALIAS: every alias of cy@old\.example\.com \(u-cy\): the aliases could not be read/m);
  });

  it('a wave carries the aliases of its own entities only; includeDisabled carries the disabled one', () => {
    assert.deepEqual(planned(plan('exchange', { mailboxIds: new Set(['room@old.example.com']), wave: 2 })), ['room@new.example.org+boardroom@new.example.org']);
    assert.deepEqual(listed(plan('exchange', { mailboxIds: new Set(['u-bob']) })), []);
    assert.ok(planned(plan('exchange', { includeDisabled: true })).includes('dee@new.example.org+dee.x@old.example.com'));
  });

  it('an alias that would be another entity\'s address, its own entity\'s, or given twice is listed, not written', () => {
    const snapshot = aliasOrg((e) => (e.id === 'u-bob' ? { ...e, aliases: ['robert@old.example.com', 'bobby@old.example.com'] } : e));
    const rows = mappingFor(snapshot);
    const mapping = {
      ...rows,
      aliasesOf: (entity: SnapshotEntity) =>
        entity.id === 'u-bob' ? [{ alias: 'robert@old.example.com', destination: 'ana@new.example.org' }, { alias: 'bobby@old.example.com', destination: 'bob@new.example.org' }] : rows.aliasesOf!(entity),
    };
    const p = planDestination('exchange', snapshot, mapping, base);
    assert.ok(!planned(p).some((line) => line.startsWith('bob@')));
    assert.match(p.notCarried.find((n) => n.alias === 'robert@old.example.com')!.reason, /is the destination address of ana@old\.example\.com/);
    assert.match(p.notCarried.find((n) => n.alias === 'bobby@old.example.com')!.reason, /becomes the entity's own address/);
  });

  it('a snapshot older than version 3 recorded no aliases: a warning, and nothing listed per entity', () => {
    const p = plan('google', {}, { ...org, version: 2, entities: org.entities.map(({ aliases: _a, aliasesUnreadable: _u, ...e }) => e) });
    assert.deepEqual(p.aliases, []);
    assert.deepEqual(listed(p), []);
    assert.match(renderDestination(p), /^# WARNING: the snapshot \(version 2\) did not record aliases/m);
  });
});

describe('aliases: each destination\'s commands', () => {
  it('Exchange: Set-Mailbox for users and rooms, Set-DistributionGroup for groups, each a secondary smtp address under -WhatIf, traced; all before the first permission', () => {
    const script = renderDestination(plan('exchange'));
    const aliases = interpretExchange(script).filter((a) => a.right === 'alias').map((a) => `${a.owner}+${a.grantee}`);
    assert.deepEqual(aliases, [
      'ana@new.example.org+ana.silva@new.example.org',
      'ana@new.example.org+a.silva@old.example.com',
      'ana@new.example.org+ana@old-brand.example.net',
      'room@new.example.org+boardroom@new.example.org',
      'sales@new.example.org+team@new.example.org',
    ]);
    assert.match(script, /^Set-Mailbox -Identity 'room@new\.example\.org' -EmailAddresses @\{Add='smtp:boardroom@new\.example\.org'\} -WhatIf:\$WhatIf$/m);
    assert.match(script, /^Set-DistributionGroup -Identity 'sales@new\.example\.org' -EmailAddresses @\{Add='smtp:team@new\.example\.org'\} -WhatIf:\$WhatIf$/m);
    assert.match(script, /^# NOTE: if the group was recreated as a Microsoft 365 group, run Set-UnifiedGroup/m);
    assert.match(script, /^# from WorkMail: entity=u-ana alias=ana@old-brand\.example\.net right=ALIAS \(ana@old\.example\.com \(u-ana\)\) as ana@new\.example\.org \+ ana@old-brand\.example\.net\n# NOTE: the alias is on another domain \(old-brand\.example\.net\): it must be an accepted domain of the tenant\nSet-Mailbox /m);
    const lines = script.split('\n');
    const lastAlias = lastIndex(lines, (l) => l.includes('-EmailAddresses @{Add='));
    const firstGrant = lines.findIndex((l) => /^(Add-MailboxPermission|Add-RecipientPermission) /.test(l));
    assert.ok(firstGrant > 0 && lastAlias < firstGrant, 'every alias before the first permission');
    for (const line of lines.filter((l) => l.includes('-EmailAddresses'))) assert.ok(line.endsWith(' -WhatIf:$WhatIf'), line);
  });

  it('Google: gam create alias … user / group, before the delegates; a room\'s alias listed (calendar resources have none); an alias outside googleDomains listed', () => {
    const p = plan('google', { googleDomains: ['new.example.org', 'old.example.com'] });
    const script = renderDestination(p);
    assert.deepEqual(interpretGoogle(script).filter((a) => a.right.startsWith('alias')).map((a) => `${a.owner}+${a.grantee} ${a.right}`), [
      'ana@new.example.org+ana.silva@new.example.org alias (user)',
      'ana@new.example.org+a.silva@old.example.com alias (user)',
      'sales@new.example.org+team@new.example.org alias (group)',
    ]);
    assert.match(p.notCarried.find((n) => n.alias === 'boardroom@old.example.com')!.reason, /calendar resources cannot have aliases/);
    assert.match(p.notCarried.find((n) => n.alias === 'ana@old-brand.example.net')!.reason, /domain \(old-brand\.example\.net\) is not one of the Google Workspace organization's domains/);
    const lines = script.split('\n');
    assert.ok(lastIndex(lines, (l) => l.startsWith('gam create alias ')) < lines.findIndex((l) => l.startsWith('gam user ')));
  });

  it('grommunio: user modify --alias for users and rooms, before the grants; a mailing list\'s alias listed', () => {
    const p = plan('grommunio');
    const script = renderDestination(p);
    assert.deepEqual(interpretGrommunio(script).filter((a) => a.right === 'alias').map((a) => `${a.owner}+${a.grantee}`), [
      'ana@new.example.org+ana.silva@new.example.org',
      'ana@new.example.org+a.silva@old.example.com',
      'ana@new.example.org+ana@old-brand.example.net',
      'room@new.example.org+boardroom@new.example.org',
    ]);
    assert.match(script, /^run grommunio-admin user modify 'room@new\.example\.org' --alias 'boardroom@new\.example\.org'$/m);
    assert.match(p.notCarried.find((n) => n.alias === 'team@old.example.com')!.reason, /no alias for a mailing list/);
    const lines = script.split('\n');
    assert.ok(lastIndex(lines, (l) => l.includes(' --alias ')) < lines.findIndex((l) => / user sendas | exmdb /.test(l)));
  });

  it('Zoho: a checklist line and a CSV row per user alias, before the delegations; groups and rooms listed; verify ignores ticked alias rows', () => {
    const p = plan('zoho');
    const markdown = renderDestination(p, 'markdown');
    assert.match(markdown, /^- \[ \] ana@new\.example\.org: alias ana@old-brand\.example\.net, to receive mail at this address too\. Admin Console > Users > ana@new\.example\.org > Mail Settings > Email Alias > Add > ana@old-brand\.example\.net\.$/m);
    assert.ok(markdown.indexOf('## Aliases') < markdown.indexOf('## Mailbox '));
    const csv = renderDestination(p, 'csv');
    const rows = csv.split('\r\n').filter((r) => r.includes(',ALIAS,'));
    assert.equal(rows.length, 3);
    assert.match(rows[0]!, /^,ana@new\.example\.org,ana\.silva@new\.example\.org,ALIAS,/);
    assert.match(p.notCarried.find((n) => n.alias === 'team@old.example.com')!.reason, /user's setting/);
    assert.match(p.notCarried.find((n) => n.alias === 'boardroom@old.example.com')!.reason, /must first exist as a user mailbox/);
    // Every line ticked: the delegations arrive, and the alias rows are no extra delegations.
    const ticked = csv.replace(/\r\n,/g, '\r\nyes,');
    const result = verifyMigration('zoho', org, mappingFor(org), base, [{ file: 'zoho.csv', text: ticked }]);
    assert.equal(result.counts.arrived, p.delegations.length);
    assert.equal(result.counts.extra, 0);
  });
});

describe('aliases: hostile values cannot break out', () => {
  const hostile = ["x'; Remove-Mailbox -Identity ana@new.example.org #@old.example.com", 'a$(reboot)@old.example.com', 'b`whoami`@old.example.com', 'c\nrm -rf /@old.example.com', '=HYPERLINK("x")@old.example.com', 'd;e@old.example.com', '-rf@old.example.com'];
  const snapshot = aliasOrg((e) => (e.id === 'u-bob' ? { ...e, aliases: hostile } : e));

  for (const target of ['exchange', 'google', 'grommunio', 'zoho'] as const) {
    it(`${target}: every hostile alias is refused and listed; no command names one`, () => {
      const p = planDestination(target, snapshot, mappingFor(snapshot), base);
      const bobs = p.notCarried.filter((n) => n.right === ALIAS && n.mailboxId === 'u-bob');
      // '-rf@…' passes SAFE_EMAIL: Exchange quotes it and Zoho writes it in a cell; GAM and grommunio-admin would read it as an option.
      const carried = p.aliases.filter((a) => a.entity.id === 'u-bob').map((a) => a.aliasAddress);
      assert.deepEqual(carried, target === 'exchange' || target === 'zoho' ? ['-rf@old.example.com'] : []);
      assert.equal(bobs.length, hostile.length - carried.length);
      const output = target === 'zoho' ? renderDestination(p, 'csv') + renderDestination(p, 'markdown') : renderDestination(p);
      for (const line of output.split(/\r?\n/)) {
        if (line.startsWith('#') || line.startsWith('- ') || line.startsWith('  - ') || line === '') continue;
        assert.ok(!/reboot|whoami|Remove-Mailbox|HYPERLINK|rm -rf/.test(line), `a hostile alias reached a command or cell: ${line}`);
      }
      if (target === 'grommunio' || target === 'google') {
        for (const line of output.split('\n').filter((l) => l.startsWith('run ') || l.startsWith('gam '))) assert.ok(shellWords(line).every((w) => !w.startsWith('-rf')), line);
      }
      // A spreadsheet would read a cell starting with "-" as a formula: guarded with a quote.
      if (target === 'zoho') assert.match(renderDestination(p, 'csv'), /^,bob@new\.example\.org,'-rf@old\.example\.com,ALIAS,/m);
    });
  }
});
