import type { Config } from './config.js';

/**
 * Named kill points between two writes that must survive a crash (PostgreSQL first, then Redis
 * or the mail server). With `FAILPOINT=<name>` the process SIGKILLs itself when it reaches that
 * point, so a test can prove that what happened before is recovered and nothing is done twice.
 * Unset in production: a no-op.
 *
 * Points: `delivery.afterWrite` (the result list written, the round not yet claimed),
 * `delivery.afterSend` (the mail left, its message id not yet recorded).
 */
export function failpoint(config: Pick<Config, 'FAILPOINT'>, name: string): void {
  if (config.FAILPOINT === name) process.kill(process.pid, 'SIGKILL');
}
