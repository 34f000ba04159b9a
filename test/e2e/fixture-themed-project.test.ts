import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startCli } from '../helpers/cli.js';
import { openIdLogin } from '../helpers/openid-login.js';

// A project's kickstart with what Standin does not model beside what it does: a theme with templates and a
// stylesheet from files, UI settings, and email templates (modelled: they are stored). Standin boots it, says in
// the banner which requests it accepted without effect, and the project's user logs in through openid-client.
const KICKSTART = fileURLToPath(new URL('../fixtures/themed-project/kickstart.json', import.meta.url));

t.test('a themed project with email templates boots, says what it ignored, and logs its user in', async (t) => {
  const cli = await startCli(['--port', '0', '--db', ':memory:', '--password-hashing', 'fast', '--log-level', 'warn', '--kickstart', KICKSTART]);
  t.teardown(() => cli.stop());
  const banner = cli.stdout();
  t.match(
    banner,
    /Not modelled: accepted from the kickstart, with no effect\n {2}\/api\/theme {2}2 requests\n/,
    'the banner names each ignored family',
  );
  t.notMatch(banner, /\/api\/email\/template/, 'email templates are modelled, not ignored');
  const templates = (await (
    await fetch(`${cli.url}/api/email/template`, { headers: { authorization: 'themed-project-api-key-6f1d0c2a9b8e4d7f' } })
  ).json()) as { emailTemplates: Array<{ name: string }> };
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
