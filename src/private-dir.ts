import { chmodSync, mkdirSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';

/**
 * A directory of customer data (the outbox's result lists, the embedded database): readable by
 * this service's user only. Created 0700; one made by an earlier version (0755) is narrowed too,
 * where this user owns it (a volume owned by another user is left as it is).
 */
export async function privateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700).catch(() => {});
}

export function privateDirSync(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(dir, 0o700);
  } catch {
    // Not ours to change: left as it is.
  }
}
