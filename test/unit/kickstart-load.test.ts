import { fileURLToPath } from 'node:url';
import type { FastifyInstance, InjectOptions } from 'fastify';
import t from 'tap';
import { FUSIONAUTH_APPLICATION_ID } from '../../src/kickstart/built-in-variables.js';
import { loadKickstart } from '../../src/kickstart/load-kickstart.js';
import { replayRequests } from '../../src/kickstart/replay-requests.js';
import { KickstartError, type Kickstart, type ResolvedKickstart } from '../../src/kickstart/types.js';
import { kickstartError, UUID } from '../helpers/fixtures.js';

const QUICKSTART_FILE = fileURLToPath(new URL('../fixtures/quickstart-react/kickstart.json', import.meta.url));

/** A kickstart with one API key and the given parts. */
function kickstart(parts: Partial<Kickstart> = {}): Kickstart {
  return { apiKeys: [{ key: 'k' }], ...parts };
}

t.test('variables resolve in order: a later one may use an earlier one, ENV and UUID()', async (t) => {
  const loaded = loadKickstart(
    kickstart({
      variables: { host: 'localhost', base: 'http://#{host}:9011', secret: '#{ENV.SECRET}', id: '#{UUID()}', port: 9011 },
      requests: [{ url: '/api/tenant/#{id}', body: { issuer: '#{base}', secret: '#{secret}', port: '#{port}' } }],
    }),
    { SECRET: 'from-env' },
  );
  t.equal(loaded.variables.base, 'http://localhost:9011');
  t.equal(loaded.variables.secret, 'from-env');
  t.equal(loaded.variables.port, 9011);
  t.match(loaded.variables.id, UUID);
  t.same(loaded.requests[0]!.body, { issuer: 'http://localhost:9011', secret: 'from-env', port: 9011 });
  t.equal(loaded.requests[0]!.url, `/api/tenant/${String(loaded.variables.id)}`);
});

t.test('a variable defined as #{UUID()} is one value everywhere it is used', async (t) => {
  const loaded = loadKickstart(
    kickstart({
      variables: { keyId: '#{UUID()}', other: '#{UUID()}' },
      apiKeys: [{ key: 'k', description: 'key #{keyId}' }],
      requests: [
        { url: '/api/key/generate/#{keyId}' },
        { url: '/api/application', body: { application: { jwtConfiguration: { accessTokenKeyId: '#{keyId}', idTokenKeyId: '#{keyId}' } } } },
      ],
    }),
  );
  const keyId = loaded.variables.keyId as string;
  t.match(keyId, UUID);
  t.not(keyId, loaded.variables.other, 'each variable defined as #{UUID()} gets its own');
  t.equal(loaded.apiKeys[0]!.description, `key ${keyId}`);
  t.equal(loaded.requests[0]!.url, `/api/key/generate/${keyId}`);
  t.same(loaded.requests[1]!.body, { application: { jwtConfiguration: { accessTokenKeyId: keyId, idTokenKeyId: keyId } } });
});

t.test('a variable may not use one defined after it, nor an unset environment variable', async (t) => {
  t.equal(
    kickstartError(t, () => loadKickstart(kickstart({ variables: { a: '#{b}', b: 'x' } }))),
    'variables.a: #{b} is not a defined variable',
  );
  t.match(
    kickstartError(t, () => loadKickstart(kickstart({ variables: { pw: '#{ENV.NOT_SET_HERE}' } }), {})),
    /^variables\.pw: #\{ENV\.NOT_SET_HERE\}.*not set/,
  );
});

t.test('an unknown variable in a request names the request and the field', async (t) => {
  const message = kickstartError(t, () =>
    loadKickstart(
      kickstart({
        requests: [
          { url: '/api/tenant' },
          { url: '/api/application' },
          { url: '/api/user/registration', body: { user: { email: 'a@example.com', password: '#{userPassword}' } } },
        ],
      }),
    ),
  );
  t.equal(message, 'requests[2].body.user.password: #{userPassword} is not a defined variable');
  t.match(
    kickstartError(t, () => loadKickstart(kickstart({ apiKeys: [{ key: '#{apiKey}' }] }))),
    /^apiKeys\[0\]\.key: #\{apiKey\}/,
  );
});

t.test('built-in variables: the FusionAuth application, and the default tenant from defaultTenantId', async (t) => {
  const pinned = loadKickstart(
    kickstart({
      variables: { defaultTenantId: 'D7D09513-A3F5-401C-9685-34AB6C552453' },
      requests: [
        { url: '/api/user/registration', body: { registration: { applicationId: '#{FUSIONAUTH_APPLICATION_ID}' }, t: '#{FUSIONAUTH_TENANT_ID}' } },
      ],
    }),
  );
  t.equal(FUSIONAUTH_APPLICATION_ID, '3c219e58-ed0e-4b18-ad48-f4f92793ae32');
  t.same(pinned.requests[0]!.body, { registration: { applicationId: FUSIONAUTH_APPLICATION_ID }, t: 'd7d09513-a3f5-401c-9685-34ab6c552453' });
  t.match(pinned.variables.FUSIONAUTH_DEFAULT_SIGNING_KEY_ID, UUID);

  const unpinned = loadKickstart(kickstart());
  t.match(unpinned.variables.FUSIONAUTH_TENANT_ID, UUID, 'without defaultTenantId the default tenant gets a new id');
  t.not(unpinned.variables.FUSIONAUTH_TENANT_ID, loadKickstart(kickstart()).variables.FUSIONAUTH_TENANT_ID);
});

t.test('defaultTenantId must be a UUID', async (t) => {
  t.match(
    kickstartError(t, () => loadKickstart(kickstart({ variables: { defaultTenantId: 'default' } }))),
    /defaultTenantId: "default" is not a UUID/,
  );
  t.match(
    kickstartError(t, () => loadKickstart(kickstart({ variables: { defaultTenantId: 12 } }))),
    /defaultTenantId: 12 is not a UUID/,
  );
  t.match(
    loadKickstart(kickstart({ variables: { id: '#{UUID()}', defaultTenantId: '#{id}' } })).variables.FUSIONAUTH_TENANT_ID,
    UUID,
    'it may itself come from a variable',
  );
});

t.test('apiKeys: at least one, each with a non-empty key', async (t) => {
  t.match(
    kickstartError(t, () => loadKickstart({ requests: [] })),
    /"apiKeys" must list at least one API key/,
  );
  t.match(
    kickstartError(t, () => loadKickstart({ apiKeys: [] })),
    /"apiKeys" must list at least one API key/,
  );
  t.match(
    kickstartError(t, () => loadKickstart({ apiKeys: 'k' as never })),
    /"apiKeys" must list at least one API key/,
  );
  t.match(
    kickstartError(t, () => loadKickstart({ apiKeys: [{ key: 'k' }, { description: 'no key' } as never] })),
    /^apiKeys\[1\]: .*non-empty "key"/,
  );
  t.match(
    kickstartError(t, () => loadKickstart({ apiKeys: [{ key: '' }] })),
    /^apiKeys\[0\]: /,
  );
  t.match(
    kickstartError(t, () => loadKickstart({ apiKeys: ['k' as never] })),
    /^apiKeys\[0\]: /,
  );
  const loaded = loadKickstart({
    apiKeys: [
      { key: 'first', description: 'd' },
      { key: 'second', tenantId: 'AAAAAAAA-0000-4000-8000-000000000002' },
    ],
  });
  t.same(
    loaded.apiKeys,
    [
      { key: 'first', description: 'd' },
      { key: 'second', tenantId: 'aaaaaaaa-0000-4000-8000-000000000002' },
    ],
    'a tenantId is lower-cased, as stored ids are',
  );
  t.same(loaded.requests, [], 'no requests is a valid kickstart');
});

t.test('apiKeys: permissions and expiry are kept, checked, and the first key may act on everything', async (t) => {
  const loaded = loadKickstart({
    apiKeys: [
      { key: 'first' },
      { key: 'reader', permissions: { endpoints: { '/api/user/': ['get', 'POST'] } }, expirationInstant: 1_900_000_000_000 },
    ],
  });
  t.same(
    loaded.apiKeys[1],
    { key: 'reader', permissions: { endpoints: { '/api/user': ['GET', 'POST'] } }, expirationInstant: 1_900_000_000_000 },
    'endpoints without a trailing slash, methods in upper case',
  );
  const tenant = 'aaaaaaaa-0000-4000-8000-000000000002';
  const firstMessage = 'apiKeys[0]: the first API key replays the requests, so it may be neither bound to a tenant nor limited to some endpoints';
  t.equal(
    kickstartError(t, () => loadKickstart({ apiKeys: [{ key: 'a', tenantId: tenant }] })),
    firstMessage,
  );
  t.equal(
    kickstartError(t, () => loadKickstart({ apiKeys: [{ key: 'a', permissions: { endpoints: { '/api/user': ['GET'] } } }] })),
    firstMessage,
  );
  const shapeMessage = 'apiKeys[1]: "permissions" must be {"endpoints": {"/api/…": [methods]}}, each method one of DELETE, GET, PATCH, POST, PUT';
  for (const permissions of [
    'all',
    { endpoints: [] },
    { endpoints: { '/api/user': 'GET' } },
    { endpoints: { '/api/user': ['FETCH'] } },
    { endpoints: { user: ['GET'] } },
  ])
    t.equal(
      kickstartError(t, () => loadKickstart({ apiKeys: [{ key: 'a' }, { key: 'b', permissions: permissions as never }] })),
      shapeMessage,
      JSON.stringify(permissions),
    );
  t.equal(
    kickstartError(t, () => loadKickstart({ apiKeys: [{ key: 'a' }, { key: 'b', expirationInstant: 'tomorrow' as never }] })),
    'apiKeys[1]: "expirationInstant" must be milliseconds since the epoch',
  );
  const list = 'aaaaaaaa-0000-4000-8000-0000000000ac';
  t.equal(
    loadKickstart({ apiKeys: [{ key: 'a' }, { key: 'b', ipAccessControlListId: list.toUpperCase() }] }).apiKeys[1]!.ipAccessControlListId,
    list,
    'a key’s IP ACL in lower case',
  );
  t.notOk('ipAccessControlListId' in loadKickstart({ apiKeys: [{ key: 'a', ipAccessControlListId: null as never }] }).apiKeys[0]!, 'null is none');
  t.equal(
    kickstartError(t, () => loadKickstart({ apiKeys: [{ key: 'a', ipAccessControlListId: list }] })),
    'apiKeys[0]: the first API key replays the requests, so it may not be limited to an IP ACL',
  );
  t.equal(
    kickstartError(t, () => loadKickstart({ apiKeys: [{ key: 'a' }, { key: 'b', ipAccessControlListId: 'office' }] })),
    'apiKeys[1]: "ipAccessControlListId" "office" is not a UUID',
  );
  t.equal(
    kickstartError(t, () => loadKickstart({ apiKeys: [{ key: 'a', keyManager: 'yes' as never }] })),
    'apiKeys[0]: "keyManager" must be true or false',
  );
  t.same(
    loadKickstart({ apiKeys: [{ key: 'a', keyManager: true, permissions: { endpoints: {} } }] }).apiKeys[0],
    { key: 'a', keyManager: true },
    'no endpoints: none kept',
  );
});

t.test('apiKeys: a tenantId must be a UUID, and no key may be given twice', async (t) => {
  t.equal(
    kickstartError(t, () => loadKickstart({ apiKeys: [{ key: 'a' }, { key: 'b', tenantId: 'default' }] })),
    'apiKeys[1]: "tenantId" "default" is not a UUID',
  );
  t.equal(
    kickstartError(t, () => loadKickstart({ apiKeys: [{ key: 'a' }, { key: 'b' }, { key: 'a' }] })),
    'apiKeys[2]: the same key as apiKeys[0]',
  );
  t.equal(
    kickstartError(t, () => loadKickstart({ variables: { k: 'same' }, apiKeys: [{ key: '#{k}' }, { key: 'same' }] })),
    'apiKeys[1]: the same key as apiKeys[0]',
    'compared after substitution',
  );
});

t.test('the whole kickstart, its variables and its requests must have the right JSON types', async (t) => {
  t.match(
    kickstartError(t, () => loadKickstart([] as never)),
    /must be a JSON object/,
  );
  t.match(
    kickstartError(t, () => loadKickstart(kickstart({ variables: [] as never }))),
    /"variables" must be an object/,
  );
  t.match(
    kickstartError(t, () => loadKickstart(kickstart({ requests: {} as never }))),
    /"requests" must be a list/,
  );
});

t.test('a request needs a url; its method defaults to POST, is upper-cased, and must be POST, PUT or PATCH', async (t) => {
  t.equal(
    kickstartError(t, () => loadKickstart(kickstart({ requests: [{ url: '/api/tenant' }, { body: {} } as never] }))),
    'requests[1]: each request needs a "url"',
  );
  t.match(
    kickstartError(t, () => loadKickstart(kickstart({ requests: [{ url: '' }] }))),
    /^requests\[0\]: each request needs a "url"/,
  );
  t.match(
    kickstartError(t, () => loadKickstart(kickstart({ requests: [42 as never] }))),
    /^requests\[0\]: each request needs a "url"/,
  );
  for (const method of ['GET', 'DELETE', 'post ', 7]) {
    t.match(
      kickstartError(t, () => loadKickstart(kickstart({ requests: [{ url: '/api/user', method: method as never }] }))),
      /^requests\[0\] \(\/api\/user\): "method" must be POST, PUT or PATCH/,
      `method ${JSON.stringify(method)} is refused`,
    );
  }
  const loaded = loadKickstart(
    kickstart({ requests: [{ url: '/api/a' }, { url: '/api/b', method: 'patch' as never }, { url: '/api/c', method: 'Put' as never }] }),
  );
  t.same(
    loaded.requests.map((r) => r.method),
    ['POST', 'PATCH', 'PUT'],
  );
});

t.test('URLs are kept as written, with or without a leading slash (the replay adds it)', async (t) => {
  const loaded = loadKickstart(kickstart({ requests: [{ url: 'api/system-configuration', method: 'PATCH' }, { url: '/api/tenant' }] }));
  t.same(
    loaded.requests.map((r) => r.url),
    ['api/system-configuration', '/api/tenant'],
  );
});

t.test('a kickstart file: @{} and &{} paths are relative to its folder, and a whole request may be &{requests/x.json}', async (t) => {
  const dir = t.testdir({
    'kickstart.json': JSON.stringify({
      variables: { appId: '#{UUID()}', email: 'x@example.com' },
      apiKeys: [{ key: 'k' }],
      requests: ['&{requests/app.json}', { url: '/api/user/registration', body: { note: '@{notes/hello.txt}' } }],
    }),
    requests: { 'app.json': JSON.stringify({ method: 'patch', url: 'api/application/#{appId}', body: { application: { name: '#{email}' } } }) },
    notes: { 'hello.txt': 'Hi #{email}\n' },
  });
  const loaded = loadKickstart(`${dir}/kickstart.json`);
  const appId = loaded.variables.appId as string;
  t.same(loaded.requests[0], { method: 'PATCH', url: `api/application/${appId}`, body: { application: { name: 'x@example.com' } } });
  t.same(loaded.requests[1], { method: 'POST', url: '/api/user/registration', body: { note: 'Hi #{email}\n' } }, 'included text is not substituted');
});

t.test('a request included with &{} is still checked', async (t) => {
  const dir = t.testdir({
    'kickstart.json': JSON.stringify({ apiKeys: [{ key: 'k' }], requests: ['&{requests/bad.json}'] }),
    requests: { 'bad.json': JSON.stringify({ method: 'GET', url: '/api/user' }) },
  });
  t.match(
    kickstartError(t, () => loadKickstart(`${dir}/kickstart.json`)),
    /^requests\[0\] \(\/api\/user\): "method"/,
  );
});

t.test('a kickstart file that is missing, unreadable or not JSON is a KickstartError naming the file', async (t) => {
  const dir = t.testdir({ 'broken.json': '{ "apiKeys": [ { "key": "k" } ], }', 'comment.json': '// no comments\n{}', folder: {} });
  t.match(
    kickstartError(t, () => loadKickstart(`${dir}/missing.json`)),
    /^cannot read the kickstart file .*missing\.json: ENOENT$/,
  );
  t.match(
    kickstartError(t, () => loadKickstart(`${dir}/folder`)),
    /^cannot read the kickstart file .*folder: EISDIR$/,
  );
  t.match(
    kickstartError(t, () => loadKickstart(`${dir}/broken.json`)),
    /^the kickstart file .*broken\.json is not valid JSON: /,
  );
  t.match(
    kickstartError(t, () => loadKickstart(`${dir}/comment.json`)),
    /comment\.json is not valid JSON/,
    'no comments, as in FusionAuth',
  );
});

t.test("FusionAuth's React quickstart kickstart loads unchanged", async (t) => {
  const loaded = loadKickstart(QUICKSTART_FILE, {});
  t.equal(loaded.requests.length, 9);
  t.same(loaded.apiKeys, [
    { key: 'this_really_should_be_a_long_random_alphanumeric_value_but_this_still_works', description: 'Unrestricted API key' },
  ]);
  t.equal(loaded.variables.FUSIONAUTH_TENANT_ID, 'd7d09513-a3f5-401c-9685-34ab6c552453');
  const keyId = loaded.variables.asymmetricKeyId as string;
  t.match(keyId, UUID);
  t.equal(loaded.requests[0]!.url, `/api/key/generate/${keyId}`);
  t.equal(loaded.requests[0]!.tenantId, 'd7d09513-a3f5-401c-9685-34ab6c552453');
  t.equal(loaded.requests[1]!.url, 'api/system-configuration');
  t.match(loaded.requests[4]!.body, { application: { jwtConfiguration: { accessTokenKeyId: keyId, idTokenKeyId: keyId } } });
  const theme = loaded.requests[6]!.body as { theme: { stylesheet: string; templates: Record<string, string> } };
  t.match(theme.theme.stylesheet, /Standin test fixture/, 'the stylesheet is inlined from css/styles.css');
  t.match(theme.theme.templates.oauth2Authorize, /Standin test fixture/);
  t.equal(theme.theme.templates.phoneComplete, 'Phone complete template');
  t.equal(loaded.requests[6]!.url, loaded.requests[7]!.url, 'the theme id variable is one UUID in both theme requests');
});

/** A stand-in for the Fastify app: records each inject and answers with `answer`. */
function fakeApp(answer: (options: InjectOptions) => { statusCode: number; body: string }) {
  const calls: InjectOptions[] = [];
  const logged: string[] = [];
  const app = {
    inject: async (options: InjectOptions) => {
      calls.push(options);
      return answer(options);
    },
    log: { info: (message: string) => logged.push(message), debug: () => {} },
    // The Standin object the replay marks as replaying (isReplaying).
    standin: {},
  } as unknown as FastifyInstance;
  return { app, calls, logged };
}

function resolved(requests: ResolvedKickstart['requests']): ResolvedKickstart {
  return { variables: {}, apiKeys: [{ key: 'first-key' }, { key: 'second-key' }], requests };
}

t.test('replay: each request in order, with the first API key, a leading slash, its tenant and content type', async (t) => {
  const { app, calls } = fakeApp(() => ({ statusCode: 200, body: '{}' }));
  const ignored = await replayRequests(
    app,
    resolved([
      { method: 'PATCH', url: 'api/system-configuration', body: { a: 1 } },
      { method: 'POST', url: '/api/key/generate', tenantId: 'tenant-1' },
      { method: 'PATCH', url: '//api/tenant/x', contentType: 'application/merge-patch+json', body: { tenant: {} } },
    ]),
  );
  t.same(ignored, []);
  t.same(
    calls.map((c) => [c.method, c.url]),
    [
      ['PATCH', '/api/system-configuration'],
      ['POST', '/api/key/generate'],
      ['PATCH', '/api/tenant/x'],
    ],
  );
  t.same(calls[0]!.headers, { authorization: 'first-key', 'content-type': 'application/json' });
  t.equal(calls[0]!.payload, '{"a":1}');
  t.same(calls[1]!.headers, { authorization: 'first-key', 'content-type': 'application/json', 'x-fusionauth-tenantid': 'tenant-1' });
  t.notOk('payload' in calls[1]!, 'no body, no payload');
  t.equal((calls[2]!.headers as Record<string, string>)['content-type'], 'application/merge-patch+json');
});

t.test('replay: endpoints Standin does not model are not sent, and are reported and logged', async (t) => {
  const { app, calls, logged } = fakeApp(() => ({ statusCode: 200, body: '' }));
  const ignored = await replayRequests(
    app,
    resolved([
      { method: 'POST', url: '/api/reactor/abc', body: {} },
      { method: 'POST', url: 'api/reactor?x=1' },
      { method: 'POST', url: '/api/user/registration' },
      { method: 'POST', url: '/api/reactors' },
    ]),
  );
  t.same(ignored, ['POST /api/reactor/abc', 'POST /api/reactor?x=1']);
  t.same(
    calls.map((c) => c.url),
    ['/api/user/registration', '/api/reactors'],
    'a family is matched by whole path segments',
  );
  t.match(logged.join('\n'), /requests\[0\] POST \/api\/reactor\/abc ignored/);
});

t.test('replay: a Generic connector is replayed, an LDAP one is ignored', async (t) => {
  const { app, calls } = fakeApp(() => ({ statusCode: 200, body: '' }));
  const ldap = 'a1000000-0000-4000-8000-000000000001';
  const ignored = await replayRequests(
    app,
    resolved([
      { method: 'POST', url: `/api/connector/${ldap}`, body: { connector: { type: 'LDAP', name: 'Directory' } } },
      { method: 'POST', url: '/api/connector', body: { connector: { type: 'Generic', name: 'Legacy' } } },
    ]),
  );
  t.same(ignored, [`POST /api/connector/${ldap}`]);
  t.same(
    calls.map((c) => c.url),
    ['/api/connector'],
  );
});

t.test('replay: the first refused request stops the replay with its index, method, URL and answer', async (t) => {
  const { app, calls } = fakeApp((options) =>
    options.url === '/api/user/registration'
      ? { statusCode: 400, body: '{"fieldErrors":{"user.email":[{"code":"[duplicate]user.email"}]}}' }
      : { statusCode: 200, body: '{}' },
  );
  const error = await replayRequests(
    app,
    resolved([
      { method: 'POST', url: '/api/tenant' },
      { method: 'POST', url: 'api/user/registration' },
      { method: 'POST', url: '/api/application' },
    ]),
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.type(error, KickstartError);
  t.match((error as Error).message, /^requests\[1\] POST \/api\/user\/registration failed with HTTP 400: .*\[duplicate\]user\.email/);
  t.equal(calls.length, 2, 'nothing after the refused request is sent');
  const { app: notFound } = fakeApp(() => ({ statusCode: 404, body: '' }));
  await t.rejects(
    replayRequests(notFound, resolved([{ method: 'PUT', url: '/api/nothing' }])),
    new KickstartError('requests[0] PUT /api/nothing failed with HTTP 404'),
  );
});

t.test('escapes in variables and requests stay literal and read no file, even when a variable is used later', async (t) => {
  const baseDir = t.testdir({
    'kickstart.json': JSON.stringify(
      kickstart({
        variables: { greeting: 'Hi \\#{user} \\@{file.txt}', wholeJson: '\\&{body.json}' },
        requests: [
          { url: '/api/user', body: { user: { data: { greeting: '#{greeting}', json: '#{wholeJson}', inline: '\\&{x.json} and \\@{y.txt}' } } } },
        ],
      }),
    ),
  });
  const loaded = loadKickstart(`${baseDir}/kickstart.json`);
  t.equal(loaded.variables.greeting, 'Hi #{user} @{file.txt}');
  t.same(loaded.requests[0]!.body, {
    user: { data: { greeting: 'Hi #{user} @{file.txt}', json: '&{body.json}', inline: '&{x.json} and @{y.txt}' } },
  });
});

t.test("FusionAuth's built-in lambda, form and Tenant Manager ids resolve to fixed ids; a declared variable wins", async (t) => {
  const names = [
    'FUSIONAUTH_LAMBDA[OpenIDReconcile]_ID',
    'FUSIONAUTH_LAMBDA[SAMLv2Reconcile]_ID',
    'FUSIONAUTH_LAMBDA[AppleReconcile]_ID',
    'FUSIONAUTH_LAMBDA[FacebookReconcile]_ID',
    'FUSIONAUTH_LAMBDA[GoogleReconcile]_ID',
    'FUSIONAUTH_LAMBDA[TwitterReconcile]_ID',
    'FUSIONAUTH_FORM[adminUser]_ID',
    'FUSIONAUTH_FORM[adminRegistration]_ID',
    'TENANT_MANAGER_ID',
    'tenantManagerApplicationId',
  ];
  const body = Object.fromEntries(names.map((name) => [name, `#{${name}}`]));
  const load = (variables: Record<string, unknown> = {}) =>
    loadKickstart(kickstart({ variables, requests: [{ url: '/api/lambda', body }] })).requests[0]!.body as Record<string, string>;
  const first = load();
  for (const name of names) t.match(first[name], UUID, name);
  t.same(load(), first, 'the same ids every time');
  t.equal(first.TENANT_MANAGER_ID, first.tenantManagerApplicationId, 'both name the Tenant Manager application');
  t.equal(new Set(Object.values(first)).size, names.length - 1);
  const viaVariable = loadKickstart(kickstart({ variables: { reconcile: '#{FUSIONAUTH_LAMBDA[GoogleReconcile]_ID}' } })).variables.reconcile;
  t.equal(viaVariable, first['FUSIONAUTH_LAMBDA[GoogleReconcile]_ID'], 'a variable may use them');
});
