// Bad input: identifiers that break the API model's patterns or lengths (typed into the quick pick
// or passed as options) are refused before any call; an unknown email, a grant to the mailbox
// itself, a deleted or disabled grantee and an organization that is not Active each get a clear
// message and change nothing.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PermissionCommandResult } from '../../src/commands/permissions';
import { acme, ACME_ID, admin, calls, clearCalls, delay, entity, freshStart, mailboxNode, Recorder, run, writes } from '../commands/permissions/support';
import type { CaseDescription } from './record';
import { reliabilityLog } from './support';

const log = reliabilityLog('host-bad-input');

const GRANT = 'workmail.grantPermissions';

async function allGrants(orgId = ACME_ID): Promise<string> {
  return JSON.stringify(await admin('GET', `/organizations/${orgId}/grants`));
}

interface OptionCase {
  readonly name: string;
  readonly input: string;
  readonly options: Record<string, unknown>;
  /** Where the command starts: the mailbox node of this acme user, or the palette. */
  readonly mailbox?: string;
  readonly message: RegExp;
  /** Refused before any call at all (checked against the model's patterns). */
  readonly noCalls?: boolean;
}

const OPTION_CASES: readonly OptionCase[] = [
  // Not an identifier, so looked up as a display name (one filtered list), and found to be nobody.
  { name: 'unknown display name', input: "grantee 'bad name!' (space and !)", mailbox: 'liam.obrien', options: { grantee: 'bad name!', rights: ['SEND_AS'] }, message: /No user or group "bad name!"/, noCalls: false },
  { name: 'over-long grantee', input: 'grantee of 300 characters (model: 1..256)', mailbox: 'liam.obrien', options: { grantee: 'a'.repeat(300), rights: ['SEND_AS'] }, message: /1 to 256 characters/, noCalls: true },
  { name: 'malformed email', input: "grantee 'someone@@example'", mailbox: 'liam.obrien', options: { grantee: 'someone@@example', rights: ['SEND_AS'] }, message: /not valid/, noCalls: true },
  { name: 'malformed organization', input: "palette: organization 'm-zz' and a mailbox", options: { organization: 'm-zz', mailbox: 'liam.obrien', grantee: 'keiko.tanaka', rights: ['SEND_AS'] }, message: /No organization "m-zz"/ },
  { name: 'unknown right', input: "rights ['READ_ALL']", mailbox: 'liam.obrien', options: { grantee: 'keiko.tanaka', rights: ['READ_ALL'] }, message: /Unknown right READ_ALL/ },
  { name: 'unknown email', input: 'grantee nobody@acme.example.com', mailbox: 'liam.obrien', options: { grantee: 'nobody@acme.example.com', rights: ['SEND_AS'] }, message: /No user or group "nobody@acme.example.com"/ },
  { name: 'grant to the mailbox itself', input: 'grantee liam.obrien on liam.obrien', mailbox: 'liam.obrien', options: { grantee: 'liam.obrien', rights: ['SEND_AS'] }, message: /mailbox itself/ },
  { name: 'deleted grantee', input: 'grantee xavier.dubois (DELETED)', mailbox: 'liam.obrien', options: { grantee: 'xavier.dubois', rights: ['SEND_AS'] }, message: /deleted/ },
  { name: 'disabled grantee', input: 'grantee william.chen (DISABLED)', mailbox: 'liam.obrien', options: { grantee: 'william.chen', rights: ['SEND_AS'] }, message: /William Chen is disabled in WorkMail; enable the user first/ },
  { name: 'organization not Active', input: 'palette: organization acme-archive (Inactive)', options: { organization: 'acme-archive', mailbox: 'records.keeper', grantee: 'legacy.admin', rights: ['SEND_AS'] }, message: /is Inactive|not active/ },
];

describe('reliability: bad input is refused with a clear message and changes nothing', function () {
  this.timeout(60_000);

  beforeEach(async () => {
    await freshStart();
  });

  for (const c of OPTION_CASES) {
    const description: CaseDescription = {
      area: 'bad input',
      name: c.name,
      action: c.mailbox ? `grant on ${c.mailbox} (answers given as options)` : 'grant from the palette (answers given as options)',
      fault: c.input,
      expected: `a clear error message; no permission changed${c.noCalls ? '; no call made (model pattern/length check)' : '; no successful write'}`,
    };
    it(`${c.name}: ${c.input}`, async () => {
      await log.check(description, async () => {
        const org = await acme();
        const node = c.mailbox ? mailboxNode(org, await entity(org, c.mailbox)) : undefined;
        const truthBefore = await allGrants();
        const archiveBefore = await allGrants('m-ac0e0000000000000000000000000002');
        await clearCalls();
        const recorder = new Recorder();
        const result: PermissionCommandResult = await run(GRANT, ...(node ? [node, undefined] : []), { ...c.options, observe: recorder.observe });
        const made = await calls();
        const errors = recorder.messages('error');
        assert.equal(result.outcome, 'failed', `refused (${result.outcome}: ${result.reason ?? ''})`);
        assert.equal(errors.length, 1, `one error message: ${JSON.stringify(recorder.messages())}`);
        assert.match(errors[0] ?? '', c.message);
        assert.equal(await allGrants(), truthBefore, 'no permission changed in acme');
        assert.equal(await allGrants('m-ac0e0000000000000000000000000002'), archiveBefore, 'no permission changed in acme-archive');
        assert.deepEqual((await writes()).filter((call) => call.status === 200), [], 'no successful write');
        if (c.noCalls) {
          assert.deepEqual(made.map((call) => call.operation), [], 'no call reached WorkMail');
        }
        return `"${(errors[0] ?? '').slice(0, 160)}"; calls: ${made.length === 0 ? 'none' : [...new Set(made.map((call) => `${call.operation}${call.status === 200 ? '' : ` ${call.errorCode}`}`))].join(', ')}`;
      });
    });
  }

  for (const typed of [
    { name: 'malformed address typed into the grantee picker', text: 'bad@@name', expected: /is not valid/ },
    { name: 'over-long text typed into the grantee picker', text: 'x'.repeat(300), expected: /1 to 256 characters/ },
  ]) {
    it(typed.name, async () => {
      await log.check(
        {
          area: 'bad input',
          name: typed.name,
          action: 'grant on liam.obrien; type into the quick pick that asks for the grantee',
          fault: typed.text.length > 40 ? `${typed.text.length} characters` : `'${typed.text}'`,
          expected: 'the picker shows why it is invalid; no call is made for it; nothing changes',
        },
        async () => {
          const org = await acme();
          const node = mailboxNode(org, await entity(org, 'liam.obrien'));
          const truthBefore = await allGrants();
          const recorder = new Recorder();
          const running = run(GRANT, node, undefined, { rights: ['SEND_AS'], observe: recorder.observe });
          const picker = await recorder.pickerLoaded();
          await clearCalls();
          picker.typeText(typed.text);
          const updated = await recorder.next((event) => event.type === 'picker' && event.items.some((item) => item.label.includes('$(warning)')));
          await delay(300);
          const made = await calls();
          await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
          const result = await running;
          assert.ok(updated.type === 'picker');
          const warning = updated.items.find((item) => item.label.includes('$(warning)'));
          assert.match(warning?.label ?? '', typed.expected);
          assert.deepEqual(made.map((call) => call.operation), [], 'typing made no call');
          assert.equal(result.outcome, 'cancelled');
          assert.equal(await allGrants(), truthBefore);
          assert.deepEqual(await writes(), []);
          return `picker item "${(warning?.label ?? '').slice(0, 120)}"; calls while typing: none; dismissed → cancelled`;
        },
      );
    });
  }
});
