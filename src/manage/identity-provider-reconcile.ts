import { ApiError } from '../errors.js';
import type { Application } from '../model/application.js';
import { isObject, type JsonObject } from '../model/json.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import { updateRegistration } from './registrations.js';
import { updateUser } from './users.js';

/** What an identity provider answered a login with (oauth/relying-party.ts builds it). */
export interface ProviderAnswer {
  /** The id token's claims overlaid with the UserInfo response's. */
  claims: JsonObject;
  userinfo: JsonObject;
  idToken?: JsonObject;
  tokens: { access_token: string; id_token?: string };
}

/**
 * Runs the provider's OpenIDReconcile lambda, `reconcile(user, registration, jwt, id_token, tokens)`
 * (https://fusionauth.io/docs/extend/code/lambdas/openid-connect-response-reconcile): `jwt` is the UserInfo response,
 * `id_token` the id token's claims (undefined without one), `tokens` the encoded access and id tokens. What the lambda
 * changed on the user and on the registration to `application` is saved as the User and Registration APIs' PUT would
 * save it; the field the linking strategy links on (`email` or `username`) stays, as FusionAuth ignores a change to
 * it. A lambda that fails (the event log says why), or leaves a user or registration the APIs would refuse, changes
 * nothing and the login goes on.
 */
export async function reconcileUser(
  standin: Standin,
  lambdaId: string,
  user: User,
  application: Application,
  answer: ProviderAnswer,
  linkedBy: 'email' | 'username',
): Promise<User> {
  const { stores } = standin;
  const registration = stores.registrations.get(user.id, application.id);
  const tokens = { access_token: answer.tokens.access_token, ...(answer.tokens.id_token === undefined ? {} : { id_token: answer.tokens.id_token }) };
  const after = await standin.lambdas.run(lambdaId, 'OpenIDReconcile', 'reconcile', [
    user,
    registration ?? null,
    answer.userinfo,
    answer.idToken,
    tokens,
  ]);
  return saveReconciled(standin, { lambdaId, type: 'OpenIDReconcile' }, after, user, application, linkedBy);
}

/**
 * Saves what a reconcile lambda (`after`: its arguments as it left them, user first and registration second) changed on
 * the user and on the registration to `application`, as the User and Registration APIs' PUT would save it; the field
 * the linking strategy links on (`email` or `username`) stays, as FusionAuth ignores a change to it. A lambda that
 * failed (`after` undefined), or left a user or registration the APIs would refuse, changes nothing (the event log
 * says why).
 */
export async function saveReconciled(
  standin: Standin,
  lambda: { lambdaId: string; type: string },
  after: unknown[] | undefined,
  user: User,
  application: Application,
  linkedBy: 'email' | 'username',
): Promise<User> {
  const { stores } = standin;
  const registration = stores.registrations.get(user.id, application.id);
  if (after === undefined) return user;
  const [changedUser, changedRegistration] = after;
  let reconciled = user;
  try {
    if (isObject(changedUser) && JSON.stringify(changedUser) !== JSON.stringify(user)) {
      const kept = user[linkedBy];
      const input: JsonObject = { ...changedUser, [linkedBy]: kept ?? null };
      if (kept === undefined) delete input[linkedBy];
      reconciled = await updateUser(standin, user, input, 'replace');
    }
    if (registration && isObject(changedRegistration) && JSON.stringify(changedRegistration) !== JSON.stringify(registration)) {
      await updateRegistration(standin, reconciled, registration, { ...changedRegistration, applicationId: application.id }, 'replace');
    }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    stores.eventLogs.insert(
      standin.config.now(),
      'Error',
      `Lambda invocation result.\n\nId: ${lambda.lambdaId}\nType: ${lambda.type}\n\nThe user or registration the lambda left was refused: ${error.message}\n`,
    );
  }
  return stores.users.get(user.id) ?? reconciled;
}
