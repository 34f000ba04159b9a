/**
 * The one set of test constants. Every named set-up in `fixtures.ts` takes its ids, secrets and logins from
 * here, so a name means one thing everywhere: `RICHARD_ID` is always a user id, `RICHARD_LOGIN` always his
 * credentials.
 */

/** A fixed instant for tests: 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);

/** An id in the shape Standin generates (a v4 UUID, lower case). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// The empty app (`buildEmptyApp`): one API key, the default tenant's id pinned.
export const API_KEY = 'test-api-key-0123456789-abcdefghijklmnopqrstuvwxyz';
export const TENANT_ID = 'aaaaaaaa-0000-4000-8000-000000000001';

// The grant app (`buildGrantApp`): the token endpoint's applications and users.
export const APP = 'cccccccc-1111-4000-8000-000000000001';
export const OTHER_APP = 'cccccccc-2222-4000-8000-000000000002';
export const SECRET = 'app-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
export const OTHER_SECRET = 'other-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
export const USER = 'dddddddd-1111-4000-8000-000000000001';
export const UNREGISTERED_USER = 'dddddddd-2222-4000-8000-000000000002';
export const REDIRECT = 'https://store.example.com/callback';
export const SSO_SESSION = 'eeeeeeee-1111-4000-8000-000000000001';
/** The PKCE verifier of RFC 7636 appendix B. */
export const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

// The minted-token app (`buildMintedTokenApp`): store (Strict) and forums (Compatibility), Richard and Monica.
export const STORE_APP = 'aaaaaaaa-1111-4000-8000-000000000001';
export const FORUMS_APP = 'aaaaaaaa-2222-4000-8000-000000000002';
export const STORE_SECRET = 'store-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
export const MONICA_ID = 'bbbbbbbb-2222-4000-8000-000000000002';

// Richard, in the minted-token app and the client Standin alike.
export const RICHARD_ID = '00000000-0000-0000-0000-111111111111';
export const RICHARD_LOGIN = { loginId: 'richard@example.com', password: 'password' };

// The Login API app (`buildLoginApiApp`).
export const LOGIN_APP = 'abababab-1111-4000-8000-000000000001';
export const PUBLIC_APP = 'abababab-2222-4000-8000-000000000002';
export const PLAIN_APP = 'abababab-3333-4000-8000-000000000003';
export const LOGIN_SECRET = 'login-app-secret-0123456789-abcdefghijklmnop';
export const ALICE_ID = 'acacacac-1111-4000-8000-000000000001';
export const BOB_ID = 'acacacac-2222-4000-8000-000000000002';
export const PASSWORD = 'password1';

// The client Standin (`startClientStandin`), listening for @fusionauth/typescript-client.
export const CLIENT_API_KEY = 'client-e2e-api-key-0123456789abcdef';
export const CLIENT_TENANT_ID = 'd7d09513-a3f5-401c-9685-34ab6c552453';
/** Confidential (secret Required): every grant, refresh tokens on both the OAuth and the Login API side. */
export const WEB_APP = 'e9fdb985-9173-4e01-9d73-ac2d60d1dc8e';
export const WEB_SECRET = 'web-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
/** Public (no secret, PKCE required), Login API without an API key, no Login API refresh tokens. */
export const SPA_APP = 'f0f0f0f0-0000-4000-8000-0000000000f2';
export const CALLBACK = 'http://localhost:3000/callback';
export const GILFOYLE_ID = '00000000-0000-0000-0000-222222222222';

// The default seed (no kickstart given): its application and secret.
export const QUICKSTART_APP = 'e9fdb985-9173-4e01-9d73-ac2d60d1dc8e';
export const QUICKSTART_SECRET = 'super-secret-secret-that-should-be-regenerated-for-production';
