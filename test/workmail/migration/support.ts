// Helpers for the destination and verification tests: snapshots made directly (or from a scan of
// the emulator), a small address mapping, and an interpreter that reads the generated scripts back
// into (owner, grantee, right) the way each destination would carry them out; and a small
// hand-written snapshot whose every field is visible here, for the load checks.
import type { OrganizationScan } from '../../../src/workmail/scan';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type AddressMapping, type Snapshot, type SnapshotEntity, type SnapshotGrant, type SnapshotRoutes } from '../../../src/workmail/migration/schema';
import type { Right } from '../../../src/workmail/types';

/** Routes that record nothing beyond each resource having no delegate: what a file of these entities needs to load. */
export function noRoutes(entities: readonly SnapshotEntity[]): SnapshotRoutes {
  return { resources: entities.filter((e) => e.kind === 'resource').map((e) => ({ resourceId: e.id, delegates: [] })), impersonationRoles: [], accessRules: [] };
}

/** Every entity with an address recorded with no alias (unless it says otherwise): what a current-version file of these entities needs to load. */
export function noAliases(entities: readonly SnapshotEntity[]): SnapshotEntity[] {
  return entities.map((e) => (e.email && e.aliases === undefined && e.aliasesUnreadable === undefined ? { ...e, aliases: [] } : e));
}

/** A scan of the emulator as a snapshot (the test's own conversion, field for field; routes none). */
export function snapshotOfScan(scan: OrganizationScan, alias?: string): Snapshot {
  const entities: SnapshotEntity[] = noAliases([...scan.directory.entities.values()].map((entity) => ({ ...entity })));
  const grants: SnapshotGrant[] = scan.grants.map((record) => ({
    mailboxId: record.mailbox.id,
    granteeId: record.granteeId,
    granteeType: record.granteeType,
    rights: record.rights,
    ...(record.grantee === null && !record.granteeLookupFailed ? { granteeUnknown: true } : {}),
    ...(record.granteeLookupFailed ? { granteeLookupFailed: true } : {}),
  }));
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    startedAt: scan.startedAt.toISOString(),
    readAt: scan.readAt.toISOString(),
    writtenBy: 'test',
    organization: { id: scan.org.organizationId, region: scan.org.region, ...(alias ? { alias } : {}) },
    entities,
    grants,
    unreadMailboxes: scan.failures.map((failure) => ({ mailboxId: failure.mailbox.id, code: failure.error.code, message: failure.error.message })),
    routes: noRoutes(entities),
  };
}

/** A mapping from WorkMail address or entity ID to destination address; unknown entities are unmapped. */
export function testMapping(rows: Record<string, string>): AddressMapping {
  const byKey = new Map(Object.entries(rows).map(([key, value]) => [key.toLowerCase(), value]));
  return {
    destinationOf: (entity) => byKey.get(entity.id.toLowerCase()) ?? (entity.email ? byKey.get(entity.email.toLowerCase()) : undefined),
    unmatchedRows: [],
  };
}

/** Every entity with an address moved to `domain`, same local part. */
export function domainMapping(snapshot: Snapshot, domain: string): AddressMapping {
  const rows: Record<string, string> = {};
  for (const entity of snapshot.entities) {
    if (entity.email) rows[entity.id] = `${entity.email.slice(0, entity.email.indexOf('@'))}@${domain}`;
  }
  return testMapping(rows);
}

export function user(id: string, email: string | undefined, extra: Partial<SnapshotEntity> = {}): SnapshotEntity {
  return { id, kind: 'user', name: email?.split('@')[0] ?? id, ...(email ? { email } : {}), state: 'ENABLED', userRole: 'USER', ...extra };
}

export function group(id: string, email: string, members: string[] = []): SnapshotEntity {
  return { id, kind: 'group', name: email.split('@')[0], email, state: 'ENABLED', members };
}

export function resource(id: string, email: string): SnapshotEntity {
  return { id, kind: 'resource', name: email.split('@')[0], email, state: 'ENABLED', resourceType: 'ROOM' };
}

export function grant(mailboxId: string, granteeId: string, rights: Right[], granteeType: 'USER' | 'GROUP' = 'USER'): SnapshotGrant {
  return { mailboxId, granteeId, granteeType, rights };
}

export function snapshotOf(entities: SnapshotEntity[], grants: SnapshotGrant[], extra: Partial<Snapshot> = {}): Snapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    startedAt: '2026-03-02T14:00:00.000Z',
    readAt: '2026-03-02T14:01:00.000Z',
    writtenBy: 'test',
    organization: { id: 'm-00000000000000000000000000000abc', alias: 'acme', region: 'us-east-1' },
    grants,
    unreadMailboxes: [],
    routes: noRoutes(extra.entities ?? entities),
    ...extra,
    entities: noAliases(extra.entities ?? entities),
  };
}

/** A small organization with every kind of grant: users, a group, a resource, send-on-behalf alone. */
export function smallOrg(): Snapshot {
  return snapshotOf(
    [
      user('u-ana', 'ana@old.example.com', { displayName: "Ana O'Neil" }),
      user('u-bob', 'bob@old.example.com'),
      user('u-cy', 'cy@old.example.com'),
      user('u-dee', 'dee@old.example.com'),
      group('g-sales', 'sales@old.example.com', ['u-bob', 'u-cy']),
      resource('r-room', 'room@old.example.com'),
    ],
    [
      grant('u-ana', 'u-bob', ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF']),
      grant('u-ana', 'u-cy', ['SEND_ON_BEHALF']),
      grant('u-bob', 'u-ana', ['FULL_ACCESS']),
      grant('u-cy', 'u-dee', ['SEND_AS', 'SEND_ON_BEHALF']),
      grant('u-dee', 'g-sales', ['SEND_AS'], 'GROUP'),
      grant('g-sales', 'u-ana', ['SEND_AS', 'SEND_ON_BEHALF']),
      grant('r-room', 'u-dee', ['FULL_ACCESS']),
    ],
  );
}

/** POSIX-shell words of one line (single and double quotes, backslash), as GAM's shlex and bash read them. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed quote in: ${line}`);
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (ch === '\\') {
      word += line[++i] ?? '';
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** A PowerShell single-quoted string's value at `text[start]`. */
function psString(text: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  for (;;) {
    const ch = text[i];
    if (ch === undefined) throw new Error(`unclosed PowerShell string in: ${text}`);
    if (/['\u2018\u2019\u201A\u201B]/.test(ch)) {
      if (text[i + 1] !== undefined && /['\u2018\u2019\u201A\u201B]/.test(text[i + 1]!)) {
        value += ch;
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += ch;
    i++;
  }
}

export interface Applied {
  readonly owner: string;
  readonly grantee: string;
  readonly right: string;
}

/**
 * Exchange Online: what each cmdlet of the script would add (the -WhatIf switch aside). A room's
 * block reads the delegates it has (none here: the tenant starts empty), appends each
 * `$WorkMailDelegates += '…'` and writes them with Set-CalendarProcessing; anything else in the
 * block is refused, so a script that wrote the list another way fails here.
 */
export function interpretExchange(script: string): Applied[] {
  const applied: Applied[] = [];
  const readBack = script.indexOf('# ---- Read-back');
  let delegates: string[] | undefined;
  for (const raw of script.slice(0, readBack < 0 ? undefined : readBack).split('\n')) {
    const line = raw.trim();
    if (/^\$WorkMailDelegates = @\(@\(\(Get-CalendarProcessing -Identity '/.test(line)) {
      delegates = [];
      continue;
    }
    // Each WorkMail delegate is added when Exchange Online knows it (in this test's tenant, everyone).
    const added = /^if \(Get-EXORecipient -Identity ('.*?') -ErrorAction SilentlyContinue\) \{ \$WorkMailDelegates \+= ('.*?') \} else \{ Write-Warning /.exec(line);
    if (added) {
      if (!delegates) throw new Error(`a delegate appended before the room's delegates were read: ${line}`);
      if (added[1] !== added[2]) throw new Error(`the delegate checked is not the one added: ${line}`);
      delegates.push(psString(line, line.indexOf("'")).value);
      continue;
    }
    if (line.startsWith('Set-CalendarProcessing ')) {
      const owner = psString(line, line.indexOf("-Identity '") + '-Identity '.length).value;
      if (line.includes('-ResourceDelegates')) {
        if (!line.includes('-ResourceDelegates @($WorkMailDelegates | Sort-Object -Unique)') || !delegates) throw new Error(`delegates written other than as the union: ${line}`);
        for (const grantee of new Set(delegates)) applied.push({ owner, grantee, right: 'ResourceDelegate' });
      }
      delegates = undefined;
      continue;
    }
    if (line !== raw && line && !line.startsWith('#')) throw new Error(`an indented line this test does not know: ${line}`);
  }
  for (const line of script.slice(0, readBack < 0 ? undefined : readBack).split('\n')) {
    const cmdlet = /^(Add-MailboxPermission|Add-RecipientPermission|Set-Mailbox|Set-DistributionGroup) /.exec(line)?.[1];
    if (!cmdlet) continue;
    const param = (name: string): string => {
      const glue = name.endsWith('=') ? '' : ' ';
      const at = line.indexOf(`${name}${glue}'`);
      if (at < 0) throw new Error(`no ${name} in: ${line}`);
      return psString(line, at + name.length + glue.length).value;
    };
    const owner = param('-Identity');
    if (cmdlet === 'Add-MailboxPermission') applied.push({ owner, grantee: param('-User'), right: 'FullAccess' });
    else if (cmdlet === 'Add-RecipientPermission') applied.push({ owner, grantee: param('-Trustee'), right: 'SendAs' });
    else if (line.includes(' -EmailAddresses @{Add=')) {
      // An alias: a secondary (smtp:) address added to the mailbox's or group's own.
      const address = param('@{Add=');
      if (!address.startsWith('smtp:')) throw new Error(`an address added other than as a secondary smtp address: ${line}`);
      applied.push({ owner, grantee: address.slice('smtp:'.length), right: 'alias' });
    } else applied.push({ owner, grantee: param('@{Add='), right: 'SendOnBehalf' });
  }
  return applied;
}

/** Google Workspace: what each `gam user … add delegate|sendas` (and `gam create alias`) line of the batch would add. */
export function interpretGoogle(script: string): Applied[] {
  const applied: Applied[] = [];
  for (const line of script.split('\n')) {
    if (line.startsWith('gam create alias ')) {
      const words = shellWords(line);
      if (words.length !== 6 || (words[4] !== 'user' && words[4] !== 'group')) throw new Error(`not an alias line this test knows: ${line}`);
      applied.push({ owner: words[5]!, grantee: words[3]!, right: `alias (${words[4]})` });
      continue;
    }
    if (line.startsWith('gam calendars ')) {
      const words = shellWords(line);
      if (words.length !== 7 || words[3] !== 'add' || words[4] !== 'acls' || words[5] !== 'owner' || !words[6]!.startsWith('user:')) throw new Error(`not a calendar ACL this test knows: ${line}`);
      applied.push({ owner: words[2]!, grantee: words[6]!.slice('user:'.length), right: 'calendarOwner' });
      continue;
    }
    if (line.startsWith('#') || !line.startsWith('gam user ')) continue;
    const words = shellWords(line);
    if (words[3] === 'add' && words[4] === 'delegate') applied.push({ owner: words[2]!, grantee: words[5]!, right: 'delegate' });
    else if (words[3] === 'add' && words[4] === 'sendas') applied.push({ owner: words[5]!, grantee: words[2]!, right: 'sendas' });
  }
  return applied;
}

/** grommunio: what each `run grommunio-admin …` line would add. */
export function interpretGrommunio(script: string): Applied[] {
  const applied: Applied[] = [];
  for (const line of script.split('\n')) {
    if (!line.startsWith('run grommunio-admin ')) continue;
    const words = shellWords(line).slice(2);
    if (words[0] === 'exmdb' && words[2] === 'folder' && words[3] === 'grant' && words[4] === '0x9' && words[6] === 'storeowner') {
      applied.push({ owner: words[1]!, grantee: words[5]!, right: 'storeAccess' });
    } else if (words[0] === 'exmdb' && words[2] === 'folder' && words[3] === 'grant' && words[4] === '0xf' && words.slice(6).includes('readany') && words.slice(6).includes('editany')) {
      applied.push({ owner: words[1]!, grantee: words[5]!, right: 'calendarDelegate' });
    } else if (words[0] === 'user' && words[1] === 'modify' && words[3] === '--alias' && words.length === 5) {
      applied.push({ owner: words[2]!, grantee: words[4]!, right: 'alias' });
    } else if (words[0] === 'user' && (words[1] === 'sendas' || words[1] === 'delegates') && words[3] === 'add') {
      applied.push({ owner: words[2]!, grantee: words[4]!, right: words[1] });
    } else {
      throw new Error(`not a command this test knows: ${line}`);
    }
  }
  return applied;
}

/** A small valid snapshot of version 1 (no routes: an older file), for the load checks. */
export function sampleSnapshot(): Snapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: 1,
    startedAt: '2026-03-02T14:00:00.000Z',
    readAt: '2026-03-02T14:02:00.000Z',
    writtenBy: 'workmail-permissions 0.1.0',
    organization: { id: 'm-11111111111111111111111111111111', alias: 'acme', region: 'us-east-1', state: 'Active', defaultMailDomain: 'acme.example.com' },
    entities: [
      { id: 'u-ana', kind: 'user', name: 'ana', displayName: 'Ana Silva', email: 'ana@acme.example.com', state: 'ENABLED', userRole: 'USER' },
      { id: 'u-bob', kind: 'user', name: 'bob', email: 'bob@acme.example.com', state: 'ENABLED', userRole: 'USER' },
      { id: 'g-sales', kind: 'group', name: 'sales', email: 'sales@acme.example.com', state: 'ENABLED', members: ['u-ana', 'u-bob'] },
      { id: 'g-locked', kind: 'group', name: 'locked', state: 'ENABLED', membersUnreadable: 'AccessDenied: not allowed' },
    ],
    grants: [
      { mailboxId: 'u-ana', granteeId: 'u-bob', granteeType: 'USER', rights: ['FULL_ACCESS', 'SEND_AS'] },
      { mailboxId: 'u-ana', granteeId: 'u-ghost', granteeType: 'USER', rights: ['SEND_ON_BEHALF'], granteeUnknown: true },
    ],
    unreadMailboxes: [{ mailboxId: 'u-bob', code: 'ThrottlingException', message: 'Rate exceeded' }],
  };
}

/** The same organization as the current version writes it: aliases (one on another domain, one entity's unreadable), two resources, their routes, two roles, two access rules, and parts that could not be read. */
export function sampleCurrentSnapshot(): Snapshot {
  const older = sampleSnapshot();
  return {
    ...older,
    version: SNAPSHOT_VERSION,
    entities: [
      ...older.entities.map((e): SnapshotEntity => {
        if (e.id === 'u-ana') return { ...e, aliases: ['ana.silva@acme.example.com', 'ana@acme.example.org'] };
        if (e.id === 'u-bob') return { ...e, aliasesUnreadable: 'ThrottlingException: Rate exceeded' };
        return e.email ? { ...e, aliases: [] } : e;
      }),
      { id: 'r-atlas', kind: 'resource', name: 'room-atlas', email: 'room-atlas@acme.example.com', state: 'ENABLED', resourceType: 'ROOM', aliases: ['atlas@acme.example.com'] },
      { id: 'r-proj', kind: 'resource', name: 'projector', state: 'ENABLED', resourceType: 'EQUIPMENT' },
    ],
    routes: {
      resources: [
        {
          resourceId: 'r-atlas',
          delegates: [
            { id: 'u-ana', type: 'USER' },
            { id: 'g-sales', type: 'GROUP' },
          ],
          bookingOptions: { autoAcceptRequests: false, autoDeclineRecurringRequests: false, autoDeclineConflictingRequests: true },
        },
        { resourceId: 'r-proj', delegatesUnreadable: 'ThrottlingException: Rate exceeded', bookingOptions: { autoAcceptRequests: true } },
      ],
      impersonationRoles: [
        {
          id: 'role-archiver',
          name: 'Mail archiver',
          type: 'READ_ONLY',
          description: 'Journal archive',
          rules: [
            { id: 'everyone', name: 'Everyone', effect: 'ALLOW' },
            { id: 'not-ana', effect: 'DENY', targetUsers: ['u-ana'] },
          ],
          dateCreated: '2023-02-14T09:00:00.000Z',
        },
        { id: 'role-crm', name: 'CRM sync', type: 'FULL_ACCESS', rulesUnreadable: 'AccessDeniedException: not allowed' },
      ],
      accessRules: [
        { name: 'default-rule', effect: 'ALLOW', default: true, description: 'Default rule' },
        { name: 'imap-office-only', effect: 'DENY', actions: ['IMAP'], notIpRanges: ['198.51.100.0/24'], dateCreated: '2023-03-20T11:00:00.000Z' },
      ],
    },
  };
}
