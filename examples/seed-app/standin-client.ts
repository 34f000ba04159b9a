import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

/** How one of the seed's apps reaches Standin: its own client credentials and Standin's URL. */
export interface StandinClientOptions {
  standinUrl: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where Standin sends the browser back with the code: this app's `/oauth-redirect`. */
  redirectUri: string;
  /** Milliseconds since the epoch; tests move it to expire JWTs. */
  now: () => number;
}

export type Verified = { valid: true; claims: JWTPayload } | { valid: false; expired: boolean };

/** The OAuth calls the seed's backends make (reference §1, steps 5–11, 17–22). */
export function createStandinClient(options: StandinClientOptions) {
  const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', options.standinUrl));
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64')}`;

  return {
    /** Step 5: the authorize URL, with a fresh state and PKCE pair (RFC 7636) to keep until the callback. */
    startLogin() {
      const state = randomBytes(16).toString('base64url');
      const verifier = randomBytes(32).toString('base64url');
      const url = new URL('/oauth2/authorize', options.standinUrl);
      url.search = new URLSearchParams({
        client_id: options.clientId,
        redirect_uri: options.redirectUri,
        response_type: 'code',
        scope: 'openid offline_access email profile',
        state,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      }).toString();
      return { url: url.href, state, verifier };
    },

    /** Steps 10–11: the code and the client secret for a JWT and a refresh token. */
    async exchangeCode(code: string, verifier: string): Promise<{ accessToken: string; refreshToken: string } | undefined> {
      const response = await fetch(new URL('/oauth2/token', options.standinUrl), {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: options.redirectUri, code_verifier: verifier }),
      });
      if (!response.ok) return undefined;
      const body = (await response.json()) as { access_token: string; refresh_token: string };
      return { accessToken: body.access_token, refreshToken: body.refresh_token };
    },

    /** Step 18: the JWT is Standin's, for this app, and not expired (by this app's clock). */
    async verify(token: string): Promise<Verified> {
      try {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: options.issuer,
          audience: options.clientId,
          algorithms: ['RS256'],
          currentDate: new Date(options.now()),
        });
        return { valid: true, claims: payload };
      } catch (error) {
        return { valid: false, expired: error instanceof errors.JWTExpired };
      }
    },

    /** Steps 20–21: a new JWT for the refresh token, through FusionAuth's `/api/jwt/refresh`; undefined once it is dead. */
    async refresh(refreshToken: string): Promise<{ accessToken: string; refreshToken: string } | undefined> {
      const response = await fetch(new URL('/api/jwt/refresh', options.standinUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
      if (!response.ok) return undefined;
      const body = (await response.json()) as { token: string; refreshToken: string };
      return { accessToken: body.token, refreshToken: body.refreshToken };
    },

    /** The user's profile for the SPA, from Standin's userinfo endpoint. */
    async userinfo(accessToken: string): Promise<Record<string, unknown> | undefined> {
      const response = await fetch(new URL('/oauth2/userinfo', options.standinUrl), { headers: { authorization: `Bearer ${accessToken}` } });
      return response.ok ? ((await response.json()) as Record<string, unknown>) : undefined;
    },

    /** Log out: Standin ends the SSO session, then sends the browser back to `returnTo`. */
    logoutUrl(returnTo: string): string {
      const url = new URL('/oauth2/logout', options.standinUrl);
      url.search = new URLSearchParams({ client_id: options.clientId, post_logout_redirect_uri: returnTo }).toString();
      return url.href;
    },
  };
}

export type StandinClient = ReturnType<typeof createStandinClient>;
