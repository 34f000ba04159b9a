import { readFileSync } from 'node:fs';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { JWTPayload } from 'jose';
import { createStandinClient, type StandinClientOptions } from './standin-client.js';

/** One of the seed's two apps: a name, its data endpoint, and how it reaches Standin. */
export interface SeedAppOptions extends Omit<StandinClientOptions, 'redirectUri'> {
  /** `store` or `forums`: the cookie prefix and the page's look. */
  name: string;
  title: string;
  /** Where this app is reached, e.g. http://localhost:3000. */
  publicUrl: string;
  /** The SPA's data call (`/api/load-shopping-cart`, `/api/load-posts`) and what it answers for a user. */
  dataPath: string;
  loadData: (user: JWTPayload) => unknown;
}

const SCRIPT = readFileSync(new URL('./public/app.js', import.meta.url), 'utf8');
const STYLE = readFileSync(new URL('./public/app.css', import.meta.url), 'utf8');

/**
 * A seed app's backend (reference §1): it serves the SPA, runs the OAuth login with Standin, and keeps the
 * JWT and the refresh token in HttpOnly cookies on its own host, refreshing the JWT when it expires.
 */
export async function createSeedApp(options: SeedAppOptions): Promise<FastifyInstance> {
  const standin = createStandinClient({ ...options, redirectUri: `${options.publicUrl}/oauth-redirect` });
  const cookies = { jwt: `${options.name}.jwt`, refresh: `${options.name}.refresh`, login: `${options.name}.login` };
  const secure = options.publicUrl.startsWith('https:');
  const set = (reply: FastifyReply, name: string, value: string) =>
    reply.setCookie(name, value, { path: '/', httpOnly: true, sameSite: 'lax', secure });

  /** The signed-in user, refreshing an expired JWT on the way (steps 19–22); undefined means log in again. */
  const currentUser = async (request: FastifyRequest, reply: FastifyReply): Promise<{ claims: JWTPayload; accessToken: string } | undefined> => {
    const jwt = request.cookies[cookies.jwt];
    if (jwt) {
      const verified = await standin.verify(jwt);
      if (verified.valid) return { claims: verified.claims, accessToken: jwt };
    }
    const refreshToken = request.cookies[cookies.refresh];
    const refreshed = refreshToken ? await standin.refresh(refreshToken) : undefined;
    if (!refreshed) {
      // Step 25–26: the refresh token is gone; forget everything and let the SPA send the user to log in.
      reply.clearCookie(cookies.jwt, { path: '/' }).clearCookie(cookies.refresh, { path: '/' });
      return undefined;
    }
    set(reply, cookies.jwt, refreshed.accessToken);
    set(reply, cookies.refresh, refreshed.refreshToken);
    const verified = await standin.verify(refreshed.accessToken);
    return verified.valid ? { claims: verified.claims, accessToken: refreshed.accessToken } : undefined;
  };

  const app = Fastify({ logger: false });
  await app.register(cookie);

  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page(options)));
  app.get('/app.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(SCRIPT));
  app.get('/app.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(STYLE));

  // Steps 3–4 and 15–16: who is logged in; 404 when nobody is.
  app.get('/api/user', async (request, reply) => {
    const user = await currentUser(request, reply);
    if (!user) return reply.code(404).send({ error: 'not logged in' });
    const profile = await standin.userinfo(user.accessToken);
    return { id: user.claims.sub, email: profile?.email, name: profile?.name };
  });

  // Steps 17–18: the app's own data, for a verified JWT only.
  app.get(options.dataPath, async (request, reply) => {
    const user = await currentUser(request, reply);
    if (!user) return reply.code(401).send({ error: 'log in again' });
    return options.loadData(user.claims);
  });

  // Step 5: to Standin's login, remembering state and the PKCE verifier in a short-lived HttpOnly cookie.
  app.get('/login', async (_request, reply) => {
    const login = standin.startLogin();
    reply.setCookie(cookies.login, JSON.stringify({ state: login.state, verifier: login.verifier }), {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: 600,
    });
    return reply.redirect(login.url, 302);
  });

  // Steps 9–12: back from Standin with a code; trade it and keep the tokens in HttpOnly cookies.
  app.get<{ Querystring: { code?: string; state?: string } }>('/oauth-redirect', async (request, reply) => {
    const pending = parseLogin(request.cookies[cookies.login]);
    reply.clearCookie(cookies.login, { path: '/' });
    if (!pending || !request.query.code || request.query.state !== pending.state)
      return reply.code(400).send({ error: 'this login was not started here' });
    const tokens = await standin.exchangeCode(request.query.code, pending.verifier);
    if (!tokens) return reply.code(400).send({ error: 'Standin refused the code' });
    set(reply, cookies.jwt, tokens.accessToken);
    set(reply, cookies.refresh, tokens.refreshToken);
    return reply.redirect('/', 302);
  });

  // Log out here and at Standin, which ends the SSO session and sends the browser back.
  app.get('/logout', async (_request, reply) => {
    reply.clearCookie(cookies.jwt, { path: '/' }).clearCookie(cookies.refresh, { path: '/' });
    return reply.redirect(standin.logoutUrl(`${options.publicUrl}/`), 302);
  });

  return app;
}

function parseLogin(value: string | undefined): { state: string; verifier: string } | undefined {
  try {
    const parsed = JSON.parse(value ?? '') as { state?: unknown; verifier?: unknown };
    return typeof parsed.state === 'string' && typeof parsed.verifier === 'string' ? { state: parsed.state, verifier: parsed.verifier } : undefined;
  } catch {
    return undefined;
  }
}

function page(options: SeedAppOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${options.title}</title>
  <link rel="stylesheet" href="/app.css">
</head>
<body class="${options.name}">
  <header><h1>${options.title}</h1><span id="who"></span></header>
  <main>
    <section id="logged-out" hidden>
      <p>You are not logged in.</p>
      <button id="login" type="button">Log in</button>
    </section>
    <section id="logged-in" hidden>
      <button id="load" type="button">Reload</button>
      <button id="logout" type="button">Log out</button>
      <ul id="items" aria-live="polite"></ul>
    </section>
  </main>
  <script src="/app.js" data-path="${options.dataPath}"></script>
</body>
</html>`;
}
