import { connect, type Socket } from 'node:net';
import t from 'tap';
import { startStandin, type RunningStandin, type StartOptions } from '../../src/index.js';
import { startCliWithKickstart } from '../helpers/cli.js';

// README.md (`close()`) and docs/hardening.md ("Shutdown"): stopping waits for the requests in flight, not for
// connections that carry none. A browser keeps such connections open (a preconnect, a keep-alive socket between
// requests), and Node's server.close() leaves them open, as they are not idle to it: a Standin that test suites
// stop thousands of times must never hang on them.

const API_KEY = 'stop-open-connections-key-0123456789abcdef';
const LOGIN = { loginId: 'slow@example.com', password: 'password-slow' };
const kickstart = {
  apiKeys: [{ key: API_KEY }],
  requests: [{ url: '/api/user', body: { user: { email: LOGIN.loginId, password: LOGIN.password } } }],
};
const options = (given: StartOptions = {}): StartOptions => ({ passwordHashing: 'fast', logLevel: 'silent', kickstart, ...given });

/** Far beyond a prompt stop; an old close() never stopped at all while such a connection was open. */
const HANG_AFTER_MS = 10_000;

/** Resolves with `promise`'s value, or with 'hung' once HANG_AFTER_MS pass first. */
async function unlessHung<T>(promise: Promise<T>): Promise<T | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>(
    (resolve) =>
      (timer = setTimeout(() => {
        resolve('hung');
      }, HANG_AFTER_MS)),
  );
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

interface OpenConnection {
  socket: Socket;
  /** Settles once the server has ended the connection. */
  ended: Promise<true>;
}

/** A TCP connection to `url` that sends `bytes` (maybe nothing) and then waits, as a browser's preconnect does. */
async function openConnection(url: string, bytes: string): Promise<OpenConnection> {
  const socket = connect({ port: Number(new URL(url).port), host: '127.0.0.1' });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const ended = new Promise<true>((resolve) =>
    socket.once('close', () => {
      resolve(true);
    }),
  );
  socket.on('error', () => undefined);
  if (bytes) socket.write(bytes);
  // The server has taken the connection (and read the bytes) before it is asked to stop.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { socket, ended };
}

const SENDING = {
  nothing: '',
  'half a request line': 'GET /api/sta',
  'half a request body': 'POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"loginId"',
};
const PATHS = {
  'close() of a pooled startStandin() instance': options(),
  'close() of an instance with a fresh seed (app.close())': options({ freshSeed: true }),
};

for (const [path, start] of Object.entries(PATHS)) {
  for (const [what, bytes] of Object.entries(SENDING)) {
    t.test(`${path} ends a connection that sent ${what}, and does not wait for it`, async (t) => {
      const standin = await startStandin(start);
      const open = await openConnection(standin.url, bytes);
      t.teardown(() => open.socket.destroy());
      t.equal(await unlessHung(standin.close()), undefined, 'close() settled');
      t.equal(await unlessHung(open.ended), true, 'the server ended the connection');
    });
  }

  t.test(`${path} still answers a slow request in flight, with a silent connection open beside it`, async (t) => {
    // Standard argon2 cost: the login's password check holds a thread-pool thread for tens of milliseconds.
    const standin = await startStandin({ ...start, passwordHashing: 'standard' });
    const silent = await openConnection(standin.url, '');
    t.teardown(() => silent.socket.destroy());
    const login = await loginInFlight(standin);
    t.equal(await unlessHung(standin.close()), undefined, 'close() settled');
    t.equal(await login.status, 200, 'the login in flight was answered');
    t.equal(await unlessHung(silent.ended), true, 'the silent connection was ended');
  });
}

/**
 * A login that has reached Standin when this resolves: a fault holds it back until close() cuts the delay short,
 * and the password check then runs while Standin stops.
 */
async function loginInFlight(standin: RunningStandin): Promise<{ status: Promise<number> }> {
  standin.faults.add({ method: 'POST', path: '/api/login', delayMs: 60_000 });
  const status = fetch(`${standin.url}/api/login`, {
    method: 'POST',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify(LOGIN),
  }).then(async (response) => (await response.arrayBuffer(), response.status));
  while (standin.faults.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  // In an object: an async function would wait for a promise it returns.
  return { status };
}

t.test('SIGTERM stops the CLI with connections open that sent nothing, half a request line or half a body', async (t) => {
  const cli = await startCliWithKickstart(t, kickstart, { logLevel: 'warn', folderPrefix: 'standin-stop-open-' });
  const connections = await Promise.all(Object.values(SENDING).map((bytes) => openConnection(cli.url, bytes)));
  t.teardown(() => {
    connections.forEach(({ socket }) => socket.destroy());
  });
  // close-with-grace exits 1 with "killed by timeout" once its 10 s pass (docs/hardening.md, "Shutdown").
  t.equal(await cli.stop('SIGTERM'), 0, 'exit code 0');
  t.notMatch(cli.stderr(), /killed by timeout/);
  t.same(
    await unlessHung(Promise.all(connections.map(({ ended }) => ended))),
    connections.map(() => true),
    'every connection ended',
  );
});
