import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { temporaryFolder } from '../helpers/temporary-folder.js';

const LOADER = pathToFileURL(join(import.meta.dirname, '../../src/cached-bundle.ts')).href;

/** A bundle shaped as scripts/bundle.mjs writes them: one function expression, Node's CommonJS wrapper. */
const BUNDLE = `#!/usr/bin/env node
(function (exports, require, module, __filename, __dirname) {
  const { basename } = require('node:path');
  function twice(n) { return n * 2; }
  module.exports = { answer: twice(21), file: basename(__filename) };
})`;

/** Runs the bundle in a process of its own (the cache is written at exit) and returns what it exported. */
function runInChild(bundle: string): unknown {
  const script = `const { runCachedBundle } = await import(${JSON.stringify(LOADER)});
process.stdout.write(JSON.stringify(runCachedBundle(new URL(${JSON.stringify(pathToFileURL(bundle).href)}))));`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' }));
}

t.test('a bundle runs with its exports, writes its code cache at exit, and runs from it; a damaged cache is replaced', async (t) => {
  const dir = temporaryFolder(t, 'standin-cached-bundle-');
  const bundle = join(dir, 'b.cjs');
  const cache = `${bundle}.cache`;
  writeFileSync(bundle, BUNDLE);
  t.same(runInChild(bundle), { answer: 42, file: 'b.cjs' }, 'first run, from source');
  t.ok(readFileSync(cache).length > 0, 'the cache was written at exit');
  // A cache is replaced by renaming a new file over it: the same inode means V8 accepted it.
  const inode = statSync(cache).ino;
  t.same(runInChild(bundle), { answer: 42, file: 'b.cjs' }, 'second run, from the cache');
  t.equal(statSync(cache).ino, inode, 'V8 accepted the cache: it was not written again');
  writeFileSync(cache, 'not a V8 code cache');
  t.same(runInChild(bundle), { answer: 42, file: 'b.cjs' }, 'a damaged cache is refused by V8, the bundle compiles from source');
  t.not(readFileSync(cache, 'latin1'), 'not a V8 code cache', 'and the cache is written anew');
});
