import type { Grant } from './grant.js';
import * as authorizationCode from './authorization-code.js';
import * as clientCredentials from './client-credentials.js';
import * as deviceCode from './device-code.js';
import * as password from './password.js';
import * as refreshToken from './refresh-token.js';

/** The grants `/oauth2/token` serves, by `grant_type` (RFC 6749 §4.1.3, §4.3, §4.4, §6; RFC 8628 §3.4). */
export const grants: ReadonlyMap<string, Grant> = new Map<string, Grant>(
  [authorizationCode, refreshToken, password, clientCredentials, deviceCode].map((grant) => [grant.grantType, grant]),
);

export type { Grant, GrantContext } from './grant.js';
