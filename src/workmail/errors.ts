// Turns SDK, network and credential failures into messages an administrator can act on.
// Every message built here may end up in a notification or the log, so anything taken from a raw
// error goes through `sanitize` first: no keys, tokens, signatures or Authorization headers.
import type { Right } from './types';

// The access layer is bundled twice (dist/extension.js and, with the AWS SDK, dist/workmail.js,
// loaded later), so each bundle has its own copy of these classes. `instanceof` therefore checks a
// brand that both copies agree on instead of the class object, or an error thrown by the writer
// would not be recognised by the commands that catch it.
const BRANDS = Symbol.for('workmail-permissions.errorBrands');

function brand(error: Error, name: string): void {
  const holder = error as unknown as { [BRANDS]?: string[] };
  holder[BRANDS] = [...(holder[BRANDS] ?? []), name];
}

function hasBrand(value: unknown, name: string): boolean {
  const brands = typeof value === 'object' && value !== null ? (value as { [BRANDS]?: unknown })[BRANDS] : undefined;
  return Array.isArray(brands) && brands.includes(name);
}

export class WorkMailError extends Error {
  override readonly name: string = 'WorkMailError';
  readonly code: string;
  readonly retryable: boolean;
  /** Sanitised technical detail for the log (the service's own message, an error code). */
  readonly detail?: string;
  override readonly cause?: unknown;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'WorkMailError');
  }

  constructor(code: string, message: string, options: { retryable?: boolean; detail?: string; cause?: unknown } = {}) {
    super(message);
    brand(this, 'WorkMailError');
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.detail = options.detail;
    this.cause = options.cause;
  }
}

/** The person cancelled: callers stop quietly and never report this as a failure. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'CancelledError');
  }

  constructor(message = 'Cancelled') {
    super(message);
    brand(this, 'CancelledError');
  }
}

/** The grantee's rights changed since the person looked at them; nothing was written. */
export class ConcurrentChangeError extends WorkMailError {
  override readonly name = 'ConcurrentChangeError';
  readonly expected: readonly Right[];
  readonly actual: readonly Right[];

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'ConcurrentChangeError');
  }

  /**
   * The person's own change (what they added and removed relative to `expected`) applied to
   * `actual`: keeps what the other administrator did. The default when the person goes on.
   */
  readonly mine: readonly Right[];
  /** The change taken literally on top of `actual` (for a set: exactly what the person chose). */
  readonly exact: readonly Right[];

  constructor(subject: string, expected: readonly Right[], actual: readonly Right[], outcomes: { mine?: readonly Right[]; exact?: readonly Right[] } = {}) {
    super(
      'ConcurrentChange',
      `The permissions of ${subject} changed since you opened them (someone else may have edited them); nothing was changed. Review the current permissions and try again.`,
    );
    brand(this, 'ConcurrentChangeError');
    this.expected = expected;
    this.actual = actual;
    this.mine = outcomes.mine ?? actual;
    this.exact = outcomes.exact ?? actual;
  }
}

/**
 * A write whose outcome is not known (timeout, reset, server error) and that WorkMail may still
 * carry out until `settleAt`: the pair is in doubt, and no other change to it is made before then.
 * Also thrown when a new change is refused because the pair is still in doubt.
 */
export class InDoubtError extends WorkMailError {
  override readonly name = 'InDoubtError';
  /** When (ms since the epoch) a read shows for certain where the pair ended. */
  readonly settleAt: number;
  /** What the pair held before the doubtful write, and what that write asked for. */
  readonly before: readonly Right[];
  readonly requested: readonly Right[];

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'InDoubtError');
  }

  constructor(message: string, details: { settleAt: number; before: readonly Right[]; requested: readonly Right[]; cause?: unknown }) {
    super('InDoubt', message, { retryable: true, cause: details.cause });
    brand(this, 'InDoubtError');
    this.settleAt = details.settleAt;
    this.before = details.before;
    this.requested = details.requested;
  }
}

export interface ErrorContext {
  /** The AWS profile in use, for credential advice. */
  profile?: string;
  /** What the call was about, as people know it: "the mailbox of Ana", "organization acme". */
  subject?: string;
  /** Where the call went; shown when WorkMail could not be reached. */
  endpoint?: string;
  region?: string;
  /** Credential values in use, scrubbed verbatim from anything copied out of the raw error. */
  secrets?: readonly string[];
}

type Replacement = string | ((match: string, ...groups: string[]) => string);

const SECRET_PATTERNS: ReadonlyArray<readonly [RegExp, Replacement]> = [
  [/authorization\s*[:=]\s*[^\n,;]*/gi, 'Authorization: [redacted]'],
  [/AWS4-HMAC-SHA256[^\n]*/g, '[redacted signature]'],
  [/\b(signature|credential|x-amz-security-token|x-amz-signature|x-amz-credential)\s*[=:]\s*[^\s,&;]+/gi, '$1=[redacted]'],
  [/\b(aws_secret_access_key|aws_session_token|aws_access_key_id|secretAccessKey|sessionToken|accessKeyId)\b["']?\s*[=:]\s*["']?[^\s,"'}]+/gi, '$1=[redacted]'],
  [/\b(AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b/g, '[redacted key id]'],
  // Secret keys and session tokens are long runs of base64; the only long runs a legitimate
  // message has are the 32 hex digits of organization and resource IDs.
  [/[A-Za-z0-9/+=]{32,}/g, (match) => (/^[0-9a-f]{32}$/i.test(match) ? match : '[redacted]')],
];

/**
 * Removes anything that could be a credential from text taken out of a raw error. `knownSecrets`
 * are the values actually in use (secret key, session token), removed verbatim whatever their shape.
 */
export function sanitize(text: string, knownSecrets: readonly string[] = []): string {
  let result = text;
  for (const secret of knownSecrets) {
    if (secret) {
      result = result.split(secret).join('[redacted]');
    }
  }
  for (const [pattern, replacement] of SECRET_PATTERNS) {
    result = typeof replacement === 'string' ? result.replace(pattern, replacement) : result.replace(pattern, replacement);
  }
  return result.length > 500 ? `${result.slice(0, 500)}…` : result;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'EPIPE', 'ECONNABORTED', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET',
]);
const THROTTLING = new Set([
  'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded',
  'ProvisionedThroughputExceededException', 'SlowDown', 'RequestThrottled', 'RequestThrottledException',
]);
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'InvalidClientTokenId',
  'IncompleteSignature', 'IncompleteSignatureException', 'MissingAuthenticationToken', 'MissingAuthenticationTokenException',
  'InvalidAccessKeyId', 'AuthFailure',
]);
const EXPIRED_CREDENTIALS = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired', 'TokenRefreshRequired']);
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnauthorizedException']);

interface RawError {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $fault?: unknown;
  $retryable?: unknown;
}

function errorName(raw: RawError): string {
  const name = typeof raw.name === 'string' ? raw.name : '';
  // Some errors arrive namespaced, e.g. "com.amazonaws.workmail#EntityNotFoundException".
  return name.includes('#') ? name.slice(name.lastIndexOf('#') + 1) : name;
}

/**
 * Whether a raw SDK error (or a WorkMailError) says the service is throttling: the throttling error
 * names, HTTP 429, or the SDK's own throttling mark.
 */
export function isThrottling(err: unknown): boolean {
  if (err instanceof WorkMailError) {
    return err.code === 'ThrottlingException';
  }
  if (typeof err !== 'object' || err === null) {
    return false;
  }
  const raw = err as RawError;
  if (THROTTLING.has(errorName(raw)) || raw.$metadata?.httpStatusCode === 429) {
    return true;
  }
  const retryable = raw.$retryable as { throttling?: unknown } | undefined;
  return typeof retryable === 'object' && retryable !== null && retryable.throttling === true;
}

function profilePhrase(profile: string | undefined): string {
  return profile ? `profile "${profile}"` : 'the default AWS credentials';
}

function ssoLogin(profile: string | undefined): string {
  return profile ? `Run \`aws sso login --profile ${profile}\` and try again` : 'Run `aws sso login` and try again';
}

function isSsoProblem(message: string): boolean {
  return /\bSSO\b|sso_session|sso session|aws sso login/i.test(message);
}

function withSubject(subject: string | undefined, fallback: string): string {
  return subject ?? fallback;
}

export function toWorkMailError(err: unknown, context: ErrorContext = {}): WorkMailError {
  if (err instanceof WorkMailError) {
    return err;
  }
  const raw: RawError = typeof err === 'object' && err !== null ? (err as RawError) : { message: String(err) };
  const name = errorName(raw);
  const code = typeof raw.code === 'string' ? raw.code : '';
  const rawMessage = typeof raw.message === 'string' ? raw.message : '';
  const secrets = context.secrets ?? [];
  const serviceMessage = sanitize(rawMessage, secrets);
  const status = raw.$metadata?.httpStatusCode;
  const requestId = raw.$metadata?.requestId;
  const detail = sanitize([name || code || 'Error', serviceMessage, requestId ? `request id ${requestId}` : ''].filter(Boolean).join(': '), secrets);
  const make = (errorCode: string, message: string, retryable = false): WorkMailError =>
    new WorkMailError(errorCode, message, { retryable, detail, cause: scrubbedCause(name || code || 'Error', serviceMessage, raw.$metadata) });
  const { profile, subject } = context;

  switch (name) {
    case 'EntityNotFoundException':
      return make(name, `${withSubject(subject, 'The user, group or resource')} was not found in WorkMail; it may have been deleted. Refresh and try again.`);
    case 'EntityStateException':
      return make(name, `${withSubject(subject, 'The user, group or resource')} is disabled or deleted in WorkMail; enable it first (WorkMail console), then try again.`);
    case 'OrganizationNotFoundException':
      return make(name, `${withSubject(subject, 'The organization')} was not found in WorkMail${context.region ? ` in ${context.region}` : ''}; it may have been deleted. Refresh and try again.`);
    case 'OrganizationStateException':
      return make(name, `${withSubject(subject, 'The organization')} is not active in WorkMail (it must be Active or Synchronizing); try again when it is active.`);
    case 'InvalidParameterException':
      return make(name, `WorkMail rejected the request as invalid: ${serviceMessage || 'no reason given'}`);
    case 'UnsupportedOperationException':
      return make(name, `WorkMail does not support this for ${withSubject(subject, 'this item')}: ${serviceMessage || 'no reason given'}`);
    case 'DirectoryServiceAuthenticationFailedException':
    case 'DirectoryUnavailableException':
      return make(name, `The directory behind this WorkMail organization is unavailable right now; try again in a few minutes.`, true);
    case 'AbortError':
      return make('Cancelled', 'The request was cancelled.');
    case 'TimeoutError':
    case 'RequestTimeout':
    case 'RequestTimeoutException':
      return make('NetworkError', `Could not reach WorkMail at ${describeEndpoint(context)}: the request timed out. Check your network connection and try again.`, true);
  }
  if (THROTTLING.has(name)) {
    return make('ThrottlingException', 'WorkMail is throttling requests; wait and retry.', true);
  }
  if (ACCESS_DENIED.has(name)) {
    return make('AccessDenied', `Access denied: the credentials of ${profilePhrase(profile)} are not allowed to do this in WorkMail. Ask your administrator for the WorkMail permissions, or choose another profile.`);
  }
  if (BAD_CREDENTIALS.has(name)) {
    return make('InvalidCredentials', `WorkMail did not accept the credentials of ${profilePhrase(profile)}. Check the access key in your AWS configuration, or choose another profile.`);
  }
  if (EXPIRED_CREDENTIALS.has(name)) {
    return make('ExpiredCredentials', `The credentials of ${profilePhrase(profile)} have expired. Refresh them (for an SSO profile: ${ssoLogin(profile).replace(' and try again', '')}) and try again.`);
  }
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError' || name === 'ProviderError') {
    if (isSsoProblem(rawMessage)) {
      return make('SsoLoginRequired', `The AWS SSO session of ${profilePhrase(profile)} has expired or was never started. ${ssoLogin(profile)}.`);
    }
    if (/could not load credentials from any providers/i.test(rawMessage)) {
      return make(
        'NoCredentials',
        profile
          ? `Profile "${profile}" does not exist in your AWS config and credentials files, or has no usable credentials. Check it (aws configure --profile ${profile}) or choose another profile.`
          : 'No AWS credentials were found. Configure them (aws configure) or choose a profile, then try again.',
      );
    }
    if (/profile .* (was )?not found|could not be found/i.test(rawMessage)) {
      return make('ProfileNotFound', `${profile ? `Profile "${profile}"` : 'The AWS profile'} was not found in your AWS config or credentials files. Choose another profile.`);
    }
    return make('CredentialsError', `Could not get AWS credentials for ${profilePhrase(profile)}: ${serviceMessage}`);
  }
  if (NETWORK_CODES.has(code) || NETWORK_CODES.has(name) || /socket hang up|ECONNREFUSED|ENOTFOUND|getaddrinfo/i.test(rawMessage)) {
    return make('NetworkError', `Could not reach WorkMail at ${describeEndpoint(context)}. Check your network connection (and proxy), then try again.`, true);
  }
  if ((status !== undefined && status >= 500) || raw.$fault === 'server') {
    return make(name || 'ServiceError', `WorkMail had an internal error; try again in a moment.${serviceMessage ? ` (${serviceMessage})` : ''}`, true);
  }
  return make(name || code || 'UnknownError', `The WorkMail request failed: ${serviceMessage || name || 'unknown error'}`);
}

/**
 * A copy of the raw error for debugging, without the original: loggers print a cause's message
 * and properties, and the original may carry whatever the server or a credential process echoed.
 */
function scrubbedCause(name: string, message: string, metadata: RawError['$metadata']): Error {
  const copy = new Error(message);
  copy.name = name;
  if (metadata) {
    Object.assign(copy, { $metadata: { httpStatusCode: metadata.httpStatusCode, requestId: metadata.requestId } });
  }
  return copy;
}

function describeEndpoint(context: ErrorContext): string {
  if (context.endpoint) {
    return sanitize(context.endpoint);
  }
  return context.region ? `workmail.${context.region}.amazonaws.com` : 'its AWS endpoint';
}

export function isCancellation(err: unknown): boolean {
  return err instanceof CancelledError || (typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError');
}
