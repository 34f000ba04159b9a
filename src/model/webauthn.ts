import type { JsonObject } from './json.js';

/**
 * A user's passkey as FusionAuth answers it (WebAuthnCredential, https://fusionauth.io/docs/apis/webauthn): the
 * public key in PEM, the authenticator's credential id in base64url, and what the registration learned about it.
 */
export interface WebAuthnCredential extends JsonObject {
  id: string;
  algorithm: number;
  attestationType: string;
  authenticatorSupportsUserVerification: boolean;
  credentialId: string;
  data?: JsonObject;
  discoverable: boolean;
  displayName: string;
  insertInstant: number;
  lastUseInstant: number;
  name: string;
  publicKey: string;
  relyingPartyId: string;
  signCount: number;
  tenantId: string;
  transports: string[];
  userAgent?: string;
  userId: string;
}

/** FusionAuth's workflows (WebAuthnWorkflow): what a registration or an authentication is meant for. */
export const WEBAUTHN_WORKFLOWS = ['bootstrap', 'general', 'reauthentication'] as const;
export type WebAuthnWorkflow = (typeof WEBAUTHN_WORKFLOWS)[number];

/**
 * The COSE algorithms FusionAuth accepts for a passkey, in its order of preference
 * (https://fusionauth.io/docs/apis/webauthn, "Import Passkeys", supported algorithms): ES256, ES384, ES512, RS256,
 * RS384, RS512, PS256, PS384, PS512.
 */
export const SUPPORTED_ALGORITHMS: readonly number[] = [-7, -35, -36, -257, -258, -259, -37, -38, -39];

/** The attestation types an imported passkey may carry (`credentials[x].attestationType`). */
export const ATTESTATION_TYPES: readonly string[] = ['anonymization-ca', 'attestation-ca', 'basic', 'none', 'self'];

/** FusionAuth's tenant `webAuthnConfiguration` as Standin reads it; every member optional, as a tenant may store none. */
export interface TenantWebAuthnConfiguration {
  enabled?: boolean;
  relyingPartyId?: string;
  relyingPartyName?: string;
  bootstrapWorkflow?: WorkflowConfiguration;
  reauthenticationWorkflow?: WorkflowConfiguration;
}

export interface WorkflowConfiguration {
  enabled?: boolean;
  authenticatorAttachmentPreference?: 'any' | 'platform' | 'crossPlatform';
  userVerificationRequirement?: 'discouraged' | 'preferred' | 'required';
}
