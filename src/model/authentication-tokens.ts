import { ApiError } from '../errors.js';
import { isObject } from './json.js';

/**
 * FusionAuth's Application authentication tokens (a per-registration secret the Login API takes in place of the
 * password: https://fusionauth.io/docs/apis/registrations, `generateAuthenticationToken` and
 * `registration.authenticationToken`) are not modelled: Standin's logins never read one, so a Registration API
 * request that asks for one is refused with `[NotModelled]`, as the application's
 * `authenticationTokenConfiguration.enabled` is (model/unmodelled-settings.ts), rather than answered as if a
 * token existed.
 */
export function refuseAuthenticationTokens(body: unknown): void {
  if (!isObject(body)) return;
  const registration = isObject(body.registration) ? body.registration : {};
  const asked = [
    ...(body.generateAuthenticationToken === true ? ['generateAuthenticationToken'] : []),
    ...(typeof registration.authenticationToken === 'string' && registration.authenticationToken !== '' ? ['registration.authenticationToken'] : []),
  ];
  if (asked.length === 0) return;
  throw ApiError.general(
    '[NotModelled]',
    `Standin does not model Application authentication tokens: [${asked.join('], [')}] would have no effect, as no login reads one; see docs/management-api.md.`,
  );
}
