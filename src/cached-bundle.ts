import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

type CommonJsWrapper = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;

/**
 * Runs one of Standin's CommonJS bundles (dist/cli.cjs, dist/index.cjs, written by scripts/bundle.mjs) and returns
 * its exports. It is compiled with the V8 code cache kept beside it (`<bundle>.cache`): parsing and compiling
 * 2.7 MB of JavaScript was a large part of a cold start, and the cache also holds every function the cached run
 * compiled, so they are not compiled again (bench/README.md, "Start-up"). Node 20 has no compile cache for
 * ES modules (`module.enableCompileCache` came in Node 22), hence CommonJS and `vm.Script`.
 *
 * `npm run build` runs each bundle once to write its cache. A cache that is missing, or that V8 rejects (another
 * Node version, other V8 flags, a damaged file), is written anew when this process exits; V8 checks a cache before
 * it uses any of it and compiles from source when it refuses one. A cache that cannot be written (a read-only
 * install) is simply not kept.
 */
export function runCachedBundle(bundle: URL): unknown {
  const file = fileURLToPath(bundle);
  const cacheFile = `${file}.cache`;
  // The bundle is one function expression, the wrapper Node puts around a CommonJS module (scripts/bundle.mjs).
  // Pure ASCII (scripts/bundle.mjs), so read as one-byte text.
  const source = readFileSync(file, 'latin1');
  const cachedData = readOrUndefined(cacheFile);
  const script = new Script(source, {
    filename: file,
    ...(cachedData === undefined ? {} : { cachedData }),
  });
  if (cachedData === undefined || script.cachedDataRejected === true)
    process.once('exit', () => {
      keepCache(script, cacheFile);
    });
  const module = { exports: {} };
  (script.runInThisContext() as CommonJsWrapper).call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Written whole under a temporary name, then renamed: processes starting at the same moment never read half a file. */
function keepCache(script: Script, cacheFile: string): void {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile);
  } catch {
    rmSync(temporary, { force: true });
  }
}
