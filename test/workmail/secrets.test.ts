// Secrets never leave the credentials: after a run that fails authentication (bad signature, wrong
// session token), meets a service that echoes the request's secrets and Authorization header back,
// and exports a scan, no secret key, session token, Authorization header or signature appears in
// any error (message, detail, cause, stack, inspection), any call record, or any export.
import assert from 'node:assert/strict';
import path from 'node:path';
import { inspect } from 'node:util';
import { EMULATOR_CREDENTIALS, SAMPLE_ORGS, startEmulator, type Emulator } from '../../emulator';
import { WorkMailError } from '../../src/workmail/errors';
import { writeCsv, writeJson } from '../../src/workmail/exporters';
import { collectScan } from '../../src/workmail/scan';
import { WorkMailSession, type CallRecord } from '../../src/workmail/session';
import { ReliabilityLog } from '../reliability/record';
import { StringSink } from './auditWorld';

const log = new ReliabilityLog(path.resolve(__dirname, '..', '..'), 'node-secrets');
after(() => log.render());

const ACME = { organizationId: SAMPLE_ORGS.acme, region: 'us-east-1' } as const;
const WRONG_SECRET = 'wrong-secret-0123456789abcdefghijklmnopqrstuv';
const SECRETS = [
  EMULATOR_CREDENTIALS.default.secretAccessKey,
  EMULATOR_CREDENTIALS.other.secretAccessKey,
  EMULATOR_CREDENTIALS.temporary.secretAccessKey,
  EMULATOR_CREDENTIALS.temporary.sessionToken,
  WRONG_SECRET,
];
// A signature is 64 hex digits; an Authorization header starts with the algorithm.
const SIGNED_PARTS = [/AWS4-HMAC-SHA256/, /Signature=[0-9a-f]{16}/i, /Authorization:\s*AWS4/i, /\b[0-9a-f]{64}\b/];

/** Every way an error's text can reach a person or a log. */
function textsOf(err: unknown): string[] {
  const e = err as WorkMailError;
  return [e.message, e.detail ?? '', String(e), e.stack ?? '', inspect(e, { depth: 10, showHidden: true }), JSON.stringify(e), inspect(e.cause, { depth: 10, showHidden: true })];
}

function leaks(texts: readonly string[]): string[] {
  const joined = texts.join('\n');
  return [...SECRETS.filter((secret) => joined.includes(secret)), ...SIGNED_PARTS.filter((pattern) => pattern.test(joined)).map(String)];
}

async function failureOf(work: () => Promise<unknown>): Promise<WorkMailError> {
  try {
    await work();
  } catch (err) {
    assert.ok(err instanceof WorkMailError, `a WorkMailError, got ${String(err)}`);
    return err;
  }
  assert.fail('the call was expected to fail');
}

describe('reliability: no secret in errors, call records or exports', function () {
  this.timeout(60_000);
  let emu: Emulator;
  const records: CallRecord[] = [];
  const session = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new WorkMailSession({ endpoint: emu.url, credentials: async () => credentials, maxAttempts: 2, onCall: (record) => records.push(record) });

  before(async () => {
    emu = await startEmulator();
  });
  after(async () => {
    await emu.stop();
  });
  afterEach(() => {
    emu.setFaults({});
  });

  const authCases = [
    { name: 'bad signature (wrong secret, default account)', credentials: { ...EMULATOR_CREDENTIALS.default, secretAccessKey: WRONG_SECRET }, code: 'InvalidCredentials' },
    { name: 'bad signature (wrong secret, other account)', credentials: { ...EMULATOR_CREDENTIALS.other, secretAccessKey: WRONG_SECRET }, code: 'InvalidCredentials' },
    { name: 'temporary key with a wrong session token', credentials: { ...EMULATOR_CREDENTIALS.temporary, sessionToken: `${EMULATOR_CREDENTIALS.temporary.sessionToken}-x` }, code: 'InvalidCredentials' },
  ];
  for (const c of authCases) {
    it(c.name, async () => {
      await log.check(
        { area: 'secrets', name: c.name, action: 'ListOrganizations through WorkMailSession', fault: 'credentials the service refuses (403)', expected: 'a credentials message; no secret, token or signature in the error or call record' },
        async () => {
          const err = await failureOf(() => session(c.credentials).listOrganizations('us-east-1'));
          assert.equal(err.code, c.code);
          assert.deepEqual(leaks([...textsOf(err), JSON.stringify(records)]), []);
          return `${err.code}: "${err.message.slice(0, 120)}"; nothing secret found`;
        },
      );
    });
  }

  for (const [name, credentials] of [
    ['a service error echoing the request (default key)', EMULATOR_CREDENTIALS.default],
    ['a service error echoing the request (temporary key)', EMULATOR_CREDENTIALS.temporary],
  ] as const) {
    it(name, async () => {
      await log.check(
        {
          area: 'secrets',
          name,
          action: 'ListMailboxPermissions through WorkMailSession',
          fault: 'the error message carries the secret, the session token, an Authorization header and a signature',
          expected: 'the message shown and logged has them redacted',
        },
        async () => {
          const echoed = [
            `Authorization: AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20250101/us-east-1/workmail/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'ab12'.repeat(16)}`,
            `secret=${credentials.secretAccessKey}`,
            `token ${'sessionToken' in credentials ? credentials.sessionToken : ''}`,
          ].join(' ');
          emu.setFaults({ rules: [{ operation: 'ListMailboxPermissions', error: 'InvalidParameterException', message: echoed }] });
          const s = session(credentials);
          const err = await failureOf(() => s.listGrantsPage(ACME, 'alice.johnson', { maxResults: 10 }));
          assert.equal(err.code, 'InvalidParameterException');
          assert.deepEqual(leaks([...textsOf(err), JSON.stringify(records)]), []);
          return `"${err.message.slice(0, 160)}"`;
        },
      );
    });
  }

  it('exports of a scan that met failures', async () => {
    await log.check(
      {
        area: 'secrets',
        name: 'CSV and JSON exports',
        action: 'scan acme and export CSV and JSON',
        fault: "one mailbox's ListMailboxPermissions fails with a message echoing the secret and an Authorization header",
        expected: 'the exports (rows and failures) hold no secret, token or signature',
      },
      async () => {
        const s = session(EMULATOR_CREDENTIALS.default);
        const alice = await s.findEntity(ACME, 'alice.johnson');
        assert.ok(alice);
        emu.setFaults({
          rules: [
            {
              operation: 'ListMailboxPermissions',
              match: { EntityId: alice.id },
              error: 'InvalidParameterException',
              message: `Authorization: AWS4-HMAC-SHA256 Credential=AKIDWORKMAILEMULATOR/x, Signature=${'cd34'.repeat(16)} key ${EMULATOR_CREDENTIALS.default.secretAccessKey}`,
            },
          ],
        });
        const snapshot = await collectScan(s, ACME, { retry: { retries: 0 } });
        assert.equal(snapshot.failures.length, 1, 'the failing mailbox is reported as a failure');
        const csv = new StringSink();
        await writeCsv([...snapshot.grants, ...snapshot.failures], csv);
        const json = new StringSink();
        await writeJson([...snapshot.grants, ...snapshot.failures], json, { organization: { ...ACME, alias: 'acme' } });
        const csvText = csv.chunks.join('');
        const jsonText = json.chunks.join('');
        assert.ok(jsonText.includes('"failures"') && jsonText.includes(alice.id), 'the failure is in the JSON export');
        assert.deepEqual(leaks([csvText, jsonText, ...snapshot.failures.flatMap((f) => textsOf(f.error)), JSON.stringify(records)]), []);
        return `${snapshot.grants.length} rows, ${snapshot.failures.length} failure exported; CSV ${csvText.length} and JSON ${jsonText.length} characters, nothing secret found`;
      },
    );
  });
});
