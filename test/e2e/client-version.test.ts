import { readFileSync } from 'node:fs';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { assertEmpty, settle, startTwoKeyStandin } from '../helpers/fixtures.js';

// FusionAuth's Retrieve System Version (https://fusionauth.io/docs/apis/system/retrieve-system-version) through the
// client's retrieveVersion: Standin answers the FusionAuth version it serves the API of, which is the version of
// the client its tests run (docs/management-api.md, "Versions"), and takes the API key raw or as Basic authentication.
const API_KEY = 'version-api-key-0123456789abcdefghijkl';
const BOUND_KEY = 'version-bound-key-0123456789abcdefghi';
const TENANT = 'a7000000-0000-4000-8000-000000000001';
const clientVersion = (
  JSON.parse(readFileSync(new URL('../../node_modules/@fusionauth/typescript-client/package.json', import.meta.url), 'utf8')) as { version: string }
).version;
const standinVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const standin = await startTwoKeyStandin(t, { globalKey: API_KEY, boundKey: BOUND_KEY, tenantId: TENANT });
const basic = (user: string, key: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}` });

t.test('retrieveVersion answers the FusionAuth version of the client Standin is checked against', async (t) => {
  const answer = await new FusionAuthClient(API_KEY, standin.url).retrieveVersion();
  t.equal(answer.statusCode, 200);
  t.same(answer.response, { version: clientVersion });
  t.equal((await new FusionAuthClient(BOUND_KEY, standin.url).retrieveVersion()).response.version, clientVersion, 'a tenant-bound key too');
  const status = (await (await fetch(`${standin.url}/api/status`)).json()) as { version: string };
  t.equal(status.version, standinVersion, "GET /api/status still answers Standin's own version");
});

t.test('an API key is needed, raw or as Basic authentication with the user name apikey', async (t) => {
  assertEmpty(t, await settle(new FusionAuthClient('not-the-api-key', standin.url).retrieveVersion()), 401);
  const url = `${standin.url}/api/system/version`;
  t.equal((await fetch(url)).status, 401, 'no Authorization');
  const byBasic = await fetch(url, { headers: basic('apikey', API_KEY) });
  t.equal(byBasic.status, 200);
  t.same(await byBasic.json(), { version: clientVersion });
  t.equal((await fetch(url, { headers: basic('APIKEY', API_KEY) })).status, 401, 'the user name is apikey in lower case');
  t.equal((await fetch(url, { headers: basic('apikey', 'not-the-api-key') })).status, 401);
});
