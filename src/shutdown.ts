import type { Logger } from './log.js';

/**
 * Runs `steps` once, in order, on SIGINT/SIGTERM; each step's failure is logged and the
 * next still runs. A second signal while shutting down exits at once.
 */
export function onShutdown(log: Logger, steps: Array<[string, () => Promise<void>]>): void {
  let started = false;
  const run = async (signal: string) => {
    if (started) process.exit(1);
    started = true;
    log.info({ signal }, 'shutting down');
    for (const [name, step] of steps) {
      await step().catch((err: Error) => log.error({ err, step: name }, 'shutdown step failed'));
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void run('SIGINT'));
  process.on('SIGTERM', () => void run('SIGTERM'));
}

/**
 * A failure nothing else caught — start-up included (a failed top-level await lands here) —
 * is logged through the logger's safe serializer and ends the process. Node's own print would
 * show the error's properties whole: a query's parameters, a Redis command's arguments.
 */
export function exitOnUncaught(log: Logger): void {
  const die = (what: string) => (err: unknown) => {
    log.fatal({ err }, what);
    process.exit(1);
  };
  process.on('uncaughtException', die('uncaught exception; stopping'));
  process.on('unhandledRejection', die('unhandled rejection; stopping'));
}
