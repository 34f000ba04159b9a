import t from 'tap';
import { cookieScope } from '../../src/hosted-backend/cookies.js';
import { unwrapState, wrapState } from '../../src/hosted-backend/login-state.js';

t.test('cookies go to the broadest domain that is not a public suffix, as FusionAuth picks it', async (t) => {
  t.same(cookieScope('https://auth.example.com'), { domain: 'example.com', secure: true });
  t.same(cookieScope('https://login.auth.example.co.uk:8443'), { domain: 'example.co.uk', secure: true });
  t.same(cookieScope('http://example.com'), { secure: false }, 'the registrable domain itself: host-only');
  t.same(cookieScope('https://standin.github.io'), { secure: true }, 'a private public suffix (github.io) is never a cookie domain');
});

t.test('localhost and IP addresses get host-only cookies, Secure only on https', async (t) => {
  t.same(cookieScope('http://localhost:9011'), { secure: false });
  t.same(cookieScope('http://127.0.0.1:9011'), { secure: false });
  t.same(cookieScope('http://[::1]:9011'), { secure: false });
  t.same(cookieScope('https://localhost'), { secure: true });
});

t.test('the login state round-trips, and anything else is refused', async (t) => {
  const state = { clientId: 'c', redirectUri: 'http://localhost:3000/', state: 'a:b "c"' };
  t.same(unwrapState(wrapState(state)), state);
  t.equal(unwrapState(undefined), undefined);
  t.equal(unwrapState('not base64 json'), undefined);
  t.equal(unwrapState(Buffer.from(JSON.stringify({ clientId: 1, redirectUri: 'x' })).toString('base64url')), undefined);
});
