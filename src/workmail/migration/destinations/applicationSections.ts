// What each destination says of the applications (impersonation roles) and access control rules
// planned in applications.ts, side by side so that the four can be compared. No destination has
// WorkMail's objects (issue 28; shared notes, access-routes section 7):
//   impersonation role -> Exchange Online: RBAC for Applications (New-ServicePrincipal, a management
//                         scope with a recipient filter naming the role's users, New-ManagementRoleAssignment
//                         -App with "Application Mail.Read" (READ_ONLY) or "Application Mail.ReadWrite"
//                         (FULL_ACCESS; that role does not send: the other roles are offered as comments)).
//                         The application's IDs are not known here: a placeholder, and the block refuses
//                         to run while it is unchanged. WorkMail impersonation is EWS, and Exchange Online
//                         removed ApplicationImpersonation in 2025 and blocks EWS in phases from
//                         2026-10-01 to its shutdown on 2027-04-01: the application must move to Graph.
//                      -> Google: domain-wide delegation, console only, with the Gmail scope of the type;
//                         it has no per-user scope, so a role with targets gets wider there (said).
//                      -> grommunio, Zoho: no equivalent found; the per-mailbox alternative, listed.
//   access rule        -> a report only, never a command (a wrong rule locks an organization out):
//                         Exchange Conditional Access and Set-CASMailbox protocol switches per user named;
//                         Google context-aware access and per-OU protocol settings; grommunio and Zoho
//                         no equivalent found.
// Every line is a comment but Exchange's application blocks, whose words are single-quoted
// PowerShell strings of names made safe for one line, and addresses that passed SAFE_EMAIL.
import type { AccessAction } from '../../routes/accessRules';
import { IMPERSONATION_ROLE, ACCESS_RULE, accessRuleTraceText, roleTraceText, roleUserTraceText, type ApplicationsPlan, type PlannedAccessRule, type PlannedRole, type PlannedUser } from './applications';
import { commentText, describeEntity, powerShellString } from './common';
import { markdownLine } from './scriptText';

export const APPLICATIONS_HEADING = 'Applications (WorkMail impersonation roles)';
export const ACCESS_RULES_HEADING = 'Access control rules (set up by hand)';

/** The Exchange Online application role for each WorkMail role type (RBAC for Applications, Microsoft Graph). */
export const EXCHANGE_APPLICATION_ROLE = { READ_ONLY: 'Application Mail.Read', FULL_ACCESS: 'Application Mail.ReadWrite' } as const;
/** What else a FULL_ACCESS application may need at Exchange Online, offered as comments. */
export const EXCHANGE_FULL_ACCESS_EXTRA = ['Application Mail.Send', 'Application Calendars.ReadWrite', 'Application Contacts.ReadWrite'] as const;
/** The Gmail API scopes for domain-wide delegation. */
export const GMAIL_SCOPE = { READ_ONLY: 'https://www.googleapis.com/auth/gmail.readonly', FULL_ACCESS: 'https://mail.google.com/' } as const;
/** The placeholder an Exchange application block refuses to run with. */
export const APP_PLACEHOLDER = 'FILL-IN';

export const EWS_SHUTDOWN_TEXT = [
  'WorkMail impersonation is EWS impersonation. Exchange Online removed ApplicationImpersonation in 2025, blocks EWS in',
  'phases from 2026-10-01 and shuts it down on 2027-04-01: an application built on WorkMail impersonation must move to',
  'Microsoft Graph. RBAC for Applications gives its Microsoft Entra application Graph access to the mailboxes of a scope.',
];

const MEANING = { READ_ONLY: 'read the mailbox', FULL_ACCESS: 'read and change everything in the mailbox' } as const;

function who(target: PlannedUser): string {
  return target.address ?? describeEntity(target.user, target.user.id);
}

/** Lines about a role that every destination says: what it reaches, unknown names, unread rules. */
function roleFacts(planned: PlannedRole): string[] {
  const lines: string[] = [];
  if (planned.rulesUnreadable !== undefined) lines.push(`WARNING: the role's rules could not be read (${planned.rulesUnreadable}): whom it reaches is ${planned.rules.length > 0 ? 'at least what the rules read say' : 'unknown'}; check it in WorkMail before the end of support.`);
  for (const identifier of planned.unknownTargets) lines.push(`NOTE: a rule names "${identifier}", which is no user of the snapshot (deleted, or never there); left out.`);
  if (planned.reached.length === 0) {
    // With rules unread, reaching nobody known is not reaching nobody.
    lines.push(planned.rulesUnreadable !== undefined ? 'No mailbox it reaches is known from the rules read: recreate it by hand once WorkMail shows its rules.' : 'It reaches no mailbox (no rule allows any user): nothing to recreate.');
  }
  return lines.map(commentText);
}

function unmapped(planned: PlannedRole): PlannedUser[] {
  return planned.reached.filter((target) => !target.address);
}

/** A section preceded by an empty line, or nothing when it is empty. */
export function withGap(lines: readonly string[]): string[] {
  return lines.length > 0 ? ['', ...lines] : [];
}

// ---- Exchange Online ----

function safeName(value: string): string {
  return value.replace(/[^A-Za-z0-9-]/g, '').slice(0, 36) || 'role';
}

/** The recipient filter of a role's management scope, or undefined when it reaches every mailbox (no scope). */
export function exchangeScopeFilter(planned: PlannedRole): string | undefined {
  if (planned.open) {
    // WorkMail impersonates users: user mailboxes only, never rooms or shared mailboxes, whoever is left out.
    const out = planned.leftOut.filter((target) => target.address);
    return ["RecipientTypeDetails -eq 'UserMailbox'", ...out.map((target) => `PrimarySmtpAddress -ne '${target.address!}'`)].join(' -and ');
  }
  return planned.reached
    .filter((target) => target.address)
    .map((target) => `PrimarySmtpAddress -eq '${target.address!}'`)
    .join(' -or ');
}

function exchangeRole(planned: PlannedRole): string[] {
  const { role } = planned;
  const lines = [`# ---- Application: ${commentText(role.name)} (${role.type}) ----`, `# ${roleTraceText(planned)}`, ...roleFacts(planned).map((line) => `# ${line}`)];
  const mapped = planned.reached.filter((target) => target.address);
  for (const target of planned.reached) lines.push(`# ${roleUserTraceText(planned, target, true)}`);
  for (const target of unmapped(planned)) lines.push(commentText(`# NOT IN SCOPE: ${who(target)}: ${target.problem}`));
  if (mapped.length === 0) {
    if (planned.reached.length > 0) lines.push('# Nothing to recreate: no user it reaches has a destination address.');
    return lines;
  }
  const filter = exchangeScopeFilter(planned);
  const scope = `WorkMail-app-${safeName(role.id)}`;
  if (planned.open) {
    for (const target of planned.leftOut) lines.push(`# ${roleUserTraceText(planned, target, false)}`);
    for (const target of planned.leftOut.filter((t) => !t.address)) lines.push(commentText(`# CANNOT LEAVE OUT: ${who(target)}: ${target.problem}; if this user has a mailbox at Exchange Online, the scope reaches it: add it to the filter by hand.`));
    const cannotLeaveOut = planned.leftOut.some((t) => !t.address);
    lines.push(
      cannotLeaveOut
        ? '# WARNING: WorkMail kept the role from the users marked CANNOT LEAVE OUT above, and the filter below cannot name them: at Exchange Online the scope reaches them until you add them to the filter by hand.'
        : planned.leftOut.length > 0
          ? '# WorkMail: the role reaches every user but those left out above, users created later too: so does the filter (user mailboxes only).'
          : '# WorkMail: the role reaches every user, users created later too: so does the filter (every user mailbox).',
    );
  }
  // Each step is skipped when what it makes exists already: running the script again, or the
  // script of another wave (each carries every role), makes nothing twice.
  const unlessExists = (get: string, make: string): string => `if (-not (${get} -ErrorAction SilentlyContinue)) { ${make} }`;
  const assignment = (exchangeRoleName: string): string => {
    const name = powerShellString(`${scope}-${exchangeRoleName.replace(/^Application /, '')}`.slice(0, 64));
    return unlessExists(
      `Get-ManagementRoleAssignment -Identity ${name}`,
      `New-ManagementRoleAssignment -Name ${name} -App $WorkMailApp.ObjectId -Role ${powerShellString(exchangeRoleName)}${filter ? ` -CustomResourceScope ${powerShellString(scope)}` : ''} -ErrorAction Stop -WhatIf:$WhatIf`,
    );
  };
  const label = powerShellString(commentText(role.name));
  lines.push(
    `# WorkMail ${role.type}: ${MEANING[role.type]}; Exchange Online role: ${EXCHANGE_APPLICATION_ROLE[role.type]}.`,
    ...(role.type === 'FULL_ACCESS'
      ? [`# ${EXCHANGE_APPLICATION_ROLE.FULL_ACCESS} does not send mail; if the application sends, or uses calendars or contacts, add the same assignment for: ${EXCHANGE_FULL_ACCESS_EXTRA.join(', ')}.`]
      : []),
    `# >>> FILL IN: the application's Application (client) ID and its service principal's Object ID (Microsoft Entra admin center > Enterprise applications). <<<`,
    `$WorkMailApp = @{ AppId = '${APP_PLACEHOLDER}-APPLICATION-ID'; ObjectId = '${APP_PLACEHOLDER}-OBJECT-ID' }`,
    `if ($WorkMailApp.AppId -like '${APP_PLACEHOLDER}*' -or $WorkMailApp.ObjectId -like '${APP_PLACEHOLDER}*') {`,
    `  Write-Warning ('application ' + ${label} + ' not recreated: fill in its AppId and ObjectId in this script first')`,
    '} else {',
    '  # A dry run (-WhatIf) creates no service principal, so the assignment\'s own dry run may not find it.',
    '  try {',
    `    ${unlessExists('Get-ServicePrincipal -Identity $WorkMailApp.ObjectId', `New-ServicePrincipal -AppId $WorkMailApp.AppId -ObjectId $WorkMailApp.ObjectId -DisplayName ${label} -ErrorAction Stop -WhatIf:$WhatIf`)}`,
    ...(filter ? [`    ${unlessExists(`Get-ManagementScope -Identity ${powerShellString(scope)}`, `New-ManagementScope -Name ${powerShellString(scope)} -RecipientRestrictionFilter ${powerShellString(filter)} -ErrorAction Stop -WhatIf:$WhatIf`)}`] : []),
    `    ${assignment(EXCHANGE_APPLICATION_ROLE[role.type])}`,
    ...(role.type === 'FULL_ACCESS' ? EXCHANGE_FULL_ACCESS_EXTRA.map((extra) => `    # ${assignment(extra)}`) : []),
    `  } catch { Write-Warning ('application ' + ${label} + ' not recreated: ' + $_) }`,
    '}',
  );
  return lines;
}

/** The applications block of the Exchange script: commands under a placeholder, each traced. */
export function exchangeApplicationLines(plan: ApplicationsPlan): string[] {
  if (plan.roles.length === 0 && !plan.rolesUnread) return [];
  const lines = [`# ---- ${APPLICATIONS_HEADING} ----`, ...EWS_SHUTDOWN_TEXT.map((line) => `# ${line}`)];
  if (plan.rolesUnread) lines.push(commentText(`# WARNING: the impersonation roles are unknown (${plan.rolesUnread}): recreate the applications by hand.`));
  lines.push(
    '# Microsoft Entra ID permissions add to these: an application consented Mail.Read for the whole tenant in Entra ID reaches every',
    '# mailbox whatever its scope. Each block runs only once its IDs are filled in; test it with Test-ServicePrincipalAuthorization.',
  );
  for (const role of plan.roles) lines.push('', ...exchangeRole(role));
  return lines;
}

const ACTION_SWITCH: Record<AccessAction, string | undefined> = {
  ActiveSync: '-ActiveSyncEnabled $false',
  AutoDiscover: undefined,
  EWS: '-EwsEnabled $false',
  IMAP: '-ImapEnabled $false',
  SMTP: '-SmtpClientAuthenticationDisabled $true',
  WindowsOutlook: '-MAPIEnabled $false',
  WebMail: '-OWAEnabled $false',
};

function ruleUsers(planned: PlannedAccessRule): string[] {
  return [
    ...planned.users.map((u) => `${who(u)}${u.problem ? ` (${u.problem})` : ''}`),
    ...planned.unknownUsers.map((id) => `${id} (no user of the snapshot)`),
  ];
}

/** What to set up at Exchange Online for one rule, in words (never a command the script runs). */
function exchangeRuleAdvice(planned: PlannedAccessRule): string[] {
  const r = planned.rule;
  if (r.default || (r.effect === 'ALLOW' && !r.actions && !r.notActions && !r.ipRanges && !r.notIpRanges && !r.userIds && !r.notUserIds && !r.impersonationRoleIds && !r.notImpersonationRoleIds)) {
    return ['Nothing to set up: it allows everyone everything, as Exchange Online does by default.'];
  }
  const advice: string[] = [];
  if (r.ipRanges || r.notIpRanges) {
    advice.push(`Conditional Access (Microsoft Entra ID): a named location for ${[...(r.ipRanges ?? []), ...(r.notIpRanges ?? []).map((range) => `not ${range}`)].join(', ')} and a policy that ${r.effect === 'DENY' ? 'blocks' : 'allows'} access from ${r.ipRanges ? 'it' : 'outside it'}${r.userIds ? ' for the users below' : ''}.`);
  }
  const actions = (r.actions ?? []) as readonly AccessAction[];
  if (r.effect === 'DENY' && actions.length > 0 && !r.ipRanges && !r.notIpRanges) {
    const switches = actions.map((action) => ACTION_SWITCH[action]).filter((s): s is string => s !== undefined);
    const noSwitch = actions.filter((action) => ACTION_SWITCH[action] === undefined);
    const users = planned.users.filter((u) => u.address);
    const aboutApplications = r.impersonationRoleIds !== undefined || r.notImpersonationRoleIds !== undefined;
    if (switches.length > 0) {
      if (users.length > 0) for (const u of users) advice.push(`Set-CASMailbox -Identity ${powerShellString(u.address!)} ${switches.join(' ')} (by hand, for ${describeEntity(u.user, u.user.id)})`);
      // A rule about applications only denies them: a mailbox switch would cut every person off too.
      else if (!r.userIds && !aboutApplications) advice.push(`The protocol switches ${switches.join(' ')} for every mailbox${r.notUserIds ? ' but those of the users left out' : ''} (Set-CASMailbox, by hand; CAS mailbox plans for new mailboxes).`);
    }
    if (noSwitch.length > 0) advice.push(`${noSwitch.join(', ')}: no per-mailbox switch found at Exchange Online.`);
  } else if (actions.length > 0 || r.notActions) {
    advice.push(`Per protocol (${[...actions, ...(r.notActions ?? []).map((a) => `not ${a}`)].join(', ')}): Set-CASMailbox switches per mailbox, or Conditional Access client app conditions; no one-to-one object.`);
  } else if (r.effect === 'DENY' && !r.ipRanges && !r.notIpRanges && (r.userIds || r.notUserIds)) {
    // Every protocol denied to these users: they cannot use their mailboxes at all.
    advice.push(`These users may not use any protocol: block their sign-in (Microsoft Entra ID: the user's "Block sign in", or a Conditional Access policy that blocks them)${r.notUserIds ? ', for every user but those left out' : ''}.`);
  }
  if (r.impersonationRoleIds || r.notImpersonationRoleIds) advice.push(`It is about applications (${[...planned.roles, ...planned.notRoles.map((n) => `not ${n}`)].join(', ')}): at Exchange Online an application reaches what its role assignment scope gives (see "${APPLICATIONS_HEADING}").`);
  if (r.effect === 'ALLOW' && advice.length === 0) advice.push('An ALLOW rule with conditions: Exchange Online allows by default; decide by hand whether its conditions need a Conditional Access policy.');
  return advice;
}

function googleRuleAdvice(planned: PlannedAccessRule): string[] {
  const r = planned.rule;
  if (r.default) return ['Nothing to set up: it allows everyone everything.'];
  const advice: string[] = [];
  if (r.ipRanges || r.notIpRanges) advice.push(`Context-aware access (Admin console > Security > Access and data control > Context-aware access): an access level for ${[...(r.ipRanges ?? []), ...(r.notIpRanges ?? []).map((range) => `not ${range}`)].join(', ')}, assigned to Gmail.`);
  const protocols = [...(r.actions ?? []), ...(r.notActions ?? []).map((a) => `not ${a}`)];
  if (protocols.includes('IMAP') || protocols.includes('not IMAP')) advice.push(`IMAP: Gmail's IMAP setting is per organizational unit (Apps > Google Workspace > Gmail > End User Access); put the users in an organizational unit with IMAP ${(r.effect === 'DENY') === protocols.includes('IMAP') ? 'off' : 'on'}.`);
  const others = protocols.filter((p) => p !== 'IMAP' && p !== 'not IMAP');
  if (others.length > 0) advice.push(`${others.join(', ')}: no Google Workspace per-user or per-protocol switch found.`);
  if (r.impersonationRoleIds || r.notImpersonationRoleIds) advice.push('It is about applications: domain-wide delegation has no per-user or per-address condition; no equivalent found.');
  if (advice.length === 0) advice.push('No equivalent found; decide by hand.');
  return advice;
}

function ruleBlock(planned: PlannedAccessRule, advice: readonly string[]): string[] {
  const users = ruleUsers(planned);
  return [
    accessRuleTraceText(planned),
    ...(users.length > 0 ? [commentText(`  users named: ${users.join(', ')}`)] : []),
    ...(planned.notUsers.length > 0 ? [commentText(`  users left out: ${planned.notUsers.map(who).join(', ')}`)] : []),
    ...advice.map((line) => commentText(`  to set up: ${line}`)),
  ];
}

function accessRuleReport(plan: ApplicationsPlan, advice: (rule: PlannedAccessRule) => string[]): string[] {
  if (plan.accessRules.length === 0 && !plan.accessRulesUnread) return [];
  const lines = [
    `---- ${ACCESS_RULES_HEADING} ----`,
    'WorkMail access control rules have no one-to-one object at the destination: this is a report of what to set up by hand, in',
    'WorkMail\'s order (it evaluates them in this order). Nothing here is run.',
  ];
  if (plan.accessRulesUnread) lines.push(commentText(`WARNING: the rules could not all be read (${plan.accessRulesUnread}): check them in WorkMail.`));
  for (const rule of plan.accessRules) lines.push(...ruleBlock(rule, advice(rule)));
  return lines;
}

/** The access-rules report of a script, as `#` comments. */
export function accessRuleComment(plan: ApplicationsPlan, target: 'exchange' | 'google' | 'grommunio'): string[] {
  const advice = target === 'exchange' ? exchangeRuleAdvice : target === 'google' ? googleRuleAdvice : (): string[] => ['No grommunio equivalent found (not researched); set it up by hand if grommunio has one.'];
  return accessRuleReport(plan, advice).map((line) => commentText(`# ${line}`));
}

// ---- Google Workspace ----

/** The applications section of the GAM batch: console steps only, as comments. */
export function googleApplicationComment(plan: ApplicationsPlan): string[] {
  if (plan.roles.length === 0 && !plan.rolesUnread) return [];
  const lines = [
    `---- ${APPLICATIONS_HEADING} ----`,
    'Google Workspace has domain-wide delegation (console only): a service account that may act as any user of the organization,',
    'for the scopes given. It has no per-user scope: a role that WorkMail limited to some users reaches every user here.',
  ];
  if (plan.rolesUnread) lines.push(`WARNING: the impersonation roles are unknown (${plan.rolesUnread}): recreate the applications by hand.`);
  for (const planned of plan.roles) {
    const { role } = planned;
    lines.push('', `---- Application: ${role.name} (${role.type}) ----`, roleTraceText(planned), ...roleFacts(planned));
    for (const target of planned.reached) lines.push(roleUserTraceText(planned, target, true));
    if (planned.reached.length === 0) continue;
    if (planned.leftOut.length > 0) {
      lines.push(`WIDER HERE: WorkMail kept this role away from ${planned.leftOut.length} user${planned.leftOut.length === 1 ? '' : 's'}; domain-wide delegation reaches them too:`);
      for (const target of planned.leftOut) lines.push(roleUserTraceText(planned, target, false));
      lines.push('Decide whether that is acceptable; if not, the application itself must refuse those users.');
    }
    lines.push(
      `CONSOLE STEP: Admin console > Security > Access and data control > API controls > Manage Domain Wide Delegation > Add new: the application's service account client ID, OAuth scope ${GMAIL_SCOPE[role.type]} (WorkMail ${role.type}: ${MEANING[role.type]}).`,
      'The application must be rewritten for the Gmail API: WorkMail impersonation is EWS, which Google does not offer.',
    );
  }
  return lines.map((line) => (line === '' ? '' : commentText(`# ${line}`)));
}

// ---- grommunio and Zoho: no equivalent, the per-mailbox alternative ----

function perMailboxLines(planned: PlannedRole, step: (target: PlannedUser) => string): string[] {
  const lines = [roleTraceText(planned), ...roleFacts(planned)];
  for (const target of planned.reached) {
    lines.push(roleUserTraceText(planned, target, true));
    lines.push(target.address ? step(target) : `NOT LISTED: ${who(target)}: ${target.problem}`);
  }
  return lines;
}

/** The applications section of the grommunio script, as comments (nothing runs: the account is not known). */
export function grommunioApplicationComment(plan: ApplicationsPlan): string[] {
  if (plan.roles.length === 0 && !plan.rolesUnread) return [];
  const lines = [
    `---- ${APPLICATIONS_HEADING} ----`,
    'No grommunio equivalent of an impersonation role was found. The per-mailbox alternative: give the application its own',
    'grommunio user (APP below) and a grant on each mailbox the role reaches. Listed, not run: replace APP and run each by hand.',
  ];
  if (plan.rolesUnread) lines.push(`WARNING: the impersonation roles are unknown (${plan.rolesUnread}): recreate the applications by hand.`);
  for (const planned of plan.roles) {
    lines.push('', `---- Application: ${planned.role.name} (${planned.role.type}) ----`);
    lines.push(
      ...perMailboxLines(planned, (target) =>
        planned.role.type === 'FULL_ACCESS'
          ? `  grommunio-admin exmdb '${target.address!}' folder grant 0x9 APP storeowner`
          : `  grommunio-admin exmdb '${target.address!}' folder grant FOLDER APP readany foldervisible   (read-only: once for each FOLDER the application reads)`,
      ),
    );
  }
  return lines.map((line) => (line === '' ? '' : commentText(`# ${line}`)));
}

function zohoStep(planned: PlannedRole, target: PlannedUser): string {
  return `Admin Console > Users > ${target.address!} > Mail settings > Delegated to > + Add > the application's own Zoho account; choose the permission that lets it ${MEANING[planned.role.type]}`;
}

/** Markdown text on one line: backslash-escape what could start markup. */
const md = markdownLine;

/** The applications and access-rules sections of Zoho's markdown checklist. */
export function zohoApplicationMarkdown(plan: ApplicationsPlan): string[] {
  const lines: string[] = [];
  if (plan.roles.length > 0 || plan.rolesUnread) {
    lines.push(`## ${APPLICATIONS_HEADING}`, '', '- No Zoho Mail equivalent of an impersonation role was found. The per-mailbox alternative: give the application its own Zoho account and delegate each mailbox the role reaches to it (one line each below).');
    if (plan.rolesUnread) lines.push(`- WARNING: ${md(`the impersonation roles are unknown (${plan.rolesUnread}): recreate the applications by hand.`)}`);
    for (const planned of plan.roles) {
      lines.push('', `### ${md(`${planned.role.name} (${planned.role.type})`)}`, '', `- ${md(roleTraceText(planned))}`, ...roleFacts(planned).map((line) => `- ${md(line)}`));
      for (const target of planned.reached) {
        lines.push(target.address ? `- [ ] ${md(target.address)}: ${md(zohoStep(planned, target))}.` : `- NOT LISTED: ${md(`${who(target)}: ${target.problem}`)}`);
        lines.push(`  - ${md(roleUserTraceText(planned, target, true))}`);
      }
    }
    lines.push('');
  }
  const report = accessRuleReport(plan, () => ['No Zoho Mail equivalent found (not researched); set it up in the Admin Console by hand if it has one.']);
  if (report.length > 0) {
    lines.push(`## ${ACCESS_RULES_HEADING}`, '', ...report.slice(1).map((line) => `- ${md(line.trim())}`), '');
  }
  return lines;
}

/** Zoho's CSV rows for the applications (one a mailbox reached) and the access rules (one a rule), cells made one line. */
export function zohoApplicationRows(plan: ApplicationsPlan): string[][] {
  const rows: string[][] = [];
  if (plan.rolesUnread) {
    rows.push(['', '', '', IMPERSONATION_ROLE, '', `The impersonation roles are unknown (${plan.rolesUnread}): recreate the applications by hand`, '', '', '']);
  }
  for (const planned of plan.roles) {
    const mapped = planned.reached.filter((t) => t.address);
    for (const target of mapped) {
      rows.push(['', target.address!, "(the application's own account)", IMPERSONATION_ROLE, MEANING[planned.role.type], zohoStep(planned, target), commentText(`${planned.role.name}: ${roleUserTraceText(planned, target, true)}`), target.user.id, planned.role.id]);
    }
    // A role with no row above is still a line of the checklist, with why: never left out.
    if (mapped.length === 0) {
      rows.push(['', '', "(the application's own account)", IMPERSONATION_ROLE, MEANING[planned.role.type], roleFacts(planned).join(' ') || 'No user it reaches has a destination address: nothing to delegate', commentText(`${planned.role.name}: ${roleTraceText(planned)}`), '', planned.role.id]);
    }
  }
  for (const planned of plan.accessRules) {
    rows.push(['', '', '', ACCESS_RULE, commentText(`${planned.rule.effect}: ${planned.rule.description ?? planned.rule.name}`), 'No Zoho Mail equivalent found (not researched); set it up by hand if it has one', accessRuleTraceText(planned), '', '']);
  }
  return rows.map((row) => row.map(commentText));
}
