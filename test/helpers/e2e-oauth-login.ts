import { createHttpBrowser } from './http-browser.js';

export interface OAuthClientSettings {
  url: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface OAuthTokens {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
}

/**
 * A fresh browser logs in on a live Standin's hosted page (authorization code grant), and the backend trades
 * the code at /oauth2/token with its secret. Rejects when the login form does not lead to a code, so a wrong
 * password shows up as a rejection.
 */
export async function oauthLogin(
  client: OAuthClientSettings,
  credentials: { loginId: string; password: string },
  scope = 'openid offline_access',
): Promise<OAuthTokens> {
  const browser = createHttpBrowser();
  const query = new URLSearchParams({ response_type: 'code', client_id: client.clientId, redirect_uri: client.redirectUri, scope, state: 's' });
  const { location } = await browser.authorize(`${client.url}/oauth2/authorize?${query}`, credentials);
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  const response = await fetch(`${client.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: client.redirectUri,
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }).toString(),
  });
  if (response.status !== 200) throw new Error(`the token endpoint answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as OAuthTokens;
}
