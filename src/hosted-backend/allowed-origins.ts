import { isUuid } from '../model/json.js';
import type { Stores } from '../store/index.js';

/**
 * Whether an origin is one of the `authorizedOriginURLs` of the application a hosted backend request names
 * (`/app/x/{clientId}` or `?client_id=`), or of any active application when it names none (`/app/me`).
 * Standin lets these origins call `/app/*` with cookies as well as the system CORS configuration's
 * (docs/cors-and-discovery.md).
 */
export function isApplicationOrigin(stores: Pick<Stores, 'applications'>, clientId: string | undefined, origin: string): boolean {
  const clients =
    clientId === undefined
      ? stores.applications.list().filter((application) => application.active)
      : [isUuid(clientId) ? stores.applications.get(clientId.toLowerCase()) : undefined];
  return clients.some((client) => client?.active === true && client.oauthConfiguration.authorizedOriginURLs.includes(origin));
}
