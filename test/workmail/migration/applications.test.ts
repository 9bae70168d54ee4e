// Applications (impersonation roles) and access control rules in every destination's output: whom
// each role reaches (the routes' own reading), what each destination recreates and how, every line
// traced to its role, rule and user, the Exchange block refusing to run with its placeholder, access
// rules only ever reported, and hostile names and descriptions unable to leave a comment or string.
import assert from 'node:assert/strict';
import { planDestination, renderDestination, type DestinationOptions, type DestinationPlan, type DestinationTarget } from '../../../src/workmail/migration/destinations';
import { EXCHANGE_APPLICATION_ROLE, GMAIL_SCOPE, exchangeScopeFilter } from '../../../src/workmail/migration/destinations/applicationSections';
import { verifyMigration } from '../../../src/workmail/migration/verify';
import type { Snapshot } from '../../../src/workmail/migration/schema';
import { ACCESS_RULES, ROLES, applicationsOrg } from './applicationsOrg';
import { domainMapping, interpretExchange, interpretGoogle, interpretGrommunio, shellWords, testMapping, user, snapshotOf } from './support';

const base: DestinationOptions = { generatedAt: new Date('2026-03-02T14:02:00Z'), mappingSource: 'map.csv' };
const org = applicationsOrg();
const mapping = domainMapping(org, 'new.example.org');
const plan = (target: DestinationTarget, snapshot: Snapshot = org): DestinationPlan => planDestination(target, snapshot, mapping, base);
const reachedIds = (p: DestinationPlan, roleId: string): string[] => p.applications.roles.find((r) => r.role.id === roleId)!.reached.map((t) => t.user.id).sort();
const leftOutIds = (p: DestinationPlan, roleId: string): string[] => p.applications.roles.find((r) => r.role.id === roleId)!.leftOut.map((t) => t.user.id).sort();

/** The lines of a script from one heading to the next (a role's block), or to the next top section (the whole applications part). */
function section(script: string, heading: string): string[] {
  const lines = script.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`# ---- ${heading}`));
  assert.ok(start >= 0, `no section ${heading}`);
  const next = heading.startsWith('Application: ') ? /^# ---- / : /^# ---- (Read-back|Not migrated|Access control|Applications \()/;
  const end = lines.findIndex((line, i) => i > start && next.test(line));
  return lines.slice(start, end < 0 ? undefined : end);
}

describe('applications: whom each role reaches (every destination plans the same)', () => {
  for (const target of ['exchange', 'google', 'grommunio', 'zoho'] as const) {
    it(`${target}: the archiver all but the executive, the CRM role its department (by ID, name and address), e-discovery all but its NotTargetUsers`, () => {
      const p = plan(target);
      const enabled = ['u-ceo', 'u-hal', 'u-lea', 'u-noah', 'u-sam', 'u-sid', 'u-sue'];
      assert.deepEqual(reachedIds(p, 'role-archiver'), enabled.filter((id) => id !== 'u-ceo'));
      assert.deepEqual(leftOutIds(p, 'role-archiver'), ['u-ceo'], 'the disabled user is neither reached nor left out: WorkMail impersonates no disabled user');
      assert.deepEqual(p.applications.roles.find((r) => r.role.id === 'role-archiver')!.leftOut[0]!.rules.map((r) => r.id), ['not-the-ceo']);
      assert.deepEqual(reachedIds(p, 'role-crm'), ['u-sam', 'u-sid', 'u-sue']);
      assert.deepEqual(reachedIds(p, 'role-ediscovery'), enabled.filter((id) => id !== 'u-lea' && id !== 'u-hal'));
      assert.deepEqual(p.applications.roles.find((r) => r.role.id === 'role-ediscovery')!.unknownTargets, ['u-gone']);
      assert.deepEqual(p.applications.accessRules.map((r) => `${r.position} ${r.rule.name}`), ['1 default-rule', '2 imap-office-only', '3 no-webmail-noah']);
      assert.deepEqual(p.applications.accessRules[2]!.users.map((u) => u.address), ['noah@new.example.org']);
    });
  }

  it('a version 1 snapshot says the roles and rules were not recorded, in every header', () => {
    const { routes: _routes, ...rest } = org;
    void _routes;
    for (const target of ['exchange', 'google', 'grommunio', 'zoho'] as const) {
      const text = renderDestination(planDestination(target, { ...rest, version: 1 }, mapping, base));
      assert.match(text, /WARNING: the impersonation roles are unknown \(not recorded \(snapshot version 1\)\)/, target);
    }
  });
});

describe('applications: Exchange Online (RBAC for Applications)', () => {
  const script = renderDestination(plan('exchange'));
  const apps = section(script, 'Applications (WorkMail impersonation roles)');

  it('names the EWS shutdown dates and the move to Microsoft Graph', () => {
    const text = apps.join('\n');
    assert.match(text, /removed ApplicationImpersonation in 2025/);
    assert.match(text, /2026-10-01/);
    assert.match(text, /2027-04-01/);
    assert.match(text, /must move to\n# Microsoft Graph/);
  });

  it('each role: a service principal, a scope of exactly its mailboxes and an assignment of the role its type needs', () => {
    const archiver = section(script, 'Application: Mail archiver');
    assert.ok(archiver.includes(`    if (-not (Get-ManagementScope -Identity 'WorkMail-app-role-archiver' -ErrorAction SilentlyContinue)) { New-ManagementScope -Name 'WorkMail-app-role-archiver' -RecipientRestrictionFilter 'RecipientTypeDetails -eq ''UserMailbox'' -and PrimarySmtpAddress -ne ''ceo@new.example.org''' -ErrorAction Stop -WhatIf:$WhatIf }`));
    assert.ok(archiver.some((l) => l.includes(`-Role '${EXCHANGE_APPLICATION_ROLE.READ_ONLY}' -CustomResourceScope 'WorkMail-app-role-archiver'`)));
    const crm = section(script, 'Application: CRM sync');
    assert.ok(crm.includes(`    if (-not (Get-ManagementScope -Identity 'WorkMail-app-role-crm' -ErrorAction SilentlyContinue)) { New-ManagementScope -Name 'WorkMail-app-role-crm' -RecipientRestrictionFilter 'PrimarySmtpAddress -eq ''sam@new.example.org'' -or PrimarySmtpAddress -eq ''sid@new.example.org'' -or PrimarySmtpAddress -eq ''sue@new.example.org''' -ErrorAction Stop -WhatIf:$WhatIf }`));
    assert.ok(crm.some((l) => /^ {4}if \(-not \(Get-ManagementRoleAssignment -Identity '[^']+' -ErrorAction SilentlyContinue\)\) \{ New-ManagementRoleAssignment .* -App \$WorkMailApp\.ObjectId -Role 'Application Mail\.ReadWrite' -CustomResourceScope 'WorkMail-app-role-crm' -ErrorAction Stop -WhatIf:\$WhatIf \}$/.test(l)));
    assert.ok(crm.some((l) => /^ {4}# if .*New-ManagementRoleAssignment .*'Application Mail\.Send'/.test(l)), 'sending is offered, not given');
    const ediscovery = section(script, 'Application: E-discovery search');
    assert.ok(ediscovery.some((l) => l.includes("PrimarySmtpAddress -ne ''hal@new.example.org'' -and PrimarySmtpAddress -ne ''lea@new.example.org''")));
    for (const block of [archiver, crm, ediscovery]) {
      assert.equal(block.filter((l) => /^ {4}if \(-not \(Get-ServicePrincipal -Identity \$WorkMailApp\.ObjectId -ErrorAction SilentlyContinue\)\) \{ New-ServicePrincipal -AppId \$WorkMailApp\.AppId -ObjectId \$WorkMailApp\.ObjectId -DisplayName '/.test(l)).length, 1);
    }
  });

  it('a role that reaches every user is scoped to every user mailbox (never rooms or shared mailboxes), and says so', () => {
    const open = snapshotOf([user('u-a', 'a@old.example.com'), user('u-b', 'b@old.example.com')], [], {
      routes: { resources: [], impersonationRoles: [{ id: 'role-all', name: 'All', type: 'READ_ONLY', rules: [{ id: 'r', effect: 'ALLOW' }] }], accessRules: [] },
    });
    const p = planDestination('exchange', open, domainMapping(open, 'new.example.org'), base);
    assert.equal(exchangeScopeFilter(p.applications.roles[0]!), "RecipientTypeDetails -eq 'UserMailbox'");
    const block = section(renderDestination(p), 'Application: All');
    assert.ok(block.some((l) => l.includes("New-ManagementScope") && l.includes("-RecipientRestrictionFilter 'RecipientTypeDetails -eq ''UserMailbox'''")), block.join('\n'));
    assert.ok(block.some((l) => /New-ManagementRoleAssignment .*-Role 'Application Mail\.Read' -CustomResourceScope /.test(l)));
    assert.ok(block.some((l) => /reaches every user, users created later too: so does the filter \(every user mailbox\)/.test(l)));
  });

  it('an open role whose left-out user has no destination address warns that the scope reaches them, never that WorkMail reached everyone', () => {
    const open = snapshotOf([user('u-a', 'a@old.example.com'), user('u-ceo', 'ceo@old.example.com')], [], {
      routes: { resources: [], impersonationRoles: [{ id: 'role-all', name: 'All', type: 'READ_ONLY', rules: [{ id: 'r', effect: 'ALLOW' }, { id: 'd', effect: 'DENY', targetUsers: ['u-ceo'] }] }], accessRules: [] },
    });
    const block = section(renderDestination(planDestination('exchange', open, testMapping({ 'u-a': 'a@new.example.org' }), base)), 'Application: All');
    assert.ok(block.some((l) => /WARNING: WorkMail kept the role from the users marked CANNOT LEAVE OUT/.test(l)), block.join('\n'));
    assert.ok(!block.some((l) => /reaches every user, users created later too/.test(l)));
  });

  it('refuses to run a block with its placeholder unchanged: every New- cmdlet is in the else of the placeholder check, under -WhatIf:$WhatIf', () => {
    let state: 'outside' | 'refusing' | 'running' = 'outside';
    let commands = 0;
    for (const line of apps) {
      if (/^\$WorkMailApp = @\{ AppId = 'FILL-IN-APPLICATION-ID'; ObjectId = 'FILL-IN-OBJECT-ID' \}$/.test(line)) continue;
      if (line === "if ($WorkMailApp.AppId -like 'FILL-IN*' -or $WorkMailApp.ObjectId -like 'FILL-IN*') {") state = 'refusing';
      else if (line === '} else {') state = 'running';
      else if (line === '}') state = 'outside';
      else if (/^\s*(if \(-not \(Get-[A-Za-z]+ .* -ErrorAction SilentlyContinue\)\) \{ )?New-/.test(line)) {
        assert.equal(state, 'running', `outside the checked block: ${line}`);
        // Made only when it does not exist yet (a second run, another wave's script), under -WhatIf.
        assert.match(line, /^\s*if \(-not \(Get-[A-Za-z]+ .* -ErrorAction SilentlyContinue\)\) \{ New-[A-Za-z]+ .* -WhatIf:\$WhatIf \}$/);
        commands++;
      } else if (state === 'refusing') assert.match(line, /^ {2}Write-Warning \(/, 'the placeholder branch only warns');
      else if (state === 'outside') assert.ok(line === '' || line.startsWith('#'), `an unchecked line: ${line}`);
    }
    assert.equal(commands, 3 * 3, 'each of the three roles: principal, scope, assignment (CRM\'s extra roles commented)');
  });

  it('every line is traced: each role, each user it reaches or leaves out, by the rule that decides', () => {
    for (const role of ROLES) assert.ok(apps.some((l) => l.startsWith(`# from WorkMail: impersonationRole=${role.id} type=${role.type} name=${role.name}`)), role.id);
    assert.ok(apps.includes('# from WorkMail: impersonationRole=role-archiver leaves out user=u-ceo (ceo@old.example.com (u-ceo)) as ceo@new.example.org by rule not-the-ceo "Not the chief executive" DENY'));
    assert.ok(apps.includes('# from WorkMail: impersonationRole=role-crm reaches user=u-sue (sue@old.example.com (u-sue)) as sue@new.example.org by rule sales-team "Sales department" ALLOW'));
    // Every address a scope filter names has its trace line in the same block.
    for (const role of ROLES) {
      const block = section(script, `Application: ${role.name}`);
      const filter = block.find((l) => l.includes('New-ManagementScope'))!;
      for (const address of filter.match(/[a-z]+@new\.example\.org/g)!) {
        assert.ok(block.some((l) => l.startsWith(`# from WorkMail: impersonationRole=${role.id} `) && l.includes(` as ${address} `)), `${role.id} ${address}`);
      }
    }
    assert.ok(apps.includes('# NOTE: a rule names "u-gone", which is no user of the snapshot (deleted, or never there); left out.'));
  });

  it('the delegations and the read-back are unchanged by the applications (the interpreter reads the same grants)', () => {
    assert.deepEqual(interpretExchange(script), [{ owner: 'sam@new.example.org', grantee: 'sue@new.example.org', right: 'FullAccess' }]);
    assert.ok(script.indexOf('# ---- Read-back') < script.indexOf('# ---- Applications'), 'the applications come after the read-back');
  });

  it('access rules: a report of Conditional Access and Set-CASMailbox per user a rule names, never a command', () => {
    const report = section(script, 'Access control rules');
    for (const line of report) assert.ok(line === '' || line.startsWith('#'), `only comments: ${line}`);
    assert.ok(report.includes("#   to set up: Set-CASMailbox -Identity 'noah@new.example.org' -OWAEnabled $false (by hand, for noah@old.example.com (u-noah))"));
    assert.ok(report.some((l) => /accessRule #2 name=imap-office-only effect=DENY actions=IMAP notIpRanges=198\.51\.100\.0\/24/.test(l)));
    assert.ok(report.some((l) => /Conditional Access .*198\.51\.100\.0\/24/.test(l)));
    assert.ok(report.some((l) => /accessRule #1 name=default-rule/.test(l)) && report.some((l) => /Nothing to set up/.test(l)));
    assert.ok(!script.split('\n').some((l) => /^\s*Set-CASMailbox/.test(l)));
  });
});

describe('applications: Google Workspace, grommunio and Zoho Mail', () => {
  it('Google: domain-wide delegation console steps with the Gmail scope of each type, and where it reaches wider than WorkMail', () => {
    const script = renderDestination(plan('google'));
    const archiver = section(script, 'Application: Mail archiver');
    assert.ok(archiver.some((l) => l.includes('Manage Domain Wide Delegation') && l.includes(GMAIL_SCOPE.READ_ONLY)));
    assert.ok(section(script, 'Application: CRM sync').some((l) => l.includes(GMAIL_SCOPE.FULL_ACCESS)));
    assert.ok(archiver.includes('# WIDER HERE: WorkMail kept this role away from 1 user; domain-wide delegation reaches them too:'));
    assert.ok(section(script, 'Application: CRM sync').some((l) => /WIDER HERE: WorkMail kept this role away from 4 users/.test(l)));
    assert.match(script, /It has no per-user scope: a role that WorkMail limited to some users reaches every user here\./);
    for (const line of section(script, 'Applications (WorkMail')) assert.ok(line === '' || line.startsWith('#'), line);
    assert.equal(interpretGoogle(script).length, plan('google').delegations.length, 'no GAM command is added for an application');
    assert.ok(section(script, 'Access control rules').some((l) => /Context-aware access/.test(l)));
  });

  it('grommunio: no equivalent found, a grant per mailbox reached listed (not run), each traced', () => {
    const script = renderDestination(plan('grommunio'));
    const apps = section(script, 'Applications (WorkMail');
    assert.match(apps.join('\n'), /No grommunio equivalent of an impersonation role was found/);
    for (const line of apps) assert.ok(line === '' || line.startsWith('#'), line);
    const crm = section(script, 'Application: CRM sync');
    assert.deepEqual(crm.filter((l) => l.includes('folder grant')), ['sam', 'sid', 'sue'].map((n) => `#   grommunio-admin exmdb '${n}@new.example.org' folder grant 0x9 APP storeowner`));
    assert.equal(section(script, 'Application: Mail archiver').filter((l) => l.includes('readany foldervisible')).length, 6);
    assert.deepEqual(interpretGrommunio(script), [{ owner: 'sam@new.example.org', grantee: 'sue@new.example.org', right: 'storeAccess' }]);
  });

  it('Zoho: no equivalent found, a checklist line per mailbox reached and a CSV row each, access rules as rows; verify ignores them ticked', () => {
    const p = plan('zoho');
    const markdown = renderDestination(p);
    assert.match(markdown, /## Applications \(WorkMail impersonation roles\)\n\n- No Zoho Mail equivalent of an impersonation role was found/);
    assert.match(markdown, /^- \[ \] sid@new\.example\.org: Admin Console > Users > sid@new\.example\.org > Mail settings > Delegated to > \+ Add > the application's own Zoho account; choose the permission that lets it read and change everything/m);
    assert.match(markdown, /## Access control rules \(set up by hand\)/);
    const rows = renderDestination(p, 'csv').trimEnd().split('\r\n');
    const reached = p.applications.roles.reduce((sum, r) => sum + r.reached.length, 0);
    assert.equal(rows.filter((r) => r.includes(',IMPERSONATION_ROLE,')).length, reached);
    assert.equal(rows.filter((r) => r.includes(',ACCESS_RULE,')).length, ACCESS_RULES.length);
    // Tick every line: the delegation arrives, and the applications' and rules' lines are no extra delegations.
    const ticked = rows.map((row, i) => (i === 0 ? row : `yes${row}`)).join('\r\n');
    const result = verifyMigration('zoho', org, mapping, base, [{ file: 'zoho.csv', text: `${ticked}\r\n` }]);
    assert.equal(result.counts.arrived, 1);
    assert.equal(result.counts.extra, 0);
  });
});

describe('applications: hostile names cannot break out of any script or cell', () => {
  const hostile = `Ro'le "$(Remove-Item C:\\ -Recurse)"; \`whoami\`\n=HYPERLINK("http://x")\r\n# ; rm -rf /\u2028'; Write-Host pwned; '`;
  const evil = snapshotOf([user('u-ana', 'ana@old.example.com', { displayName: hostile }), user('u-bob', 'bob@old.example.com')], [], {
    routes: {
      resources: [],
      impersonationRoles: [
        {
          id: `role-$(x)'\n`,
          name: hostile,
          type: 'FULL_ACCESS',
          description: hostile,
          rules: [
            { id: `r-$(x)';`, name: hostile, description: hostile, effect: 'ALLOW', targetUsers: ['u-ana', `$(evil)'\n`] },
            { id: 'r2', name: hostile, effect: 'DENY', notTargetUsers: ['u-ana'] },
          ],
        },
        { id: 'role-2', name: `=cmd|' /C calc'!A0`, type: 'READ_ONLY', rules: [{ id: 'x', name: hostile, effect: 'ALLOW', notTargetUsers: ['u-bob'] }] },
      ],
      accessRules: [{ name: hostile, effect: 'DENY', description: hostile, actions: ['WebMail'], userIds: ['u-ana', `u-$(y)'`] }],
    },
  });
  const m = testMapping({ 'u-ana': 'ana@new.example.org', 'u-bob': 'bob@new.example.org' });
  const MARKERS = /\$\(Remove-Item|`whoami`|rm -rf|Write-Host pwned|HYPERLINK|\$\(evil\)|\$\(x\)|\$\(y\)/;

  /** The line with every single-quoted PowerShell string taken out (quotes doubled inside, typographic ones too). */
  const unquoted = (line: string): string => line.replace(/'(?:[^'\u2018\u2019\u201A\u201B]|['\u2018\u2019\u201A\u201B]{2})*'/g, "''");

  it('the hostile text is in the outputs (so the checks below see it)', () => {
    const script = renderDestination(planDestination('exchange', evil, m, base));
    assert.ok(script.includes("-Name 'WorkMail-app-role-x'"), 'the hostile role ID is reduced to its safe characters');
    assert.ok(script.includes('$(Remove-Item'));
    assert.ok(script.includes('$(evil)'));
  });

  it('PowerShell: hostile text only in comments or inside single-quoted strings, which read back as the name on one line', () => {
    const script = renderDestination(planDestination('exchange', evil, m, base));
    for (const line of script.split('\n')) {
      assert.ok(!/[\r\u2028\u2029]/.test(line), 'no line break inside a line');
      if (line.trim().startsWith('#') || line.trim() === '') continue;
      assert.doesNotMatch(unquoted(line), MARKERS, `hostile text outside a string: ${line}`);
    }
    const principal = script.split('\n').find((l) => l.includes('New-ServicePrincipal') && l.includes('Remove-Item'))!;
    const name = /-DisplayName '((?:[^'\u2018\u2019\u201A\u201B]|['\u2018\u2019\u201A\u201B]{2})*)'/.exec(principal)![1]!.replace(/(['\u2018\u2019\u201A\u201B])\1/g, '$1');
    assert.equal(name, hostile.replace(/[\r\n\u2028]/g, ' '));
    for (const line of script.split('\n').filter((l) => /New-Management(Scope|RoleAssignment)/.test(l))) {
      assert.match(line, /-Name 'WorkMail-app-role-[A-Za-z0-9.-]*'/, 'the scope and assignment names are made of the role ID\'s safe characters only');
    }
  });

  it('GAM batch and grommunio shell: hostile text only in comments; every command line still splits into words', () => {
    for (const target of ['google', 'grommunio'] as const) {
      const script = renderDestination(planDestination(target, evil, m, base));
      for (const line of script.split('\n')) {
        assert.ok(!/[\r\u2028\u2029]/.test(line), `${target}: no line break inside a line`);
        if (MARKERS.test(line)) assert.match(line, /^#/, `${target}: hostile text only in comments: ${line}`);
      }
      for (const line of script.split('\n').filter((l) => /^(gam |run )/.test(l))) shellWords(line);
    }
  });

  it('Zoho CSV and markdown: each hostile text one cell, never a formula, never a new line', () => {
    const p = planDestination('zoho', evil, m, base);
    const rows = renderDestination(p, 'csv').trimEnd().split('\r\n');
    assert.equal(rows.length, 1 + p.delegations.length + p.applications.roles.reduce((sum, r) => sum + r.reached.filter((t) => t.address).length, 0) + 1);
    for (const row of rows) {
      assert.doesNotMatch(row, /(^|,)"?[=+@-]/, `no cell starts a formula: ${row}`);
      assert.ok(!/[\n\u2028]/.test(row));
    }
    for (const line of renderDestination(p).split('\n')) assert.doesNotMatch(line, /^=|^# ; rm|^'; Write-Host/);
  });
});
