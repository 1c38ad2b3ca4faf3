import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Runs `fn` with `content` in a private temporary file (the readers stream from a path), then deletes it. */
export async function withTempFile<T>(content: Uint8Array, ext: string, fn: (file: string) => Promise<T>): Promise<T> {
  const file = path.join(os.tmpdir(), `mahn-import-${randomUUID()}.${ext}`);
  await writeFile(file, content, { mode: 0o600 });
  try {
    return await fn(file);
  } finally {
    await rm(file, { force: true });
  }
}
