// The second half of `npm run build`: bundles tsc's output for the two entry points (dist/cli.js, the `standin`
// bin, and dist/index.js, startStandin()) with esbuild, each file replaced in place, with the shared code and
// what they import lazily in dist/chunk-*.js beside them. Loading some 200 of Standin's files and Fastify's
// few hundred one by one was most of a cold start (bench/README.md, "Start-up"); one file parses faster.
// Every other file tsc wrote stays (types, and modules the bench imports directly).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = join(root, 'dist');
for (const name of readdirSync(dist)) if (/^chunk-.*\.js(\.map)?$/.test(name)) rmSync(join(dist, name));

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
 * Standin only ever loads on first use.
 */
function nativeDependencies() {
  const { dependencies = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Object.keys(dependencies).filter((name) => existsSync(join(root, 'node_modules', name, 'binding.gyp')));
}

await build({
  entryPoints: [join(dist, 'cli.js'), join(dist, 'index.js')],
  outdir: dist,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  external: [...nativeDependencies(), 'pino-pretty', '@peculiar/x509', 'nodemailer'],
  // The CommonJS dependencies bundled into an ES module still find require, __filename and __dirname.
  banner: {
    js: [
      "import { createRequire as __standinRequire } from 'node:module';",
      "import { fileURLToPath as __standinPath } from 'node:url';",
      'const require = __standinRequire(import.meta.url);',
      'const __filename = __standinPath(import.meta.url);',
      "const __dirname = __standinPath(new URL('.', import.meta.url));",
    ].join(' '),
  },
  plugins: [ownUrl],
  logLevel: 'warning',
});
