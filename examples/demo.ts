// `npm run demo`: Standin with the seed's kickstart, the store on :3000 and the forums on :3001.
import { startStandin } from '../src/index.js';
import { forumsOptions } from './forums/forums.js';
import { createSeedApp } from './seed-app/create-seed-app.js';
import { DEMO_USER, seedKickstart } from './seed-kickstart.js';
import { storeOptions } from './store/store.js';

const urls = { store: 'http://localhost:3000', forums: 'http://localhost:3001' };
const standin = await startStandin({ port: 9011, kickstart: seedKickstart(urls), logLevel: 'warn' });
const base = { standinUrl: standin.url, issuer: standin.issuer, now: Date.now };
const store = await createSeedApp(storeOptions({ ...base, publicUrl: urls.store }));
const forums = await createSeedApp(forumsOptions({ ...base, publicUrl: urls.forums }));
await store.listen({ port: 3000, host: '127.0.0.1' });
await forums.listen({ port: 3001, host: '127.0.0.1' });

process.stdout.write(`The seed's flow, running:
  Standin  ${standin.url}
  Store    ${urls.store}    log in as ${DEMO_USER.email} / ${DEMO_USER.password}
  Forums   ${urls.forums}    then log in here: no password asked (SSO)
JWTs live 60 s: wait a minute and press Reload on the store to see a refresh. Ctrl+C stops all three.
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void Promise.all([store.close(), forums.close(), standin.close()]).then(() => process.exit(0)));
}
