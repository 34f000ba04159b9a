import { isObject } from '../model/json.js';
import { replayedPath } from './replayed-path.js';
import type { ResolvedKickstart } from './types.js';

// The User and Registration APIs' requests that hash `user.password`: create or update a user, alone or with a
// registration (https://fusionauth.io/docs/apis/users, https://fusionauth.io/docs/apis/registrations).
const HASHING_PATH = /^\/api\/user(?:\/registration)?(?:\/[^/]+)?$/;

/**
 * The passwords replaying the kickstart's requests will hash, in order: the seed has them hashed on the thread
 * pool all at once (passwords/password-hasher.ts, `prefetch`). A request the API then refuses, or one that does not
 * hash after all, only leaves a hash unused.
 */
export function kickstartPasswords(kickstart: ResolvedKickstart): string[] {
  return kickstart.requests.flatMap(({ url, body }) => {
    if (!HASHING_PATH.test(replayedPath(url)) || !isObject(body) || !isObject(body.user)) return [];
    const { password } = body.user;
    return typeof password === 'string' && password !== '' ? [password] : [];
  });
}
