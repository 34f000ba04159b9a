import type { Application } from '../model/application.js';
import type { Standin } from '../standin.js';
import { emitEvent } from './emit.js';

/**
 * `jwt.public-key.update` (https://fusionauth.io/docs/extend/events-and-webhooks/events/jwt-public-key-update): the
 * keys an application's tokens are signed with changed, so a verifier should fetch them again. Sent after an
 * application update that changes its access or id token key; `applicationIds` lists the application.
 */
export function emitPublicKeyUpdate(standin: Standin, before: Application, after: Application): void {
  const keysOf = (application: Application) => {
    const own = application.jwtConfiguration.enabled ? application.jwtConfiguration : undefined;
    return `${own?.accessTokenKeyId ?? ''}|${own?.idTokenKeyId ?? ''}`;
  };
  if (keysOf(before) === keysOf(after)) return;
  emitEvent(standin, { type: 'jwt.public-key.update', tenantId: after.tenantId, applicationIds: [after.id] });
}
