import type { GrantType } from '../../model/application.js';
import type { Standin } from '../../standin.js';
import type { Client } from '../client-authentication.js';
import type { TokenResponse } from '../token-response.js';

/**
 * What a grant gets: the form body, the identified client (its secret, if given, already checked), and the
 * server, whose stores, signer, clock and issuers it reads (each grant reads the clock once, at its start).
 */
export interface GrantContext {
  body: unknown;
  client: Client;
  standin: Standin;
  /** The client address (`request.ip`, the socket's peer), for the per-address login limit. */
  ip: string;
}

/** A grant module: `grantType` and `handle` (node-oidc-provider's one-file-per-grant shape). */
export interface Grant {
  grantType: GrantType;
  handle(context: GrantContext): Promise<TokenResponse>;
}
