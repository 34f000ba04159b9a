import { isObject } from '../model/json.js';
import { replayedPath } from './replayed-path.js';
import type { ResolvedKickstart } from './types.js';

/**
 * How many 2048-bit RSA keys replaying the kickstart's requests will generate (`POST /api/key/generate[/{keyId}]`
 * with an `RS…` algorithm and the default length): the seed asks the thread pool for them all at once
 * (keys/generate-key.ts). A request the API then refuses only leaves one key unused.
 */
export function generatedRsaKeys(kickstart: ResolvedKickstart): number {
  return kickstart.requests.filter(({ method, url, body }) => {
    if ((method ?? 'POST') !== 'POST' || !/^\/api\/key\/generate(?:\/[^/]+)?$/.test(replayedPath(url))) return false;
    const key = isObject(body) ? body.key : undefined;
    return isObject(key) && typeof key.algorithm === 'string' && key.algorithm.startsWith('RS') && (key.length ?? 2048) === 2048;
  }).length;
}
