import t from 'tap';
import { banner } from '../../src/banner.js';
import { buildEmptyApp, TENANT_ID, testKickstart } from '../helpers/fixtures.js';

// The start banner names each theme a tenant or an application uses other than the built-in one: Standin stores
// themes and never renders them (docs/themes.md).
const APP = 'c9100000-0000-4000-8000-000000000001';
const BRAND = 'c9100000-0000-4000-8000-0000000000b1';
const PORTAL = 'c9100000-0000-4000-8000-0000000000b2';
const BUILT_IN = '75a068fd-e94b-451a-9aeb-3ddb9a3b5987';
const theme = (id: string, name: string) => ({ url: `/api/theme/${id}`, body: { theme: { name, stylesheet: 'body {}' } } });

t.test('the banner lists the themes tenants and applications use, which are never rendered', async (t) => {
  const app = await buildEmptyApp(t, {
    kickstart: testKickstart([
      theme(BRAND, 'Brand'),
      theme(PORTAL, 'Portal look'),
      theme('c9100000-0000-4000-8000-0000000000b3', 'Unused'),
      { method: 'PATCH', url: `/api/tenant/${TENANT_ID}`, body: { tenant: { themeId: BRAND } } },
      { url: `/api/application/${APP}`, body: { application: { name: 'Portal', themeId: PORTAL } } },
      { url: '/api/application/c9100000-0000-4000-8000-000000000002', body: { application: { name: 'Plain', themeId: BUILT_IN } } },
    ]),
  });
  const text = banner(app, 9011);
  t.match(text, "Themes that are not rendered: stored and answered, the hosted pages are Standin's own\n");
  t.match(text, /\n {2}Brand {2}on tenant \S+/);
  t.match(text, '\n  Portal look  on application Portal');
  t.notMatch(text, 'Unused', 'a theme nothing uses is not listed');
  t.notMatch(text, 'on application Plain', 'nor the built-in theme');
});
