// The reads of the other routes into a mailbox, with the real SDK against the emulator's sample
// organization, and the engine's reading of impersonation rules held to WorkMail's own answer
// (GetImpersonationRoleEffect) for every user of the organization.
import assert from 'node:assert/strict';
import { readSeedFile } from '../../emulator/seed';
import { EMULATOR_CREDENTIALS, SAMPLE_ORGS, startEmulator } from '../../emulator/index';
import { CancelledError, WorkMailError } from '../../src/workmail/errors';
import { impersonationEffect } from '../../src/workmail/routes/impersonation';
import { WorkMailSession } from '../../src/workmail/session';
import type { DirectoryEntity } from '../../src/workmail/types';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const acme = { organizationId: SAMPLE_ORGS.acme, region: 'us-east-1' };
const sample = readSeedFile('emulator/seeds/sample.json');
const acmeSeed = sample.accounts[0]!.organizations!.find((org) => org.alias === 'acme')!;
const idOf = (name: string): string => [...(acmeSeed.users ?? []), ...(acmeSeed.groups ?? []), ...(acmeSeed.resources ?? [])].find((e) => e.name === name)!.id;

describe('route reads (booking delegates, impersonation roles, access rules) against the emulator', () => {
  let emu: Emulator;
  let session: WorkMailSession;

  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    session = new WorkMailSession({ endpoint: emu.url, credentials: async () => EMULATOR_CREDENTIALS.default, maxAttempts: 2 });
  });
  afterEach(() => session.dispose());

  it('reads a room\'s delegates, users and groups, by ID, name or email, page by page', async () => {
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    const expected = [{ id: idOf('tara.singh'), type: 'USER' }, { id: idOf('executives'), type: 'GROUP' }].sort(byId);
    for (const resource of [idOf('room-atlas'), 'room-atlas', 'room-atlas@acme.example.com']) {
      assert.deepEqual((await session.routes.listAllResourceDelegates(acme, resource)).sort(byId), expected, resource);
    }
    const first = await session.routes.listResourceDelegatesPage(acme, 'room-atlas', { maxResults: 1 });
    assert.equal(first.items.length, 1);
    assert.ok(first.nextToken);
    const second = await session.routes.listResourceDelegatesPage(acme, 'room-atlas', { maxResults: 1, nextToken: first.nextToken });
    assert.deepEqual([...first.items, ...second.items].sort(byId), expected);
  });

  it('reads booking options as DescribeResource gives them', async () => {
    assert.equal((await session.routes.bookingOptions(acme, 'room-borealis'))?.autoAcceptRequests, false);
    const projector = await session.routes.bookingOptions(acme, 'projector-1');
    assert.equal(projector?.autoDeclineRecurringRequests, true);
    assert.equal(projector?.autoDeclineConflictingRequests, false);
  });

  it('an unknown resource is a WorkMailError that names it; a cancelled read is a cancellation', async () => {
    await assert.rejects(session.routes.listAllResourceDelegates(acme, 'room-nowhere'), (err: unknown) => err instanceof WorkMailError && /room-nowhere|not found|EntityNotFound/i.test(`${err.code} ${err.message}`));
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(session.routes.listImpersonationRoles(acme, abort.signal), (err: unknown) => err instanceof CancelledError);
  });

  it('lists every role with its rules, and reads each as WorkMail decides it, for every user', async () => {
    const summaries = await session.routes.listImpersonationRoles(acme);
    assert.deepEqual(summaries.map((role) => role.id).sort(), (acmeSeed as { impersonationRoles?: Array<{ id: string }> }).impersonationRoles!.map((role) => role.id).sort());
    // WorkMail answers EntityStateException for a user who is not enabled.
    const users: DirectoryEntity[] = (acmeSeed.users ?? []).filter((user) => (user.state ?? 'ENABLED') === 'ENABLED').map((user) => ({ id: user.id, name: user.name, email: user.email, kind: 'user' as const }));
    let compared = 0;
    for (const summary of summaries) {
      const role = await session.routes.getImpersonationRole(acme, summary.id);
      assert.ok(role, summary.id);
      assert.equal(role.unreadableRules, 0);
      for (const user of users) {
        const answer = await session.routes.impersonationRoleEffect(acme, role.id, user.id);
        const ours = impersonationEffect(role, user);
        assert.equal(ours.effect, answer.effect, `${role.name} on ${user.name}`);
        assert.deepEqual(ours.matchedRules.map((rule) => rule.id).sort(), [...answer.matchedRules].sort(), `${role.name} on ${user.name}: matched rules`);
        compared++;
      }
    }
    assert.ok(compared > 40, `${compared} answers compared`);
    const archiver = await session.routes.getImpersonationRole(acme, summaries.find((role) => role.name === 'Mail archiver')!.id);
    assert.equal(impersonationEffect(archiver!, { id: idOf('alice.johnson'), name: 'alice.johnson' }).effect, 'DENY', 'the archiver may not act as the chief executive');
  });

  it('reads the access rules, the default first, and asks WorkMail for their effect', async () => {
    const { rules, unreadable } = await session.routes.listAccessControlRules(acme);
    assert.equal(unreadable, 0);
    assert.deepEqual(rules.map((rule) => rule.name), ['default-rule', 'imap-office-only', 'no-webmail-noah']);
    const noah = idOf('noah.fischer');
    const webmail = await session.routes.accessControlEffect(acme, { ipAddress: '198.51.100.7', action: 'WebMail', userId: noah });
    assert.equal(webmail.effect, 'DENY');
    assert.ok(webmail.matchedRules.includes('no-webmail-noah'));
    const imapOutside = await session.routes.accessControlEffect(acme, { ipAddress: '203.0.113.9', action: 'IMAP', userId: noah });
    assert.equal(imapOutside.effect, 'DENY');
    const imapInside = await session.routes.accessControlEffect(acme, { ipAddress: '198.51.100.7', action: 'IMAP', userId: noah });
    assert.equal(imapInside.effect, 'ALLOW');
  });
});
