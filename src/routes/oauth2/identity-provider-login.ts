import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { secureCookies } from '../../cookie-security.js';
import { federatedUser } from '../../manage/federated-login.js';
import { LinkRefused } from '../../manage/identity-provider-linking.js';
import {
  forApplication,
  isOfferedTo,
  isOpenIdConnect,
  OPENID_CONNECT_AUTHENTICATION_TYPE,
  type OpenIdConnectIdentityProvider,
} from '../../model/identity-provider.js';
import type { AuthorizeRequest } from '../../oauth/authorize-request.js';
import { constantEquals } from '../../oauth/constant-equals.js';
import { authorizationRequest, discoverProvider, exchangeCode, RelyingPartyError } from '../../oauth/relying-party.js';
import { requestBaseUrl } from '../../request-base-url.js';
import type { Standin } from '../../standin.js';
import { hashSecret, newSecret } from '../../store/secrets.js';
import { finishHostedLogin } from './finish-login.js';
import { HIDDEN_FIELDS } from './login-page.js';
import { carriedAuthorizeRequest } from './login-reply.js';

// FusionAuth's redirect URI for every OpenID Connect identity provider
// (https://fusionauth.io/docs/lifecycle/authenticate-users/identity-providers/overview-oidc).
const CALLBACK_PATH = '/oauth2/callback';
// A per-browser secret that binds a login sent to an identity provider to the browser that started it: a callback URL
// carried to another browser (login CSRF, RFC 6749 §10.12) finds no matching cookie. SameSite=Lax, since the provider
// sends the browser back with a top-level GET from its own site.
const BROWSER_COOKIE = 'standin.idp';
// How long a login may stay at the identity provider before its state is refused.
const LOGIN_TTL_MS = 10 * 60 * 1000;

/**
 * Sends the browser to `provider`'s authorization endpoint (the authorization code flow with PKCE and a nonce), after
 * storing what the callback needs: the state, the PKCE verifier, the nonce, and the authorization request the login
 * page carried, to finish the login with.
 */
export async function startIdentityProviderLogin(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  provider: OpenIdConnectIdentityProvider,
  params: Record<string, unknown>,
): Promise<FastifyReply> {
  const { oauth2 } = forApplication(provider, authz.application.id);
  const redirectUri = `${requestBaseUrl(request, standin.baseUrl())}${CALLBACK_PATH}`;
  let start;
  try {
    start = await authorizationRequest(await discoverProvider(oauth2), redirectUri, oauth2.scope ?? 'openid');
  } catch (error) {
    if (error instanceof RelyingPartyError) return failurePage(reply, provider, error);
    throw error;
  }
  const carried = Object.fromEntries(HIDDEN_FIELDS.flatMap((name) => (typeof params[name] === 'string' ? [[name, params[name]]] : [])));
  const now = standin.config.now();
  standin.stores.identityProviderLogins.insert(
    start.state,
    {
      identityProviderId: provider.id,
      browserHash: hashSecret(browserSecret(request, reply)),
      codeVerifier: start.codeVerifier,
      nonce: start.nonce,
      redirectUri,
      params: carried,
      expiresAt: now + LOGIN_TTL_MS,
    },
    now,
  );
  return reply.redirect(start.location, 302);
}

interface CallbackQuery {
  state?: string;
}

/**
 * `GET /oauth2/callback`: where an OpenID Connect identity provider sends the browser back. The state must name a
 * login this browser started and nobody has finished (single use, ten minutes); then openid-client exchanges the code
 * and validates the id token, the linking strategy finds or creates the user, and the login ends as a password login
 * would, with the code at the application's redirect_uri. Anything wrong is an error page: never a redirect, since
 * nothing in the request is trusted until the state is.
 */
export async function identityProviderCallbackRoutes(app: FastifyInstance): Promise<void> {
  const querystring = { type: 'object', properties: { state: { type: 'string', maxLength: 512 } } } as const;
  app.get<{ Querystring: CallbackQuery }>('/callback', { schema: { querystring } }, async (request, reply) => {
    const standin = request.server.standin;
    const { state } = request.query;
    const login = state === undefined || state === '' ? undefined : standin.stores.identityProviderLogins.take(state, standin.config.now());
    if (!login) {
      return refusal(
        reply,
        'This login through an identity provider expired, was already used, or was not started here. Go back to the application and log in again.',
      );
    }
    const cookie = request.cookies[BROWSER_COOKIE];
    if (cookie === undefined || !constantEquals(hashSecret(cookie), login.browserHash)) {
      return refusal(reply, 'This login through an identity provider was started in another browser. Go back to the application and log in again.');
    }
    const stored = standin.stores.identityProviders.get(login.identityProviderId);
    const provider = isOpenIdConnect(stored) ? stored : undefined;
    const authz = carriedAuthorizeRequest(standin, request, login.params);
    if (!provider || !authz || !isOfferedTo(provider, authz.application.id, authz.application.tenantId)) {
      return refusal(reply, 'This identity provider is no longer offered to this application. Go back to the application and log in again.');
    }
    const tenant = standin.stores.tenants.get(authz.application.tenantId)!;
    const callbackUrl = new URL(login.redirectUri);
    callbackUrl.search = new URL(request.url, 'http://callback').search;
    let user;
    try {
      user = await federatedUser(
        standin,
        provider,
        tenant,
        authz.application,
        (config, oauth2) =>
          exchangeCode(config, callbackUrl, {
            state: state!,
            nonce: login.nonce,
            codeVerifier: login.codeVerifier,
            openid: (oauth2.scope ?? 'openid').split(' ').includes('openid'),
          }),
        {
          debug: (claims) => {
            request.log.info({ identityProvider: provider.id, claims }, 'identity provider: claims received');
          },
        },
      );
    } catch (error) {
      if (error instanceof RelyingPartyError) return failurePage(reply, provider, error);
      if (error instanceof LinkRefused) return refusal(reply, error.message, provider);
      throw error;
    }
    // The provider vouches for the user, second factor included: FusionAuth leaves MFA to a federated identity system
    // (https://fusionauth.io/docs/lifecycle/authenticate-users/identity-providers, "Account Security").
    return finishHostedLogin(standin, request, reply, {
      authz,
      tenant,
      user,
      params: login.params,
      rememberDevice: false,
      authenticationType: OPENID_CONNECT_AUTHENTICATION_TYPE,
      secondFactorPassed: true,
      identityProvider: { id: provider.id, name: provider.name, identityProviderType: provider.type },
    });
  });
}

/** The browser's binding secret, set now if it has none. */
function browserSecret(request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[BROWSER_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const secret = newSecret();
  reply.setCookie(BROWSER_COOKIE, secret, { path: CALLBACK_PATH, httpOnly: true, sameSite: 'lax', secure: secureCookies(request) });
  return secret;
}

function refusal(reply: FastifyReply, description: string, provider?: OpenIdConnectIdentityProvider): FastifyReply {
  return reply.code(400).view('error', {
    title: provider === undefined ? 'This login cannot be finished' : `Login with ${provider.name} failed`,
    subtitle: 'Standin did not send you back to the application.',
    description,
    error: { error: 'invalid_request', error_description: description, error_reason: 'unknown' },
  });
}

/** The identity provider could not be reached, or did not log the user in. */
function failurePage(reply: FastifyReply, provider: OpenIdConnectIdentityProvider, error: RelyingPartyError): FastifyReply {
  reply.request.log.warn({ identityProvider: provider.id, reason: error.message }, 'identity provider login failed');
  return reply.code(error.kind === 'denied' ? 400 : 502).view('error', {
    title: `Login with ${provider.name} failed`,
    subtitle: 'Standin did not send you back to the application.',
    description: error.message,
    error: { error: error.kind === 'denied' ? 'access_denied' : 'server_error', error_description: error.message, error_reason: 'unknown' },
  });
}
