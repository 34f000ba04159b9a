import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import t from 'tap';
import { startCli } from '../helpers/cli.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// The bundle gives every module a stand-in for node:crypto that requires it on first use (scripts/bundle.mjs,
// LAZY_BUILTINS), so that a restart answers its first request without loading it. A preloaded probe writes to
// stderr, in order, the first answer the process sends and the first require of node:crypto: the built CLI,
// restarted on its database file, must answer first, then sign and verify as ever once a login needs crypto.
const PROBE = `
const Module = require('node:module');
const http = require('node:http');
const load = Module._load;
let required = false;
Module._load = function (request, ...rest) {
  if (!required && (request === 'node:crypto' || request === 'crypto')) {
    required = true;
    process.stderr.write('[probe] node:crypto required\\n');
  }
  return load.call(this, request, ...rest);
};
const end = http.ServerResponse.prototype.end;
let answered = false;
http.ServerResponse.prototype.end = function (...args) {
  if (!answered) {
    answered = true;
    process.stderr.write('[probe] first answer\\n');
  }
  return end.apply(this, args);
};
`;
const API_KEY = 'bundled-lazy-crypto-api-key-0123456789abcdef';
const APP = 'c9000000-0000-4000-8000-000000000001';
const USER = 'c9000000-0000-4000-8000-000000000011';
const LOGIN = { loginId: 'gilfoyle@example.com', password: 'password-of-gilfoyle' };
const kickstart = {
  apiKeys: [{ key: API_KEY }],
  requests: [
    { method: 'POST', url: `/api/application/${APP}`, body: { application: { name: 'Lazy crypto', jwtConfiguration: { enabled: true } } } },
    {
      method: 'POST',
      url: `/api/user/registration/${USER}`,
      body: { user: { email: LOGIN.loginId, password: LOGIN.password }, registration: { applicationId: APP } },
    },
  ],
};

t.test('the built CLI, restarted, answers before it requires node:crypto, then signs tokens that verify', async (t) => {
  const dir = temporaryFolder(t, 'standin-lazy-crypto-');
  const db = join(dir, 'standin.db');
  const kickstartFile = join(dir, 'kickstart.json');
  writeFileSync(kickstartFile, JSON.stringify(kickstart));
  const probe = join(dir, 'probe.cjs');
  writeFileSync(probe, PROBE);
  const args = ['--port', '0', '--db', db, '--log-level', 'silent', '--password-hashing', 'fast', '--kickstart', kickstartFile];

  const seeding = await startCli(args);
  // The kickstart is committed once a request that waits for the seed is answered.
  t.equal((await fetch(`${seeding.url}/.well-known/openid-configuration`)).status, 200);
  await seeding.stop();

  const cli = await startCli(args, { NODE_OPTIONS: `--require ${probe}` });
  t.teardown(() => cli.stop());
  t.equal((await fetch(`${cli.url}/api/status`)).status, 200);
  const probed = () => cli.stderr().match(/^\[probe\] .*$/gm) ?? [];
  t.same(probed(), ['[probe] first answer'], 'the first answer is sent before node:crypto is required');

  const client = new FusionAuthClient(API_KEY, cli.url);
  const login = await client.login({ ...LOGIN, applicationId: APP });
  t.equal(login.statusCode, 200);
  const { payload } = await jwtVerify(login.response.token!, createRemoteJWKSet(new URL(`${cli.url}/.well-known/jwks.json`)));
  t.equal(payload.sub, USER, 'the access token verifies against the JWKS');
  t.same(probed(), ['[probe] first answer', '[probe] node:crypto required'], 'node:crypto was required on first use');
});
