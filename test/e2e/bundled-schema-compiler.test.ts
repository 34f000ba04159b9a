import t from 'tap';
import { buildApp } from '../../src/app.js';
import { startCliWithKickstart } from '../helpers/cli.js';

// The bundle hands Standin's schema compiler a stand-in for @fastify/ajv-compiler that loads it on its first call
// (scripts/bundle.mjs, "lazy-callables"). The built CLI must validate as the sources do: a query its route's schema
// refuses gets Ajv's message in FusionAuth's error shape, and one it accepts goes on to the handler.
const API_KEY = 'bundled-schema-api-key-0123456789abcdef';
const kickstart = { apiKeys: [{ key: API_KEY }] };

t.test('the built CLI compiles and applies route schemas as the sources do', async (t) => {
  const cli = await startCliWithKickstart(t, kickstart, { logLevel: 'silent', folderPrefix: 'standin-schema-' });
  const app = await buildApp({ db: ':memory:', logLevel: 'silent', passwordHashing: 'fast', kickstart });
  t.teardown(() => app.close());
  const cases = [
    ['a login id longer than the schema allows', `/api/user/change-password?loginId=${'a'.repeat(1025)}`, 400],
    ['more login id types than the schema allows', `/api/user/change-password?loginId=x${'&loginIdTypes=email'.repeat(9)}`, 400],
    ['a query the schema accepts', '/api/user/change-password?loginId=nobody@example.com', 404],
    ['discovery, whose schema accepts any tenant id', '/.well-known/openid-configuration?tenantId=nope', 404],
  ] as const;
  for (const [name, url, status] of cases) {
    const built = await fetch(`${cli.url}${url}`, { headers: { authorization: API_KEY } });
    const source = await app.inject({ url, headers: { authorization: API_KEY } });
    t.equal(built.status, status, `${name}: ${status}`);
    t.equal(source.statusCode, status, `${name}: the sources answer ${status} too`);
    t.equal(await built.text(), source.body, `${name}: the same body`);
  }
});
