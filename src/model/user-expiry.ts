import type { User } from './user.js';

/**
 * Whether a user's `expiry` (milliseconds since the epoch, FusionAuth's User API) has come at `now`, Standin's
 * clock. FusionAuth lets such a user log in no more (the Login API's 410, https://fusionauth.io/docs/apis/login)
 * and Standin issues it no token of any kind (docs/login-flow.md, "An expired user").
 */
export function hasExpired(user: User, now: number): boolean {
  return typeof user.expiry === 'number' && user.expiry <= now;
}
