// The second half of `npm run build`: bundles tsc's output for the two entry points with esbuild into one
// CommonJS file each, dist/cli.cjs (the CLI) and dist/index.cjs (startStandin()), then makes dist/standin.cjs (the
// `standin` bin) and dist/index.js small modules that run those bundles through V8's code cache
// (src/cached-bundle.ts), writes the migrated empty database a `:memory:` start copies (scripts/empty-database-image.mjs),
// and runs each once so that its cache is written. Loading some 200 of Standin's files and
// Fastify's few hundred one by one, then parsing and compiling them, was most of a cold start (bench/README.md,
// "Start-up").
// Every other file tsc wrote stays (types, the lambda worker, and modules the bench imports directly).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { writeEmptyDatabaseImage } from './empty-database-image.mjs';
import { uncompiledRouter } from './uncompiled-router.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = join(root, 'dist');
for (const name of readdirSync(dist)) if (/^chunk-.*\.js(\.map)?$|\.cjs(\.map|\.cache)?$/.test(name)) rmSync(join(dist, name));

/**
 * `import.meta.url` in a module of dist/ keeps meaning that module's own file (migrations/, views/ and
 * package.json are found relative to it): bundled, it is rewritten to that file's URL, computed from the
 * bundle's, which lives in dist/ as well.
 */
const ownUrl = {
  name: 'own-import-meta-url',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.js$/ }, (args) => {
      const path = relative(dist, args.path);
      if (path.startsWith('..') || path.includes('node_modules')) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const url = `new URL(${JSON.stringify(`./${path.split('\\').join('/')}`)}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'js', resolveDir: join(args.path, '..') };
    });
  },
};

/**
 * Dependencies with a native addon (a `binding.gyp`) stay files of their own, as do (listed below) the packages
 * Standin only ever loads on first use. better-sqlite3 is the exception: every start loads it, and its JavaScript
 * (a dozen files, ≈ 5 ms to read and compile from `node_modules`) is bundled, while its addon stays where it is
 * and is named to it (src/store/sqlite.ts), so that the bundle never asks its `bindings` package to find it.
 */
const BUNDLED_WITHOUT_ADDON = ['better-sqlite3'];
function nativeDependencies() {
  const { dependencies = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Object.keys(dependencies).filter(
    (name) => existsSync(join(root, 'node_modules', name, 'binding.gyp')) && !BUNDLED_WITHOUT_ADDON.includes(name),
  );
}

/**
 * Node built-ins that every start would load and none needs before its first answer: Fastify's `node:http2` and
 * `node:https` (its `http2` and `https` options, which Standin never sets; ≈ 3 and ≈ 2 ms of every start:
 * bench/README.md, "Sixth round", "Fourteenth round"), and `node:crypto` (1.5–1.8 ms in a new process: "Eighteenth
 * round"), which a restart first needs for a request's hash or signature. Each is required on first use instead,
 * through a stand-in object that forwards every read to it. The stand-in lists the module's names as this build's
 * Node gives them, so that the bundle's interop for an ES module's import (which copies the names onto a namespace
 * object of getters) does not load the module to list them; a name is read from the module itself.
 */
const LAZY_BUILTINS = ['http2', 'https', 'crypto'];
const requireBuiltin = createRequire(import.meta.url);
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(pluginBuild) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    pluginBuild.onResolve({ filter }, (args) => {
      if (args.namespace === 'lazy-builtin') return { path: args.path, external: true };
      return { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' };
    });
    pluginBuild.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `let loaded;
const real = () => (loaded ??= require(${JSON.stringify(`node:${args.path}`)}));
const names = new Set(${JSON.stringify(Object.keys(requireBuiltin(`node:${args.path}`)))});
module.exports = new Proxy({}, {
  get: (_target, key) => real()[key],
  has: (_target, key) => names.has(key) || key in real(),
  ownKeys: () => [...names],
  getOwnPropertyDescriptor: (_target, key) => {
    if (names.has(key)) return { get: () => real()[key], enumerable: true, configurable: true };
    const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
    return descriptor && { ...descriptor, configurable: true };
  },
});
`,
      loader: 'js',
    }));
  },
};

/**
 * Packages Standin imports only to call what they export, and first calls later than a start: the import gets a
 * function that requires the package (bundled all the same, so in the code cache) on its first call and forwards
 * every call to it. @fastify/ajv-compiler, with Ajv, is called by the first request to a route with a schema
 * (src/http/lazy-schema-compilers.ts); evaluating their modules was ≈ 2 ms of every start (bench/README.md,
 * "Sixteenth round"). Fastify's own require of it stays as it is: Fastify makes it only when no compiler is given.
 */
const LAZY_CALLABLES = ['@fastify/ajv-compiler'];
const lazyCallables = {
  name: 'lazy-callables',
  setup(pluginBuild) {
    const filter = new RegExp(`^(${LAZY_CALLABLES.map((name) => name.replace(/[/.]/g, '\\$&')).join('|')})$`);
    pluginBuild.onResolve({ filter }, (args) => {
      if (args.namespace === 'lazy-callable' || args.importer.includes('node_modules')) return undefined;
      return { path: args.path, namespace: 'lazy-callable' };
    });
    pluginBuild.onLoad({ filter: /.*/, namespace: 'lazy-callable' }, (args) => ({
      contents: `let loaded;
module.exports = function (...args) {
  return (loaded ??= require(${JSON.stringify(args.path)}))(...args);
};
`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: [...nativeDependencies(), 'pino-pretty', '@peculiar/x509', 'nodemailer', 'bcryptjs', 'openid-client', '@simplewebauthn/server'],
  plugins: [ownUrl, lazyBuiltins, lazyCallables, uncompiledRouter],
  logLevel: 'warning',
};

/** The names dist/<entry>.js exports, for the module that re-exports them from the bundle. */
async function exportsOf(entry) {
  const { metafile } = await build({ ...shared, entryPoints: [join(dist, entry)], format: 'esm', write: false, outdir: dist, metafile: true });
  return Object.values(metafile.outputs).find((output) => output.entryPoint !== undefined)?.exports ?? [];
}

const indexExports = await exportsOf('index.js');
await build({
  ...shared,
  entryPoints: { cli: join(dist, 'cli.js'), index: join(dist, 'index.js') },
  outdir: dist,
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  sourcemap: true,
  // Without the spaces, line breaks and comments (names and code unchanged; the source map still points into
  // dist/): 3.3 → 2.4 MB to read at every start, and less text for V8 to scan when it compiles a function the code
  // cache does not hold. Restarts, builds alternated: 5–10 ms sooner (bench/README.md, "Sixteenth round").
  minifyWhitespace: true,
  // Lazily loaded packages are required on first use: code compiled by vm.Script has no import().
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__standinBundleUrl' },
  // Written inside the function Node itself wraps a CommonJS module in, so that src/cached-bundle.ts compiles the
  // file's text as it is read (one copy of 2.7 MB in memory, not a second one with the wrapper added).
  banner: {
    js: "(function (exports, require, module, __filename, __dirname) { const __standinBundleUrl = require('node:url').pathToFileURL(__filename).href;",
  },
  footer: { js: '})' },
});

// esbuild escapes every character beyond ASCII in code; what is left are a few in comments. Escaped too, the
// bundles are pure ASCII, which src/cached-bundle.ts reads as one-byte text: no UTF-8 decoding, half the memory.
for (const name of ['cli.cjs', 'index.cjs']) {
  const file = join(dist, name);
  const escaped = readFileSync(file, 'utf8').replace(/[^\0-\x7f]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
  writeFileSync(file, escaped);
}

const header = '// Written by scripts/bundle.mjs: runs the bundle beside it through the V8 code cache (src/cached-bundle.ts).';
// tsc's dist/cli.js is in the CLI's bundle; the bin is dist/standin.cjs.
for (const name of ['cli.js', 'cli.js.map', 'cli.d.ts', 'index.js.map']) rmSync(join(dist, name), { force: true });
// The bin is CommonJS, src/cached-bundle.ts bundled into it: an ES module as the entry point would first start
// Node's ES module loader, ≈ 7 ms of every start (bench/README.md, "Fifth round").
const binFile = join(dist, 'standin.cjs');
await build({
  ...shared,
  stdin: {
    contents: "import { runCachedBundle } from './cached-bundle.js';\nrunCachedBundle(new URL('./cli.cjs', import.meta.url));\n",
    resolveDir: dist,
    sourcefile: 'standin.js',
  },
  format: 'cjs',
  outfile: binFile,
  define: { 'import.meta.url': '__standinBinUrl' },
  banner: { js: ['#!/usr/bin/env node', header, "const __standinBinUrl = require('node:url').pathToFileURL(__filename).href;"].join('\n') },
});
chmodSync(binFile, 0o755);
writeFileSync(
  join(dist, 'index.js'),
  [
    header,
    "import { runCachedBundle } from './cached-bundle.js';",
    "const bundle = runCachedBundle(new URL('./index.cjs', import.meta.url));",
    `export const { ${indexExports.join(', ')} } = bundle;`,
    '',
  ].join('\n'),
);

/** Runs `args` with node until it exits, or until `ready` appears on its standard output and then stops it. */
function runOnce(args, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (ready !== undefined && out.includes(ready)) child.kill('SIGTERM');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 || signal === 'SIGTERM' ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}`))));
  });
}

// Before the starts below, so that their code caches hold the path a `:memory:` start takes.
await writeEmptyDatabaseImage(dist);

// One start of each writes its code cache (at exit), holding every function a start compiles.
await runOnce([binFile, '--db', ':memory:', '--port', '0', '--log-level', 'silent'], 'is ready at');
const startOnce = `const { startStandin } = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
const running = await startStandin({ db: ':memory:', logLevel: 'silent', passwordHashing: 'fast' });
await fetch(running.url + '/.well-known/openid-configuration');
await running.close();`;
await runOnce(['--input-type=module', '-e', startOnce]);
for (const name of ['cli.cjs.cache', 'index.cjs.cache']) if (!existsSync(join(dist, name))) throw new Error(`no code cache written: dist/${name}`);
