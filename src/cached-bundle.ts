import { closeSync, openSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  const { source, cachedData } = readBundle(file, cacheFile);
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

/**
 * The bundle's text and its code cache, read through one buffer. The bundle is one function expression, the wrapper
 * Node puts around a CommonJS module, and pure ASCII (scripts/bundle.mjs), so it is read as one-byte text, which Node
 * copies out of the buffer for V8; the cache is then read into the same pages. A page a process writes for the first
 * time costs it a page fault, and a fresh buffer for the 1.9 MB cache cost a restart some 500 of them, 9–12 ms on a
 * two-core machine (bench/README.md, "Twenty-second round").
 */
function readBundle(file: string, cacheFile: string): { source: string; cachedData: Buffer | undefined } {
  const sourceSize = statSync(file).size;
  const cacheSize = sizeOrUndefined(cacheFile);
  const buffer = Buffer.allocUnsafeSlow(Math.max(sourceSize, cacheSize ?? 0));
  const source = buffer.toString('latin1', 0, readInto(file, buffer, sourceSize));
  return { source, cachedData: cacheSize === undefined ? undefined : cacheOrUndefined(cacheFile, buffer, cacheSize) };
}

function sizeOrUndefined(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}

/** A cache that cannot be read is as good as none: the bundle compiles from source. */
function cacheOrUndefined(file: string, buffer: Buffer, size: number): Buffer | undefined {
  try {
    return buffer.subarray(0, readInto(file, buffer, size));
  } catch {
    return undefined;
  }
}

/**
 * Reads the file from its start into `buffer`, until `size` bytes or its end, and returns how many bytes it read. A
 * cache that another process's exit renamed over since its size was taken is read whole or cut short; V8 refuses one
 * cut short, and a new one is written.
 */
function readInto(file: string, buffer: Buffer, size: number): number {
  const fd = openSync(file, 'r');
  try {
    let read = 0;
    while (read < size) {
      const got = readSync(fd, buffer, read, size - read, read);
      if (got === 0) break;
      read += got;
    }
    return read;
  } finally {
    closeSync(fd);
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
