import t from 'tap';
import { isRegisteredRedirectUri } from '../../../src/oauth/redirect-uri.js';

t.test('only the exact registered string matches (RFC 9700 §2.1)', async (t) => {
  const registered = ['https://app.test/cb'];
  t.ok(isRegisteredRedirectUri(registered, 'https://app.test/cb'));
  for (const nearMiss of [
    'https://app.test/cb/',
    'https://app.test/cb?x=1',
    'https://app.test/cb#f',
    'https://app.test/CB',
    'https://APP.test/cb',
    'https://app.test/cb/../cb',
    'https://app.test/cb%2F..',
    'https://app.test:443/cb',
    'http://app.test/cb',
    'https://app.test.evil/cb',
    'https://app.test@evil/cb',
    'https://evil/https://app.test/cb',
    ' https://app.test/cb',
    'https://app.test/c',
    '',
  ]) {
    t.notOk(isRegisteredRedirectUri(registered, nearMiss), nearMiss);
  }
});

t.test('loopback http URIs match on any port, everything else exact (OAuth 2.1 §8.4.2)', async (t) => {
  const registered = ['http://localhost:3000/callback', 'http://127.0.0.1/cb', 'http://[::1]:8080/cb?x=1'];
  t.ok(isRegisteredRedirectUri(registered, 'http://localhost:51004/callback'));
  t.ok(isRegisteredRedirectUri(registered, 'http://localhost/callback'));
  t.ok(isRegisteredRedirectUri(registered, 'http://127.0.0.1:51004/cb'));
  t.ok(isRegisteredRedirectUri(registered, 'http://[::1]:9/cb?x=1'));
  t.notOk(isRegisteredRedirectUri(registered, 'http://127.0.0.1:51004/cb2'));
  t.notOk(isRegisteredRedirectUri(registered, 'http://localhost:3000/callback/'));
  t.notOk(isRegisteredRedirectUri(registered, 'http://[::1]:9/cb?x=2'));
  t.notOk(isRegisteredRedirectUri(registered, 'https://localhost:3000/callback'), 'the scheme still counts');
  t.notOk(isRegisteredRedirectUri(registered, 'http://localhost.evil:3000/callback'));
  t.notOk(isRegisteredRedirectUri(registered, 'http://127.0.0.1.evil/cb'));
  t.notOk(isRegisteredRedirectUri(registered, 'http://localhost:3000@evil/callback'));
  t.notOk(isRegisteredRedirectUri(['http://10.0.0.5/cb'], 'http://10.0.0.5:81/cb'), 'a private address is not loopback');
  t.notOk(isRegisteredRedirectUri(['https://localhost:3000/cb'], 'https://localhost:3001/cb'), 'only http loopback URIs float');
});

t.test('a registered loopback URI without a path matches the same without a path only', async (t) => {
  const registered = ['http://localhost:3000'];
  t.ok(isRegisteredRedirectUri(registered, 'http://localhost:3000'));
  t.ok(isRegisteredRedirectUri(registered, 'http://localhost:4000'));
  t.notOk(isRegisteredRedirectUri(registered, 'http://localhost:3000/'));
  t.notOk(isRegisteredRedirectUri(registered, 'http://localhost:3000x'));
});
