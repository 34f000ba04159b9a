import { fileURLToPath } from 'node:url';
import t from 'tap';
import { kickstartPasswords } from '../../src/kickstart/kickstart-passwords.js';
import { loadKickstart } from '../../src/kickstart/load-kickstart.js';
import type { KickstartRequest } from '../../src/kickstart/types.js';
import { defaultSeed } from '../../src/seed/default-seed.js';

const QUICKSTART_FILE = fileURLToPath(new URL('../fixtures/quickstart-react/kickstart.json', import.meta.url));
const passwords = (...requests: KickstartRequest[]) => kickstartPasswords(loadKickstart({ apiKeys: [{ key: 'k' }], requests }));
const withUser = (url: string, user: unknown, method?: KickstartRequest['method']): KickstartRequest => ({
  url,
  body: { user },
  ...(method ? { method } : {}),
});

t.test("lists the passwords a kickstart's requests hash, for the seed to hash side by side", async (t) => {
  t.same(kickstartPasswords(loadKickstart(QUICKSTART_FILE)), ['password', 'password'], "FusionAuth's React quickstart: two users");
  t.same(kickstartPasswords(loadKickstart(defaultSeed())), ['password', 'password'], "Standin's default seed");
  t.same(
    passwords(
      withUser('/api/user', { email: 'a@example.com', password: 'pw-a' }),
      withUser('api/user/00000000-0000-4000-8000-000000000001/', { password: 'pw-b' }),
      withUser('/api/user/registration', { password: 'pw-c' }),
      withUser('/api/user/registration/00000000-0000-4000-8000-000000000002', { password: 'pw-d' }),
      withUser('/api/user/00000000-0000-4000-8000-000000000001', { password: 'pw-e' }, 'PUT'),
      withUser('/api/user/00000000-0000-4000-8000-000000000001', { password: 'pw-f' }, 'PATCH'),
    ),
    ['pw-a', 'pw-b', 'pw-c', 'pw-d', 'pw-e', 'pw-f'],
    'creating or updating a user, alone or with a registration, in order',
  );
  t.same(passwords(withUser('/api/user', { email: 'a@example.com' })), [], 'no password');
  t.same(passwords(withUser('/api/user', { password: '' })), [], 'an empty one (refused, never hashed)');
  t.same(passwords(withUser('/api/user', { password: 42 })), [], 'not a string');
  t.same(passwords({ url: '/api/user/change-password', body: { password: 'pw' } }), [], 'not under `user`');
  t.same(passwords(withUser('/api/application', { password: 'pw' })), [], 'another API');
  t.same(passwords({ url: '/api/user', body: 'not an object' }), []);
});
