import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';
import type { StandinApp } from '../../src/app.js';

// Shared arbitraries and properties for the fuzz tests (test/README.md, "fuzz/"; docs/hardening.md, "Request
// bodies"). Every property run is seeded: a failure prints the seed and path that replay it. FUZZ_SEED and
// FUZZ_RUNS_FACTOR let a developer explore further by hand.

export const SEED = process.env.FUZZ_SEED === undefined ? 20260901 : Number(process.env.FUZZ_SEED);
const FACTOR = process.env.FUZZ_RUNS_FACTOR === undefined ? 1 : Number(process.env.FUZZ_RUNS_FACTOR);
export const runs = (n: number) => Math.max(1, Math.round(n * FACTOR));

/** A value the server must never echo raw into HTML: `<x-N>` is no tag any Standin page uses. */
export const marker = fc.nat({ max: 99_999 }).map((n) => `"'><x-${n}>`);
const MARKER_IN_HTML = /<x-\d+>/;

const SQL = [
  "' OR '1'='1",
  "admin'--",
  '";DROP TABLE users;--',
  "') OR 1=1; --",
  '1; SELECT * FROM api_keys',
  "' UNION SELECT token_hash FROM refresh_tokens --",
];
const TEMPLATE = [
  '<%= it.constructor.constructor("return process")().exit() %>',
  '{{7*7}}',
  '${7*7}',
  '#{7*7}',
  '<%~ it %>',
  '{{constructor.constructor("return 1")()}}',
  '@{/etc/passwd}',
  '&{/etc/passwd}',
];
const ODD = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'undefined',
  'null',
  'true',
  '0',
  '-1',
  '1e309',
  'NaN',
  '',
  ' ',
  '\u0000',
  '../../../../etc/passwd',
  '%2e%2e%2f',
  'javascript:alert(1)',
  'data:text/html,<x-0>',
  '//evil.example/callback',
  'https://evil.example/callback',
  'https://store.example.com.evil.example/callback',
  'https://store.example.com/callback/../x',
  'https://store.example.com/callback?x=1',
  'HTTPS://STORE.EXAMPLE.COM/callback',
  'https://store.example.com/callback#frag',
  'https://store.example.com:443/callback',
  'https://user@store.example.com/callback',
  '\\\\evil.example',
  'http://localhost:9011/oauth2/authorize',
  'http://127.0.0.1:9011/',
  '/\\evil.example',
  '\r\nSet-Cookie: x=1',
  'é',
  'e\u0301',
  '\u212A',
  '\uFEFF',
  '\u202E',
  '\uD800',
  '\uDFFF',
  '\uDBFF\uDFFF',
  '𝓤𝓷𝓲𝓬𝓸𝓭𝓮',
  '\u0085',
  '\u2028',
];

const controlChars = fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 8 });
const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 4 });
/** Up to the /oauth2 body limit (64 KiB) and a bit past it. */
export const huge = fc.integer({ min: 4_000, max: 70_000 }).map((n) => 'A'.repeat(n));

/** The nasty strings: Unicode, control characters, NUL, lone surrogates, injections, markers, huge. */
export const nasty: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
  { arbitrary: controlChars, weight: 2 },
  { arbitrary: loneSurrogates, weight: 1 },
  { arbitrary: fc.constantFrom(...SQL), weight: 2 },
  { arbitrary: fc.constantFrom(...TEMPLATE), weight: 2 },
  { arbitrary: fc.constantFrom(...ODD), weight: 4 },
  { arbitrary: marker, weight: 3 },
  { arbitrary: fc.tuple(fc.constantFrom(...ODD, ...SQL), marker, fc.string({ maxLength: 10 })).map((parts) => parts.join('')), weight: 2 },
  { arbitrary: huge, weight: 1 },
);

/**
 * JSON bodies that nest deep (around Standin's 100-level bound, and far past any stack) or spread wide (many
 * members or elements, up to and past the 1 MiB body limit), in a wrapper an endpoint reads (`user.data`, …).
 */
export const deepOrWide: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.oneof(fc.integer({ min: 95, max: 105 }), fc.integer({ min: 106, max: 60_000 })),
      fc.constantFrom('{"a":', '[', '{"data":[', '{"\\"}":{"x":'),
      fc.constantFrom(
        '{"user":{"email":"deep@example.com","password":"password1","data":%}}',
        '{"registration":{"applicationId":"x","data":%}}',
        '{"application":{"name":"deep","data":%}}',
        '{"tenant":{"name":"deep","data":%}}',
        '{"systemConfiguration":%}',
        '%',
      ),
    )
    .map(([depth, open, wrapper]) => wrapper.replace('%', nest(depth, open))),
  fc
    .tuple(fc.integer({ min: 1_000, max: 120_000 }), fc.boolean())
    .map(([count, asObject]) =>
      asObject
        ? `{"user":{"email":"wide@example.com","password":"password1","data":{${Array.from({ length: count }, (_, i) => `"k${i}":${i}`).join(',')}}}}`
        : `{"ids":[${Array.from({ length: count }, () => '"00000000-0000-0000-0000-000000000000"').join(',')}]}`,
    ),
);

/** `depth` levels opened by `open` (an object member or an array), closed again, around a `1`. */
function nest(depth: number, open: string): string {
  const closers = open
    .split('')
    .filter((c) => c === '{' || c === '[')
    .reverse()
    .map((c) => (c === '{' ? '}' : ']'))
    .join('');
  return open.repeat(depth) + '1' + closers.repeat(depth);
}

/** Raw percent-escapes for query strings and form bodies: invalid UTF-8, truncated escapes, separators. */
export const rawFragment = fc.constantFrom(
  '%00',
  '%E0%A4%A',
  '%ZZ',
  '%ED%A0%80',
  '%',
  '%%',
  '%C0%AF',
  '%FF%FE',
  '+',
  '%2B',
  ';',
  '%0D%0A',
  '%u0041',
  '\u00ff',
  '%F0%9F%98',
);

export type Raw = { raw: string };
export type Pair = [string | Raw, string | Raw];

/**
 * A field: mostly one of its plausible values (so that most requests get past the first check and reach
 * deeper code), else absent, a nasty string, duplicated, or a raw wire fragment.
 */
export function field(name: string, valid: fc.Arbitrary<string> | string): fc.Arbitrary<Pair[]> {
  const good = typeof valid === 'string' ? fc.constant(valid) : valid;
  const value = fc.oneof(good, nasty);
  return fc.oneof(
    { arbitrary: good.map((v): Pair[] => [[name, v]]), weight: 30 },
    { arbitrary: fc.constant([] as Pair[]), weight: 1 },
    { arbitrary: nasty.map((v): Pair[] => [[name, v]]), weight: 3 },
    { arbitrary: fc.array(value, { minLength: 2, maxLength: 3 }).map((vs): Pair[] => vs.map((v) => [name, v])), weight: 1 },
    { arbitrary: fc.tuple(good, rawFragment).map(([v, raw]): Pair[] => [[name, { raw: `${encode(v)}${raw}` }]]), weight: 1 },
  );
}

/** Extra parameters: `__proto__`, `constructor`, bracket keys, nasty names. */
export const extraPairs: fc.Arbitrary<Pair[]> = fc.array(
  fc
    .tuple(
      fc.oneof(fc.constantFrom('__proto__', 'constructor', '__proto__[x]', 'constructor[prototype][x]', 'a[b]', '', 'loginId', 'csrf_token'), nasty),
      nasty,
    )
    .map(([k, v]): Pair => [k, v]),
  { maxLength: 2 },
);

/** All fields' pairs, flattened, with extras. */
export function pairs(fields: fc.Arbitrary<Pair[]>[]): fc.Arbitrary<Pair[]> {
  return fc.tuple(fc.tuple(...fields), extraPairs).map(([parts, extra]) => [...parts.flat(), ...extra]);
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;
/** Percent-encodes the UTF-8 of a string (a lone surrogate becomes U+FFFD's bytes, as any client sends it). */
export function encode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += UNRESERVED.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A Cookie header; values percent-encoded as @fastify/cookie expects (a lone surrogate cannot go through encodeURIComponent). */
export function cookieHeader(cookies: Record<string, string | undefined>): Record<string, string> {
  const list = Object.entries(cookies).flatMap(([name, value]) => (value === undefined ? [] : [`${name}=${encode(value)}`]));
  return list.length === 0 ? {} : { cookie: list.join('; ') };
}

export function serialize(list: Pair[]): string {
  const part = (v: string | Raw) => (typeof v === 'string' ? encode(v) : v.raw);
  return list.map(([k, v]) => `${part(k)}=${part(v)}`).join('&');
}

/** What the server parses from `list` when it holds no raw fragment: the UTF-8 round trip, duplicates as arrays. */
export function parsedForm(list: Pair[]): Record<string, string | string[]> | undefined {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of list) {
    if (typeof k !== 'string' || typeof v !== 'string') return undefined;
    const key = Buffer.from(k, 'utf8').toString('utf8');
    const value = Buffer.from(v, 'utf8').toString('utf8');
    const prior = out[key];
    out[key] = prior === undefined ? value : [prior, value].flat();
  }
  return out;
}

/** Odd content types for bodies; the first is the right one for the family. */
export function contentType(right: string): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(right), weight: 12 },
    {
      arbitrary: fc.constantFrom(
        undefined,
        'text/plain',
        'application/json',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        `${right}; charset=iso-8859-1`,
        `${right}; charset=utf-16`,
        right.toUpperCase(),
        'application/*',
        '*/*',
        ';;;',
        'application/json; charset="\u0000"',
      ),
      weight: 2,
    },
  );
}

/** Row counts of every table, to prove a refused request wrote nothing. */
export function rowCounts(app: StandinApp): Record<string, number> {
  const { db } = app.standin.stores;
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map(
    (row) => row.name,
  );
  return Object.fromEntries(tables.map((name) => [name, (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

export function integrityOk(app: StandinApp): boolean {
  return app.standin.stores.db.pragma('integrity_check', { simple: true }) === 'ok';
}

/** Registered redirect URIs and logout URLs of every application, read now (the API fuzz may change them). */
function registeredTargets(app: StandinApp): string[] {
  return app.standin.stores.applications.list().flatMap((application) => {
    const oauth = application.oauthConfiguration as { authorizedRedirectURLs?: string[]; logoutURL?: string };
    return [...(oauth.authorizedRedirectURLs ?? []), ...(oauth.logoutURL ? [oauth.logoutURL] : [])];
  });
}

function originAndPath(value: string): string | undefined {
  try {
    const url = new URL(value);
    return `${url.origin}${url.pathname}`;
  } catch {
    return undefined;
  }
}

/**
 * Why the response breaks a property, or undefined: a 5xx; a `Location` neither on Standin itself nor at a
 * registered redirect URI's origin and path; a marker raw in HTML; JSON that does not parse.
 */
export function violation(app: StandinApp, response: LightMyRequestResponse): string | undefined {
  if (response.statusCode >= 500) return `status ${response.statusCode}: ${response.body.slice(0, 300)}`;
  const location = response.headers.location;
  if (location !== undefined) {
    if (typeof location !== 'string') return 'several Location headers';
    const own = new URL(app.standin.baseUrl());
    let target: URL;
    try {
      target = new URL(location, own);
    } catch {
      return `unparseable Location ${location}`;
    }
    if (target.origin !== own.origin) {
      const allowed = new Set(registeredTargets(app).map(originAndPath));
      if (!allowed.has(`${target.origin}${target.pathname}`)) return `Location to an unregistered URL: ${location}`;
    }
  }
  const type = String(response.headers['content-type'] ?? '');
  if (type.startsWith('text/html') && MARKER_IN_HTML.test(response.body))
    return `raw marker in HTML: …${response.body.slice(Math.max(0, response.body.search(MARKER_IN_HTML) - 80), response.body.search(MARKER_IN_HTML) + 20)}…`;
  if (type.startsWith('application/json') && response.body !== '') {
    try {
      JSON.parse(response.body);
    } catch {
      return 'a JSON content type with a body that is not JSON';
    }
  }
  return undefined;
}

/** A refusal: an error status, or a redirect carrying an OAuth error. */
export function refused(response: LightMyRequestResponse): boolean {
  if (response.statusCode >= 400) return true;
  const location = response.headers.location;
  return typeof location === 'string' && /[?&#]error=/.test(location);
}

export interface FuzzRun {
  /** Requests sent so far. */
  count: number;
  /** How many answers had each status, to see the fuzz reach past validation. */
  statuses?: Record<number, number>;
}

/**
 * Runs a seeded property: every generated request goes through `inject`, and must not violate the
 * properties above; when `countsUnchangedOnRefusal` says so, a refused request must leave every table's row
 * count as it was. `integrity_check` is run every 500 requests and at the end.
 */
export async function fuzz<T>(
  t: Test,
  app: StandinApp,
  run: FuzzRun,
  name: string,
  arbitrary: fc.Arbitrary<T>,
  toRequest: (value: T) => InjectOptions | Promise<InjectOptions>,
  options: {
    numRuns: number;
    countsUnchangedOnRefusal?: (response: LightMyRequestResponse, value: T) => boolean;
    /** A property of this family's own, beyond `violation`: why the response breaks it, or undefined. */
    alsoRequire?: (response: LightMyRequestResponse, value: T) => string | undefined;
  },
): Promise<void> {
  const before = run.count;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      const request = await toRequest(value);
      const counts = options.countsUnchangedOnRefusal ? rowCounts(app) : undefined;
      const response = await app.inject(request);
      run.count++;
      run.statuses = run.statuses ?? {};
      run.statuses[response.statusCode] = (run.statuses[response.statusCode] ?? 0) + 1;
      const broken = violation(app, response) ?? options.alsoRequire?.(response, value);
      if (broken) throw new Error(`${request.method ?? 'GET'} ${(request.url as string).slice(0, 300)}: ${broken}`);
      if (counts && refused(response) && options.countsUnchangedOnRefusal!(response, value)) {
        const after = rowCounts(app);
        const changed = Object.keys(after).filter((table) => after[table] !== counts[table]);
        if (changed.length > 0) throw new Error(`refused with ${response.statusCode} but changed the row count of ${changed.join(', ')}`);
      }
      if (run.count % 500 === 0 && !integrityOk(app)) throw new Error('PRAGMA integrity_check failed');
    }),
    { seed: SEED, numRuns: options.numRuns, endOnFailure: true },
  );
  t.comment(`${name}: statuses ${JSON.stringify(run.statuses)}`);
  run.statuses = {};
  t.ok(
    integrityOk(app),
    `${name}: ${run.count - before} requests, no 5xx, no unregistered redirect, no raw marker; integrity_check ok (seed ${SEED})`,
  );
}
