import { readFileSync } from 'node:fs';

/** Standin's own version, from its package.json. */
export const STANDIN_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * The FusionAuth version whose API Standin serves, answered by `GET /api/system/version`: FusionAuth's clients
 * compare it to decide which features to use, so it names the FusionAuth Standin is checked against (its
 * TypeScript client and OpenAPI description, docs/compatibility.md), not Standin's own version, which
 * `GET /api/status` answers. Raised with the client in package.json; test/e2e/client-version.test.ts holds the two together.
 */
export const FUSIONAUTH_VERSION = '1.69.0';
