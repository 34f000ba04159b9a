import { hiddenFields } from './login.js';

export interface HttpBrowser {
  cookie(name: string): string | undefined;
  setCookie(name: string, value: string): void;
  get(url: string): Promise<Response>;
  post(url: string, form: Record<string, string>): Promise<Response>;
  /** Opens an authorize URL; if the login form shows, fills it in. Resolves with the final redirect's Location. */
  authorize(
    url: string,
    credentials?: { loginId: string; password: string; rememberDevice?: boolean },
  ): Promise<{ location: string; showedForm: boolean }>;
}

/**
 * Just enough of a browser for end-to-end tests without Chromium: it keeps the cookies Standin sets (one
 * host), follows no redirect by itself, and submits the hosted login form the way a browser would.
 */
export function createHttpBrowser(): HttpBrowser {
  const cookies = new Map<string, string>();

  const request = async (url: string, init: RequestInit): Promise<Response> => {
    const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const [name, ...value] = pair!.split('=');
      const expired = attributes.some(
        (attribute) => /^\s*max-age=0\s*$/i.test(attribute) || (/^\s*expires=/i.test(attribute) && Date.parse(attribute.split('=')[1]!) < Date.now()),
      );
      if (expired) cookies.delete(name!.trim());
      else cookies.set(name!.trim(), value.join('='));
    }
    return response;
  };
  const get = (url: string) => request(url, { method: 'GET' });
  const post = (url: string, form: Record<string, string>) =>
    request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });

  return {
    cookie: (name) => cookies.get(name),
    setCookie: (name, value) => void cookies.set(name, value),
    get,
    post,
    async authorize(url, credentials) {
      const first = await get(url);
      if (first.status === 302) return { location: first.headers.get('location')!, showedForm: false };
      const html = await first.text();
      if (first.status !== 200 || !credentials) throw new Error(`expected a redirect or the login form, got ${first.status}: ${html.slice(0, 200)}`);
      const form = {
        ...hiddenFields(html),
        loginId: credentials.loginId,
        password: credentials.password,
        ...(credentials.rememberDevice ? { rememberDevice: 'true' } : {}),
      };
      const posted = await post(new URL('/oauth2/authorize', url).href, form);
      if (posted.status !== 302) throw new Error(`the login POST answered ${posted.status}: ${(await posted.text()).slice(0, 300)}`);
      return { location: posted.headers.get('location')!, showedForm: true };
    },
  };
}
