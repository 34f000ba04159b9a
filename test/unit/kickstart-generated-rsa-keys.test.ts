import { fileURLToPath } from 'node:url';
import t from 'tap';
import { generatedRsaKeys } from '../../src/kickstart/generated-rsa-keys.js';
import { loadKickstart } from '../../src/kickstart/load-kickstart.js';
import type { KickstartRequest } from '../../src/kickstart/types.js';

const QUICKSTART_FILE = fileURLToPath(new URL('../fixtures/quickstart-react/kickstart.json', import.meta.url));
const count = (...requests: KickstartRequest[]) => generatedRsaKeys(loadKickstart({ apiKeys: [{ key: 'k' }], requests }));
const generate = (key: Record<string, unknown>, url = '/api/key/generate'): KickstartRequest => ({ url, body: { key } });

t.test("counts the 2048-bit RSA keys a kickstart's requests generate, for the seed to make side by side", async (t) => {
  t.equal(generatedRsaKeys(loadKickstart(QUICKSTART_FILE)), 1, "FusionAuth's React quickstart generates one");
  t.equal(count(generate({ algorithm: 'RS256' }), generate({ algorithm: 'RS512', length: 2048 }, 'api/key/generate/some-id/')), 2);
  t.equal(count(generate({ algorithm: 'RS256', length: 4096 })), 0, 'another length is not prefetched');
  t.equal(count(generate({ algorithm: 'ES256' }), generate({ algorithm: 'HS256' })), 0, 'nor EC or HMAC keys');
  t.equal(count({ ...generate({ algorithm: 'RS256' }), method: 'PUT' }), 0, 'nor what is not a POST');
  t.equal(count(generate({ algorithm: 'RS256' }, '/api/key/import')), 0, 'nor an import');
  t.equal(count({ url: '/api/key/generate', body: 'not an object' }), 0);
});
