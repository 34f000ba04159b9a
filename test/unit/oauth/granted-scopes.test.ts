import t from 'tap';
import type { Application } from '../../../src/model/application.js';
import { scopePolicyDefaults, type ScopePolicy } from '../../../src/model/scope-policy.js';
import { grantedScopes, isKnownScope } from '../../../src/oauth/granted-scopes.js';

function application(policy: Partial<ScopePolicy> = {}, scopeNames: string[] = ['api:read']): Application {
  return {
    scopes: scopeNames.map((name) => ({ name })),
    oauthConfiguration: { ...scopePolicyDefaults(), ...policy },
  } as unknown as Application;
}

t.test('known: the reserved scopes, enabled provided scopes and the custom scopes of this application', async (t) => {
  const app = application({ providedScopePolicy: { ...scopePolicyDefaults().providedScopePolicy, phone: { enabled: false, required: true } } });
  for (const name of ['openid', 'offline_access', 'email', 'profile', 'address', 'api:read']) t.ok(isKnownScope(app, name), name);
  for (const name of ['phone', 'api:write', 'API:READ', 'idp-link:x']) t.notOk(isKnownScope(app, name), name);
});

t.test('each policy', async (t) => {
  const asked = 'openid api:read nonsense phone';
  const disabledPhone = { providedScopePolicy: { ...scopePolicyDefaults().providedScopePolicy, phone: { enabled: false, required: false } } };
  t.same(grantedScopes(application({ unknownScopePolicy: 'Allow', ...disabledPhone }), asked), {
    granted: ['openid', 'api:read', 'nonsense', 'phone'],
    rejected: [],
  });
  t.same(grantedScopes(application({ unknownScopePolicy: 'Remove', ...disabledPhone }), asked), { granted: ['openid', 'api:read'], rejected: [] });
  t.same(grantedScopes(application({ unknownScopePolicy: 'Reject', ...disabledPhone }), asked), {
    granted: ['openid', 'api:read', 'nonsense', 'phone'],
    rejected: ['nonsense', 'phone'],
  });
});

t.test('a scope named twice counts once; blanks between scopes are nothing', async (t) => {
  t.same(grantedScopes(application(), 'openid  openid api:read ').granted, ['openid', 'api:read']);
  t.same(grantedScopes(application(), ''), { granted: [], rejected: [] });
});

t.test('an application stored before scopes and scope policies existed: no custom scopes, provided scopes enabled', async (t) => {
  const old = { oauthConfiguration: { unknownScopePolicy: 'Reject', scopeHandlingPolicy: 'Strict' } } as unknown as Application;
  t.same(grantedScopes(old, 'openid email api:read'), { granted: ['openid', 'email', 'api:read'], rejected: ['api:read'] });
});
