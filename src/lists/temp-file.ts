import { randomUUID } from 'node:crypto';
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../log.js';

/**
 * Files with customer data that live only while one job runs: an upload being imported, a
 * result list being mailed. Each is deleted when its job ends; a process killed meanwhile
 * leaves it behind, so `removeStaleTempFiles` sweeps them: in every process at its start and
 * hourly (`sweepTempFiles`; each API or workers replica has its own temporary directory), and
 * in the nightly retention run.
 */
const PREFIX = 'mahn-';

/** A new private temporary file's path: `mahn-<kind>-<uuid>.<ext>` in the OS's temporary directory. */
export function tempFilePath(kind: 'import' | 'result', ext: string): string {
  return path.join(os.tmpdir(), `${PREFIX}${kind}-${randomUUID()}.${ext}`);
}

/** Runs `fn` with `content` in a private temporary file (the readers stream from a path), then deletes it. */
export async function withTempFile<T>(content: Uint8Array, ext: string, fn: (file: string) => Promise<T>): Promise<T> {
  const file = tempFilePath('import', ext);
  await writeFile(file, content, { mode: 0o600 });
  try {
    return await fn(file);
  } finally {
    await rm(file, { force: true });
  }
}

/** How often every process sweeps its temporary directory. */
const SWEEP_MS = 3_600_000;

/**
 * Sweeps this process's temporary directory now and then hourly (an unref'd timer: it keeps no
 * process alive), logging what it removed and any failure. Returns the first sweep. By the file
 * system's clock, not the injected one (a test's clock months ahead must not sweep another
 * test's running import).
 */
export function sweepTempFiles(log: Pick<Logger, 'info' | 'warn'>): Promise<void> {
  const sweep = () =>
    removeStaleTempFiles(new Date()).then(
      (removed) => void (removed > 0 && log.info({ removed }, 'removed temporary files left by a killed process')),
      (err: unknown) => log.warn({ err }, 'sweeping temporary files failed'),
    );
  setInterval(() => void sweep(), SWEEP_MS).unref();
  return sweep();
}

/**
 * Deletes the temporary files of imports and deliveries older than `maxAgeMs` (a day: no job
 * runs that long), left by a process killed while it used them. Returns how many went.
 */
export async function removeStaleTempFiles(now: Date, maxAgeMs = 86_400_000, dir = os.tmpdir()): Promise<number> {
  const uuid = /^mahn-(import|result)-[0-9a-f-]{36}\.\w+$/;
  let removed = 0;
  for (const name of await readdir(dir)) {
    if (!uuid.test(name)) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info && now.getTime() - info.mtimeMs > maxAgeMs) {
      await rm(file, { force: true });
      removed++;
    }
  }
  return removed;
}
