// The machine's limits: Fastify answering an empty route (autocannon, concurrency 1 and 10), jose signing RS256 and
// ES256 JWTs one after another in one process, and a bare Node server answering each refresh_token grant with the two
// RS256 tokens FusionAuth's signs and nothing else (concurrency 1: the floor for Standin's grant at c1).
import { generateKeyPair, SignJWT } from 'jose';
import { SECONDS, checkLoad, load, startFastifyEmpty, startTwoSignatures } from '../lib/common.mjs';

export const title = "The machine's limits";
const SIGN_SECONDS = Math.min(2, SECONDS);
// The empty route settles within seconds; 5 s keeps the whole run inside its 5-minute budget.
const EMPTY_SECONDS = Math.min(5, SECONDS);

/**
 * A jose signer of an access token's worth of claims, as Standin signs them, warmed up: `rate(seconds)` signs one
 * token after another for that long and answers how many a second (tokens.mjs measures it in turns with its servers).
 */
export async function joseSigner(alg) {
  const { privateKey } = await generateKeyPair(alg);
  const claims = {
    aud: 'e9fdb985-9173-4e01-9d73-ac2d60d1dc8e',
    sub: '00000000-0000-0000-0000-111111111111',
    jti: 'x',
    authenticationType: 'PASSWORD',
    email: 'richard@example.com',
    email_verified: true,
    applicationId: 'e9fdb985-9173-4e01-9d73-ac2d60d1dc8e',
    scope: 'openid offline_access',
    roles: [],
    sid: 'y',
    auth_time: 1,
    tid: 'z',
  };
  const sign = () =>
    new SignJWT(claims)
      .setProtectedHeader({ alg, kid: 'k' })
      .setIssuedAt()
      .setIssuer('http://localhost:9011')
      .setExpirationTime('1h')
      .sign(privateKey);
  for (let i = 0; i < 20; i++) await sign();
  return async (seconds) => {
    let n = 0;
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      await sign();
      n++;
    }
    return Math.round(n / seconds);
  };
}

const signRate = async (alg) => (await joseSigner(alg))(SIGN_SECONDS);

/** Also used by tokens.mjs for its ratios to the empty route. */
export async function measureLimits() {
  const fastify = await startFastifyEmpty();
  const empty = {};
  try {
    for (const c of [1, 10])
      empty[c] = checkLoad('fastify empty', await load({ url: `${fastify.url}/`, method: 'GET', connections: c, seconds: EMPTY_SECONDS }));
  } finally {
    await fastify.stop();
  }
  const floor = await startTwoSignatures();
  let twoSignatures;
  try {
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    twoSignatures = checkLoad(
      'two signatures',
      await load({ url: `${floor.url}/token`, connections: 1, seconds: EMPTY_SECONDS, headers, body: 'grant_type=refresh_token&refresh_token=x' }),
    );
  } finally {
    await floor.stop();
  }
  return { empty, twoSignatures, sign: { RS256: await signRate('RS256'), ES256: await signRate('ES256') } };
}

export async function run({ shared }) {
  const limits = (shared.limits ??= await measureLimits());
  const rows = [1, 10].map((c) => ({
    subject: `Fastify 5, empty route, c${c}`,
    figure: `${limits.empty[c].perSecond} req/s`,
    detail: `${EMPTY_SECONDS} s; mean ${limits.empty[c].mean} ms, p50 ${limits.empty[c].p50} ms, p99 ${limits.empty[c].p99} ms`,
    ratios: [],
  }));
  rows.push({
    subject: 'bare Node, two RS256 tokens per refresh_token grant (the floor), c1',
    figure: `${limits.twoSignatures.perSecond} req/s`,
    detail: `${EMPTY_SECONDS} s; mean ${limits.twoSignatures.mean} ms, p99 ${limits.twoSignatures.p99} ms`,
    ratios: [],
  });
  for (const alg of ['RS256', 'ES256'])
    rows.push({ subject: `jose ${alg} sign, one process, sequential`, figure: `${limits.sign[alg]} ops/s`, detail: `${SIGN_SECONDS} s`, ratios: [] });
  return { rows, raw: limits };
}
