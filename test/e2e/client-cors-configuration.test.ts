import type { CORSConfiguration } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { KickstartError } from '../../src/kickstart/types.js';
import { assertFieldError, settle, startClientStandin } from '../helpers/fixtures.js';

// The System Configuration API's corsConfiguration through @fusionauth/typescript-client: values the CORS filter
// cannot apply are refused with a field error each, nothing is stored, and a kickstart that sends them does
// not start (docs/cors-and-discovery.md, "Configuring it").
const { client, url } = await startClientStandin(t);
const FIELD = 'systemConfiguration.corsConfiguration';
const GOOD: CORSConfiguration = {
  enabled: true,
  allowCredentials: true,
  allowedOrigins: ['http://localhost:3000', 'capacitor://localhost'],
  allowedMethods: ['GET', 'POST', 'OPTIONS'] as never,
  allowedHeaders: ['Authorization', 'Content-Type'],
  exposedHeaders: ['X-Standin-Fault'],
  preflightMaxAgeInSeconds: 0,
};
const BAD: Array<[string, Record<string, unknown>]> = [
  ['allowedOrigins', { allowedOrigins: ['localhost:3000'] }],
  ['allowedOrigins', { allowedOrigins: ['not a url'] }],
  ['allowedOrigins', { allowedOrigins: ['*', 'http://localhost:3000'] }],
  ['allowedOrigins', { allowedOrigins: 'http://localhost:3000' }],
  ['allowedMethods', { allowedMethods: ['GET', 'FETCH'] }],
  ['allowedHeaders', { allowedHeaders: ['Content Type'] }],
  ['exposedHeaders', { exposedHeaders: [42] }],
  ['preflightMaxAgeInSeconds', { preflightMaxAgeInSeconds: -1 }],
  ['preflightMaxAgeInSeconds', { preflightMaxAgeInSeconds: '1800' }],
  ['enabled', { enabled: 'yes' }],
];
const stored = async () => (await client.retrieveSystemConfiguration()).response.systemConfiguration?.corsConfiguration;

t.test('a configuration the filter can apply is stored, through PUT and PATCH', async (t) => {
  const put = await client.updateSystemConfiguration({ systemConfiguration: { corsConfiguration: GOOD } });
  t.equal(put.statusCode, 200);
  t.same(await stored(), GOOD);
  const patched = await client.patchSystemConfiguration({ systemConfiguration: { corsConfiguration: { allowedOrigins: ['*'] } } });
  t.equal(patched.statusCode, 200);
  t.same((await stored())?.allowedOrigins, ['*']);
});

t.test('each bad value is refused with [invalid] on its field, by PUT and by PATCH, and nothing is stored', async (t) => {
  await client.updateSystemConfiguration({ systemConfiguration: { corsConfiguration: GOOD } });
  for (const [field, bad] of BAD) {
    const corsConfiguration = { ...GOOD, ...bad };
    assertFieldError(
      t,
      await settle(client.updateSystemConfiguration({ systemConfiguration: { corsConfiguration } })),
      `${FIELD}.${field}`,
      'invalid',
    );
    assertFieldError(
      t,
      await settle(client.patchSystemConfiguration({ systemConfiguration: { corsConfiguration: bad } })),
      `${FIELD}.${field}`,
      'invalid',
    );
  }
  t.same(await stored(), GOOD, 'the stored configuration is unchanged');
});

t.test('every problem is reported at once', async (t) => {
  const answer = await settle(
    client.patchSystemConfiguration({
      systemConfiguration: { corsConfiguration: { allowedOrigins: ['nope'], allowedMethods: ['TRACE'] as never, preflightMaxAgeInSeconds: -5 } },
    }),
  );
  t.same(Object.keys(answer.exception?.fieldErrors ?? {}).sort(), [
    `${FIELD}.allowedMethods`,
    `${FIELD}.allowedOrigins`,
    `${FIELD}.preflightMaxAgeInSeconds`,
  ]);
});

t.test('a kickstart with a bad CORS configuration fails start-up, naming its request and the field', async (t) => {
  const started = startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      apiKeys: [{ key: 'cors-configuration-key-0123456789abcdef' }],
      requests: [
        {
          method: 'PATCH',
          url: '/api/system-configuration',
          body: { systemConfiguration: { corsConfiguration: { enabled: true, allowedOrigins: ['localhost:3000'] } } },
        },
      ],
    },
  });
  const error = await started.then(
    async (standin) => {
      await standin.close();
      return undefined;
    },
    (error: unknown) => error,
  );
  t.type(error, KickstartError);
  t.match(
    (error as Error | undefined)?.message,
    /requests\[0\] PATCH .*system-configuration.* 400: .*\[invalid\]systemConfiguration\.corsConfiguration\.allowedOrigins/,
  );
});

t.test('a preflight carries Access-Control-Max-Age only when preflightMaxAgeInSeconds is more than 0', async (t) => {
  const maxAgeOf = async (preflightMaxAgeInSeconds: number) => {
    await client.patchSystemConfiguration({ systemConfiguration: { corsConfiguration: { ...GOOD, preflightMaxAgeInSeconds } } });
    const answer = await fetch(`${url}/oauth2/userinfo`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    t.equal(answer.status, 204, `the preflight is answered with preflightMaxAgeInSeconds ${preflightMaxAgeInSeconds}`);
    t.equal(answer.headers.get('access-control-allow-origin'), 'http://localhost:3000');
    return answer.headers.get('access-control-max-age');
  };
  t.equal(await maxAgeOf(0), null, '0: no Access-Control-Max-Age, so the browser keeps its own default');
  t.equal(await maxAgeOf(600), '600');
});
