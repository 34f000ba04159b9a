import { performance } from 'node:perf_hooks';
import type { LightMyRequestResponse } from 'fastify';
import t, { type Test } from 'tap';
import type { StandinApp } from '../../src/app.js';
import type { ConfigInput } from '../../src/config.js';
import { addressKey } from '../../src/oauth/attempt-window.js';
import {
  apiHeaders,
  assertOAuthError,
  buildLoginApiApp,
  hiddenFields,
  LOGIN_APP,
  LOGIN_SECRET,
  movableClock,
  PASSWORD,
  postToken,
} from '../helpers/fixtures.js';

// One application every surface can log in to: the hosted form, the password grant, /api/login.
const REDIRECT = 'https://app.example.com/callback';
const oauth = { enabledGrants: ['authorization_code', 'password', 'refresh_token', 'client_credentials'] };

interface Surface {
  name: string;
  /** One login attempt from `ip`, with extra request headers. */
  attempt(app: StandinApp, loginId: string, password: string, ip?: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  ok(response: LightMyRequestResponse): boolean;
}

const form: Surface = {
  name: 'the hosted login form',
  async attempt(app, loginId, password, ip = '127.0.0.1', headers = {}) {
    const query = new URLSearchParams({ client_id: LOGIN_APP, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's' });
    const page = await app.inject({ url: `/oauth2/authorize?${query}`, remoteAddress: ip });
    const csrf = page.cookies.find((cookie) => cookie.name === 'standin.csrf')!;
    return app.inject({
      method: 'POST',
      url: '/oauth2/authorize',
      remoteAddress: ip,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      cookies: { 'standin.csrf': csrf.value },
      payload: new URLSearchParams({ ...hiddenFields(page.body), loginId, password }).toString(),
    });
  },
  ok: (response) => response.statusCode === 302 && /[?&]code=/.test(String(response.headers.location)),
};

const grant: Surface = {
  name: 'the password grant',
  attempt: (app, username, password, ip = '127.0.0.1', headers = {}) =>
    app.inject({
      method: 'POST',
      url: '/oauth2/token',
      remoteAddress: ip,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams({ grant_type: 'password', client_id: LOGIN_APP, client_secret: LOGIN_SECRET, username, password }).toString(),
    }),
  ok: (response) => response.statusCode === 200,
};

const api: Surface = {
  name: '/api/login',
  attempt: (app, loginId, password, ip = '127.0.0.1', headers = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/login',
      remoteAddress: ip,
      headers: { 'content-type': 'application/json', ...apiHeaders(), ...headers },
      payload: JSON.stringify({ loginId, password, applicationId: LOGIN_APP }),
    }),
  ok: (response) => response.statusCode === 200,
};

const SURFACES = [form, grant, api];

function build(t: Test, now?: () => number, config: ConfigInput = {}): Promise<StandinApp> {
  return buildLoginApiApp(t, { oauth, config, ...(now ? { now } : {}) });
}

/** What each surface answers to a locked login id (docs/hardening.md). */
function assertLocked(t: Test, surface: Surface, response: LightMyRequestResponse): void {
  if (surface === api) {
    t.equal(response.statusCode, 423, 'FusionAuth: 423 for a locked login');
    t.equal(response.body, '', 'with no body');
  } else if (surface === grant) {
    assertOAuthError(t, response, 400, 'invalid_grant', 'invalid_user_credentials');
  } else {
    t.equal(response.statusCode, 429);
    t.match(response.headers['retry-after'], /^\d+$/);
    t.match(response.body, /Too many failed attempts for this login\. Try again in 5 minutes\./);
    t.match(response.body, /<form/, 'the form again, to try later');
  }
}

for (const surface of SURFACES) {
  t.test(`${surface.name}: the 11th attempt after ten failures is refused, the right password too, until the lock ends`, async (t) => {
    const clock = movableClock();
    const app = await build(t, clock.now);
    for (let i = 0; i < 10; i++) t.notOk(surface.ok(await surface.attempt(app, 'alice', `wrong-${i}`)), `failure ${i + 1}`);
    assertLocked(t, surface, await surface.attempt(app, 'alice', 'wrong-again'));
    assertLocked(t, surface, await surface.attempt(app, 'alice', PASSWORD));
    assertLocked(t, surface, await surface.attempt(app, 'alice', PASSWORD, '198.51.100.7'));
    clock.advance(5 * 60_000);
    t.ok(surface.ok(await surface.attempt(app, 'alice', PASSWORD)), 'the lock ends after five minutes');
  });

  t.test(`${surface.name}: a success resets the count`, async (t) => {
    const app = await build(t);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 9; i++) await surface.attempt(app, 'alice', `wrong-${i}`);
      t.ok(surface.ok(await surface.attempt(app, 'alice', PASSWORD)), `round ${round}: nine failures, then the right password works`);
    }
  });

  t.test(`${surface.name}: failures per client address are limited, and a rotating X-Forwarded-For does not reset it`, async (t) => {
    const clock = movableClock();
    const app = await build(t, clock.now, { limits: { failedLoginsPerAddress: 20 } });
    const attacker = '203.0.113.9';
    // Twenty login ids, one guess each: no lockout, only the address counts.
    for (let i = 0; i < 20; i++) {
      const response = await surface.attempt(app, `user${i}@example.com`, 'guess', attacker, { 'x-forwarded-for': `10.0.0.${i}` });
      t.not(response.statusCode, 429, `guess ${i + 1} is checked`);
    }
    for (const spoofed of ['10.9.9.9', '192.0.2.1, 10.0.0.1', attacker.replace('9', '8')]) {
      const refused = await surface.attempt(app, 'alice', PASSWORD, attacker, { 'x-forwarded-for': spoofed, 'x-real-ip': spoofed });
      t.equal(refused.statusCode, 429, `X-Forwarded-For: ${spoofed} changes nothing, and the right password is refused`);
      t.match(refused.headers['retry-after'], /^\d+$/);
      t.ok(Number(refused.headers['retry-after']) <= 60);
      if (surface === grant) assertOAuthError(t, refused, 429, 'temporarily_unavailable', 'too_many_attempts');
      if (surface === api) t.match(refused.json(), { fieldErrors: {}, generalErrors: [{ code: '[TooManyRequests]' }] });
      if (surface === form) t.match(refused.body, /Too many failed logins from your address/);
    }
    t.ok(surface.ok(await surface.attempt(app, 'alice', PASSWORD, '198.51.100.7')), 'another address is not limited');
    clock.advance(60_000);
    t.ok(surface.ok(await surface.attempt(app, 'alice', PASSWORD, attacker)), 'after the minute the address may log in again');
  });

  t.test(`${surface.name}: an unknown user and a wrong password get the same answer`, async (t) => {
    const app = await build(t);
    // The form echoes the login id as typed: compare with it blanked out; the CSRF token is the same
    // because it is bound to the browser's cookie and the pending request, not to the attempt.
    const pairs = [
      ['ghost@example.com', 'alice@example.com'],
      ['ghost', 'alice'],
    ];
    for (const [unknownId, knownId] of pairs) {
      const unknown = await surface.attempt(app, unknownId!, 'wrong-password');
      const wrong = await surface.attempt(app, knownId!, 'wrong-password');
      t.equal(unknown.statusCode, wrong.statusCode);
      const blank = (response: LightMyRequestResponse, loginId: string) =>
        response.body.replaceAll(loginId, '<login id>').replace(/name="csrf_token" value="[^"]*"/, '');
      t.equal(blank(unknown, unknownId!), blank(wrong, knownId!), `${unknownId} and ${knownId}: the same body`);
      t.equal(unknown.headers['content-type'], wrong.headers['content-type']);
    }
  });
}

t.test('the per-address limit is shared by the three surfaces, and 100 failures a minute by default', async (t) => {
  const app = await build(t);
  for (let i = 0; i < 100; i++) await SURFACES[i % 3]!.attempt(app, `user${i}`, 'guess');
  for (const surface of SURFACES) t.equal((await surface.attempt(app, 'alice', PASSWORD)).statusCode, 429, `${surface.name} refuses the 101st`);
});

t.test('50 parallel wrong passwords all count and engage the lock; 50 parallel right ones lock nothing', async (t) => {
  const app = await build(t);
  const guesses = await Promise.all(Array.from({ length: 50 }, (_, i) => api.attempt(app, 'alice', `wrong-${i}`)));
  t.ok(
    guesses.every((response) => [404, 423].includes(response.statusCode)),
    'each one failed or was refused',
  );
  t.equal((await api.attempt(app, 'alice', PASSWORD)).statusCode, 423, 'locked afterwards');
  // A CI suite's workers logging one user in at once must not lock it (docs/hardening.md, "Lockout").
  const other = await build(t);
  const logins = await Promise.all(Array.from({ length: 50 }, () => api.attempt(other, 'alice', PASSWORD)));
  t.same([...new Set(logins.map((response) => response.statusCode))], [200]);
});

t.test('client secrets: 50 wrong ones per client_id a minute, then 429, then the right secret works again', async (t) => {
  const clock = movableClock();
  const app = await build(t, clock.now);
  const attempt = (secret: string, ip = '127.0.0.1') =>
    app.inject({
      method: 'POST',
      url: '/oauth2/token',
      remoteAddress: ip,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'password',
        client_id: LOGIN_APP,
        client_secret: secret,
        username: 'alice',
        password: PASSWORD,
      }).toString(),
    });
  for (let i = 0; i < 49; i++) t.equal((await attempt(`guess-${i}`, `192.0.2.${i}`)).statusCode, 401);
  // Introspection authenticates clients too, and counts against the same budget.
  const introspect = await app.inject({
    method: 'POST',
    url: '/oauth2/introspect',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ client_id: LOGIN_APP, client_secret: 'guess-introspect', token: 'x' }).toString(),
  });
  t.equal(introspect.statusCode, 401, 'the 50th, at /oauth2/introspect');
  const limited = await attempt('guess-51', '192.0.2.200');
  assertOAuthError(t, limited, 429, 'temporarily_unavailable', 'too_many_attempts');
  t.match(limited.headers['retry-after'], /^\d+$/);
  assertOAuthError(t, await attempt(LOGIN_SECRET), 429, 'temporarily_unavailable', 'too_many_attempts');
  t.equal(
    (
      await postToken(app, {
        grant_type: 'password',
        client_id: 'abababab-2222-4000-8000-000000000002',
        client_secret: 'x',
        username: 'alice',
        password: PASSWORD,
      })
    ).statusCode,
    401,
    'other clients are not limited',
  );
  clock.advance(60_000);
  t.equal((await attempt(LOGIN_SECRET)).statusCode, 200, 'after the window, the right secret works');
});

t.test('addresses are keyed by the socket peer; IPv4-mapped IPv6 is IPv4; IPv6 counts per /64', async (t) => {
  t.equal(addressKey('203.0.113.9'), '203.0.113.9');
  t.equal(addressKey('::ffff:203.0.113.9'), '203.0.113.9');
  t.equal(addressKey('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
  t.equal(addressKey('2001:db8:1:2::9'), '2001:db8:1:2::/64');
  t.equal(addressKey('2001:0db8:0001:0002:ffff::1'), '2001:db8:1:2::/64');
  t.equal(addressKey('::1'), '0:0:0:0::/64');
  t.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
});

t.test('trustProxy is off by default: X-Forwarded-For is not the address', async (t) => {
  const app = await build(t);
  t.equal(app.standin.config.trustProxy, false);
});

t.test('a saturated password hasher answers 503 with Retry-After on every surface, and counts nothing', async (t) => {
  const app = await build(t, undefined, { passwordHashing: 'standard', limits: { passwordQueue: 1, passwordQueueTimeoutMs: 60_000 } });
  for (const surface of SURFACES) {
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => surface.attempt(app, `user${i}`, 'guess')));
    const busy = responses.filter((response) => response.statusCode === 503);
    t.ok(busy.length >= 6, `${surface.name}: ${busy.length} of 12 shed at once`);
    t.equal(busy[0]!.headers['retry-after'], '1');
    if (surface === grant) assertOAuthError(t, busy[0]!, 503, 'temporarily_unavailable', 'server_busy');
    if (surface === api) t.match(busy[0]!.json(), { generalErrors: [{ code: '[ServiceUnavailable]' }] });
    if (surface === form) t.match(busy[0]!.body, /Standin is busy/);
  }
  t.ok((await api.attempt(app, 'alice', PASSWORD)).statusCode === 200, 'shed attempts did not count towards the address limit or a lock');
});

t.test('timing: unknown users and wrong passwords cost the same argon2 work (medians, not asserted)', async (t) => {
  const app = await build(t, undefined, { passwordHashing: 'standard', limits: { lockoutFailures: 1000, failedLoginsPerAddress: 1000 } });
  for (const surface of SURFACES) {
    const time = async (loginId: string) => {
      const samples: number[] = [];
      for (let i = 0; i < 15; i++) {
        const started = performance.now();
        await surface.attempt(app, loginId, 'wrong-password');
        samples.push(performance.now() - started);
      }
      samples.sort((a, b) => a - b);
      return samples[7]!;
    };
    await time('warm-up');
    const unknown = await time('ghost@example.com');
    const wrong = await time('alice@example.com');
    t.comment(
      `${surface.name}: median unknown user ${unknown.toFixed(1)} ms, wrong password ${wrong.toFixed(1)} ms (ratio ${(unknown / wrong).toFixed(2)}; not asserted: wall clock on a shared machine)`,
    );
  }
  t.pass('medians reported above');
});
