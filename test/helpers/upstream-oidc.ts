import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { HttpBrowser } from './http-browser.js';

/** A user of the upstream provider: its `sub` (the login name typed on its form) and the claims it shares. */
export interface UpstreamAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  preferred_username?: string;
  given_name?: string;
}

export interface Upstream {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider on loopback for federated-login tests: oidc-provider 9 (as bench/servers/oidc-provider.mjs
 * starts it) with one confidential client whose redirect URI is Standin's `/oauth2/callback` (and any other given: an
 * application's own, for the Identity Provider Login API), its devInteractions
 * login form (any login name, no password check) and consent granted without a page. `accounts` are the users it
 * knows, by the login name typed; any other name logs in with only a `sub`.
 */
export async function startUpstream(redirectUri: string | string[], accounts: UpstreamAccount[]): Promise<Upstream> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'standin';
  const clientSecret = 'upstream-client-secret-0123456789abcdef';
  const byName = new Map(accounts.map((account) => [account.sub, account]));
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: ([] as string[]).concat(redirectUri),
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['preferred_username', 'given_name'] },
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ ...(byName.get(id) ?? {}), sub: id }) }),
    cookies: { keys: ['upstream-cookie-key-not-a-secret'] },
    // Set, so that oidc-provider prints no notice about its defaults into the test output.
    ttl: { AccessToken: 3600, AuthorizationCode: 60, Grant: 3600, IdToken: 3600, Interaction: 3600, Session: 3600 },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/**
 * Logs in at the upstream provider as `login` with the browser sent there: its login form, then the redirects back,
 * up to the first that leaves the provider. Answers that redirect's URL (Standin's `/oauth2/callback?...`).
 */
export async function loginUpstream(browser: HttpBrowser, authorizationUrl: string, login: string): Promise<string> {
  const origin = new URL(authorizationUrl).origin;
  let response = await browser.get(authorizationUrl);
  for (let hop = 0; hop < 10; hop += 1) {
    const location = response.headers.get('location');
    if (location !== null) {
      const next = new URL(location, origin);
      if (next.origin !== origin) return next.href;
      response = await browser.get(next.href);
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (response.status !== 200 || action === undefined) throw new Error(`upstream answered ${response.status}: ${html.slice(0, 300)}`);
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1] ?? 'login';
    response = await browser.post(new URL(action, origin).href, prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
  }
  throw new Error('the upstream provider redirected too many times');
}
