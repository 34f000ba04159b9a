import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { assertEmpty, assertFieldError, settle, startTwoKeyStandin } from '../helpers/fixtures.js';

// FusionAuth's Rebuild the Elasticsearch index and Retrieve the status of an index rebuild
// (https://fusionauth.io/docs/apis/system/rebuild-the-elasticsearch-index) through the client's reindex and
// retrieveReindexStatus: Standin searches its database directly, so a rebuild is checked, started (202) and already
// over (the status is 404, no rebuild in progress).
const API_KEY = 'reindex-api-key-0123456789abcdefghijklm';
const BOUND_KEY = 'reindex-bound-key-0123456789abcdefghij';
const TENANT = 'a7100000-0000-4000-8000-000000000001';

const standin = await startTwoKeyStandin(t, { globalKey: API_KEY, boundKey: BOUND_KEY, tenantId: TENANT });
const client = new FusionAuthClient(API_KEY, standin.url);

t.test('a rebuild of either index is started with 202 and no body, and none is ever in progress', async (t) => {
  for (const index of ['fusionauth_user', 'fusionauth_entity']) {
    const started = await client.reindex({ index });
    t.equal(started.statusCode, 202, index);
    t.equal(started.response, undefined, `${index}: no body`);
    assertEmpty(t, await settle(client.retrieveReindexStatus()), 404);
  }
});

t.test('the index is required and must be one FusionAuth rebuilds', async (t) => {
  assertFieldError(t, await settle(client.reindex({})), 'index', 'blank');
  assertFieldError(t, await settle(client.reindex({ index: '' })), 'index', 'blank');
  assertFieldError(t, await settle(client.reindex({ index: 'fusionauth_user_dev' })), 'index', 'invalid');
  const numeric = await fetch(`${standin.url}/api/system/reindex`, {
    method: 'POST',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ index: 7 }),
  });
  t.equal(numeric.status, 400, 'an index that is not text');
});

t.test('a global API key only: a tenant-bound key, a wrong key or none is an empty 401', async (t) => {
  const bound = new FusionAuthClient(BOUND_KEY, standin.url);
  assertEmpty(t, await settle(bound.reindex({ index: 'fusionauth_user' })), 401);
  assertEmpty(t, await settle(bound.retrieveReindexStatus()), 401);
  assertEmpty(t, await settle(new FusionAuthClient('not-the-api-key', standin.url).reindex({ index: 'fusionauth_user' })), 401);
  t.equal((await fetch(`${standin.url}/api/system/reindex`)).status, 401, 'no Authorization');
});
