import type { FastifyRequest } from 'fastify';

/**
 * Query parameters whose values are secrets: tokens, codes, client credentials, passwords, the inspect page's
 * API key, and the one-time ids FusionAuth's flows put in links. Matched on the decoded name, ignoring case,
 * so `?k%65y=` and `?KEY=` are caught like `?key=`.
 */
const SECRET_PARAMETERS = new Set(
  [
    'key',
    'token',
    'code',
    'access_token',
    'refresh_token',
    'id_token',
    'id_token_hint',
    'client_secret',
    'client_assertion',
    'code_verifier',
    'device_code',
    'user_code',
    'userCode',
    'password',
    'currentPassword',
    'oneTimePassword',
    'refreshToken',
    'changePasswordId',
    'verificationId',
    'oneTimeCode',
    'twoFactorId',
    'twoFactorTrustId',
    'trustChallenge',
    'passwordlessCode',
  ].map((name) => name.toLowerCase()),
);

/**
 * Routes whose path carries a bearer secret after a fixed prefix: whoever reads it can act as the user (change
 * the password, verify the email, finish a passwordless or two-factor login). Matched on decoded segments, so
 * `/%5fstandin/…`-style spellings that the router accepts are caught too.
 */
const SECRET_PATH_PREFIXES: readonly (readonly string[])[] = [
  ['api', 'user', 'change-password'],
  ['api', 'user', 'verify-email'],
  ['api', 'user', 'verify-registration'],
  ['api', 'two-factor', 'send'],
  ['password', 'change'],
  ['email', 'verify'],
  ['registration', 'verify'],
  ['oauth2', 'passwordless'],
  ['oauth2', 'two-factor'],
];

export const REDACTED = '[redacted]';

/**
 * `url` (path and query, as a request line carries it) with every secret value replaced by `[redacted]`:
 * values of secret query parameters, and the segments after a secret route's prefix. What is not secret stays
 * as sent, so a log line still shows which request it was.
 */
export function redactUrl(url: string): string {
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  if (mark === -1) return redactPath(path);
  const query = url
    .slice(mark + 1)
    .split('&')
    .map(redactPair)
    .join('&');
  return `${redactPath(path)}?${query}`;
}

function redactPair(pair: string): string {
  const equals = pair.indexOf('=');
  const name = equals === -1 ? pair : pair.slice(0, equals);
  return SECRET_PARAMETERS.has(decode(name.replace(/\+/g, ' ')).trim().toLowerCase()) ? `${name}=${REDACTED}` : pair;
}

function redactPath(path: string): string {
  const segments = path.split('/');
  const decoded = segments.map((segment) => decode(segment).toLowerCase());
  for (const prefix of SECRET_PATH_PREFIXES) {
    // segments[0] is the empty string before the leading slash.
    if (decoded.length > prefix.length + 1 && prefix.every((part, index) => decoded[index + 1] === part)) {
      return [...segments.slice(0, prefix.length + 1), ...segments.slice(prefix.length + 1).map(() => REDACTED)].join('/');
    }
  }
  return path;
}

/** Percent-decoding that never throws: a malformed escape is compared as written. */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Fastify's request log line (its default req serializer's fields) with secrets in the URL redacted. */
export function requestLogLine(request: FastifyRequest) {
  // Pino may serialise a request object that has no socket (an injected request, a hand-made one).
  const remotePort = (request.socket as FastifyRequest['socket'] | undefined)?.remotePort;
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    ...(remotePort === undefined ? {} : { remotePort }),
  };
}
