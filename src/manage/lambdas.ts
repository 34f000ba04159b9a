import { refuseDuplicateId } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { applicationLambdaIds, buildLambda, LAMBDA_TYPES, type Lambda } from '../model/lambda.js';
import { isObject, mergePatch, type JsonObject } from '../model/json.js';
import type { Stores } from '../store/index.js';
import { searchObjects, type Found } from './search.js';

export function createLambda(stores: Stores, now: number, id: string | undefined, input: JsonObject): Lambda {
  const lambdaId = id ?? randomUUID();
  refuseDuplicateId(stores.lambdas.get(lambdaId) !== undefined, 'lambdaId', 'A lambda', lambdaId);
  const lambda = buildLambda(input, { id: lambdaId, now });
  stores.lambdas.insert(lambda);
  return lambda;
}

/** PUT replaces the lambda with `input`; PATCH merges `input` into it (RFC 7396). The type stays. */
export function updateLambda(stores: Stores, now: number, existing: Lambda, input: JsonObject, mode: 'replace' | 'merge'): Lambda {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const lambda = buildLambda(isObject(next) ? next : {}, { id: existing.id, now, existing });
  stores.lambdas.update(lambda);
  return lambda;
}

/**
 * Deletes a lambda and takes its id out of every application's and identity provider's `lambdaConfiguration`, so that
 * they run none (docs/lambdas.md). Left there, the id would refuse every later update of the application, and a new lambda
 * made under the same id would run on its tokens without being attached.
 */
export function deleteLambda(stores: Stores, now: number, lambdaId: string): void {
  stores.db.transaction(() => {
    for (const application of stores.applications.list()) {
      const fields = applicationLambdaIds(application).filter(({ id }) => id.toLowerCase() === lambdaId);
      if (fields.length === 0) continue;
      const lambdaConfiguration = { ...(isObject(application.lambdaConfiguration) ? application.lambdaConfiguration : {}) };
      for (const { field } of fields) delete lambdaConfiguration[field];
      stores.applications.update({ ...application, lambdaConfiguration, lastUpdateInstant: now });
    }
    // An identity provider's reconcile lambda goes the same way (docs/identity-providers.md).
    for (const provider of stores.identityProviders.list()) {
      if (provider.lambdaConfiguration.reconcileId !== lambdaId) continue;
      stores.identityProviders.update({ ...provider, lambdaConfiguration: {}, lastUpdateInstant: now });
    }
    stores.lambdas.delete(lambdaId);
  })();
}

/**
 * FusionAuth's Search for Lambdas (https://fusionauth.io/docs/apis/lambdas): `name` and `body` as text, `type`
 * exactly; ordered by `name` (the default), `id`, `insertInstant`, `lastUpdateInstant`, `type` or `engineType`.
 */
export function searchLambdas(stores: Stores, criteria: unknown, prefix: string): Found<Lambda> {
  return searchObjects(
    stores.lambdas.list(),
    criteria,
    {
      orderBy: {
        name: (lambda) => lambda.name,
        id: (lambda) => lambda.id,
        insertInstant: (lambda) => lambda.insertInstant,
        lastUpdateInstant: (lambda) => lambda.lastUpdateInstant,
        type: (lambda) => lambda.type,
        engineType: (lambda) => lambda.engineType,
      },
      defaultOrder: 'name',
      text: { name: (lambda) => lambda.name, body: (lambda) => lambda.body },
      exact: { type: { values: LAMBDA_TYPES, of: (lambda) => lambda.type } },
    },
    prefix,
  );
}
