import { createServer } from 'node:http';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { launchChromium } from '../helpers/chromium.js';

// FusionAuth's CORS filter as a page on an allowed origin meets it in Chromium (docs/cors-and-discovery.md,
// "What a request gets"): a preflight is answered 204 naming the method asked for, and a POST that carries no
// Content-Type (a fetch POST without a body) is refused, so the page cannot read the answer, while the same
// POST with a Content-Type goes through.
const API_KEY = 'cors-filter-browser-test-key-0123456789';

/** An empty page on 127.0.0.1 (Standin is on localhost: another origin), on a port of its own. */
async function servePage(): Promise<{ origin: string; close: () => void }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => server.close() };
}

/** What the page's fetch saw: the status it could read, or the error the browser gave it. */
type Outcome = { status: number } | { error: string };

t.test('a page on an allowed origin: preflights answered 204 with the method asked for; a POST with no Content-Type is refused', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const app = await servePage();
  t.teardown(app.close);
  const corsConfiguration = { enabled: true, allowedOrigins: [app.origin], allowedMethods: ['GET', 'POST', 'PUT', 'OPTIONS'] };
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      apiKeys: [{ key: API_KEY }],
      requests: [
        {
          method: 'PATCH',
          url: '/api/system-configuration',
          body: {
            systemConfiguration: { corsConfiguration },
          },
        },
      ],
    },
  });
  t.teardown(() => standin.close());

  const context = await browser.newContext();
  const page = await context.newPage();
  // The browser's own view of each preflight, which page scripts never see.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const preflights: Array<{ url: string; status: number; headers: Record<string, string> }> = [];
  cdp.on('Network.responseReceived', (event) => {
    if (event.type === 'Preflight') preflights.push({ url: event.response.url, status: event.response.status, headers: event.response.headers });
  });
  await page.goto(app.origin);

  const call = (url: string, init: RequestInit) =>
    page.evaluate(
      async ([url, init]) => {
        try {
          return { status: (await fetch(url, init)).status };
        } catch (error) {
          return { error: String(error) };
        }
      },
      [url, init] as const,
    ) as Promise<Outcome>;

  const withoutType = await call(`${standin.url}/oauth2/token`, { method: 'POST' });
  t.match(withoutType, { error: /TypeError/ }, 'a POST without a Content-Type is refused: the page cannot read it');
  const withType = await call(`${standin.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '' });
  t.same(withType, { status: 400 }, 'the same POST with a Content-Type reaches the token endpoint');

  const login = await call(`${standin.url}/api/login`, {
    method: 'POST',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ loginId: 'nobody@example.com', password: 'wrong' }),
  });
  t.same(login, { status: 404 }, 'a JSON POST, preflighted, reaches the Login API and its answer is readable');
  const put = await call(`${standin.url}/api/system-configuration`, {
    method: 'PUT',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ systemConfiguration: { corsConfiguration } }),
  });
  t.same(put, { status: 200 }, 'a PUT, preflighted, is readable');
  t.same(
    preflights.map(({ url, status, headers }) => ({ path: new URL(url).pathname, status, methods: headers['access-control-allow-methods'] })),
    [
      { path: '/api/login', status: 204, methods: 'POST' },
      { path: '/api/system-configuration', status: 204, methods: 'PUT' },
    ],
    'each preflight is answered 204 naming only the method it asked for',
  );
});
