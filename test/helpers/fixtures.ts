/**
 * The test fixtures: every named set-up of a Standin, the one set of constants they use, and the assert
 * helpers for FusionAuth's error shapes. Import from here; `test/README.md` says which set-up serves which
 * area.
 *
 * Set-ups (each closes what it starts when the test ends):
 * - `buildEmptyApp(t, options)`: in memory, fast hashing, the clock at `T0`, one API key (`API_KEY`), the
 *   default tenant `TENANT_ID`; any other config through `options`.
 * - `buildGrantApp(t, options)`: for the token endpoint's grants: `APP` (confidential, authorization code and
 *   refresh token) and `OTHER_APP`, `USER` registered to `APP`, `UNREGISTERED_USER` to nothing; codes made
 *   with `issueCode`, redeemed with `exchange` and `refresh`.
 * - `buildMintedTokenApp(t, options)`: for endpoints that read tokens: `STORE_APP` (Strict scopes) and
 *   `FORUMS_APP` (Compatibility), `RICHARD_ID` and `MONICA_ID`; tokens minted with `accessToken`, `idToken`,
 *   `insertRefreshToken`, `insertSsoSession`, without a login.
 * - `buildLoginApiApp(t, options)`: for `/api/login` and the password and client credentials grants:
 *   `LOGIN_APP`, `PUBLIC_APP`, `PLAIN_APP`, `ALICE_ID` and `BOB_ID` with `PASSWORD`.
 * - `startClientStandin(t)`: a listening Standin for `@fusionauth/typescript-client`: `WEB_APP`, `SPA_APP`,
 *   `RICHARD_ID` (logging in with `RICHARD_LOGIN`) and `GILFOYLE_ID`.
 * - `startTenantStandin(t, project)`: a listening Standin on one API key, a pinned tenant id and the test
 *   file's own kickstart requests.
 * - `startCliWithKickstart(t, kickstart, options)`: the built CLI on a kickstart file in a
 *   temporary folder, both removed when the test ends.
 */
export * from './constants.js';
export * from './build.js';
export * from './oauth-token.js';
export * from './tokens.js';
export * from './login-api.js';
export * from './client-standin.js';
export * from './api.js';
export * from './assert-errors.js';
export * from './fusionauth-client.js';
export * from './login.js';
export * from './kickstart-errors.js';
export * from './cli.js';
