import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { BUSY_ANSWER_HOLD_MS } from '../../src/passwords/busy-answer-hold.js';
import { failureOf } from '../helpers/fixtures.js';

// While argon2 is saturated, `POST /api/login` is refused by Standin's server before Fastify routes it
// (src/shed-logins-before-routing.ts): what FusionAuth's TypeScript client gets must be what the route itself answers.
// The route's own answer is asked for with `/api/login?`, a target the early refusal leaves to Fastify and the
// router reads as the same path.
const KEY = 'login-flood-shed-test-key-0123456789abcdefghij';
const LOGIN = { loginId: 'flood@example.com', password: 'correct horse battery staple' };

t.test('a login refused while argon2 is saturated: the TypeScript client gets the route’s 503, header for header', async (t) => {
  const standin = await startStandin({
    logLevel: 'silent',
    // Each check takes about a second, so the saturation outlasts the three held refusals below.
    passwordHashing: { memoryCost: 131072, timeCost: 10, parallelism: 1 },
    limits: { passwordQueue: 1, passwordQueueTimeoutMs: 60_000 },
    kickstart: { apiKeys: [{ key: KEY }], requests: [{ url: '/api/user', body: { user: { email: LOGIN.loginId, password: LOGIN.password } } }] },
  });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(KEY, standin.url);
  const { passwords } = standin.app.standin;

  const flood = Promise.allSettled(Array.from({ length: 8 }, () => client.login(LOGIN)));
  while (!passwords.saturated()) await new Promise((resolve) => setImmediate(resolve));

  const refused = await failureOf(client.login(LOGIN));
  t.equal(refused.statusCode, 503);
  t.same(refused.exception, {
    fieldErrors: {},
    generalErrors: [{ code: '[ServiceUnavailable]', message: 'Standin is busy checking other passwords; try again shortly.' }],
  });

  // Each refusal is held before it is sent (src/passwords/busy-answer-hold.ts), by the listener as by the route.
  const post = async (target: string) => {
    const asked = performance.now();
    const answer = await fetch(`${standin.url}${target}`, {
      method: 'POST',
      headers: { authorization: KEY, 'content-type': 'application/json' },
      body: JSON.stringify(LOGIN),
    });
    const held = performance.now() - asked;
    t.ok(held >= BUSY_ANSWER_HOLD_MS - 10, `${target} refused after ${Math.round(held)} ms, not at once`);
    return answer;
  };
  const [early, routed] = [await post('/api/login'), await post('/api/login?')];
  t.ok(passwords.saturated(), 'both asked while saturated');
  const headers = (answer: Response) => [...answer.headers].filter(([name]) => name !== 'date');
  t.equal(early.status, routed.status);
  t.same(headers(early), headers(routed));
  t.equal(await early.text(), await routed.text());
  t.equal(early.headers.get('retry-after'), '1');

  const outcomes = await flood;
  t.ok(
    outcomes.some((outcome) => outcome.status === 'fulfilled' && outcome.value.statusCode === 200),
    'the logins that got a slot succeeded',
  );
  const after = await client.login(LOGIN);
  t.equal(after.statusCode, 200, 'once argon2 has room again, a login is checked');
});
