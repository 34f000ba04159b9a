import * as client from 'openid-client';
import { createHttpBrowser } from './http-browser.js';

export interface OpenIdLogin {
  /** Standin's URL: discovery is fetched from `<url>/.well-known/openid-configuration`. */
  url: string;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  loginId: string;
  password: string;
  scope?: string;
}

/**
 * A user logs in as a real relying party would: openid-client discovers Standin, sends a fresh browser to the
 * hosted login page with PKCE, state and nonce, and trades the code with strict id-token validation. Rejects
 * when any step fails, so a fixture that cannot log its user in fails the test.
 */
export async function openIdLogin(login: OpenIdLogin): Promise<client.TokenEndpointResponse & client.TokenEndpointResponseHelpers> {
  const configuration = await client.discovery(new URL(login.url), login.clientId, login.clientSecret, undefined, {
    execute: [client.allowInsecureRequests],
  });
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authorizeUrl = client.buildAuthorizationUrl(configuration, {
    redirect_uri: login.redirectUri,
    scope: login.scope ?? 'openid offline_access email profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const { location } = await createHttpBrowser().authorize(authorizeUrl.href, { loginId: login.loginId, password: login.password });
  return client.authorizationCodeGrant(configuration, new URL(location), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
}
