import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/** Runs `fn`, CPU-profiled into `file` (a `.cpuprofile` for Chrome DevTools) when one is given. */
export async function cpuProfiled<T>(file: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!file) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  }
}
