import t from 'tap';
import { ignoredIdentityProviderRequest } from '../../src/kickstart/ignored-endpoints.js';

// Which kickstart requests to FusionAuth's Identity Provider API Standin replays (OpenID Connect and External JWT
// providers, and the modelled sub-APIs) and which it ignores and lists in the banner (docs/kickstart.md).
const ID = 'e1100000-0000-4000-8000-00000000000a';
const stored = (id: string) => id === ID;
const body = (type: string) => ({ identityProvider: { type, name: type } });

t.test('OpenID Connect and External JWT providers are replayed; other types are ignored', async (t) => {
  t.equal(ignoredIdentityProviderRequest('/api/identity-provider', 'POST', body('OpenIDConnect'), stored), false);
  t.equal(ignoredIdentityProviderRequest('/api/identity-provider', 'POST', body('ExternalJWT'), stored), false);
  t.equal(ignoredIdentityProviderRequest(`/api/identity-provider/${ID}`, 'PUT', body('ExternalJWT'), stored), false);
  t.equal(ignoredIdentityProviderRequest('/api/identity-provider', 'POST', body('Google'), stored), true);
  t.equal(ignoredIdentityProviderRequest(`/api/identity-provider/${ID}`, 'POST', body('SAMLv2'), stored), true);
});

t.test('a change to a provider that is not stored is ignored; the modelled sub-APIs are replayed', async (t) => {
  t.equal(ignoredIdentityProviderRequest(`/api/identity-provider/${ID}`, 'PATCH', { identityProvider: { enabled: true } }, stored), false);
  const other = 'e1199999-0000-4000-8000-000000000009';
  t.equal(ignoredIdentityProviderRequest(`/api/identity-provider/${other}`, 'PATCH', { identityProvider: { enabled: true } }, stored), true);
  t.equal(ignoredIdentityProviderRequest('/api/identity-provider/link', 'POST', {}, stored), false);
  t.equal(ignoredIdentityProviderRequest('/api/identity-provider/start', 'POST', {}, stored), true);
  t.equal(ignoredIdentityProviderRequest('/api/user', 'POST', {}, stored), false);
});
