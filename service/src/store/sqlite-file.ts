import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Owner-only: a SQLite database holds encrypted tokens, hashed keys and every record. */
const FILE_MODE = 0o600;
const FOLDER_MODE = 0o700;

/**
 * Creates a new SQLite database file owner-only (0600), and the folders leading to it that do
 * not exist yet owner-only too (0700), before SQLite opens it; an existing file or folder is
 * left as it is. SQLite creates the `-wal` and `-shm` files with the database file's own
 * permissions (its unix VFS copies them), so they are 0600 as well.
 */
export function prepareSqliteFile(file: string): void {
  if (file === ':memory:') return;
  const missing: string[] = [];
  for (let folder = dirname(resolve(file)); !existsSync(folder); folder = dirname(folder)) {
    missing.unshift(folder);
  }
  for (const folder of missing) {
    mkdirSync(folder, { mode: FOLDER_MODE });
    chmodSync(folder, FOLDER_MODE);
  }
  if (existsSync(file)) return;
  try {
    closeSync(openSync(file, 'wx', FILE_MODE));
  } catch (error) {
    // Another process created it first: it is theirs to have made.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return;
  }
  chmodSync(file, FILE_MODE);
}
