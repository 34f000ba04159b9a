import t from 'tap';
import { banner } from '../../src/banner.js';
import { TENANT_ID } from '../helpers/constants.js';
import { buildEmptyApp, testKickstart } from '../helpers/fixtures.js';

// The start banner names the lambdas a kickstart attached that Standin stores but never runs (docs/lambdas.md).
const APP = 'c9000000-0000-4000-8000-000000000001';
const lambda = (id: string, name: string, type: string) => ({
  url: `/api/lambda/${id}`,
  body: { lambda: { name, type, body: 'function populate() {}' } },
});

t.test('the banner lists the attached lambdas that do not run, and not those that do', async (t) => {
  const app = await buildEmptyApp(t, {
    kickstart: testKickstart([
      lambda('c9000000-0000-4000-8000-0000000000a1', 'Claims', 'JWTPopulate'),
      lambda('c9000000-0000-4000-8000-0000000000a2', 'SAML claims', 'SAMLv2Populate'),
      lambda('c9000000-0000-4000-8000-0000000000a3', 'Corporate reconcile', 'SAMLv2Reconcile'),
      lambda('c9000000-0000-4000-8000-0000000000a4', 'Sign-up rules', 'SelfServiceRegistrationValidation'),
      lambda('c9000000-0000-4000-8000-0000000000a5', 'Risky logins', 'MFARequirement'),
      lambda('c9000000-0000-4000-8000-0000000000a6', 'Past due', 'LoginValidation'),
      lambda('c9000000-0000-4000-8000-0000000000a7', 'SCIM users', 'SCIMServerUserRequestConverter'),
      {
        method: 'PATCH',
        url: `/api/tenant/${TENANT_ID}`,
        body: {
          tenant: {
            lambdaConfiguration: {
              loginValidationId: 'c9000000-0000-4000-8000-0000000000a6',
              multiFactorRequirementId: 'c9000000-0000-4000-8000-0000000000a5',
              scimUserRequestConverterId: 'c9000000-0000-4000-8000-0000000000a7',
            },
          },
        },
      },
      {
        url: `/api/application/${APP}`,
        body: {
          application: {
            name: 'Portal',
            lambdaConfiguration: {
              accessTokenPopulateId: 'c9000000-0000-4000-8000-0000000000a1',
              samlv2PopulateId: 'c9000000-0000-4000-8000-0000000000a2',
              selfServiceRegistrationValidationId: 'c9000000-0000-4000-8000-0000000000a4',
              multiFactorRequirementId: 'c9000000-0000-4000-8000-0000000000a5',
            },
          },
        },
      },
    ]),
  });
  const text = banner(app, 9011);
  t.match(text, 'Lambdas that do not run');
  t.match(text, '  SAML claims (SAMLv2Populate)  attached to application Portal as samlv2PopulateId');
  t.match(text, '  Corporate reconcile (SAMLv2Reconcile)  stored; Standin does not run this type');
  t.notMatch(text, 'Claims (JWTPopulate)', 'the access token populate lambda runs');
  t.match(text, /SCIM users \(SCIMServerUserRequestConverter\) {2}attached to tenant .* as scimUserRequestConverterId/);
  t.notMatch(text, 'Sign-up rules', 'the self-service registration validation lambda runs');
  t.notMatch(text, 'Risky logins', 'the MFA requirement lambda runs, on the application and the tenant');
  t.notMatch(text, 'Past due', 'the login validation lambda runs');
});

t.test('without lambdas the banner says nothing about them', async (t) => {
  t.notMatch(banner(await buildEmptyApp(t), 9011), 'Lambdas');
});
