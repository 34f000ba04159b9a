import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';

// One definition of the folder a test makes and removes, instead of the same three lines in every test file.

/**
 * A new folder under `os.tmpdir()` whose name starts with `prefix` (so a leaked one says which test made it),
 * removed with everything in it when `t` ends. Teardowns run last-registered first: make the folder before
 * starting what writes into it, so that stops before its folder goes.
 */
export function temporaryFolder(t: Test, prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => {
    rmSync(folder, { recursive: true, force: true });
  });
  return folder;
}
