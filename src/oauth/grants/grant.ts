import type { JwtSigner } from '../../keys/jwt-signer.js';
import type { GrantType } from '../../model/application.js';
import type { Tenant } from '../../model/tenant.js';
import type { Standin } from '../../standin.js';
import type { Stores } from '../../store/index.js';
import type { Client } from '../client-authentication.js';
import type { TokenResponse } from '../token-response.js';

/** What a grant gets: the form body, the identified client (its secret, if given, already checked), and the server. */
export interface GrantContext {
  body: unknown;
  client: Client;
  stores: Stores;
  jwt: JwtSigner;
  /** Milliseconds since the epoch, from the injected clock. */
  now: number;
  issuerOf: (tenant: Tenant) => string;
  /** The whole server, for grants that check passwords (the password hasher lives there). */
  standin: Standin;
  /** The client address (`request.ip`, the socket's peer), for the per-address login limit. */
  ip: string;
}

/** A grant module: `grantType` and `handle` (node-oidc-provider's one-file-per-grant shape). */
export interface Grant {
  grantType: GrantType;
  handle(context: GrantContext): Promise<TokenResponse>;
}
