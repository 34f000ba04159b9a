import type * as SimpleWebAuthn from '@simplewebauthn/server';
import type * as SimpleWebAuthnHelpers from '@simplewebauthn/server/helpers';

let server: Promise<typeof SimpleWebAuthn> | undefined;
let helpers: Promise<typeof SimpleWebAuthnHelpers> | undefined;

/**
 * @simplewebauthn/server, loaded on first use: most Standin instances never see a passkey, and a start should not pay
 * for it (bench/README.md, "Start-up"). Why this library: docs/webauthn.md, "Verification".
 */
export const webAuthnServer = (): Promise<typeof SimpleWebAuthn> => (server ??= import('@simplewebauthn/server'));
export const webAuthnHelpers = (): Promise<typeof SimpleWebAuthnHelpers> => (helpers ??= import('@simplewebauthn/server/helpers'));
