import { createServer } from 'node:net';
import * as client from 'openid-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { isHostHeader } from '../../src/request-base-url.js';
import { buildEmptyApp, hiddenFields, QUICKSTART_APP, QUICKSTART_SECRET } from '../helpers/fixtures.js';
import { createHttpBrowser } from '../helpers/http-browser.js';

const DISCOVERY = '/.well-known/openid-configuration';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

t.test('a Host header is used only when it is a plain host[:port]', async (t) => {
  for (const good of ['standin', 'standin:9011', 'localhost:9011', '127.0.0.1:9011', '[::1]:9011', 'auth.example.com', 'a-b.example:1']) {
    t.ok(isHostHeader(good), good);
  }
  for (const bad of [
    '',
    'a b',
    'evil.example/x',
    'user@evil.example',
    'evil.example:99999',
    'evil.example:0',
    'a,b',
    '"x"',
    '<script>',
    'x:y',
    '-x.example',
    'x'.repeat(300),
  ]) {
    t.notOk(isHostHeader(bad), JSON.stringify(bad.slice(0, 20)));
  }
});

t.test('discovery: server-to-server endpoints under the origin the request came to, the issuer and browser endpoints as configured', async (t) => {
  const app = await buildEmptyApp(t, { issuer: 'http://localhost:9011' });
  const fromContainer = (await app.inject({ url: DISCOVERY, headers: { host: 'standin:9011' } })).json();
  t.equal(fromContainer.issuer, 'http://localhost:9011', 'the issuer never follows the request');
  t.equal(fromContainer.token_endpoint, 'http://standin:9011/oauth2/token');
  t.equal(fromContainer.userinfo_endpoint, 'http://standin:9011/oauth2/userinfo');
  t.equal(fromContainer.introspection_endpoint, 'http://standin:9011/oauth2/introspect');
  t.equal(fromContainer.jwks_uri, 'http://standin:9011/.well-known/jwks.json');
  t.equal(fromContainer.authorization_endpoint, 'http://localhost:9011/oauth2/authorize', 'where the browser is sent: the configured URL');
  t.equal(fromContainer.end_session_endpoint, 'http://localhost:9011/oauth2/logout');

  const fromBrowser = (await app.inject({ url: DISCOVERY, headers: { host: 'localhost:9011' } })).json();
  t.equal(fromBrowser.token_endpoint, 'http://localhost:9011/oauth2/token');
  t.match((await app.inject({ url: DISCOVERY, headers: { host: 'standin:9011' } })).headers.vary, /Host/, 'a cache keeps one answer per host');

  for (const host of ['evil.example/x', 'a b', 'evil.example:99999', 'user@evil.example']) {
    const body = (await app.inject({ url: DISCOVERY, headers: { host } })).json();
    t.equal(body.token_endpoint, 'http://localhost:9011/oauth2/token', `garbage Host ${JSON.stringify(host)} falls back to the configured URL`);
    t.notMatch(JSON.stringify(body), /evil/);
  }
});

t.test('X-Forwarded-Proto/Host are ignored unless trustProxy is on, and then only from the trusted addresses', async (t) => {
  const forwarded = { host: 'standin:9011', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'auth.example.com' };
  const off = await buildEmptyApp(t, { issuer: 'http://localhost:9011' });
  t.equal((await off.inject({ url: DISCOVERY, headers: forwarded })).json().token_endpoint, 'http://standin:9011/oauth2/token', 'off by default');

  const on = await buildEmptyApp(t, { issuer: 'http://localhost:9011', trustProxy: true });
  const body = (await on.inject({ url: DISCOVERY, headers: forwarded })).json();
  t.equal(body.token_endpoint, 'https://auth.example.com/oauth2/token');
  t.equal(body.issuer, 'http://localhost:9011');
  const garbage = (await on.inject({ url: DISCOVERY, headers: { ...forwarded, 'x-forwarded-host': 'evil.example/<x>' } })).json();
  t.equal(garbage.token_endpoint, 'http://localhost:9011/oauth2/token', 'a forwarded host is validated too');

  const pinned = await buildEmptyApp(t, { issuer: 'http://localhost:9011', trustProxy: '10.0.0.0/8' });
  const fromStranger = (await pinned.inject({ url: DISCOVERY, headers: forwarded, remoteAddress: '192.0.2.7' })).json();
  t.equal(fromStranger.token_endpoint, 'http://standin:9011/oauth2/token', 'a client that is not the proxy cannot forward');
  const fromProxy = (await pinned.inject({ url: DISCOVERY, headers: forwarded, remoteAddress: '10.1.2.3' })).json();
  t.equal(fromProxy.token_endpoint, 'https://auth.example.com/oauth2/token');
});

t.test('the hosted backend sends the browser back to the origin it used, and tokens keep the configured iss', async (t) => {
  const app = await buildEmptyApp(t, { issuer: 'http://localhost:9011', kickstart: undefined });
  const host = { host: '127.0.0.1:9011' };
  const login = await app.inject({ url: `/app/login/${QUICKSTART_APP}?redirect_uri=${encodeURIComponent('http://localhost:3000')}`, headers: host });
  const authorize = new URL(login.headers.location as string, 'http://127.0.0.1:9011');
  t.equal(authorize.searchParams.get('redirect_uri'), 'http://127.0.0.1:9011/app/callback');
  const pkce = login.cookies.find((cookie) => cookie.name === 'app.pkce_v')!.value;
  const page = await app.inject({ url: authorize.pathname + authorize.search, headers: host });
  t.equal(page.statusCode, 200, "Standin's own callback under the origin the browser used is accepted");
  const csrf = page.cookies.find((cookie) => cookie.name === 'standin.csrf')!.value;
  const posted = await app.inject({
    method: 'POST',
    url: '/oauth2/authorize',
    headers: { ...host, 'content-type': 'application/x-www-form-urlencoded' },
    cookies: { 'standin.csrf': csrf },
    payload: new URLSearchParams({ ...hiddenFields(page.body), loginId: 'richard@example.com', password: 'password' }).toString(),
  });
  const callback = new URL(posted.headers.location as string);
  t.equal(callback.origin, 'http://127.0.0.1:9011');
  t.equal(callback.searchParams.get('iss'), 'http://localhost:9011', 'RFC 9207 iss is the configured issuer');
  const done = await app.inject({ url: callback.pathname + callback.search, headers: host, cookies: { 'app.pkce_v': pkce } });
  t.equal(done.statusCode, 302);
  const at = done.cookies.find((cookie) => cookie.name === 'app.at')!.value;
  const claims = JSON.parse(Buffer.from(at.split('.')[1]!, 'base64url').toString());
  t.equal(claims.iss, 'http://localhost:9011');

  const stranger = await app.inject({
    url: `/oauth2/authorize?${new URLSearchParams({ client_id: QUICKSTART_APP, response_type: 'code', redirect_uri: 'http://other.example/app/callback' })}`,
    headers: host,
  });
  t.equal(stranger.statusCode, 400, 'only the origin this request came to, not any host, counts as the hosted callback');
});

t.test('openid-client: a browser at the issuer and a container at another origin both complete the code flow', async (t) => {
  const port = await freePort();
  const issuer = `http://localhost:${port}`;
  const standin = await startStandin({ port, issuer, passwordHashing: 'fast' });
  t.teardown(() => standin.close());
  t.equal(standin.issuer, issuer);

  for (const [name, discoveryUrl, origin] of [
    // openid-client checks that the issuer equals the URL discovered from, unless given the document's own URL.
    ['from the issuer URL', new URL(issuer), issuer],
    ['from another origin, as a container reaches Standin', new URL(`http://127.0.0.1:${port}${DISCOVERY}`), `http://127.0.0.1:${port}`],
  ] as const) {
    t.test(name, async (t) => {
      const config = await client.discovery(discoveryUrl, QUICKSTART_APP, QUICKSTART_SECRET, undefined, { execute: [client.allowInsecureRequests] });
      const metadata = config.serverMetadata();
      t.equal(metadata.issuer, issuer, 'the issuer stays the configured one');
      t.equal(metadata.token_endpoint, `${origin}/oauth2/token`, 'the token endpoint is under the origin used');
      t.equal(metadata.authorization_endpoint, `${issuer}/oauth2/authorize`, 'the browser is sent to the configured URL');

      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: 'http://localhost:3000',
        scope: 'openid offline_access',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      const browser = createHttpBrowser();
      const { location } = await browser.authorize(url.href, { loginId: 'richard@example.com', password: 'password' });
      // Strict checks: state, RFC 9207 iss, PKCE, and the ID token's iss, aud, signature through the JWKS.
      const tokens = await client.authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: verifier, expectedState: state });
      t.equal(tokens.claims()?.iss, issuer);
      t.ok(tokens.refresh_token, 'a refresh token');
      const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
      t.ok(refreshed.access_token, 'refresh works at the same token endpoint');
      const info = await client.fetchUserInfo(config, refreshed.access_token, tokens.claims()!.sub);
      t.equal(info.sub, tokens.claims()!.sub, 'userinfo under the origin used');
    });
  }
});
