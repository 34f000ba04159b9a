import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { statusOf } from '../helpers/client-standin.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

const API_KEY = 'images-api-key-0123456789abcdefghijklmnop';
const APP = 'aaaaaaaa-0000-4000-8000-00000000000a';
const kickstart = () => ({
  apiKeys: [{ key: API_KEY }],
  requests: [
    { url: `/api/application/${APP}`, body: { application: { name: 'Images app' } } },
    { url: '/api/user/registration', body: { user: { email: 'ann@example.com', password: 'password-ann' }, registration: { applicationId: APP } } },
  ],
});
const kidsOf = async (url: string) =>
  ((await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid).sort();

t.test("a second startStandin() with the same kickstart starts from a copy of the first one's seeded database", async (t) => {
  const first = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: kickstart() });
  t.teardown(() => first.close());
  const second = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: kickstart() });
  t.teardown(() => second.close());
  t.same(await kidsOf(second.url), await kidsOf(first.url), 'the copy has the seeded signing key (shared within the process)');
  t.equal(second.app.seedReport.source, 'kickstart', 'it reports the kickstart as what seeded it');

  // Each copy is a database of its own: a user created in one is not in the other.
  const one = new FusionAuthClient(API_KEY, first.url);
  const other = new FusionAuthClient(API_KEY, second.url);
  await one.register(undefined as unknown as string, {
    user: { email: 'only-in-first@example.com', password: 'password-1' },
    registration: { applicationId: APP },
  });
  t.equal((await one.retrieveUserByEmail('only-in-first@example.com')).statusCode, 200);
  t.equal(await statusOf(other.retrieveUserByEmail('only-in-first@example.com')), 404, 'the other copy does not see it');
  t.equal((await other.retrieveUserByEmail('ann@example.com')).statusCode, 200, 'both hold the seeded user');

  // The seeded password hash works in the copy: a login through the Login API.
  const login = await other.login({ loginId: 'ann@example.com', password: 'password-ann', applicationId: APP });
  t.equal(login.statusCode, 200);
  t.type(second.app.standin.control.reset().ms, 'number', 'reset returns the copy to its seeded state');
  t.equal(await statusOf(other.retrieveUserByEmail('only-in-first@example.com')), 404);
});

t.test('freshSeed: true seeds the instance from scratch, with its own signing key', async (t) => {
  const first = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: kickstart() });
  t.teardown(() => first.close());
  const fresh = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: kickstart(), freshSeed: true });
  t.teardown(() => fresh.close());
  const [a, b] = [await kidsOf(first.url), await kidsOf(fresh.url)];
  t.equal(a.length, 1);
  t.not(b[0], a[0], 'a different key');
});

t.test("a kickstart that differs, or a clock of the caller's, gets its own seed", async (t) => {
  const first = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: kickstart() });
  t.teardown(() => first.close());
  const other = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: { ...kickstart(), variables: { x: 'y' } } });
  t.teardown(() => other.close());
  const clocked = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: kickstart(), now: () => 1_700_000_000_000 });
  t.teardown(() => clocked.close());
  const kid = (await kidsOf(first.url))[0];
  t.not((await kidsOf(other.url))[0], kid);
  t.not((await kidsOf(clocked.url))[0], kid);
});

t.test('a kickstart that includes files is copied while they are unchanged, and seeded afresh when one changes', async (t) => {
  const dir = temporaryFolder(t, 'standin-images-');
  const file = join(dir, 'kickstart.json');
  writeFileSync(file, JSON.stringify({ ...kickstart(), requests: [{ url: `/api/application/${APP}`, body: '&{application.json}' }] }));
  writeFileSync(join(dir, 'application.json'), JSON.stringify({ application: { name: '@{name.txt}' } }));
  const nameOf = async (url: string) => (await new FusionAuthClient(API_KEY, url).retrieveApplication(APP)).response.application?.name;
  const start = async () => {
    const running = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: file });
    t.teardown(() => running.close());
    return { kids: await kidsOf(running.url), name: await nameOf(running.url) };
  };

  writeFileSync(join(dir, 'name.txt'), 'First name');
  const first = await start();
  t.same(await start(), first, 'unchanged files: a copy, with the same key and the included name');
  writeFileSync(join(dir, 'name.txt'), 'Second name');
  const changed = await start();
  t.equal(changed.name, 'Second name', 'a changed text file (included by an included JSON file) is read again');
  t.not(changed.kids[0], first.kids[0], 'by a fresh seed, with a key of its own');
  writeFileSync(join(dir, 'application.json'), JSON.stringify({ application: { name: 'Third @{name.txt}' } }));
  t.equal((await start()).name, 'Third Second name', 'a changed JSON file too');
});
