import { ApiError, FieldErrors } from '../errors.js';
import { emitEvent } from '../events/emit.js';
import { userEvent } from '../events/payloads.js';
import { isObject, isUuid, type JsonObject } from '../model/json.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import type { IdentityProviderLinkRow } from '../store/identity-provider-links.js';
import type { Stores } from '../store/index.js';

/** A link as FusionAuth's Link API answers it (https://fusionauth.io/docs/apis/identity-providers/links). */
export function linkView(stores: Stores, link: IdentityProviderLinkRow): JsonObject {
  const provider = stores.identityProviders.get(link.identityProviderId);
  return {
    data: {},
    ...(link.displayName === undefined ? {} : { displayName: link.displayName }),
    identityProviderId: link.identityProviderId,
    ...(provider === undefined ? {} : { identityProviderName: provider.name, identityProviderType: provider.type }),
    identityProviderUserId: link.identityProviderUserId,
    insertInstant: link.insertInstant,
    lastLoginInstant: link.lastLoginInstant,
    tenantId: link.tenantId,
    ...(link.token === undefined ? {} : { token: link.token }),
    userId: link.userId,
  };
}

/**
 * `user.identity-provider.link` or `.unlink` for `link`, after its write (FusionAuth's are not transactional:
 * https://fusionauth.io/docs/extend/events-and-webhooks/events/user-identity-provider-link): `identityProviderLink`
 * and `user`.
 */
export function emitLinkEvent(standin: Standin, type: 'link' | 'unlink', link: IdentityProviderLinkRow): void {
  emitEvent(standin, () => {
    const user = standin.stores.users.get(link.userId);
    return user && userEvent(standin.stores, `user.identity-provider.${type}`, user, { identityProviderLink: linkView(standin.stores, link) });
  });
}

/**
 * FusionAuth's Link a User: `{identityProviderLink: {…}}`, or the fields at the top level as before 1.43.0. A pending
 * link (`pendingIdPLinkId`) is refused with `[NotModelled]`, since Standin never makes one. `userOf` answers the user
 * this request may see (a tenant-bound key sees its tenant's only).
 */
export function createLink(standin: Standin, body: JsonObject, userOf: (id: string) => User | undefined): JsonObject {
  const { stores } = standin;
  const now = standin.config.now();
  if (body.pendingIdPLinkId !== undefined) {
    throw ApiError.general('[NotModelled]', 'Standin makes no pending links (the CreatePendingLink strategy); see docs/identity-providers.md.');
  }
  const input = isObject(body.identityProviderLink) ? body.identityProviderLink : body;
  const errors = new FieldErrors();
  const field = (name: string) => `identityProviderLink.${name}`;
  const { identityProviderId, identityProviderUserId, userId, displayName, token } = input;
  const provider = isUuid(identityProviderId) ? stores.identityProviders.get(identityProviderId) : undefined;
  if (identityProviderId === undefined || identityProviderId === null || identityProviderId === '') {
    errors.add(field('identityProviderId'), 'blank', `You must specify the [${field('identityProviderId')}] property.`);
  } else if (!provider) {
    errors.add(field('identityProviderId'), 'invalid', `The [${field('identityProviderId')}] property does not name an identity provider.`);
  }
  if (typeof identityProviderUserId !== 'string' || identityProviderUserId.trim() === '') {
    errors.add(field('identityProviderUserId'), 'blank', `You must specify the [${field('identityProviderUserId')}] property.`);
  }
  const user = isUuid(userId) ? userOf(userId.toLowerCase()) : undefined;
  if (userId === undefined || userId === null || userId === '')
    errors.add(field('userId'), 'blank', `You must specify the [${field('userId')}] property.`);
  else if (!user) errors.add(field('userId'), 'invalid', `The [${field('userId')}] property does not name a user.`);
  for (const [name, value] of [
    ['displayName', displayName],
    ['token', token],
  ] as const) {
    if (value !== undefined && value !== null && typeof value !== 'string')
      errors.add(field(name), 'invalid', `The [${field(name)}] property must be a string.`);
  }
  if (provider && user && provider.tenantId !== undefined && provider.tenantId !== user.tenantId) {
    errors.add(field('identityProviderId'), 'invalid', 'The identity provider is scoped to another tenant than the user’s.');
  }
  errors.throwIfAny();
  const created = stores.db.transaction(() => {
    const existing = stores.identityProviderLinks.find(provider!.id, user!.tenantId, identityProviderUserId as string);
    if (existing) {
      const message = `The identity provider user [${identityProviderUserId as string}] is already linked to a user.`;
      new FieldErrors().add(field('identityProviderUserId'), 'duplicate', message).throwIfAny();
    }
    const link: IdentityProviderLinkRow = {
      identityProviderId: provider!.id,
      identityProviderUserId: identityProviderUserId as string,
      tenantId: user!.tenantId,
      userId: user!.id,
      ...(typeof displayName === 'string' && displayName !== '' ? { displayName } : {}),
      ...(typeof token === 'string' && token !== '' ? { token } : {}),
      insertInstant: now,
      lastLoginInstant: now,
    };
    stores.identityProviderLinks.insert(link);
    return link;
  })();
  emitLinkEvent(standin, 'link', created);
  return linkView(stores, created);
}
