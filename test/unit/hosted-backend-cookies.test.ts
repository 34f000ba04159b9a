import t from 'tap';
import { cookieDomain } from '../../src/hosted-backend/cookies.js';
import { createHash } from 'node:crypto';
import { finishLogin, startLogin } from '../../src/hosted-backend/login-state.js';

t.test('cookies go to the broadest domain that is not a public suffix, as FusionAuth picks it', async (t) => {
  t.equal(await cookieDomain('https://auth.example.com'), 'example.com');
  t.equal(await cookieDomain('https://login.auth.example.co.uk:8443'), 'example.co.uk');
  t.equal(await cookieDomain('http://example.com'), undefined, 'the registrable domain itself: host-only');
  t.equal(await cookieDomain('https://standin.github.io'), undefined, 'a private public suffix (github.io) is never a cookie domain');
});

// Whether they are Secure is decided per request (cookie-security.ts; test/routes/app-hosted-backend.test.ts).
t.test('localhost and IP addresses get host-only cookies', async (t) => {
  t.equal(await cookieDomain('http://localhost:9011'), undefined);
  t.equal(await cookieDomain('http://127.0.0.1:9011'), undefined);
  t.equal(await cookieDomain('http://[::1]:9011'), undefined);
  t.equal(await cookieDomain('https://localhost'), undefined);
});

t.test('the login state round-trips with the verifier it was started with, and anything else is refused', async (t) => {
  const state = { clientId: 'c', redirectUri: 'http://localhost:3000/', state: 'a:b "c"' };
  const started = startLogin(state);
  t.match(started.verifier, /^[A-Za-z0-9_-]{43}$/, 'a 256-bit verifier (RFC 7636 §4.1)');
  t.equal(started.challenge, createHash('sha256').update(started.verifier).digest('base64url'), 'its S256 challenge');
  t.same(finishLogin(started.state, started.verifier), state);
  t.same(finishLogin(startLogin({ clientId: 'c', redirectUri: 'x' }).state, undefined), undefined, 'no cookie');
  t.equal(finishLogin(started.state, startLogin(state).verifier), undefined, "another login's verifier");
  t.equal(finishLogin(undefined, started.verifier), undefined);
  t.equal(finishLogin('not base64 json', started.verifier), undefined);
  t.equal(finishLogin(Buffer.from('null').toString('base64url'), started.verifier), undefined);
  const parsed = JSON.parse(Buffer.from(started.state, 'base64url').toString('utf8')) as Record<string, unknown>;
  const altered = (change: Record<string, unknown>) => Buffer.from(JSON.stringify({ ...parsed, ...change })).toString('base64url');
  t.equal(finishLogin(altered({ redirectUri: 'https://evil.test/' }), started.verifier), undefined, 'an altered redirect_uri');
  t.equal(finishLogin(altered({ state: 'other' }), started.verifier), undefined, 'an altered state');
  t.equal(finishLogin(altered({ binding: undefined }), started.verifier), undefined, 'no binding');
  t.equal(finishLogin(altered({ clientId: 1 }), started.verifier), undefined, 'a wrong type');
});
