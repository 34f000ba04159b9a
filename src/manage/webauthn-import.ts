import { randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import { isObject, isUuid, shownValue, type JsonObject } from '../model/json.js';
import type { Tenant } from '../model/tenant.js';
import { ATTESTATION_TYPES, SUPPORTED_ALGORITHMS, type WebAuthnCredential } from '../model/webauthn.js';
import type { Stores } from '../store/index.js';
import { keyTypeOf, pemKeyType } from './webauthn-keys.js';

// The OpenAPI's AttestationType spells two of the docs' values in camelCase; both are taken, as sent.
const ATTESTATION_SPELLINGS = [...ATTESTATION_TYPES, 'anonymizationCa', 'attestationCa'];

/**
 * `POST /api/webauthn/import` (https://fusionauth.io/docs/apis/webauthn, "Import Passkeys"): every passkey checked
 * first, all stored or none. FusionAuth checks that each user exists only with `validateDbConstraints` and answers a
 * 500 otherwise; Standin always checks, and answers the 400 (docs/webauthn.md).
 */
export function importCredentials(stores: Stores, tenant: Tenant, body: JsonObject, now: number): void {
  const errors = new FieldErrors();
  const list = body.credentials;
  if (!Array.isArray(list) || list.length === 0) {
    errors.add('credentials', 'missing', 'You must specify at least one passkey in the [credentials] property.').throwIfAny();
  }
  const credentials: WebAuthnCredential[] = [];
  const ids = new Set<string>();
  const credentialIds = new Set<string>();
  (list as unknown[]).forEach((entry, index) => {
    const at = `credentials[${index}]`;
    const input = isObject(entry) ? entry : {};
    const text = (member: string): string | undefined => {
      const value = input[member];
      if (typeof value === 'string' && value.trim() !== '') return value;
      errors.add(`${at}.${member}`, 'blank', `You must specify the [${at}.${member}] property.`);
      return undefined;
    };
    const credentialId = text('credentialId');
    const displayName = text('displayName');
    const name = text('name');
    const publicKey = text('publicKey');
    const relyingPartyId = text('relyingPartyId');
    const algorithm = input.algorithm;
    if (algorithm === undefined || algorithm === null) errors.add(`${at}.algorithm`, 'missing', `You must specify the [${at}.algorithm] property.`);
    else if (typeof algorithm !== 'number' || !SUPPORTED_ALGORITHMS.includes(algorithm)) {
      errors.add(
        `${at}.algorithm`,
        'invalid',
        `The algorithm [${shownValue(algorithm)}] is not one FusionAuth supports (${SUPPORTED_ALGORITHMS.join(', ')}).`,
      );
    } else if (publicKey !== undefined && pemKeyType(publicKey) !== keyTypeOf(algorithm)) {
      errors.add(`${at}.publicKey`, 'invalid', `The [${at}.publicKey] is not a PEM public key of the type the algorithm [${algorithm}] needs.`);
    }
    const attestationType = input.attestationType ?? 'none';
    if (typeof attestationType !== 'string' || !ATTESTATION_SPELLINGS.includes(attestationType)) {
      errors.add(`${at}.attestationType`, 'invalid', `Invalid [${at}.attestationType] value [${shownValue(attestationType)}].`);
    }
    const userId = typeof input.userId === 'string' ? input.userId.toLowerCase() : undefined;
    const user = userId !== undefined && isUuid(userId) ? stores.users.get(userId) : undefined;
    if (input.userId === undefined) errors.add(`${at}.userId`, 'missing', `You must specify the [${at}.userId] property.`);
    else if (!user || user.tenantId !== tenant.id)
      errors.add(`${at}.userId`, 'invalid', `The user [${shownValue(input.userId)}] does not exist in the tenant.`);
    let id: string = randomUUID();
    if (input.id !== undefined) {
      if (!isUuid(input.id)) errors.add(`${at}.id`, 'invalid', `The [${at}.id] [${shownValue(input.id)}] is not a UUID.`);
      else id = input.id.toLowerCase();
    }
    if (ids.has(id) || stores.webAuthn.get(id)) errors.add(`${at}.id`, 'duplicate', `A passkey with the id [${id}] already exists.`);
    ids.add(id);
    if (credentialId !== undefined) {
      if (credentialIds.has(credentialId) || stores.webAuthn.byCredentialId(tenant.id, credentialId)) {
        errors.add(`${at}.credentialId`, 'duplicate', `A passkey with the credential id [${credentialId}] already exists.`);
      }
      credentialIds.add(credentialId);
    }
    const signCount = input.signCount ?? 0;
    if (!Number.isInteger(signCount) || (signCount as number) < 0)
      errors.add(`${at}.signCount`, 'invalid', `The [${at}.signCount] must be a whole number.`);
    for (const member of ['insertInstant', 'lastUseInstant']) {
      if (input[member] !== undefined && !Number.isInteger(input[member]))
        errors.add(`${at}.${member}`, 'invalid', `The [${at}.${member}] must be an instant.`);
    }
    const flag = (member: string) => input[member] === true;
    credentials.push({
      id,
      algorithm: algorithm as number,
      attestationType: attestationType as string,
      authenticatorSupportsUserVerification: flag('authenticatorSupportsUserVerification'),
      credentialId: credentialId ?? '',
      ...(isObject(input.data) ? { data: input.data } : {}),
      discoverable: flag('discoverable'),
      displayName: displayName ?? '',
      insertInstant: typeof input.insertInstant === 'number' ? input.insertInstant : now,
      lastUseInstant: typeof input.lastUseInstant === 'number' ? input.lastUseInstant : now,
      name: name ?? '',
      publicKey: publicKey ?? '',
      relyingPartyId: relyingPartyId ?? '',
      signCount: signCount as number,
      tenantId: tenant.id,
      transports: Array.isArray(input.transports) ? input.transports.map(String) : [],
      ...(typeof input.userAgent === 'string' ? { userAgent: input.userAgent } : {}),
      userId: userId ?? '',
    });
  });
  errors.throwIfAny();
  stores.webAuthn.insert(credentials);
}
