import { isObject, isUuid } from './json.js';

/**
 * FusionAuth reads every id it is given as a UUID, whatever its case (its own Remix quickstart creates an
 * application as `E9FDB985-…` and logs in with that `client_id`), and answers ids in lower case. Standin does
 * the same by rewriting ids where a request enters (plugins/canonical-ids.ts), so every store lookup and
 * comparison sees one spelling. See docs/identifiers-and-unmodelled.md.
 */

/** Where a name was found: the rules differ a little for the OAuth `client_id` and the hosted backend's `{clientId}`. */
export type IdPlace = 'path' | 'query' | 'json';

// `id`, `ids`, and camelCase names ending in `Id` or `Ids` (`applicationId`, `accessTokenKeyId`, `roleIds`).
const ID_NAME = /^ids?$|[a-z0-9]Ids?$/;

// Names ending in `Id` whose values FusionAuth does not treat as UUIDs (its API description gives them no
// UUID format): login names, one-time codes, external parties' ids. Their case is kept, even when one
// happens to look like a UUID.
const NOT_UUIDS = new Set([
  'appId',
  'authenticatorId',
  'bundleId',
  'changePasswordId',
  'clientId',
  'connectionTestId',
  'credentialId',
  'emailVerificationId',
  'identityProviderUserId',
  'identityVerificationId',
  'licenseId',
  'loginId',
  'methodId',
  'newLoginId',
  'pendingIdPLinkId',
  'previousLoginId',
  'registrationVerificationId',
  'registrationVerificationIds',
  'relyingPartyApplicationId',
  'relyingPartyId',
  'rpId',
  'servicesId',
  'teamId',
  'twoFactorId',
  'twoFactorTrustId',
  'verificationId',
  'verificationIds',
  'zoneId',
]);

// Free-form JSON a caller owns, stored and answered exactly as sent: `data` on users, registrations,
// applications and tenants, and the `claims` /api/jwt/vend signs as given.
const FREE_FORM = new Set(['data', 'claims']);

/** True when a value under this name is a FusionAuth id (a UUID), so its case does not matter. */
export function isIdName(name: string, place: IdPlace): boolean {
  // The OAuth parameter (RFC 6749 §2.2) is the application id; so is the hosted backend's `/app/login/{clientId}`.
  if (place === 'query' && name === 'client_id') return true;
  if (place === 'path' && name === 'clientId') return true;
  return ID_NAME.test(name) && !NOT_UUIDS.has(name);
}

/** A UUID in lower case; anything else exactly as given. */
export function canonicalId(value: string): string {
  return isUuid(value) ? value.toLowerCase() : value;
}

/**
 * Lower-cases, in place, the UUIDs held by id-named members of `record` (strings, or lists of strings),
 * and, when `deep`, in every object and list below it except free-form `data` and `claims`. Walks with a
 * list rather than recursion: a 1 MiB body can nest half a million levels deep.
 */
export function canonicalizeIds(record: unknown, place: IdPlace, deep: boolean): void {
  const pending: unknown[] = [record];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) {
      if (deep) for (const item of value) if (typeof item === 'object' && item !== null) pending.push(item);
    } else if (isObject(value)) {
      for (const [name, member] of Object.entries(value)) {
        if (typeof member === 'string') {
          if (isIdName(name, place)) value[name] = canonicalId(member);
        } else if (Array.isArray(member) && member.every((item) => typeof item === 'string')) {
          if (isIdName(name, place)) value[name] = member.map(canonicalId);
        } else if (deep && !FREE_FORM.has(name) && typeof member === 'object' && member !== null) {
          pending.push(member);
        }
      }
    }
  }
}
