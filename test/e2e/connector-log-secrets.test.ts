import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startCliWithKickstart } from '../helpers/cli.js';
import { settle } from '../helpers/fixtures.js';

// Generic connectors set up by a kickstart, whose logins fail (a 500, a refused connection), through the real CLI at
// `trace`: the log says which connector failed and why, and never the password tried, the connector's Basic
// credentials or its headers (docs/connectors.md, "Security").
const API_KEY = 'connector-log-api-key-0123456789abcdefghij';
const TENANT = 'c0300000-0000-4000-8000-0000000000a1';
const FAILING = 'c0300000-0000-4000-8000-0000000000c1';
const REFUSED = 'c0300000-0000-4000-8000-0000000000c2';
const BASIC_PASSWORD = 'connector-basic-password-never-logged-81';
const HEADER_SECRET = 'connector-header-secret-never-logged-82';
const USER_PASSWORD = 'connector-user-password-never-logged-83';

t.test('failed connector logins are logged without secrets', async (t) => {
  let asked = 0;
  const server = createServer((request, response) => {
    asked += 1;
    request.resume();
    response.writeHead(500).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  );
  const connector = (url: string) => ({
    type: 'Generic',
    name: url,
    authenticationURL: url,
    connectTimeout: 1000,
    readTimeout: 1000,
    headers: { 'X-Secret': HEADER_SECRET },
    httpAuthenticationUsername: 'u',
    httpAuthenticationPassword: BASIC_PASSWORD,
  });
  const kickstart = {
    variables: { defaultTenantId: TENANT },
    apiKeys: [{ key: API_KEY }],
    requests: [
      { url: `/api/connector/${FAILING}`, body: { connector: connector(`http://127.0.0.1:${(server.address() as AddressInfo).port}/auth`) } },
      // Nothing listens on port 9 (discard) on a test box: the connection is refused.
      { url: `/api/connector/${REFUSED}`, body: { connector: connector('http://127.0.0.1:9/auth') } },
      {
        method: 'PATCH',
        url: `/api/tenant/${TENANT}`,
        body: {
          tenant: {
            connectorPolicies: [{ connectorId: FAILING }, { connectorId: REFUSED }, { connectorId: 'e3306678-a53a-4964-9040-1c96f36dda72' }],
          },
        },
      },
    ],
  };
  const cli = await startCliWithKickstart(t, kickstart, { logLevel: 'trace', folderPrefix: 'standin-connector-log-' });
  const client = new FusionAuthClient(API_KEY, cli.url);
  const answer = await settle(client.login({ loginId: 'someone@example.com', password: USER_PASSWORD }));
  t.equal(answer.statusCode, 404, 'a failed login');
  t.equal(asked, 1, 'the first connector was asked');

  t.equal(await cli.stop(), 0);
  const log = cli.stdout() + cli.stderr();
  t.equal(log.split('\n').filter((line) => line.includes('connector login failed')).length, 2, 'each failure is logged');
  t.match(log, /"statusCode":500/);
  t.match(log, /ECONNREFUSED/);
  for (const secret of [BASIC_PASSWORD, HEADER_SECRET, USER_PASSWORD, Buffer.from(`u:${BASIC_PASSWORD}`).toString('base64')]) {
    t.notOk(log.includes(secret), `no ${secret.split('-')[1]} secret in the log`);
  }
});
