import { connect } from 'node:net';
import t from 'tap';
import { startClientStandin } from '../helpers/client-standin.js';
import { CALLBACK, CLIENT_API_KEY, RICHARD_ID, WEB_APP } from '../helpers/constants.js';

// Every GET endpoint answers HEAD with GET's status and headers, the length of GET's body, and no body
// (RFC 9110 §9.3.2; src/http/head-routes.ts). Headers whose value is made anew for each answer are compared by name.
const FRESH_EACH_TIME = new Set(['date', 'set-cookie', 'content-security-policy', 'etag', 'x-request-id']);
// The raw HEAD asks to close its connection; these describe the connection, not the answer.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);

interface RawAnswer {
  status: number;
  headers: Map<string, string>;
  bodyBytes: number;
}

/** HEAD over a plain socket: an HTTP client would hide a body sent after the headers, this reads every byte. */
function rawHead(url: URL, headers: Record<string, string>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = all.subarray(0, end).toString('latin1').split('\r\n');
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers: new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()])),
        bodyBytes: all.length - end - 4,
      });
    });
    const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.end(`HEAD ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n${extra.join('')}Connection: close\r\n\r\n`);
  });
}

t.test('HEAD answers every kind of GET endpoint as GET does, without the body', async (t) => {
  const { url } = await startClientStandin(t);
  const apiKey = { authorization: CLIENT_API_KEY };
  const authorize = `/oauth2/authorize?client_id=${WEB_APP}&redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code&state=s`;
  const cases: [string, Record<string, string>][] = [
    ['/api/status', {}],
    ['/.well-known/openid-configuration', {}],
    ['/.well-known/jwks.json', {}],
    ['/standin.css', {}],
    ['/', {}],
    [authorize, {}],
    [`/api/user/${RICHARD_ID}`, apiKey],
    [`/api/user/${RICHARD_ID}`, {}],
    ['/api/user/00000000-0000-4000-8000-000000000000', apiKey],
    ['/api/not-a-fusionauth-endpoint', apiKey],
    ['/oauth2/userinfo', {}],
    ['/no/such/page', {}],
  ];
  // The answer to a path no route serves names the method it was asked with ("… GET /no/such/page …").
  const lengthForHead = (body: Buffer) => Buffer.byteLength(body.toString('utf8').replace(/\bGET\b/g, 'HEAD'));
  for (const [path, headers] of cases) {
    const get = await fetch(url + path, { headers, redirect: 'manual' });
    const body = Buffer.from(await get.arrayBuffer());
    const head = await rawHead(new URL(url + path), headers);
    t.equal(head.status, get.status, `${path}: the status of GET (${get.status})`);
    t.equal(head.bodyBytes, 0, `${path}: no body`);
    t.equal(head.headers.get('content-length'), String(lengthForHead(body)), `${path}: the length of GET's body`);
    const answerHeaders = (names: Iterable<string>) => [...names].filter((name) => !HOP_BY_HOP.has(name)).sort();
    const getNames = answerHeaders(get.headers.keys());
    t.same(answerHeaders(head.headers.keys()), getNames, `${path}: the headers of GET`);
    for (const name of getNames) {
      if (!FRESH_EACH_TIME.has(name) && name !== 'content-length') t.equal(head.headers.get(name), get.headers.get(name), `${path}: ${name}`);
    }
  }
});
