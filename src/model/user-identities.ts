import type { JsonObject } from './json.js';
import type { User } from './user.js';

/**
 * FusionAuth's `user.identities[]` (1.59 and later; https://fusionauth.io/docs/lifecycle/manage-users/verification/gate-accounts-until-user-email-verified),
 * derived from the user Standin stores: an `email` identity (primary) and a `username` identity. The email's
 * `verified`/`verifiedReason` follow the verification Standin ran: `Pending` while a verification is owed,
 * `Completed` once done (with `verifiedInstant`), and, for an address never verified because no verification
 * was asked for, `Skipped` when the tenant verifies email (the create skipped it) or `Disabled` when it does not.
 * A username is `Unverifiable`. See docs/email-verification.md for what is guessed here.
 */
export function identitiesOf(user: User, tenantVerifiesEmail: boolean): JsonObject[] {
  const identities: JsonObject[] = [];
  const times = { insertInstant: user.insertInstant, lastUpdateInstant: user.lastUpdateInstant };
  if (typeof user.email === 'string') {
    const completed = user.verified && typeof user.verifiedInstant === 'number';
    const reason = !user.verified ? 'Pending' : completed ? 'Completed' : tenantVerifiesEmail ? 'Skipped' : 'Disabled';
    identities.push({
      type: 'email',
      value: user.email,
      displayValue: user.email,
      primary: true,
      verified: completed,
      verifiedReason: reason,
      ...(completed ? { verifiedInstant: user.verifiedInstant } : {}),
      ...times,
    });
  }
  if (typeof user.username === 'string') {
    identities.push({
      type: 'username',
      value: user.username,
      displayValue: user.username,
      primary: typeof user.email !== 'string',
      verified: false,
      verifiedReason: 'Unverifiable',
      ...times,
    });
  }
  return identities;
}
