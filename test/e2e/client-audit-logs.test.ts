import { join } from 'node:path';
import { FusionAuthClient, type AuditLog } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, assertGeneralError, settle } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's Audit Logs API (https://fusionauth.io/docs/apis/audit-logs) through the client's createAuditLog,
// retrieveAuditLog and searchAuditLogs: an application writes what its admins did, and reads it back by id or by search.
const API_KEY = 'audit-api-key-0123456789abcdefghijklmn';
const TENANT = 'a9000000-0000-4000-8000-000000000001';
// The audit log belongs to no tenant: a key bound to one may not read or write it (docs/management-api.md).
const BOUND_KEY = 'audit-bound-key-0123456789abcdefghijk';
const T0 = Date.UTC(2026, 2, 1);
let now = T0;

const dir = temporaryFolder(t, 'standin-audit-logs-');
const options = {
  db: join(dir, 'standin.db'),
  now: () => now,
  passwordHashing: 'fast' as const,
  logLevel: 'silent' as const,
  kickstart: { variables: { defaultTenantId: TENANT }, apiKeys: [{ key: API_KEY }, { key: BOUND_KEY, tenantId: TENANT }] },
};
let standin = await startStandin(options);
t.teardown(() => standin.close());
let client = new FusionAuthClient(API_KEY, standin.url);

/** Adds an entry at `instant`, and answers it as createAuditLog did (a 200: the client rejects anything else). */
async function add(instant: number, auditLog: AuditLog): Promise<AuditLog> {
  now = instant;
  // The client rejects any answer but a 2xx; no assertion here, as some entries are added before the first subtest.
  return (await client.createAuditLog({ auditLog })).response.auditLog!;
}

const changed = await add(T0 + 1000, {
  insertUser: 'admin@example.com',
  message: 'Changed Application',
  data: { externalId: '_applicationA' },
  newValue: '{"name": "bar"}',
  oldValue: '{"name": "foo"}',
  reason: 'Because I like to change things.',
});
const created = await add(T0 + 2000, { insertUser: 'ops@example.com', message: 'Created user richard' });
const deleted = await add(T0 + 3000, { insertUser: 'admin@example.com', message: 'Deleted user gilfoyle', reason: 'offboarding' });

t.test('createAuditLog answers the entry with a numeric id and the server’s insert instant', async (t) => {
  t.same(changed, {
    data: { externalId: '_applicationA' },
    newValue: '{"name": "bar"}',
    oldValue: '{"name": "foo"}',
    reason: 'Because I like to change things.',
    id: changed.id,
    insertInstant: T0 + 1000,
    insertUser: 'admin@example.com',
    message: 'Changed Application',
  });
  t.type(changed.id, 'number');
  t.ok(created.id! > changed.id! && deleted.id! > created.id!, 'ids grow');
  now = T0 + 4000;
  const answer = await client.createAuditLog({
    auditLog: { id: 99_999, insertInstant: 1, insertUser: 'x@example.com', message: 'ids are the server’s' },
  });
  t.equal(answer.statusCode, 200);
  const given = answer.response.auditLog!;
  t.not(given.id, 99_999, 'the id the request names is not taken');
  t.equal(given.insertInstant, T0 + 4000);
});

t.test('retrieveAuditLog answers the stored entry; an unknown id is an empty 404; a key is needed, bound to no tenant', async (t) => {
  const answer = await client.retrieveAuditLog(changed.id!);
  t.equal(answer.statusCode, 200);
  t.same(answer.response, { auditLog: changed });
  assertEmpty(t, await settle(client.retrieveAuditLog(9_999_999)), 404);
  // Any Long is an id FusionAuth looks up: past 15 digits, or below zero, it names no entry, like any other.
  assertEmpty(t, await settle(client.retrieveAuditLog(Number.MAX_SAFE_INTEGER)), 404);
  assertEmpty(t, await settle(client.retrieveAuditLog(-1)), 404);
  const long = await fetch(`${standin.url}/api/system/audit-log/9223372036854775807`, { headers: { authorization: API_KEY } });
  t.equal(long.status, 404, 'the largest Long names nothing');
  t.equal(await long.text(), '');
  const word = await fetch(`${standin.url}/api/system/audit-log/latest`, { headers: { authorization: API_KEY } });
  t.equal(word.status, 404, 'a word where the numeric id belongs names nothing');
  t.match(await word.json(), { generalErrors: [{ code: '[NotModelled]' }] });
  assertEmpty(t, await settle(new FusionAuthClient('not-the-key', standin.url).retrieveAuditLog(changed.id!)), 401);
  const bound = new FusionAuthClient(BOUND_KEY, standin.url);
  assertEmpty(t, await settle(bound.retrieveAuditLog(changed.id!)), 401);
  assertEmpty(t, await settle(bound.searchAuditLogs({ search: {} })), 401);
  assertEmpty(t, await settle(bound.createAuditLog({ auditLog: { insertUser: 'a', message: 'b' } })), 401);
});

t.test('searchAuditLogs: newest first, by message, user, values and instants, paged with a total', async (t) => {
  const search = async (criteria: object) => (await client.searchAuditLogs({ search: criteria })).response;
  const messages = (found: { auditLogs?: AuditLog[] }) => found.auditLogs?.map((entry) => entry.message);

  const all = await search({});
  t.same(
    messages(all),
    ['ids are the server’s', 'Deleted user gilfoyle', 'Created user richard', 'Changed Application'],
    'insertInstant DESC by default',
  );
  t.equal(all.total, 4);
  t.same(messages(await search({ message: 'user' })), ['Deleted user gilfoyle', 'Created user richard'], 'a value with no * is looked for anywhere');
  t.same(messages(await search({ message: 'created*' })), ['Created user richard'], '* for anything, without regard to case');
  t.same(messages(await search({ message: '*richard' })), ['Created user richard']);
  t.same(messages(await search({ message: 'richard*' })), [], 'the rest must match exactly');
  t.same(messages(await search({ user: 'admin@' })), ['Deleted user gilfoyle', 'Changed Application'], 'user: the insertUser');
  t.same(messages(await search({ reason: 'offboard' })), ['Deleted user gilfoyle']);
  t.same(messages(await search({ newValue: '"bar"' })), ['Changed Application']);
  t.same(messages(await search({ oldValue: 'foo' })), ['Changed Application']);
  t.same(messages(await search({ message: '100%' })), [], '% and _ are plain characters');
  t.same(
    messages(await search({ start: T0 + 2000, end: T0 + 3000 })),
    ['Deleted user gilfoyle', 'Created user richard'],
    'start and end are inclusive',
  );
  t.same(messages(await search({ orderBy: 'insertUser ASC', user: 'example.com', end: T0 + 3000 }))?.slice(0, 1), ['Changed Application']);
  t.same(messages(await search({ orderBy: 'message' })), [
    'Changed Application',
    'Created user richard',
    'Deleted user gilfoyle',
    'ids are the server’s',
  ]);
  const page = await search({ startRow: 1, numberOfResults: 2 });
  t.same(messages(page), ['Deleted user gilfoyle', 'Created user richard']);
  t.equal(page.total, 4, 'total counts every match');

  const byGet = await fetch(`${standin.url}/api/system/audit-log/search?user=ops&start=${T0}`, { headers: { authorization: API_KEY } });
  t.equal(byGet.status, 200, 'GET takes the criteria as parameters');
  t.same(messages((await byGet.json()) as { auditLogs: AuditLog[] }), ['Created user richard']);
});

t.test('bad input is a 400 in FusionAuth’s shape, and nothing is written', async (t) => {
  const before = (await client.searchAuditLogs({ search: {} })).response.total;
  assertFieldError(t, await settle(client.createAuditLog({})), 'auditLog', 'blank');
  const blank = await settle(client.createAuditLog({ auditLog: { message: ' ' } }));
  assertFieldError(t, blank, 'auditLog.insertUser', 'blank');
  assertFieldError(t, blank, 'auditLog.message', 'blank');
  assertFieldError(
    t,
    await settle(client.createAuditLog({ auditLog: { insertUser: 'a', message: 'b', data: 'text' as never } })),
    'auditLog.data',
    'invalid',
  );
  assertFieldError(t, await settle(client.createAuditLog({ auditLog: { insertUser: 7 as never, message: 'b' } })), 'auditLog.insertUser', 'invalid');
  assertGeneralError(t, await settle(client.createAuditLog(undefined as never)), '[missing]');
  t.equal((await client.searchAuditLogs({ search: {} })).response.total, before, 'no entry was added');

  const search = (criteria: object) => settle(client.searchAuditLogs({ search: criteria }));
  assertFieldError(t, await search({ orderBy: 'reason' }), 'search.orderBy', 'invalid');
  assertFieldError(t, await search({ numberOfResults: -1 }), 'search.numberOfResults', 'invalid');
  assertFieldError(t, await search({ startRow: 'first' }), 'search.startRow', 'invalid');
  assertFieldError(t, await search({ start: 'yesterday' }), 'search.start', 'invalid');
  assertFieldError(t, await search({ message: 42 }), 'search.message', 'invalid');
  assertFieldError(t, await settle(client.searchAuditLogs({ search: 'all' as never })), 'search', 'invalid');
  assertGeneralError(t, await search({ tenantId: TENANT }), '[NotModelled]');
  const byGet = await fetch(`${standin.url}/api/system/audit-log/search?orderBy=nope`, { headers: { authorization: API_KEY } });
  t.equal(byGet.status, 400);
  t.match(await byGet.json(), { fieldErrors: { orderBy: [{ code: '[invalid]orderBy' }] } });
});

t.test('entries survive a restart, and a reset takes back those added since the start', async (t) => {
  await standin.close();
  standin = await startStandin(options);
  client = new FusionAuthClient(API_KEY, standin.url);
  t.same((await client.retrieveAuditLog(deleted.id!)).response.auditLog, deleted, 'after a restart');
  t.equal((await client.searchAuditLogs({ search: {} })).response.total, 4);
  const later = await add(T0 + 5000, { insertUser: 'admin@example.com', message: 'Added after the restart' });
  t.equal((await client.searchAuditLogs({ search: {} })).response.total, 5);
  standin.reset();
  t.equal((await client.searchAuditLogs({ search: {} })).response.total, 4, 'reset: back to the state at start-up');
  assertEmpty(t, await settle(client.retrieveAuditLog(later.id!)), 404);
});
