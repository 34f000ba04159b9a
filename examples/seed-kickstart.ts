import type { Kickstart } from '../src/index.js';
import { FORUMS_CLIENT_ID, FORUMS_SECRET } from './forums/forums.js';
import { STORE_CLIENT_ID, STORE_SECRET } from './store/store.js';

export const DEMO_USER = { id: '00000000-0000-0000-0000-111111111111', email: 'richard@example.com', password: 'password' };

/**
 * Standin's kickstart for the seed: the store and the forums, each allowed back to its own URL, and a user
 * registered to both. JWTs live `jwtSeconds` so that refreshing is something you can watch.
 */
export function seedKickstart(urls: { store: string; forums: string }, jwtSeconds = 60, apiKey = 'seed-demo-api-key-0123456789'): Kickstart {
  const application = (id: string, name: string, secret: string, url: string) => ({
    url: `/api/application/${id}`,
    body: {
      application: {
        name,
        oauthConfiguration: {
          authorizedRedirectURLs: [`${url}/oauth-redirect`, `${url}/`],
          authorizedOriginURLs: [url],
          clientSecret: secret,
          enabledGrants: ['authorization_code', 'refresh_token'],
          generateRefreshTokens: true,
          requireRegistration: true,
        },
        jwtConfiguration: { enabled: true, timeToLiveInSeconds: jwtSeconds },
      },
    },
  });
  return {
    apiKeys: [{ key: apiKey, description: 'seed demo' }],
    requests: [
      application(STORE_CLIENT_ID, 'Store', STORE_SECRET, urls.store),
      application(FORUMS_CLIENT_ID, 'Forums', FORUMS_SECRET, urls.forums),
      {
        url: `/api/user/registration/${DEMO_USER.id}`,
        body: {
          user: { email: DEMO_USER.email, password: DEMO_USER.password, firstName: 'Richard', lastName: 'Hendricks' },
          registration: { applicationId: STORE_CLIENT_ID },
        },
      },
      { url: `/api/user/registration/${DEMO_USER.id}`, body: { registration: { applicationId: FORUMS_CLIENT_ID } } },
    ],
  };
}
