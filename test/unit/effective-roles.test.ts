import t from 'tap';
import type { Application } from '../../src/model/application.js';
import { effectiveRoles } from '../../src/model/effective-roles.js';
import type { Registration } from '../../src/model/registration.js';

const application = {
  roles: [
    { id: 'r-admin', name: 'admin' },
    { id: 'r-user', name: 'user' },
    { id: 'r-ed', name: 'editor' },
  ],
} as unknown as Application;
const registration = (roles: string[]) => ({ roles }) as unknown as Registration;

t.test("the registration's roles, then the groups' roles the application still has, each once", async (t) => {
  t.same(effectiveRoles(application, registration(['user']), ['r-admin', 'r-user', 'r-gone']), ['user', 'admin']);
  t.same(effectiveRoles(application, registration([]), ['r-ed', 'r-admin']), ['admin', 'editor'], "in the application's order");
  t.same(effectiveRoles(application, registration(['custom']), []), ['custom'], 'no groups: the registration alone');
});

t.test('no registration, no roles: whatever the groups grant', async (t) => {
  t.equal(effectiveRoles(application, undefined, ['r-admin']), undefined);
});
