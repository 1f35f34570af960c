/**
 * Where a run's oracle database goes, and one run at a time per database file: a lock file beside it
 * names the process that holds it.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The database of a run of scenario `name` with `seed`, in `outDir`. */
export function databasePath(outDir: string, name: string, seed: number): string {
  return join(outDir, `sim-${safeName(name)}-${seed}.sqlite`);
}

/**
 * Keeps a second run of the same scenario and seed from replacing the database under this one: a lock
 * file beside it names the process that holds it. A lock whose process has ended is taken over.
 */
export function lockDatabase(dbPath: string): () => void {
  const lock = `${dbPath}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lock, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new Error(`${dbPath} is in use by another simulation (process ${holder}); give this one another --out directory`, { cause: error });
      }
      rmSync(lock, { force: true });
    }
  }
  throw new Error(`cannot lock ${dbPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60) || 'scenario';
}
