// `--no-host`: the tree figures without an extension host, through the same access-layer calls the
// tree nodes make (CategoryNode.fetchPage: listEntitiesPage + DirectoryCache.remember;
// MailboxNode.fetchPage: listGrantsPage + DirectoryCache.resolve) and the same PermissionWriter.
// For machines where code-server cannot run; the results say which way they were measured.
import { performance } from 'node:perf_hooks';
import { EMULATOR_CREDENTIALS, type Emulator } from '../emulator/index';
import { DirectoryCache } from '../src/workmail/directory';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PendingWriteStore } from '../src/workmail/pendingWrites';
import { PermissionWriter } from '../src/workmail/permissions';
import { WorkMailSession } from '../src/workmail/session';
import type { DirectoryEntity, OrgRef } from '../src/workmail/types';
import type { HostResult, LoggedCallRecord } from './protocol';

const PAGE_SIZE = 100;

export async function measureTreeInNode(options: { emulator: Emulator; organizationId: string; region: string; bucketRefillMs: number }): Promise<HostResult> {
  const { emulator } = options;
  const org: OrgRef = { region: options.region, organizationId: options.organizationId };
  const session = new WorkMailSession({ endpoint: emulator.url, credentials: async () => ({ ...EMULATOR_CREDENTIALS.default }) });
  const directory = new DirectoryCache(session, org);
  const measured = async <T>(step: () => Promise<T>): Promise<{ value: T; ms: number; calls: LoggedCallRecord[] }> => {
    await new Promise((resolve) => setTimeout(resolve, options.bucketRefillMs));
    emulator.clearCalls();
    const started = performance.now();
    const value = await step();
    const ms = performance.now() - started;
    return { value, ms, calls: emulator.calls().map(({ operation, status, errorCode, durationMs }) => ({ operation, status, errorCode, durationMs })) };
  };
  const listPage = async (kind: 'user' | 'group', nextToken?: string) => {
    const page = await session.listEntitiesPage(org, kind, { maxResults: PAGE_SIZE, nextToken });
    directory.remember(page.items);
    return page;
  };
  try {
    const first = await measured(() => listPage('user'));
    const result: HostResult = { firstPage: { ms: first.ms, calls: first.calls, children: first.value.items.length } };
    const users: DirectoryEntity[] = [...first.value.items];
    const groups: DirectoryEntity[] = [];
    let token: string | undefined;
    do {
      const page = await listPage('group', token);
      groups.push(...page.items);
      token = page.nextToken;
    } while (token);

    const grantsByMailbox = new Map<string, ReturnType<Emulator['grants']>>();
    for (const grant of emulator.grants(options.organizationId)) {
      grantsByMailbox.set(grant.mailboxId, [...(grantsByMailbox.get(grant.mailboxId) ?? []), grant]);
    }
    let userToken = first.value.nextToken;
    let userPagesLoaded = 1;
    let candidate: DirectoryEntity | undefined;
    for (;;) {
      const loaded = new Set([...users, ...groups].map((e) => e.id));
      candidate = users.find((u) => {
        const grants = grantsByMailbox.get(u.id) ?? [];
        return grants.length >= 2 && grants.length <= 100 && grants.every((g) => loaded.has(g.granteeId));
      });
      if (candidate || !userToken) break;
      const page = await listPage('user', userToken);
      users.push(...page.items);
      userToken = page.nextToken;
      userPagesLoaded++;
    }
    if (!candidate) throw new Error('no mailbox whose grantees are all in loaded directory pages');
    const mailbox = candidate;
    const expand = await measured(async () => {
      const page = await session.listGrantsPage(org, mailbox.id, { maxResults: PAGE_SIZE });
      return { page, names: await directory.resolve(page.items) };
    });
    const expected = grantsByMailbox.get(mailbox.id)!;
    result.granteeExpand = {
      ms: expand.ms,
      calls: expand.calls,
      mailboxId: mailbox.id,
      grantees: expected.length,
      granteeNodes: expand.value.page.items.length,
      namedGrantees: [...expand.value.names.values()].filter(Boolean).length,
      userPagesLoaded,
      groupsLoaded: groups.length,
    };

    const enabled = users.filter((u) => u.state === 'ENABLED' && u.userRole !== 'SYSTEM_USER');
    const target = enabled.find((u) => (grantsByMailbox.get(u.id)?.length ?? 0) < 100);
    const grantee = enabled.find(
      (u) => u !== target && !(grantsByMailbox.get(target?.id ?? '') ?? []).some((g) => g.granteeId === u.id && g.rights.includes('SEND_ON_BEHALF')),
    );
    if (!target || !grantee) throw new Error('no enabled mailbox and grantee pair to grant on');
    const rightsBefore = (grantsByMailbox.get(target.id) ?? []).find((g) => g.granteeId === grantee.id)?.rights ?? [];
    const writer = new PermissionWriter(session, { store: new PendingWriteStore(mkdtempSync(join(tmpdir(), 'workmail-bench-pending-'))) });
    const grant = await measured(() =>
      writer.apply({ org, mailboxId: target.id, mailboxKind: 'user', granteeId: grantee.id, change: { kind: 'grant', add: ['SEND_ON_BEHALF'] }, granteeFromDirectory: true }),
    );
    result.grant = {
      ms: grant.ms,
      calls: grant.calls,
      verified: grant.value.verified,
      noop: grant.value.noop,
      rightsBefore,
      rightsAfter: emulator.grants(options.organizationId).find((g) => g.mailboxId === target.id && g.granteeId === grantee.id)?.rights ?? [],
    };
    return result;
  } finally {
    session.dispose();
  }
}
