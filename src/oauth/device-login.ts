import { createHash, randomBytes } from 'node:crypto';
import { constantEquals } from './constant-equals.js';
import { pageCsrfToken } from './page-csrf.js';

/**
 * The hosted device page hands its user to the ordinary hosted login (`/oauth2/authorize`), whose code comes back to
 * Standin's own `/oauth2/device-complete`, never to the application: that page redeems it and approves the device
 * (docs/device-grant.md). The same redirect URI is accepted for every application, at the addresses Standin serves it.
 */
export function deviceCompleteUri(baseUrl: string): string {
  return `${baseUrl}/oauth2/device-complete`;
}

/**
 * The `state` of that login: a MAC of the user code keyed by the browser's page CSRF secret. The user code itself waits
 * in a cookie (routes/oauth2/device-page.ts), out of every URL and so out of the logs; only the browser that submitted
 * the device form (a CSRF-protected POST) holds both, so only it can have a device approved by coming back. A link
 * someone else made, followed by a browser with an SSO session, would otherwise approve that person's device without
 * its user ever seeing a form (RFC 8628 §5.4, remote phishing).
 */
export function deviceLoginState(secret: string, userCode: string): string {
  return pageCsrfToken(secret, 'device-complete', [['user_code', userCode]]);
}

/** Whether `state` is the one deviceLoginState made for this secret and user code. */
export function isDeviceLoginState(secret: string, userCode: string, state: string): boolean {
  return constantEquals(state, deviceLoginState(secret, userCode));
}

/**
 * A PKCE challenge for that login, whose verifier nobody keeps: the code is redeemed by device-complete, not at the
 * token endpoint, so it only lets an application whose `proofKeyForCodeExchangePolicy` is `Required` log in here.
 */
export function unusedCodeChallenge(): string {
  return createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
}
