import { join } from 'node:path';
import { FusionAuthClient, type OAuthError } from '@fusionauth/typescript-client';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { settle } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's client credentials grant, an entity's (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints,
// "Client Credentials Grant Request"; the token: https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/tokens),
// through @fusionauth/typescript-client, every entity, type and grant made by a kickstart. The access token is verified
// against the JWKS with jose; introspection answers it as FusionAuth's introspectClientCredentialsAccessToken does.
const API_KEY = 'client-entity-credentials-key-0123456789ab';
const TENANT = 'e8000000-0000-4000-8000-0000000000a1';
const OTHER_TENANT = 'e8000000-0000-4000-8000-0000000000a2';
const API_TYPE = 'e8000000-0000-4000-8000-0000000000c1';
const SIGNED_TYPE = 'e8000000-0000-4000-8000-0000000000c2';
const ENTITY_KEY = 'e8000000-0000-4000-8000-0000000000f1';
const EMAIL = 'e8000000-0000-4000-8000-0000000000e1';
const CALENDAR = 'e8000000-0000-4000-8000-0000000000e2';
const WEATHER = 'e8000000-0000-4000-8000-0000000000e3';
const TODO = 'e8000000-0000-4000-8000-0000000000e4';
const ELSEWHERE = 'e8000000-0000-4000-8000-0000000000e5';
const SIGNER = 'e8000000-0000-4000-8000-0000000000e6';
const APP = 'e8000000-0000-4000-8000-0000000000b1';
const LAMBDA = 'e8000000-0000-4000-8000-0000000000d1';
const TODO_CLIENT = 'todo-service';
const TODO_SECRET = 'todo-service-secret-0123456789abcdef';
const WEATHER_SECRET = 'weather-secret-0123456789abcdef';
const APP_SECRET = 'application-secret-0123456789abcdef';
const NO_SECRET = undefined as unknown as string;

const entity = (id: string, name: string, type: string, tenantId: string, extra: object = {}) => ({
  url: `/api/entity/${id}`,
  tenantId,
  body: { entity: { name, type: { id: type }, ...extra } },
});
const grant = (target: string, recipientEntityId: string, permissions: string[], tenantId = TENANT) => ({
  url: `/api/entity/${target}/grant`,
  tenantId,
  body: { grant: { recipientEntityId, permissions } },
});
const kickstart = {
  variables: { defaultTenantId: TENANT },
  apiKeys: [{ key: API_KEY }],
  requests: [
    { url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other' } } },
    {
      url: `/api/lambda/${LAMBDA}`,
      body: {
        lambda: {
          name: 'Entity claims',
          type: 'ClientCredentialsJWTPopulate',
          body: `function populate(jwt, recipientEntity, targetEntities, permissions) {
            jwt.recipient = recipientEntity.name;
            jwt.targets = targetEntities.map(function (target) { return target.name; });
            jwt.asked = permissions;
            jwt.secretSeen = recipientEntity.clientSecret !== undefined;
            jwt.sub = 'someone else';
            jwt.permissions = { everything: ['all'] };
          }`,
        },
      },
    },
    {
      method: 'PATCH' as const,
      url: `/api/tenant/${TENANT}`,
      body: { tenant: { oauthConfiguration: { clientCredentialsAccessTokenPopulateLambdaId: LAMBDA } } },
    },
    { url: `/api/key/generate/${ENTITY_KEY}`, body: { key: { algorithm: 'ES256', name: 'Entity key' } } },
    {
      url: `/api/entity/type/${API_TYPE}`,
      body: { entityType: { name: 'API', permissions: [{ name: 'read' }, { name: 'write' }, { name: 'sue' }] } },
    },
    {
      url: `/api/entity/type/${SIGNED_TYPE}`,
      body: { entityType: { name: 'Signed', jwtConfiguration: { enabled: true, accessTokenKeyId: ENTITY_KEY, timeToLiveInSeconds: 120 } } },
    },
    entity(EMAIL, 'Email API', API_TYPE, TENANT),
    entity(CALENDAR, 'Calendar API', API_TYPE, TENANT),
    entity(WEATHER, 'Weather API', API_TYPE, TENANT, { clientSecret: WEATHER_SECRET }),
    entity(TODO, 'Todo API', API_TYPE, TENANT, { clientId: TODO_CLIENT, clientSecret: TODO_SECRET }),
    entity(ELSEWHERE, 'Elsewhere API', API_TYPE, OTHER_TENANT),
    entity(SIGNER, 'Signer', SIGNED_TYPE, TENANT, { clientSecret: TODO_SECRET }),
    grant(EMAIL, TODO, ['read', 'write']),
    grant(CALENDAR, TODO, []),
    grant(EMAIL, SIGNER, ['read']),
    {
      url: `/api/application/${APP}`,
      tenantId: TENANT,
      body: { application: { name: 'Service', oauthConfiguration: { clientSecret: APP_SECRET, enabledGrants: ['client_credentials'] } } },
    },
  ],
};

const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
t.teardown(() => standin.close());
const client = new FusionAuthClient(API_KEY, standin.url);
const jwks = createRemoteJWKSet(new URL(`${standin.url}/.well-known/jwks.json`));
const issuer = standin.issuer;

/** The token endpoint's OAuth error, as the client hands it back. */
async function refusal(promise: Promise<{ statusCode: number; response: unknown }>): Promise<{ status: number; error: OAuthError | undefined }> {
  const answer = await settle(promise);
  return { status: answer.statusCode, error: answer.exception as OAuthError | undefined };
}

t.same(standin.app.seedReport.ignored, [], 'the kickstart’s entity requests were replayed, not ignored');

t.test('an entity gets a token for a target that granted it the permissions it asks for', async (t) => {
  const scope = `target-entity:${EMAIL}:read`;
  const answer = await client.clientCredentialsGrant(TODO_CLIENT, TODO_SECRET, scope);
  t.equal(answer.statusCode, 200);
  const body = answer.response;
  t.match(body, { token_type: 'Bearer', scope, expires_in: 3600 });
  t.notOk(body.refresh_token, 'no refresh token');
  t.notOk(body.id_token, 'no id token');
  const { payload } = await jwtVerify(body.access_token!, jwks, { issuer, audience: EMAIL });
  t.match(payload, { sub: TODO, aud: EMAIL, tid: TENANT, scope, permissions: { [EMAIL]: ['read'] } });
  t.equal(payload.exp! - payload.iat!, 3600, 'the tenant’s lifetime');
});

t.test('no permissions asked: every permission of the grant; several targets: an audience of each', async (t) => {
  const all = (await client.clientCredentialsGrant(TODO_CLIENT, TODO_SECRET, `target-entity:${EMAIL}`)).response;
  const { payload } = await jwtVerify(all.access_token!, jwks);
  t.same(payload.permissions, { [EMAIL]: ['read', 'write'] });

  const both = (await client.clientCredentialsGrant(TODO_CLIENT, TODO_SECRET, `target-entity:${EMAIL}:write target-entity:${CALENDAR}`)).response;
  const claims = (await jwtVerify(both.access_token!, jwks)).payload;
  t.same(claims.aud, [EMAIL, CALENDAR]);
  t.same(claims.permissions, { [EMAIL]: ['write'] }, 'a target whose grant has no permissions is not in the claim');

  const none = (await client.clientCredentialsGrant(TODO_CLIENT, TODO_SECRET, `target-entity:${CALENDAR}`)).response;
  const bare = (await jwtVerify(none.access_token!, jwks)).payload;
  t.equal(bare.aud, CALENDAR);
  t.notOk('permissions' in bare, 'no target has a permission: no permissions claim');
});

t.test('FusionAuth’s errors: a permission not granted, a target that granted nothing, bad client credentials', async (t) => {
  const notGranted = await refusal(client.clientCredentialsGrant(TODO_CLIENT, TODO_SECRET, `target-entity:${EMAIL}:read,sue`));
  t.equal(notGranted.status, 400);
  t.match(notGranted.error, { error: 'invalid_scope', error_reason: 'invalid_entity_permission_scope', error_description: /\[sue\]/ });

  for (const target of [WEATHER, ELSEWHERE, 'e8999999-0000-4000-8000-000000000009']) {
    const refused = await refusal(client.clientCredentialsGrant(TODO_CLIENT, TODO_SECRET, `target-entity:${target}:read`));
    t.equal(refused.status, 400, `target ${target}`);
    t.match(refused.error, { error: 'invalid_scope', error_reason: 'invalid_target_entity_scope' });
  }
  const wrong = await refusal(client.clientCredentialsGrant(TODO_CLIENT, 'not-the-secret', `target-entity:${EMAIL}`));
  t.match(wrong, { status: 401, error: { error: 'invalid_client', error_reason: 'invalid_client_authentication' } });
  const missing = await refusal(client.clientCredentialsGrant(TODO_CLIENT, NO_SECRET, `target-entity:${EMAIL}`));
  t.match(missing, { status: 401, error: { error: 'invalid_client', error_reason: 'client_authentication_missing' } });
});

t.test('an entity type’s own jwtConfiguration signs with its key and lifetime', async (t) => {
  const answer = (await client.clientCredentialsGrant(SIGNER, TODO_SECRET, `target-entity:${EMAIL}:read`)).response;
  t.equal(answer.expires_in, 120);
  const key = (await client.retrieveKey(ENTITY_KEY)).response.key!;
  t.equal(decodeProtectedHeader(answer.access_token!).kid, key.kid, 'signed with the type’s key');
  const { payload } = await jwtVerify(answer.access_token!, jwks, { issuer });
  t.equal(payload.exp! - payload.iat!, 120);
  t.same(payload.permissions, { [EMAIL]: ['read'] });
  const deleted = await settle(client.deleteKey(ENTITY_KEY));
  t.equal(deleted.statusCode, 400, 'the key cannot be deleted while the type signs with it');
  t.match(deleted.exception, { fieldErrors: { keyId: [{ code: '[inUse]keyId' }] } });
});

t.test('introspection: without a client (introspectClientCredentialsAccessToken), or by an entity it names', async (t) => {
  const token = (await client.clientCredentialsGrant(TODO_CLIENT, TODO_SECRET, `target-entity:${EMAIL}:read`)).response.access_token!;
  const anonymous = await client.introspectClientCredentialsAccessToken(token);
  t.match(anonymous.response, { active: true, sub: TODO, aud: EMAIL, tid: TENANT, permissions: { [EMAIL]: ['read'] } });
  t.equal((await settle(client.introspectAccessToken(TODO_CLIENT, token))).statusCode, 401, 'an entity that names itself must authenticate');

  const form = (clientId: string, secret: string) => new URLSearchParams({ client_id: clientId, client_secret: secret, token });
  const asRecipient = await fetch(`${standin.url}/oauth2/introspect`, { method: 'POST', body: form(TODO_CLIENT, TODO_SECRET) });
  t.match(await asRecipient.json(), { active: true, sub: TODO });
  const asOther = await fetch(`${standin.url}/oauth2/introspect`, { method: 'POST', body: form(WEATHER, WEATHER_SECRET) });
  t.equal(asOther.status, 401, 'an entity the token does not name may not read it');
  const asApplication = await fetch(`${standin.url}/oauth2/introspect`, { method: 'POST', body: form(APP, APP_SECRET) });
  t.same(await asApplication.json(), { active: false }, 'nor is it an application’s token');
  await t.rejects(client.retrieveUserInfoFromAccessToken(token), 'userinfo refuses it: it speaks for no user');

  standin.clock.advance(3601);
  t.teardown(() => {
    standin.clock.reset();
  });
  t.same((await client.introspectClientCredentialsAccessToken(token)).response, { active: false }, 'expired');
});

t.test('the tenant’s Client Credentials JWT populate lambda adds claims, and cannot change the reserved ones', async (t) => {
  const answer = (await client.clientCredentialsGrant(TODO_CLIENT, TODO_SECRET, `target-entity:${EMAIL}:read target-entity:${CALENDAR}`)).response;
  const { payload } = await jwtVerify(answer.access_token!, jwks, { issuer });
  t.match(payload, {
    recipient: 'Todo API',
    targets: ['Email API', 'Calendar API'],
    asked: { [EMAIL]: ['read'], [CALENDAR]: [] },
    secretSeen: false,
    sub: TODO,
    permissions: { [EMAIL]: ['read'] },
  });
  const unknown = await settle(
    client.patchTenant(TENANT, {
      tenant: { oauthConfiguration: { clientCredentialsAccessTokenPopulateLambdaId: 'e8999999-0000-4000-8000-000000000009' } },
    }),
  );
  t.match(unknown, {
    statusCode: 400,
    exception: { fieldErrors: { 'tenant.oauthConfiguration.clientCredentialsAccessTokenPopulateLambdaId': [{ code: /^\[invalid\]/ }] } },
  });
});

t.test('an application’s client id still gets the plain RFC 6749 grant', async (t) => {
  const answer = (await client.clientCredentialsGrant(APP, APP_SECRET, 'read')).response;
  const { payload } = await jwtVerify(answer.access_token!, jwks, { issuer });
  t.match(payload, { sub: APP, aud: APP, scope: 'read' });
  t.notOk('permissions' in payload);
});

t.test('a file-backed Standin’s entities get tokens after a restart', async (t) => {
  const dir = temporaryFolder(t, 'standin-entity-credentials-');
  const options = { db: join(dir, 'standin.db'), passwordHashing: 'fast' as const, logLevel: 'silent' as const, kickstart };
  await (await startStandin(options)).close();
  const second = await startStandin(options);
  t.teardown(() => second.close());
  const again = new FusionAuthClient(API_KEY, second.url);
  const answer = (await again.clientCredentialsGrant(TODO_CLIENT, TODO_SECRET, `target-entity:${EMAIL}:write`)).response;
  const { payload } = await jwtVerify(answer.access_token!, createRemoteJWKSet(new URL(`${second.url}/.well-known/jwks.json`)));
  t.same(payload.permissions, { [EMAIL]: ['write'] });
});
