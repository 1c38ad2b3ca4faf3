import type { Runtime } from '../src/runtime.js';

/**
 * Starts every background worker of this process; returns their orderly close.
 * Each worker is a thin shell over a function in `src/<feature>/`.
 */
export async function startWorkers(rt: Runtime): Promise<{ close: () => Promise<void> }> {
  const closers: Array<() => Promise<void>> = [];
  rt.log.info({ workers: closers.length }, 'workers started');
  return {
    close: async () => {
      for (const close of closers) await close().catch(() => {});
    },
  };
}
