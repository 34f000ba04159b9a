import { createHash, createHmac, randomBytes } from 'node:crypto';
import { constantEquals } from '../oauth/constant-equals.js';

/** What the hosted backend carries through the OAuth `state` to its callback. */
export interface LoginState {
  clientId: string;
  redirectUri: string;
  /** The caller's own state (the SDKs put the path to return to here), echoed back at the end. */
  state?: string;
}

/** A hosted-backend login as `/app/login` starts it. */
export interface StartedLogin {
  /** The PKCE verifier (RFC 7636 §4.1): the value of the browser's login cookie, never sent anywhere else. */
  verifier: string;
  /** Its S256 challenge, for /oauth2/authorize (RFC 7636 §4.2). */
  challenge: string;
  /** The OAuth `state`: the login state and its binding to the verifier. */
  state: string;
}

/**
 * Starts a login: a fresh verifier for the browser's cookie, and a `state` that carries the caller's
 * redirect_uri and state with an HMAC of them keyed by that verifier. Only the browser holding the cookie
 * can finish it, so a callback link made by someone else is refused (login CSRF: RFC 6749 §10.12,
 * RFC 9700 §4.7), and nothing in the state can be changed on the way.
 */
export function startLogin(value: LoginState): StartedLogin {
  const verifier = randomBytes(32).toString('base64url');
  const state = Buffer.from(JSON.stringify({ ...plain(value), binding: bindingOf(verifier, value) })).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url'), state };
}

/**
 * The login state of a callback, when its `state` was made by `startLogin` for the verifier in this
 * browser's cookie (compared in constant time); undefined for anything else, including no cookie.
 */
export function finishLogin(state: string | undefined, verifier: string | undefined): LoginState | undefined {
  if (!state || !verifier) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(state, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const parsed = json as Partial<LoginState> & { binding?: unknown };
  if (typeof parsed.clientId !== 'string' || typeof parsed.redirectUri !== 'string' || typeof parsed.binding !== 'string') return undefined;
  if (parsed.state !== undefined && typeof parsed.state !== 'string') return undefined;
  const value = plain(parsed as LoginState);
  return constantEquals(parsed.binding, bindingOf(verifier, value)) ? value : undefined;
}

function plain({ clientId, redirectUri, state }: LoginState): LoginState {
  return { clientId, redirectUri, ...(state === undefined ? {} : { state }) };
}

function bindingOf(verifier: string, { clientId, redirectUri, state }: LoginState): string {
  return createHmac('sha256', verifier)
    .update(JSON.stringify(['standin /app/callback state', clientId, redirectUri, state ?? null]))
    .digest('base64url');
}
