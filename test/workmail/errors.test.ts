import * as assert from 'node:assert/strict';
import {
  EntityNotFoundException,
  EntityStateException,
  InvalidParameterException,
  OrganizationStateException,
  WorkMailServiceException,
} from '@aws-sdk/client-workmail';
import { CancelledError, ConcurrentChangeError, WorkMailError, isCancellation, sanitize, toWorkMailError } from '../../src/workmail/errors';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexampletoken+abc==';

function serviceError(name: string, message: string, status = 400): WorkMailServiceException {
  return new WorkMailServiceException({ name, message, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code });
}

describe('toWorkMailError', () => {
  it('explains a disabled or deleted entity and what to do', () => {
    const err = toWorkMailError(new EntityStateException({ message: 'Entity is in invalid state', $metadata: {} }), { subject: 'Ana Silva' });
    assert.ok(err instanceof WorkMailError);
    assert.equal(err.code, 'EntityStateException');
    assert.match(err.message, /^Ana Silva is disabled or deleted in WorkMail; enable it/);
    assert.equal(err.retryable, false);
  });

  it('says an organization is not active', () => {
    const err = toWorkMailError(new OrganizationStateException({ message: 'x', $metadata: {} }), { subject: 'Organization acme' });
    assert.match(err.message, /Organization acme is not active/);
  });

  it('keeps the service reason for an invalid parameter and the name for not found', () => {
    assert.match(toWorkMailError(new InvalidParameterException({ message: 'MaxResults out of range', $metadata: {} })).message, /MaxResults out of range/);
    assert.match(toWorkMailError(new EntityNotFoundException({ message: 'nope', $metadata: {} }), { subject: 'bob' }).message, /^bob was not found/);
  });

  for (const name of ['UnrecognizedClientException', 'InvalidSignatureException', 'AccessDeniedException', 'ExpiredTokenException']) {
    it(`gives credentials advice for ${name}, naming the profile`, () => {
      const err = toWorkMailError(serviceError(name, 'The security token included in the request is invalid.'), { profile: 'prod-admin' });
      assert.match(err.message, /profile "prod-admin"/);
      assert.match(err.message, /credentials/);
    });
  }

  it('says throttling plainly and marks it retryable', () => {
    const err = toWorkMailError(serviceError('ThrottlingException', 'Rate exceeded'));
    assert.equal(err.message, 'WorkMail is throttling requests; wait and retry.');
    assert.equal(err.retryable, true);
  });

  for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT']) {
    it(`names the endpoint it could not reach (${code})`, () => {
      const err = toWorkMailError(networkError(code), { endpoint: 'http://127.0.0.1:9' });
      assert.match(err.message, /^Could not reach WorkMail at http:\/\/127\.0\.0\.1:9/);
      assert.equal(err.code, 'NetworkError');
      assert.equal(err.retryable, true);
    });
  }

  it('treats a request timeout as unreachable', () => {
    const timeout = Object.assign(new Error('Connection timed out after 100 ms'), { name: 'TimeoutError' });
    assert.match(toWorkMailError(timeout, { region: 'eu-west-1' }).message, /Could not reach WorkMail at workmail\.eu-west-1\.amazonaws\.com/);
  });

  it('tells the person to log in again when the SSO session is missing or expired', () => {
    const ssoErrors = [
      'The SSO session associated with this profile is invalid. To refresh this SSO session run aws sso login with the corresponding profile.',
      'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.',
      "The SSO session token associated with profile=work was not found or is invalid. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
    ];
    for (const message of ssoErrors) {
      const raw = Object.assign(new Error(message), { name: 'CredentialsProviderError' });
      const err = toWorkMailError(raw, { profile: 'work' });
      assert.equal(err.code, 'SsoLoginRequired');
      assert.ok(err.message.includes('Run `aws sso login --profile work` and try again'), err.message);
    }
  });

  it('says when no credentials exist at all', () => {
    const raw = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    assert.equal(toWorkMailError(raw).code, 'NoCredentials');
  });

  it('marks server faults retryable', () => {
    const err = toWorkMailError(serviceError('InternalFailure', 'boom', 500));
    assert.equal(err.retryable, true);
    assert.match(err.message, /internal error/);
  });

  it('never copies secrets, tokens, signatures or Authorization headers into message or detail', () => {
    const leaky = serviceError(
      'InvalidSignatureException',
      `Bad request. Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/workmail/aws4_request, SignedHeaders=host, Signature=${'ab12'.repeat(16)} ` +
        `secret ${SECRET} token X-Amz-Security-Token=${SESSION_TOKEN} aws_secret_access_key = ${SECRET}`,
    );
    const unknown = serviceError('SomethingNew', `Leaked ${SECRET} and ${SESSION_TOKEN} and emulator-secret-do-not-use-in-aws`);
    for (const err of [toWorkMailError(leaky), toWorkMailError(unknown, { secrets: ['emulator-secret-do-not-use-in-aws'] })]) {
      for (const text of [err.message, err.detail ?? '']) {
        assert.ok(!text.includes(SECRET), text);
        assert.ok(!text.includes(SESSION_TOKEN), text);
        assert.ok(!text.includes('emulator-secret-do-not-use-in-aws'), text);
        assert.ok(!text.includes('AKIAIOSFODNN7EXAMPLE'), text);
        assert.ok(!/Signature=[0-9a-f]{8}/.test(text), text);
        assert.ok(!/AWS4-HMAC-SHA256 Credential/.test(text), text);
      }
    }
  });

  it('keeps organization and entity IDs readable when sanitising', () => {
    const text = 'Organization m-0123456789abcdef0123456789abcdef has no entity S-1-1-12-1234567890-123456789-123456789-1234';
    assert.equal(sanitize(text), text);
  });

  it('passes a WorkMailError through unchanged', () => {
    const original = new WorkMailError('X', 'already mapped');
    assert.equal(toWorkMailError(original), original);
  });
});

describe('cancellation and concurrent change errors', () => {
  it('recognises cancellation of both kinds', () => {
    assert.equal(isCancellation(new CancelledError()), true);
    assert.equal(isCancellation(Object.assign(new Error('aborted'), { name: 'AbortError' })), true);
    assert.equal(isCancellation(new Error('other')), false);
    assert.equal(new CancelledError() instanceof WorkMailError, false);
  });

  it('carries both sides of a concurrent change', () => {
    const err = new ConcurrentChangeError('bob on mailbox ana', ['SEND_AS'], ['FULL_ACCESS', 'SEND_AS']);
    assert.ok(err instanceof WorkMailError);
    assert.deepEqual(err.expected, ['SEND_AS']);
    assert.deepEqual(err.actual, ['FULL_ACCESS', 'SEND_AS']);
    assert.match(err.message, /nothing was changed/);
  });
});
