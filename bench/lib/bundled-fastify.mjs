// The framework's own start measured as Standin's is started: bench/servers/fastify-empty.mjs bundled with esbuild
// into one CommonJS function expression and run by a CommonJS launcher through the V8 code cache
// (dist/cached-bundle.js, the code dist/standin.cjs runs), as scripts/bundle.mjs builds the `standin` bin. Fastify
// loaded from node_modules file by file (startFastifyEmpty) pays for a loader Standin never uses.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT, SERVERS, freePort, startServer } from './common.mjs';

/** Writes the bundle and its launcher into `work`, runs it once to write its code cache, and returns the launcher. */
export async function buildBundledFastify(work) {
  const dir = join(work, 'fastify-bundled');
  mkdirSync(dir, { recursive: true });
  const options = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' };
  await build({
    ...options,
    entryPoints: [join(SERVERS, 'fastify-empty.mjs')],
    outfile: join(dir, 'server.cjs'),
    banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
    footer: { js: '})' },
  });
  const launcher = join(dir, 'start.cjs');
  await build({
    ...options,
    stdin: {
      contents: `import { runCachedBundle } from ${JSON.stringify(join(ROOT, 'dist', 'cached-bundle.js'))};
runCachedBundle(new URL('./server.cjs', __launcherUrl));\n`,
      resolveDir: dir,
      sourcefile: 'start.js',
    },
    outfile: launcher,
    banner: { js: "const __launcherUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  // One start writes the code cache (at exit, which the server's SIGTERM handler reaches).
  const first = await startBundledFastify(launcher);
  await first.stop();
  if (!existsSync(join(dir, 'server.cjs.cache'))) throw new Error('the bundled Fastify server wrote no code cache');
  return launcher;
}

export async function startBundledFastify(launcher) {
  const port = await freePort();
  return startServer({ args: [launcher], env: { PORT: String(port) }, port, readyPath: '/' });
}
