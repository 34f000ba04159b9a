import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startCli } from '../helpers/cli.js';
import { openIdLogin } from '../helpers/openid-login.js';

// A project's kickstart with what Standin does not render beside what it acts on: a theme copied from FusionAuth's
// built-in one, with templates and a stylesheet from files (stored, never rendered), UI settings, and email templates.
// Standin boots it, says in the banner that the tenant's theme is not rendered, and the project's user logs in through
// openid-client.
const KICKSTART = fileURLToPath(new URL('../fixtures/themed-project/kickstart.json', import.meta.url));
const API_KEY = 'themed-project-api-key-6f1d0c2a9b8e4d7f';

t.test('a themed project with email templates boots, says its theme is not rendered, and logs its user in', async (t) => {
  const cli = await startCli(['--port', '0', '--db', ':memory:', '--password-hashing', 'fast', '--log-level', 'warn', '--kickstart', KICKSTART]);
  t.teardown(() => cli.stop());
  const banner = cli.stdout();
  t.match(banner, /seeded {4}now, from the kickstart: 10 requests replayed, 0 ignored\n/, 'the theme requests are replayed');
  t.notMatch(banner, /Not modelled: accepted from the kickstart/, 'nothing is ignored');
  t.match(
    banner,
    /Themes that are not rendered: stored and answered, the hosted pages are Standin's own\n {2}Themed project {2}on tenant Default\n/,
    "the banner says the tenant's theme is not rendered",
  );
  const { theme } = (await (
    await fetch(`${cli.url}/api/theme/e1a7c3d5-2b9f-4c6e-8a10-5f7d3b2c9e84`, { headers: { authorization: API_KEY } })
  ).json()) as { theme: { name: string; templates: Record<string, string> } };
  t.equal(theme.name, 'Themed project');
  t.same(Object.keys(theme.templates).sort(), ['helpers', 'oauth2Authorize'], 'the copy holds the templates the PATCH gave it');
  const templates = (await (await fetch(`${cli.url}/api/email/template`, { headers: { authorization: API_KEY } })).json()) as {
    emailTemplates: Array<{ name: string }>;
  };
  t.same(
    templates.emailTemplates.map((template) => template.name).sort(),
    ['Verify your address', 'Welcome'],
    'the kickstart stored both email templates',
  );
  t.match(banner, /Themed app {2}8c2e6a10-4b7d-4e59-9f3a-2d61c0b7e4a1/);

  const tokens = await openIdLogin({
    url: cli.url,
    clientId: '8c2e6a10-4b7d-4e59-9f3a-2d61c0b7e4a1',
    clientSecret: 'themed-project-client-secret-5a9e3c7b1d',
    redirectUri: 'http://localhost:4200/callback',
    loginId: 'pat@example.com',
    password: 'correct-horse-battery',
  });
  const claims = tokens.claims()!;
  t.equal(claims.email, 'pat@example.com', 'openid-client validated the id token');
  t.equal(claims.given_name, 'Pat');
  t.ok(tokens.refresh_token, 'and a refresh token');
});
