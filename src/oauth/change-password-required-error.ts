import { OAuthError } from '../errors.js';

/**
 * The password grant's answer for a user who must change their password first: FusionAuth's
 * `change_password_required` error, with the reason and the `change_password_id` that sets the new password
 * (its OAuthError; docs/login-flow.md, "A required password change").
 */
export class ChangePasswordRequiredError extends OAuthError {
  override name = 'ChangePasswordRequiredError';

  constructor(readonly changePasswordId: string) {
    super('change_password_required', 'change_password_administrative', 'The user must change their password before this login can finish.');
  }

  override toJSON() {
    return { ...super.toJSON(), change_password_id: this.changePasswordId };
  }
}
