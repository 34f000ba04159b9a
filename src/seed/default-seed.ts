import { randomBytes } from 'node:crypto';
import type { Kickstart } from '../kickstart/types.js';

/**
 * The ids and URLs of FusionAuth's React quickstart kickstart, which its apps hard-code
 * (https://github.com/FusionAuth/fusionauth-quickstart-javascript-react-web, `kickstart/kickstart.json`).
 */
export const QUICKSTART = {
  tenantId: 'd7d09513-a3f5-401c-9685-34ab6c552453',
  applicationId: 'e9fdb985-9173-4e01-9d73-ac2d60d1dc8e',
  clientSecret: 'super-secret-secret-that-should-be-regenerated-for-production',
  origin: 'http://localhost:3000',
  userId: '00000000-0000-0000-0000-111111111111',
} as const;

/**
 * What Standin seeds an empty database with when given no kickstart: what FusionAuth's React quickstart
 * kickstart creates, so the quickstart apps run with no configuration. Unlike that kickstart it bakes in
 * no API key (a new random one is made, shown once in the banner) and no signing key (the tenant's
 * generated RS256 key signs), and it leaves the issuer to follow the port Standin listens on.
 */
export function defaultSeed(): Kickstart {
  return {
    variables: { defaultTenantId: QUICKSTART.tenantId },
    apiKeys: [{ key: randomBytes(32).toString('base64url'), description: 'Created by the default seed' }],
    requests: [
      {
        method: 'PATCH',
        url: '/api/system-configuration',
        body: {
          systemConfiguration: {
            corsConfiguration: {
              allowCredentials: true,
              allowedMethods: ['GET', 'POST', 'OPTIONS'],
              allowedOrigins: [QUICKSTART.origin],
              enabled: true,
              preflightMaxAgeInSeconds: 0,
            },
          },
        },
      },
      {
        url: '/api/user/registration',
        body: {
          user: { email: 'admin@example.com', password: 'password' },
          registration: { applicationId: '#{FUSIONAUTH_APPLICATION_ID}', roles: ['admin'] },
        },
      },
      {
        url: `/api/application/${QUICKSTART.applicationId}`,
        body: {
          application: {
            name: 'Example app',
            oauthConfiguration: {
              authorizedRedirectURLs: [`${QUICKSTART.origin}/logged-out`, QUICKSTART.origin],
              authorizedOriginURLs: [QUICKSTART.origin],
              clientSecret: QUICKSTART.clientSecret,
              logoutURL: QUICKSTART.origin,
              enabledGrants: ['authorization_code', 'refresh_token'],
              debug: true,
              generateRefreshTokens: true,
              requireRegistration: true,
            },
            jwtConfiguration: { enabled: true },
            registrationConfiguration: { enabled: true },
          },
        },
      },
      {
        url: `/api/user/registration/${QUICKSTART.userId}`,
        body: {
          user: { birthDate: '1985-11-23', email: 'richard@example.com', firstName: 'Richard', lastName: 'Hendricks', password: 'password' },
          registration: { applicationId: QUICKSTART.applicationId },
        },
      },
    ],
  };
}
