import { ApiError } from '../errors.js';
import { findConnector, tenantPolicies } from '../manage/connectors.js';
import { registerUser } from '../manage/registrations.js';
import { createUser, updateUser } from '../manage/users.js';
import { FUSIONAUTH_CONNECTOR_ID, policyMatches, type ConnectorPolicy, type GenericConnector } from '../model/connector.js';
import { isObject, isUuid, type JsonObject } from '../model/json.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import { authenticatePassword, type PasswordCheck } from './authenticate-password.js';
import { postToConnector, type ClientCertificate, type ConnectorAnswer } from './post-to-connector.js';

/** A password login as the connectors see it (oauth/login-guard.ts gives it). */
export interface ConnectorLoginAttempt {
  tenantId: string;
  loginId: string;
  password: string;
  /** The application logged into, when there is one (the Login API may name none). */
  applicationId: string | undefined;
  ip: string;
}

/**
 * Checks a password login through the tenant's connectors (Connectors overview, https://fusionauth.io/docs/lifecycle/migrate-users/connectors):
 * - a user Standin holds and no Generic connector owns (one made here, or migrated by a connector) is checked by
 *   Standin's own password check, the FusionAuth connector;
 * - a user a Generic connector authenticated without migrating them is checked by that connector again ("Once a user
 *   is authenticated against a Connector, they will always be authenticated against that same data source");
 * - anyone else (an unknown login id, or a user whose connector was deleted) goes through the tenant's
 *   `connectorPolicies` in order, each whose domains match the login id: the FusionAuth connector's policy is
 *   Standin's own check; a Generic connector's 200 answer authenticates the user it returns, and any other answer, a
 *   timeout or a body that is no user sends the login on to the next policy ("a 404 is returned for any non 200
 *   status code returned from your connector", Generic Connector docs). None left: the login fails.
 * A user a connector authenticates is created or updated here from its answer; with the policy's `migrate` its
 * password is hashed and kept, and its later logins stay here (docs/connectors.md).
 */
export async function authenticateThroughConnectors(standin: Standin, attempt: ConnectorLoginAttempt): Promise<PasswordCheck> {
  const { stores } = standin;
  const local = () => authenticatePassword(standin, attempt.tenantId, attempt.loginId, attempt.password);
  const user = stores.users.byLoginId(attempt.tenantId, attempt.loginId);
  const policies = tenantPolicies(stores.tenants.get(attempt.tenantId));
  const owner = user === undefined ? undefined : stores.connectors.ofUser(user.id);
  if (user !== undefined && owner === undefined) return local();
  const owning = owner === undefined ? undefined : genericConnector(standin, owner);
  if (owning !== undefined) {
    const policy = policies.find((each) => each.connectorId === owning.id) ?? { connectorId: owning.id, domains: ['*'], migrate: false };
    return (await throughConnector(standin, owning, policy, attempt)) ?? { ok: false };
  }
  for (const policy of policies) {
    if (!policyMatches(policy, attempt.loginId)) continue;
    if (policy.connectorId === FUSIONAUTH_CONNECTOR_ID) {
      // A user whose connector is gone and who has no password here fails it, as an unknown one does.
      const check = await local();
      if (check.ok) return check;
      continue;
    }
    const connector = genericConnector(standin, policy.connectorId);
    if (connector === undefined) continue;
    const check = await throughConnector(standin, connector, policy, attempt);
    if (check !== undefined) return check;
  }
  return { ok: false };
}

function genericConnector(standin: Standin, id: string): GenericConnector | undefined {
  const connector = findConnector(standin.stores, id);
  return connector?.type === 'Generic' ? connector : undefined;
}

/**
 * One connector's verdict: the authenticated user, `{ok: false}` when it authenticated a user Standin cannot let in
 * (deactivated), or undefined when it did not authenticate anyone (the next policy may).
 */
async function throughConnector(
  standin: Standin,
  connector: GenericConnector,
  policy: ConnectorPolicy,
  attempt: ConnectorLoginAttempt,
): Promise<PasswordCheck | undefined> {
  // The Generic Connector docs' request: the login as the Login API takes it.
  const body = JSON.stringify({
    ...(attempt.applicationId === undefined ? {} : { applicationId: attempt.applicationId }),
    eventInfo: { ipAddress: attempt.ip },
    loginId: attempt.loginId,
    noJWT: false,
    password: attempt.password,
  });
  const answer = await postToConnector(connector, body, clientCertificate(standin, connector));
  const given = answeredUser(answer);
  record(standin, connector, answer, given === undefined && 'statusCode' in answer && answer.statusCode === 200 ? 'no valid user' : undefined);
  if (given === undefined) return undefined;
  try {
    const user = await synchronize(standin, attempt, given, connector, policy);
    return user.active ? { ok: true, user } : { ok: false };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // The user the connector answered cannot be stored here (its email is another user's, its id another tenant's user's).
    record(standin, connector, answer, `its user cannot be stored: ${error.message.slice(0, 500)}`);
    return undefined;
  }
}

/** The `user` of a 200 answer, when it has what the Connectors overview requires: a UUID `id`, and an email or username. */
function answeredUser(answer: ConnectorAnswer): JsonObject | undefined {
  if (!('statusCode' in answer) || answer.statusCode !== 200 || !isObject(answer.body)) return undefined;
  const user = answer.body.user;
  if (!isObject(user) || !isUuid(user.id)) return undefined;
  if (typeof user.email !== 'string' && typeof user.username !== 'string') return undefined;
  return user;
}

/**
 * Creates or updates the user the connector answered, in the tenant logged into: its registrations are added, never
 * taken away. Without `migrate` it has no password here and stays the connector's; with it, the password just checked
 * is hashed and kept, and the FusionAuth connector owns it from now on.
 */
async function synchronize(
  standin: Standin,
  attempt: ConnectorLoginAttempt,
  given: JsonObject,
  connector: GenericConnector,
  policy: ConnectorPolicy,
): Promise<User> {
  const { stores } = standin;
  const id = (given.id as string).toLowerCase();
  const { id: _id, tenantId: _tenantId, password: _password, registrations, memberships: _memberships, ...fields } = given;
  const hash = policy.migrate ? await standin.passwords.hash(attempt.password) : undefined;
  const existing = stores.users.get(id);
  if (existing !== undefined && existing.tenantId !== attempt.tenantId)
    throw ApiError.general('[duplicate]userId', 'A user with this id is in another tenant.');
  const user =
    existing === undefined
      ? await createUser(standin, attempt.tenantId, id, fields, { withoutPassword: true })
      : await updateUser(standin, existing, fields, 'replace');
  stores.db.transaction(() => {
    if (hash !== undefined) stores.users.setPasswordHash(user.id, hash);
    stores.connectors.setOfUser(user.id, policy.migrate ? undefined : connector.id);
  })();
  for (const registration of Array.isArray(registrations) ? registrations : []) {
    if (!isObject(registration) || !isUuid(registration.applicationId)) continue;
    if (stores.registrations.get(user.id, registration.applicationId.toLowerCase()) !== undefined) continue;
    try {
      const { id: _registrationId, ...rest } = registration;
      await registerUser(standin, user, rest);
    } catch (error) {
      // An application of another tenant, or unknown here: the login goes on without that registration.
      if (!(error instanceof ApiError)) throw error;
    }
  }
  return stores.users.get(user.id) ?? user;
}

function clientCertificate(standin: Standin, connector: GenericConnector): ClientCertificate | undefined {
  if (connector.sslCertificateKeyId === undefined) return undefined;
  const stored = standin.stores.keys.get(connector.sslCertificateKeyId);
  if (stored?.key.certificate === undefined || stored.privateKey === undefined) return undefined;
  return { cert: stored.key.certificate, key: stored.privateKey };
}

/**
 * What the connector did, for whoever debugs it: an Event Log entry when the connector's `debug` is on (Generic
 * Connector docs, "Debug enabled"), a warning in Standin's log when it failed. Never the password, the headers or
 * the body: the connector's id, the status or the failure, and `problem`.
 */
function record(standin: Standin, connector: GenericConnector, answer: ConnectorAnswer, problem: string | undefined): void {
  const outcome = 'statusCode' in answer ? `answered HTTP ${answer.statusCode}` : `failed: ${answer.failure}`;
  const failed = !('statusCode' in answer) || (answer.statusCode !== 200 && answer.statusCode !== 404) || problem !== undefined;
  if (connector.debug) {
    const text = `Generic connector [${connector.name}] with Id [${connector.id}] ${outcome}${problem === undefined ? '' : `; ${problem}`}.`;
    standin.stores.eventLogs.insert(standin.config.now(), 'Debug', text);
  }
  if (failed)
    standin.events.log.warn(
      { connectorId: connector.id, ...('statusCode' in answer ? { statusCode: answer.statusCode } : { failure: answer.failure }), problem },
      'connector login failed',
    );
}
