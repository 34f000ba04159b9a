import { createHash, randomBytes } from 'node:crypto';
import type { StandinApp } from '../../src/app.js';

/** A PKCE pair (RFC 7636 §4.1–4.2). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeQuery(params: Record<string, string>): string {
  return new URLSearchParams({ response_type: 'code', ...params }).toString();
}

/** The hidden fields of a rendered login page, unescaped, as the browser would post them. */
export function hiddenFields(html: string): Record<string, string> {
  const unescape = (value: string) =>
    value
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  return Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((match) => [match[1]!, unescape(match[2]!)]),
  );
}

export interface LoginResult {
  status: number;
  location?: string;
  /** The `fusionauth.sso` cookie value, when the login set one. */
  sso?: string;
  body: string;
  setCookie: string[];
}

/**
 * Logs in through the hosted page as a browser does: GET /oauth2/authorize, then POST the form with its
 * hidden fields, CSRF cookie and the credentials.
 */
export async function loginThroughForm(
  app: StandinApp,
  params: Record<string, string>,
  credentials: { loginId: string; password: string; rememberDevice?: boolean },
): Promise<LoginResult> {
  const page = await app.inject(`/oauth2/authorize?${authorizeQuery(params)}`);
  if (page.statusCode !== 200) throw new Error(`the login page answered ${page.statusCode}: ${page.body.slice(0, 300)}`);
  const csrf = page.cookies.find((cookie) => cookie.name === 'standin.csrf');
  const form = new URLSearchParams({ ...hiddenFields(page.body), loginId: credentials.loginId, password: credentials.password });
  if (credentials.rememberDevice) form.set('rememberDevice', 'true');
  const response = await app.inject({
    method: 'POST',
    url: '/oauth2/authorize',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    cookies: csrf ? { 'standin.csrf': csrf.value } : {},
    payload: form.toString(),
  });
  const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const sso = response.cookies.find((cookie) => cookie.name === 'fusionauth.sso')?.value;
  return {
    status: response.statusCode,
    body: response.body,
    setCookie,
    ...(typeof response.headers.location === 'string' ? { location: response.headers.location } : {}),
    ...(sso ? { sso } : {}),
  };
}
