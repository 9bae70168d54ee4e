import assert from 'node:assert/strict';
import { DescribeOrganizationCommand, ListOrganizationsCommand } from '@aws-sdk/client-workmail';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { startEmulator, type Emulator } from '../../emulator/index';
import { EMULATOR_CREDENTIALS, SAMPLE_ORGS, clientFor, rejectsWith } from './helpers';

describe('emulator: SigV4 authentication', () => {
  let emu: Emulator;

  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => emu.clearCalls());

  const listOrgs = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, extra = {}) =>
    clientFor(emu, 'us-east-1', credentials, extra).send(new ListOrganizationsCommand({}));

  it('refuses an unsigned request with 403 MissingAuthenticationTokenException', async () => {
    const response = await fetch(`${emu.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'WorkMailService.ListOrganizations' },
      body: '{}',
    });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    assert.equal(((await response.json()) as { __type: string }).__type, 'MissingAuthenticationTokenException');
  });

  it('accepts the SDK’s signature with the default key', async () => {
    const orgs = await listOrgs(EMULATOR_CREDENTIALS.default);
    assert.equal(orgs.$metadata.httpStatusCode, 200);
  });

  it('refuses a wrong secret with 403 InvalidSignatureException', async () => {
    const error = await rejectsWith(listOrgs({ accessKeyId: 'AKIDWORKMAILEMULATOR', secretAccessKey: 'not-the-secret' }), 'InvalidSignatureException');
    assert.equal(error.$metadata?.httpStatusCode, 403);
  });

  it('refuses an unknown access key with 403 UnrecognizedClientException', async () => {
    const error = await rejectsWith(listOrgs({ accessKeyId: 'AKIDNOBODYKNOWSTHIS', secretAccessKey: 'whatever' }), 'UnrecognizedClientException');
    assert.equal(error.$metadata?.httpStatusCode, 403);
  });

  it('requires the exact session token for temporary credentials', async () => {
    const { accessKeyId, secretAccessKey, sessionToken } = EMULATOR_CREDENTIALS.temporary;
    await rejectsWith(listOrgs({ accessKeyId, secretAccessKey }), 'UnrecognizedClientException');
    await rejectsWith(listOrgs({ accessKeyId, secretAccessKey, sessionToken: 'stolen-or-stale' }), 'UnrecognizedClientException');
    const orgs = await listOrgs({ accessKeyId, secretAccessKey, sessionToken });
    assert.deepEqual(orgs.OrganizationSummaries?.map((o) => o.Alias).sort(), ['acme', 'acme-archive']);
  });

  it('refuses a session token sent with a permanent key', async () => {
    await rejectsWith(listOrgs({ ...EMULATOR_CREDENTIALS.default, sessionToken: 'emulator-session-token' }), 'UnrecognizedClientException');
  });

  it('accepts a clock skew inside five minutes and refuses one outside', async () => {
    await listOrgs(EMULATOR_CREDENTIALS.default, { systemClockOffset: -2 * 60 * 1000 });
    const error = await rejectsWith(listOrgs(EMULATOR_CREDENTIALS.default, { systemClockOffset: -10 * 60 * 1000 }), 'InvalidSignatureException');
    assert.match(error.message, /expired/i);
  });

  it('refuses a body changed after signing', async () => {
    const url = new URL(emu.url);
    const signer = new SignatureV4({ credentials: EMULATOR_CREDENTIALS.default, region: 'us-east-1', service: 'workmail', sha256: Hash.bind(null, 'sha256') });
    const signed = await signer.sign(
      new HttpRequest({
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'WorkMailService.DescribeOrganization' },
        body: JSON.stringify({ OrganizationId: SAMPLE_ORGS.acme }),
      }),
    );
    const response = await fetch(`${emu.url}/`, { method: 'POST', headers: signed.headers, body: JSON.stringify({ OrganizationId: SAMPLE_ORGS.acmeArchive }) });
    assert.equal(response.status, 403);
    assert.equal(((await response.json()) as { __type: string }).__type, 'InvalidSignatureException');
  });

  it('uses the credential scope region: the same org is not found from another region', async () => {
    await clientFor(emu, 'us-east-1').send(new DescribeOrganizationCommand({ OrganizationId: SAMPLE_ORGS.acme }));
    await rejectsWith(clientFor(emu, 'us-west-2').send(new DescribeOrganizationCommand({ OrganizationId: SAMPLE_ORGS.acme })), 'OrganizationNotFoundException');
  });

  it('logs the key id and region of each call, never a secret, token or signature', async () => {
    await listOrgs(EMULATOR_CREDENTIALS.temporary);
    await listOrgs({ accessKeyId: 'AKIDWORKMAILEMULATOR', secretAccessKey: 'typo-secret' }).catch(() => undefined);
    const calls = emu.calls();
    assert.equal(calls.length, 2);
    assert.deepEqual(
      calls.map((c) => [c.accessKeyId, c.region, c.status, c.errorCode]),
      [
        ['ASIAWORKMAILEMULATOR', 'us-east-1', 200, undefined],
        ['AKIDWORKMAILEMULATOR', 'us-east-1', 403, 'InvalidSignatureException'],
      ],
    );
    const logged = JSON.stringify(calls);
    for (const secret of ['emulator-temp-secret', 'emulator-session-token', 'typo-secret', 'Signature=', 'AWS4-HMAC-SHA256']) {
      assert.equal(logged.includes(secret), false, `call log contains ${secret}`);
    }
  });

  it('serves the admin API without signing and leaves it out of the call log', async () => {
    const response = await fetch(`${emu.url}/__emulator/organizations`);
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as unknown[]).length, emu.organizations().length);
    assert.ok(emu.organizations().length >= 5);
    assert.deepEqual(emu.calls(), []);
  });
});
