import type * as OpenIdClient from 'openid-client';
import type { OpenIdConnectOauth2 } from '../model/identity-provider.js';
import type { JsonObject } from '../model/json.js';

/**
 * Standin as the relying party of an OpenID Connect identity provider, through openid-client (the library the
 * project's own e2e tests trust to validate Standin): discovery, the authorization URL with state, nonce and PKCE
 * S256 (RFC 7636), and the code exchange, which checks the state, the `iss` of RFC 9207 when the provider sends it,
 * and the id token (signature against the provider's JWKS, `iss`, `aud`, `exp`, `nonce`; OpenID Connect Core 1.0
 * §3.1.3.7).
 */

// An identity provider that does not answer within this many seconds fails the login with a page, not a hang.
const TIMEOUT_SECONDS = 10;

// Loaded on the first federated login, not at start: most Standins have no identity provider (docs/performance.md).
let loaded: Promise<typeof OpenIdClient> | undefined;
const openIdClient = (): Promise<typeof OpenIdClient> => (loaded ??= import('openid-client'));

/** Why a federated login failed at the identity provider, for the error page. */
export class RelyingPartyError extends Error {
  constructor(
    /** `denied`: the provider answered the login with an error; `failed`: it could not be reached or answered badly. */
    readonly kind: 'denied' | 'failed',
    message: string,
    /** Which call to the provider failed: its token endpoint (or the discovery before it), or its UserInfo endpoint. */
    readonly endpoint: 'token' | 'userinfo' = 'token',
  ) {
    super(message);
  }
}

/** The provider's configuration, discovered from `issuer` + `/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4). */
export async function discoverProvider(oauth2: OpenIdConnectOauth2): Promise<OpenIdClient.Configuration> {
  const client = await openIdClient();
  const issuer = new URL(oauth2.issuer!);
  const authentication =
    oauth2.clientAuthenticationMethod === 'none'
      ? client.None()
      : oauth2.clientAuthenticationMethod === 'client_secret_post'
        ? client.ClientSecretPost(oauth2.client_secret)
        : client.ClientSecretBasic(oauth2.client_secret);
  try {
    // A provider on plain http (one on loopback, in development and tests) is allowed: Standin is a development tool,
    // and the developer chose the issuer (docs/identity-providers.md).
    const config = await client.discovery(issuer, oauth2.client_id, undefined, authentication, {
      timeout: TIMEOUT_SECONDS,
      // openid-client marks this deprecated only to make it stand out; plain http is what a loopback provider speaks.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
    });
    config.timeout = TIMEOUT_SECONDS;
    // Checks the id token's signature too, which openid-client leaves out for one fetched over TLS by default.
    client.enableNonRepudiationChecks(config);
    return config;
  } catch (error) {
    throw new RelyingPartyError(
      'failed',
      `Standin could not read the identity provider's discovery document at ${issuer.href}: ${describe(client, error)}`,
    );
  }
}

export interface AuthorizationStart {
  location: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The authorization request to send the browser to (OpenID Connect Core 1.0 §3.1.2.1), and the secrets to check the answer with. */
export async function authorizationRequest(config: OpenIdClient.Configuration, redirectUri: string, scope: string): Promise<AuthorizationStart> {
  const client = await openIdClient();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  const location = client.buildAuthorizationUrl(config, {
    response_type: 'code',
    redirect_uri: redirectUri,
    scope,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { location: location.href, state, nonce, codeVerifier };
}

export interface ProviderAnswer {
  /** The id token's claims overlaid with the UserInfo response's, which FusionAuth reads first. */
  claims: JsonObject;
  /** The UserInfo response (`{}` when the provider has no UserInfo endpoint). */
  userinfo: JsonObject;
  /** The id token's claims, when there is one. */
  idToken?: JsonObject;
  tokens: { access_token: string; id_token?: string; refresh_token?: string };
}

/**
 * Exchanges the code the browser brought back to Standin's callback at the provider's token endpoint, checking the
 * state, the nonce and the PKCE verifier of the login Standin started, then reads its UserInfo endpoint if it has one.
 * `callbackUrl` is the redirect_uri the login was started with plus the query the provider answered with.
 */
export async function exchangeCode(
  config: OpenIdClient.Configuration,
  callbackUrl: URL,
  checks: { state: string; nonce: string; codeVerifier: string; openid: boolean },
): Promise<ProviderAnswer> {
  const client = await openIdClient();
  let tokens;
  try {
    tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      pkceCodeVerifier: checks.codeVerifier,
      idTokenExpected: checks.openid,
    });
  } catch (error) {
    if (error instanceof client.AuthorizationResponseError) {
      const description = error.error_description === undefined ? '' : `: ${error.error_description}`;
      throw new RelyingPartyError('denied', `The identity provider did not log you in (${error.error}${description}).`);
    }
    throw new RelyingPartyError('failed', `Standin could not complete the login with the identity provider: ${describe(client, error)}`);
  }
  return providerAnswer(client, config, tokens);
}

/**
 * Redeems a code an application got from the provider itself (it ran the redirect, to its own `redirectUri`): the
 * Identity Provider Login API (https://fusionauth.io/docs/apis/identity-providers/openid-connect, "Complete an OpenID
 * Connect Login"). The state and the nonce are the application's to check, as they never passed through Standin: the
 * id token is validated as `exchangeCode` validates it (signature, `iss`, `aud`, `exp`) except for its nonce. The
 * PKCE verifier is sent when the application gives one (`data.code_verifier`).
 */
export async function redeemCode(
  config: OpenIdClient.Configuration,
  grant: { code: string; redirectUri: string; codeVerifier?: string; openid: boolean },
): Promise<ProviderAnswer> {
  const client = await openIdClient();
  let tokens;
  try {
    tokens = await client.genericGrantRequest(config, 'authorization_code', {
      code: grant.code,
      redirect_uri: grant.redirectUri,
      ...(grant.codeVerifier === undefined ? {} : { code_verifier: grant.codeVerifier }),
    });
  } catch (error) {
    throw new RelyingPartyError('failed', `Standin could not complete the login with the identity provider: ${describe(client, error)}`);
  }
  // An `openid` request is answered with an id token (OpenID Connect Core 1.0 §3.1.3.3).
  if (grant.openid && tokens.id_token === undefined) {
    throw new RelyingPartyError('failed', 'Standin could not complete the login with the identity provider: its token response has no id_token.');
  }
  return providerAnswer(client, config, tokens);
}

/** The provider's answer from its token response: the id token's claims, and its UserInfo endpoint's when it has one. */
async function providerAnswer(
  client: typeof OpenIdClient,
  config: OpenIdClient.Configuration,
  tokens: OpenIdClient.TokenEndpointResponse & OpenIdClient.TokenEndpointResponseHelpers,
): Promise<ProviderAnswer> {
  const idToken = tokens.claims();
  let userinfo: JsonObject = {};
  // UserInfo answers only an `openid` request, and its `sub` must be the id token's (OpenID Connect Core 1.0 §5.3.2).
  if (idToken !== undefined && config.serverMetadata().userinfo_endpoint !== undefined) {
    try {
      userinfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
    } catch (error) {
      throw new RelyingPartyError(
        'failed',
        `Standin could not read the identity provider's UserInfo endpoint: ${describe(client, error)}`,
        'userinfo',
      );
    }
  }
  return {
    claims: { ...(idToken ?? {}), ...userinfo },
    userinfo,
    ...(idToken === undefined ? {} : { idToken: { ...idToken } }),
    tokens: {
      access_token: tokens.access_token,
      ...(tokens.id_token === undefined ? {} : { id_token: tokens.id_token }),
      ...(tokens.refresh_token === undefined ? {} : { refresh_token: tokens.refresh_token }),
    },
  };
}

function describe(client: typeof OpenIdClient, error: unknown): string {
  if (error instanceof client.ResponseBodyError) {
    return `${error.error}${error.error_description === undefined ? '' : ` (${error.error_description})`}`;
  }
  // A 401 with `WWW-Authenticate` (RFC 6750 §3), as a token endpoint answers a client it does not know.
  if (error instanceof client.WWWAuthenticateChallengeError) {
    const codes = error.cause.map((challenge) => challenge.parameters.error ?? challenge.scheme);
    return `HTTP ${error.status} (${codes.join(', ')})`;
  }
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
