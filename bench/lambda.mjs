// The cost of a JWT populate lambda per token (docs/lambdas.md): Login API logins, one after another, to an
// application without a lambda and to one with FusionAuth's documented populate lambda, in one Standin process
// (`:memory:`, fast password hashing, so the login is mostly the token). Also the first run (the sandbox starting)
// and a run that hits the time bound. Needs a build: `npm run build && node bench/lambda.mjs`.
import { performance } from 'node:perf_hooks';
import { startStandin } from '../dist/index.js';
import { mintAccessToken } from '../dist/oauth/mint-tokens.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const API_KEY = 'bench-lambda-api-key-0123456789abcdef';
const PLAIN = 'b1000000-0000-4000-8000-000000000001';
const WITH_LAMBDA = 'b1000000-0000-4000-8000-000000000002';
const LOOPING = 'b1000000-0000-4000-8000-000000000003';
const USER = { loginId: 'bench@example.com', password: 'password' };
const lambda = (id, body) => ({ url: `/api/lambda/${id}`, body: { lambda: { name: id, type: 'JWTPopulate', body } } });
const app = (id, name, accessTokenPopulateId) => ({
  url: `/api/application/${id}`,
  body: { application: { name, ...(accessTokenPopulateId ? { lambdaConfiguration: { accessTokenPopulateId } } : {}) } },
});

const standin = await startStandin({
  db: ':memory:',
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: {
    apiKeys: [{ key: API_KEY }],
    requests: [
      lambda(
        'b1000000-0000-4000-8000-0000000000a1',
        'function populate(jwt, user, registration) {\n  jwt.favoriteColor = user.data.favoriteColor;\n  jwt.dept = registration.data.departmentName;\n}',
      ),
      lambda('b1000000-0000-4000-8000-0000000000a2', 'function populate(jwt) { while (true) {} }'),
      app(PLAIN, 'Plain'),
      app(WITH_LAMBDA, 'With lambda', 'b1000000-0000-4000-8000-0000000000a1'),
      app(LOOPING, 'Looping', 'b1000000-0000-4000-8000-0000000000a2'),
      {
        url: '/api/user/registration',
        body: { user: { email: USER.loginId, password: USER.password, data: { favoriteColor: 'blue' } }, registration: { applicationId: PLAIN } },
      },
    ],
  },
});
const userId = (await (await fetch(`${standin.url}/api/user?email=${USER.loginId}`, { headers: { authorization: API_KEY } })).json()).user.id;
for (const applicationId of [WITH_LAMBDA, LOOPING]) {
  await fetch(`${standin.url}/api/user/registration/${userId}`, {
    method: 'POST',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ registration: { applicationId, data: { departmentName: 'Engineering' } } }),
  });
}

async function login(applicationId) {
  const started = performance.now();
  const response = await fetch(`${standin.url}/api/login`, {
    method: 'POST',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ ...USER, applicationId }),
  });
  const body = await response.json();
  if (response.status !== 200 || !body.token) throw new Error(`login to ${applicationId}: ${response.status}`);
  return { ms: performance.now() - started, token: body.token };
}

// Both applications in turn, one login after the other, so that a busy machine slows both alike.
async function interleaved() {
  const times = { plain: [], lambda: [] };
  const until = performance.now() + SECONDS * 1000;
  while (performance.now() < until) {
    times.plain.push((await login(PLAIN)).ms);
    times.lambda.push((await login(WITH_LAMBDA)).ms);
  }
  const summary = (values) => (
    values.sort((a, b) => a - b),
    { count: values.length, median: values[Math.floor(values.length / 2)], p99: values[Math.floor(values.length * 0.99)] }
  );
  return { plain: summary(times.plain), withLambda: summary(times.lambda) };
}

const first = await login(WITH_LAMBDA);
const claims = JSON.parse(Buffer.from(first.token.split('.')[1], 'base64url').toString());
if (claims.favoriteColor !== 'blue') throw new Error('the lambda did not run');
await login(PLAIN); // warm-up, not reported
const { plain, withLambda } = await interleaved();
const looping = await login(LOOPING);

// The token alone: mintAccessToken for the same user, with and without the lambda, interleaved so that a busy
// machine slows both alike.
const { stores, jwt, lambdas, issuerOf } = standin.app.standin;
const tenant = stores.tenants.list()[0];
const user = stores.users.get(userId);
const subjectOf = (applicationId) => {
  const application = stores.applications.get(applicationId);
  const registration = stores.registrations.get(userId, applicationId);
  return {
    application,
    user,
    registration,
    tenantId: tenant.id,
    issuer: issuerOf(tenant),
    scope: 'openid',
    authTime: 0,
    authenticationType: 'PASSWORD',
    grantTypes: ['authorization_code'],
  };
};
const minting = () => ({ jwt, keys: stores.keys, tenant, nowSeconds: Math.floor(Date.now() / 1000), lambdas });
const plainSubject = subjectOf(PLAIN);
const lambdaSubject = subjectOf(WITH_LAMBDA);
const mintTimes = { plain: [], lambda: [] };
const mintUntil = performance.now() + SECONDS * 1000;
while (performance.now() < mintUntil) {
  let started = performance.now();
  await mintAccessToken(minting(), plainSubject);
  mintTimes.plain.push(performance.now() - started);
  started = performance.now();
  await mintAccessToken(minting(), lambdaSubject);
  mintTimes.lambda.push(performance.now() - started);
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
await standin.close();

const fmt = (n) => n.toFixed(2);
console.log(`Login API token, one request at a time, the two applications in turn for ${SECONDS} s (Node ${process.version})`);
console.log(`  without a lambda   ${plain.count} logins  median ${fmt(plain.median)} ms  p99 ${fmt(plain.p99)} ms`);
console.log(`  with a lambda      ${withLambda.count} logins  median ${fmt(withLambda.median)} ms  p99 ${fmt(withLambda.p99)} ms`);
console.log(
  `  ratio (with / without, median time per token): ${fmt(withLambda.median / plain.median)}×; added per token: ${fmt(withLambda.median - plain.median)} ms`,
);
console.log(`Access token minted in-process (sign + lambda), interleaved, ${mintTimes.plain.length} of each`);
console.log(`  without a lambda   median ${fmt(median(mintTimes.plain))} ms`);
console.log(`  with a lambda      median ${fmt(median(mintTimes.lambda))} ms`);
console.log(
  `  ratio (with / without): ${fmt(median(mintTimes.lambda) / median(mintTimes.plain))}×; added per token: ${fmt(median(mintTimes.lambda) - median(mintTimes.plain))} ms`,
);
console.log(`  first token with a lambda (starts the sandbox): ${fmt(first.ms)} ms`);
console.log(`  a token whose lambda loops (stopped at the time bound): ${fmt(looping.ms)} ms`);
