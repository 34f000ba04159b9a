import { randomBytes, randomUUID } from 'node:crypto';
import { ApiError, FieldErrors } from '../errors.js';
import { isObject, shownValue, type JsonObject } from '../model/json.js';
import type { Tenant } from '../model/tenant.js';
import { tenantWithDefaults } from '../model/tenant-defaults.js';
import type { User } from '../model/user.js';
import {
  SUPPORTED_ALGORITHMS,
  WEBAUTHN_WORKFLOWS,
  type TenantWebAuthnConfiguration,
  type WebAuthnCredential,
  type WebAuthnWorkflow,
  type WorkflowConfiguration,
} from '../model/webauthn.js';
import type { Standin } from '../standin.js';
import type { PendingCeremony } from '../store/webauthn.js';
import { coseToPem, pemToCose } from './webauthn-keys.js';
import { webAuthnHelpers, webAuthnServer } from './webauthn-library.js';

/**
 * The attestation statement formats Standin verifies (WebAuthn §8.7 `none`, §8.2 `packed`); a registration in any
 * other answers `[NotModelled]` (docs/webauthn.md).
 */
const VERIFIED_FORMATS = ['none', 'packed'];

/** The tenant's `webAuthnConfiguration` with FusionAuth's defaults for what it leaves out. */
export function webAuthnConfigurationOf(tenant: Tenant): TenantWebAuthnConfiguration {
  const configuration = tenantWithDefaults(tenant).webAuthnConfiguration;
  return isObject(configuration) ? configuration : {};
}

/**
 * A ceremony is served only in a tenant with WebAuthn on, and for a bootstrap or re-authentication workflow only
 * when that workflow is on too (https://fusionauth.io/docs/lifecycle/authenticate-users/passwordless/webauthn).
 */
function requireEnabled(tenant: Tenant, workflow: WebAuthnWorkflow): WorkflowConfiguration {
  const configuration = webAuthnConfigurationOf(tenant);
  if (configuration.enabled !== true) {
    throw ApiError.general('[WebAuthnDisabled]', `WebAuthn is not enabled on the tenant [${tenant.id}] (its webAuthnConfiguration.enabled).`);
  }
  if (workflow === 'general') return {};
  const flow = (workflow === 'bootstrap' ? configuration.bootstrapWorkflow : configuration.reauthenticationWorkflow) ?? {};
  if (flow.enabled !== true) {
    throw ApiError.general('[WebAuthnDisabled]', `The WebAuthn ${workflow} workflow is not enabled on the tenant [${tenant.id}].`);
  }
  return flow;
}

export function parseWorkflow(errors: FieldErrors, value: unknown, allowed: readonly WebAuthnWorkflow[] = WEBAUTHN_WORKFLOWS): WebAuthnWorkflow {
  if (value === undefined || value === null) errors.add('workflow', 'missing', 'You must specify the [workflow] property.');
  else if (!allowed.includes(value as WebAuthnWorkflow)) {
    errors.add('workflow', 'invalid', `Invalid [workflow] value [${shownValue(value)}]; possible values are ${allowed.join(', ')}.`);
  }
  return value as WebAuthnWorkflow;
}

/** A member the browser sends as a base64url string; anything else reads as empty, which no check accepts. */
const stringOf = (value: unknown): string => (typeof value === 'string' ? value : '');

const newChallenge = () => randomBytes(32).toString('base64url');

/** A UUID's 16 bytes, base64url: the user handle FusionAuth gives the authenticator (`options.user.id`). */
export function userHandleOf(userId: string): string {
  return Buffer.from(userId.replaceAll('-', ''), 'hex').toString('base64url');
}

const descriptorOf = (credential: WebAuthnCredential) => ({ id: credential.credentialId, transports: credential.transports, type: 'public-key' });

export interface RegistrationStart {
  displayName: string;
  name?: string;
  userAgent?: string;
  workflow: WebAuthnWorkflow;
}

/**
 * `POST /api/webauthn/register/start`: a new challenge for `user`, and the creation options a browser hands to
 * `navigator.credentials.create()` (https://fusionauth.io/docs/apis/webauthn, "Start a WebAuthn Passkey Registration").
 */
export function startRegistration(standin: Standin, tenant: Tenant, user: User, start: RegistrationStart): JsonObject {
  const flow = requireEnabled(tenant, start.workflow);
  const configuration = webAuthnConfigurationOf(tenant);
  const now = standin.config.now();
  const seconds = challengeSeconds(tenant, 'webAuthnRegistrationChallengeTimeToLiveInSeconds');
  const challenge = newChallenge();
  // "When this parameter is omitted, it will be defaulted to the user's email address … [else] their username."
  const name = start.name ?? user.email ?? user.username ?? user.id;
  const request: JsonObject = { workflow: start.workflow, displayName: start.displayName, name };
  if (start.userAgent !== undefined) request.userAgent = start.userAgent;
  standin.stores.webAuthn.begin(
    { challenge, ceremony: 'registration', tenantId: tenant.id, userId: user.id, expiresAt: now + seconds * 1000, request },
    now,
  );
  const attachment = attachmentOf(flow.authenticatorAttachmentPreference);
  return {
    attestation: 'none',
    authenticatorSelection: {
      ...(attachment ? { authenticatorAttachment: attachment } : {}),
      requireResidentKey: false,
      residentKey: 'preferred',
      userVerification: flow.userVerificationRequirement ?? 'preferred',
    },
    challenge,
    excludeCredentials: standin.stores.webAuthn.ofUser(user.id).map(descriptorOf),
    extensions: { credProps: true },
    pubKeyCredParams: SUPPORTED_ALGORITHMS.map((alg) => ({ alg, type: 'public-key' })),
    rp: { ...(configuration.relyingPartyId ? { id: configuration.relyingPartyId } : {}), name: configuration.relyingPartyName ?? tenant.name },
    timeout: seconds * 1000,
    user: { displayName: start.displayName, id: userHandleOf(user.id), name },
  };
}

function attachmentOf(preference: WorkflowConfiguration['authenticatorAttachmentPreference']): string | undefined {
  if (preference === 'platform') return 'platform';
  if (preference === 'crossPlatform') return 'cross-platform';
  return undefined;
}

function challengeSeconds(tenant: Tenant, member: string): number {
  const configuration = tenantWithDefaults(tenant).externalIdentifierConfiguration;
  const value = isObject(configuration) ? configuration[member] : undefined;
  return typeof value === 'number' && value > 0 ? value : 180;
}

/** What both completions are given: the browser's answer, where it ran, and the relying party id it used. */
export interface Completion {
  credential: JsonObject;
  origin: string;
  rpId?: string;
}

/**
 * The relying party id a ceremony is checked against: the tenant's, else the request's, else the origin's host
 * (WebAuthn §5.1.3: an omitted `rp.id` is the origin's effective domain). The origin's host must be that id or
 * below it (§5.1.4.1 step 8), else the ceremony is refused before any key is read.
 */
function relyingPartyIdOf(tenant: Tenant, completion: Completion): string {
  const host = hostOf(completion.origin);
  const credentialRpId = typeof completion.credential.rpId === 'string' ? completion.credential.rpId : undefined;
  const rpId = webAuthnConfigurationOf(tenant).relyingPartyId ?? completion.rpId ?? credentialRpId ?? host;
  if (host !== rpId && !host.endsWith(`.${rpId}`)) {
    new FieldErrors().add('origin', 'invalid', `The origin [${completion.origin}] is not on the relying party id [${rpId}].`).throwIfAny();
  }
  return rpId;
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).hostname;
  } catch {
    throw new ApiError(400, {
      fieldErrors: { origin: [{ code: '[invalid]origin', message: `The origin [${origin}] is not a URL.` }] },
      generalErrors: [],
    });
  }
}

/** The ceremony whose challenge the browser signed, taken once: a second completion, or a late one, finds none. */
function takeCeremony(standin: Standin, completion: Completion, ceremony: PendingCeremony['ceremony']): PendingCeremony {
  const response = isObject(completion.credential.response) ? completion.credential.response : {};
  let challenge: unknown;
  try {
    challenge = (JSON.parse(Buffer.from(stringOf(response.clientDataJSON), 'base64url').toString('utf8')) as JsonObject).challenge;
  } catch {
    challenge = undefined;
  }
  const pending = typeof challenge === 'string' ? standin.stores.webAuthn.take(challenge, ceremony, standin.config.now()) : undefined;
  if (!pending) throw refused('The challenge is not one Standin issued, or it was already used, or it expired.');
  return pending;
}

/** FusionAuth's error shape for a ceremony the browser's answer does not complete (docs/webauthn.md, "Errors"). */
function refused(message: string): ApiError {
  return new ApiError(400, { fieldErrors: { credential: [{ code: '[invalid]credential', message }] }, generalErrors: [] });
}

async function verified<T>(check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    // The library's reason (challenge, origin, rp id hash, signature, counter…): it holds nothing secret.
    throw refused(`The WebAuthn response did not verify: ${(error as Error).message}`);
  }
}

function requireUserVerification(tenant: Tenant, workflow: unknown): boolean {
  if (workflow !== 'bootstrap' && workflow !== 'reauthentication') return false;
  const configuration = webAuthnConfigurationOf(tenant);
  const flow = workflow === 'bootstrap' ? configuration.bootstrapWorkflow : configuration.reauthenticationWorkflow;
  return flow?.userVerificationRequirement === 'required';
}

/**
 * `POST /api/webauthn/register/complete`: verifies the authenticator's attestation against the registration's
 * challenge, the origin and the relying party id, and stores the passkey
 * (https://fusionauth.io/docs/apis/webauthn, "Complete a WebAuthn Passkey Registration").
 */
export async function completeRegistration(standin: Standin, completion: Completion & { userId: string }, visible: (tenantId: string) => boolean) {
  const pending = takeCeremony(standin, completion, 'registration');
  if (pending.userId !== completion.userId.toLowerCase() || !visible(pending.tenantId)) throw refused('The challenge was issued to another user.');
  const tenant = standin.stores.tenants.get(pending.tenantId)!;
  const rpId = relyingPartyIdOf(tenant, completion);
  const response = completion.credential.response as JsonObject;
  const { decodeAttestationObject, isoBase64URL } = await webAuthnHelpers();
  const format = await verified(async () => decodeAttestationObject(isoBase64URL.toBuffer(stringOf(response.attestationObject))).get('fmt'));
  if (!VERIFIED_FORMATS.includes(format)) {
    throw ApiError.general(
      '[NotModelled]',
      `Standin verifies the attestation formats ${VERIFIED_FORMATS.join(' and ')}, not [${format}]; see docs/webauthn.md.`,
    );
  }
  const { verifyRegistrationResponse } = await webAuthnServer();
  const result = await verified(() =>
    verifyRegistrationResponse({
      response: registrationResponseOf(completion.credential),
      expectedChallenge: pending.challenge,
      expectedOrigin: completion.origin,
      expectedRPID: rpId,
      requireUserVerification: requireUserVerification(tenant, pending.request.workflow),
      supportedAlgorithmIDs: [...SUPPORTED_ALGORITHMS],
    }),
  );
  if (!result.verified) throw refused('The WebAuthn registration did not verify.');
  const info = result.registrationInfo;
  if (standin.stores.webAuthn.byCredentialId(tenant.id, info.credential.id)) {
    new FieldErrors()
      .add('credential.id', 'duplicate', `A passkey with the credential id [${info.credential.id}] is already registered.`)
      .throwIfAny();
  }
  const { isoCBOR } = await webAuthnHelpers();
  const coseKey = isoCBOR.decodeFirst<Map<number, unknown>>(info.credential.publicKey);
  const statement = info.fmt === 'packed' ? (await webAuthnHelpers()).decodeAttestationObject(info.attestationObject).get('attStmt') : undefined;
  const now = standin.config.now();
  const extensions = isObject(completion.credential.clientExtensionResults) ? completion.credential.clientExtensionResults : {};
  const credential: WebAuthnCredential = {
    id: randomUUID(),
    algorithm: coseKey.get(3) as number,
    // WebAuthn §8.2: packed with an x5c certificate chain is Basic (or AttCA) attestation, without it Self.
    attestationType: info.fmt === 'none' ? 'none' : statement?.get('x5c') ? 'basic' : 'self',
    authenticatorSupportsUserVerification: info.userVerified,
    credentialId: info.credential.id,
    discoverable: isObject(extensions.credProps) && extensions.credProps.rk === true,
    displayName: String(pending.request.displayName),
    insertInstant: now,
    lastUseInstant: now,
    name: String(pending.request.name),
    publicKey: await coseToPem(info.credential.publicKey),
    relyingPartyId: rpId,
    signCount: info.credential.counter,
    tenantId: tenant.id,
    transports: Array.isArray(completion.credential.transports) ? completion.credential.transports.map(String) : [],
    ...(typeof pending.request.userAgent === 'string' ? { userAgent: pending.request.userAgent } : {}),
    userId: pending.userId,
  };
  standin.stores.webAuthn.insert([credential]);
  return credential;
}

/** The JSON the library reads (RegistrationResponseJSON), from FusionAuth's WebAuthnPublicKeyRegistrationRequest. */
function registrationResponseOf(credential: JsonObject) {
  const response = credential.response as JsonObject;
  const transports = Array.isArray(credential.transports) ? credential.transports.map(String) : [];
  return {
    id: stringOf(credential.id),
    rawId: stringOf(credential.id),
    type: 'public-key' as const,
    response: {
      attestationObject: stringOf(response.attestationObject),
      clientDataJSON: stringOf(response.clientDataJSON),
      transports: transports as never[],
    },
    clientExtensionResults: {},
  };
}

export interface AuthenticationStart {
  workflow: WebAuthnWorkflow;
  applicationId?: string;
  credentialId?: string;
  state?: JsonObject;
}

/**
 * `POST /api/webauthn/start`: a new challenge for `user`, and the request options a browser hands to
 * `navigator.credentials.get()` (https://fusionauth.io/docs/apis/webauthn, "Start a WebAuthn Passkey Assertion or
 * Authentication"). With `credentialId`, that passkey alone is allowed; else every passkey of the user.
 */
export function startAuthentication(standin: Standin, tenant: Tenant, user: User, start: AuthenticationStart): JsonObject {
  const flow = requireEnabled(tenant, start.workflow);
  const configuration = webAuthnConfigurationOf(tenant);
  const passkeys = standin.stores.webAuthn
    .ofUser(user.id)
    .filter((c) => start.credentialId === undefined || c.id === start.credentialId.toLowerCase());
  if (start.credentialId !== undefined && passkeys.length === 0) {
    new FieldErrors().add('credentialId', 'invalid', `The passkey [${start.credentialId}] is not one of the user's.`).throwIfAny();
  }
  const now = standin.config.now();
  const seconds = challengeSeconds(tenant, 'webAuthnAuthenticationChallengeTimeToLiveInSeconds');
  const challenge = newChallenge();
  const request: JsonObject = { workflow: start.workflow };
  if (start.applicationId !== undefined) request.applicationId = start.applicationId.toLowerCase();
  if (start.credentialId !== undefined) request.credentialId = start.credentialId.toLowerCase();
  if (start.state !== undefined) request.state = start.state;
  standin.stores.webAuthn.begin(
    { challenge, ceremony: 'authentication', tenantId: tenant.id, userId: user.id, expiresAt: now + seconds * 1000, request },
    now,
  );
  return {
    allowCredentials: passkeys.map(descriptorOf),
    challenge,
    ...(configuration.relyingPartyId ? { rpId: configuration.relyingPartyId } : {}),
    timeout: seconds * 1000,
    userVerification: flow.userVerificationRequirement ?? 'preferred',
  };
}

/**
 * `POST /api/webauthn/login` and `/api/webauthn/assert`: verifies the assertion's signature with the stored public
 * key, its challenge, origin and relying party id, and the signature counter (WebAuthn §7.2 step 21: a counter that
 * does not grow, when either is non-zero, is refused); then records the passkey's use. Answers the passkey and the
 * ceremony's start.
 */
export async function completeAuthentication(
  standin: Standin,
  completion: Completion,
  visible: (tenantId: string) => boolean,
): Promise<{ credential: WebAuthnCredential; pending: PendingCeremony }> {
  const pending = takeCeremony(standin, completion, 'authentication');
  if (!visible(pending.tenantId)) throw refused('The challenge was issued in another tenant.');
  const tenant = standin.stores.tenants.get(pending.tenantId)!;
  const credentialId = stringOf(completion.credential.id);
  const stored = standin.stores.webAuthn.byCredentialId(tenant.id, credentialId);
  const allowed = pending.request.credentialId === undefined || stored?.id === pending.request.credentialId;
  if (!stored || stored.userId !== pending.userId || !allowed)
    throw refused(`The passkey [${credentialId}] is not one the challenge was issued for.`);
  const rpId = relyingPartyIdOf(tenant, completion);
  const response = completion.credential.response as JsonObject;
  const { verifyAuthenticationResponse } = await webAuthnServer();
  const publicKey = await pemToCose(stored.publicKey, stored.algorithm);
  const result = await verified(() =>
    verifyAuthenticationResponse({
      response: {
        id: credentialId,
        rawId: credentialId,
        type: 'public-key',
        response: {
          authenticatorData: stringOf(response.authenticatorData),
          clientDataJSON: stringOf(response.clientDataJSON),
          signature: stringOf(response.signature),
          ...(typeof response.userHandle === 'string' ? { userHandle: response.userHandle } : {}),
        },
        clientExtensionResults: {},
      },
      expectedChallenge: pending.challenge,
      expectedOrigin: completion.origin,
      expectedRPID: rpId,
      credential: { id: stored.credentialId, publicKey: publicKey as Uint8Array<ArrayBuffer>, counter: stored.signCount },
      requireUserVerification: requireUserVerification(tenant, pending.request.workflow),
    }),
  );
  if (!result.verified) throw refused('The WebAuthn assertion did not verify.');
  const used = standin.stores.webAuthn.recordUse(stored.id, result.authenticationInfo.newCounter, standin.config.now());
  // Deleted while its assertion was being verified: it logs no one in.
  if (!used) throw refused(`The passkey [${credentialId}] no longer exists.`);
  return { credential: used, pending };
}
