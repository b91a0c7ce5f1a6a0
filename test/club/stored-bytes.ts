import { existsSync, readFileSync } from 'node:fs';

/** Every byte SQLite keeps for this database: the file, and the WAL while there is one. */
export function storedBytes(path: string): string {
  return [path, `${path}-wal`]
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString('latin1'))
    .join('');
}
