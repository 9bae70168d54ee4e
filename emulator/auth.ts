// SigV4 verification: the signature is recomputed with the same signer the AWS SDK uses, over
// exactly what was received, so any client that signs correctly (SDK, AWS CLI) is accepted and
// anything else is refused the way AWS refuses it.
import crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';

export const SIGNING_SERVICE = 'workmail';
/** AWS refuses requests whose X-Amz-Date is more than five minutes away from its clock. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface KnownCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Present for temporary credentials: requests must carry exactly this token. */
  readonly sessionToken?: string;
  readonly accountId: string;
}

export interface ReceivedRequest {
  readonly method: string;
  /** Path without the query string, as received. */
  readonly path: string;
  readonly query: Record<string, string | string[]>;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type AuthOutcome =
  | { readonly ok: true; readonly accessKeyId: string; readonly region: string; readonly accountId: string }
  | {
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      readonly accessKeyId?: string;
      readonly region?: string;
    };

const INVALID_TOKEN_MESSAGE = 'The security token included in the request is invalid.';
const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly scopeDate: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const match = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(header.trim());
  if (!match) return undefined;
  const fields = new Map<string, string>();
  for (const part of match[1]!.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) return undefined;
  const scope = credential.split('/');
  if (scope.length !== 5) return undefined;
  const [accessKeyId, scopeDate, region, service, terminator] = scope as [string, string, string, string, string];
  return {
    accessKeyId,
    scopeDate,
    region,
    service,
    terminator,
    signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()).filter((h) => h !== ''),
    signature: signature.toLowerCase(),
  };
}

/** "20250102T030405Z" -> Date, or undefined when malformed. */
function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const date = new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(',') : v;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

export async function verifySignature(
  request: ReceivedRequest,
  findCredential: (accessKeyId: string) => KnownCredential | undefined,
  now: number = Date.now(),
): Promise<AuthOutcome> {
  const authorization = headerValue(request.headers, 'authorization');
  if (!authorization) return { ok: false, code: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };

  const parsed = parseAuthorization(authorization);
  if (!parsed) {
    return {
      ok: false,
      code: 'IncompleteSignatureException',
      message: 'Authorization header requires Credential, SignedHeaders and Signature parameters (AWS4-HMAC-SHA256).',
    };
  }
  const { accessKeyId, region } = parsed;
  const refuse = (code: string, message: string): AuthOutcome => ({ ok: false, code, message, accessKeyId, region });

  const credential = findCredential(accessKeyId);
  if (!credential) return refuse('UnrecognizedClientException', INVALID_TOKEN_MESSAGE);

  const presentedToken = headerValue(request.headers, 'x-amz-security-token');
  if (credential.sessionToken !== undefined) {
    if (presentedToken === undefined || !safeEqual(presentedToken, credential.sessionToken)) {
      return refuse('UnrecognizedClientException', INVALID_TOKEN_MESSAGE);
    }
  } else if (presentedToken !== undefined) {
    return refuse('UnrecognizedClientException', INVALID_TOKEN_MESSAGE);
  }

  if (parsed.service !== SIGNING_SERVICE || parsed.terminator !== 'aws4_request') {
    return refuse('InvalidSignatureException', `Credential should be scoped to correct service: '${SIGNING_SERVICE}'.`);
  }
  if (!parsed.signedHeaders.includes('host') || !parsed.signedHeaders.includes('x-amz-date')) {
    return refuse('InvalidSignatureException', "'Host' and 'X-Amz-Date' must be signed headers.");
  }

  const amzDate = headerValue(request.headers, 'x-amz-date');
  const signingDate = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (!signingDate) return refuse('IncompleteSignatureException', 'X-Amz-Date is missing or malformed.');
  if (Math.abs(now - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
    return refuse(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now outside the ${MAX_CLOCK_SKEW_MS / 60000} minute window around ${new Date(now).toISOString()}.`,
    );
  }
  if (parsed.scopeDate !== amzDate!.slice(0, 8)) {
    return refuse('InvalidSignatureException', 'Credential should be scoped to a valid date matching X-Amz-Date.');
  }

  const signedHeaderValues: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const value = headerValue(request.headers, name);
    if (value === undefined) return refuse('InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE);
    signedHeaderValues[name] = value;
  }
  // The signer trusts a signed x-amz-content-sha256 instead of hashing the body, so check it here.
  const claimedPayloadHash = signedHeaderValues['x-amz-content-sha256'];
  if (claimedPayloadHash !== undefined) {
    const actual = crypto.createHash('sha256').update(request.body, 'utf8').digest('hex');
    if (claimedPayloadHash !== actual) return refuse('InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE);
  }

  const host = signedHeaderValues['host']!;
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: credential.accessKeyId,
      secretAccessKey: credential.secretAccessKey,
      // Only when signed: otherwise the signer would add the token to the canonical headers.
      sessionToken: 'x-amz-security-token' in signedHeaderValues ? credential.sessionToken : undefined,
    },
    region,
    service: SIGNING_SERVICE,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const recomputed = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname: host.replace(/:\d+$/, ''),
      path: request.path,
      query: request.query,
      headers: signedHeaderValues,
      body: request.body,
    }),
    { signingDate, signingRegion: region, signingService: SIGNING_SERVICE, signableHeaders: new Set(parsed.signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(String(recomputed.headers['authorization']))?.[1] ?? '';
  if (!safeEqual(expected, parsed.signature)) return refuse('InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE);

  return { ok: true, accessKeyId, region, accountId: credential.accountId };
}
