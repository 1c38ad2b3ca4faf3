import type { Config } from './config.js';

/**
 * Named kill points between two writes that must survive a crash (PostgreSQL first, then Redis
 * or the mail server). With `FAILPOINT=<name>` the process SIGKILLs itself when it reaches that
 * point, so a test can prove that what happened before is recovered and nothing is done twice.
 * Unset in production: a no-op.
 *
 * Points (each with its recovery in the table "PostgreSQL first: every write pair" of
 * docs/decisions.md):
 * - `upload.afterStore`: list and file stored, the `imports` job not yet queued.
 * - `import.beforeCommit`: the call jobs added, the cases not yet committed.
 * - `import.afterCommit`: the cases committed with the list's activation, the ready index not yet
 *   refreshed (the import's last write, best effort: reconcile refreshes it).
 * - `outcome.afterClaim`: the assignment claimed with its outcome (the outbox), the `outcomes`
 *   job not yet queued nor the call job completed.
 * - `outcome.afterRecord`: the attempt recorded, the next call job not yet added (nor the list
 *   completed).
 * - `cancel.afterCommit`: the cases closed, their call jobs not yet removed.
 * - `delivery.afterWrite`: the result list written, the round not yet claimed.
 * - `delivery.afterSend`: the mail left, its message id not yet recorded.
 */
export function failpoint(config: Pick<Config, 'FAILPOINT'>, name: string): void {
  if (config.FAILPOINT === name) process.kill(process.pid, 'SIGKILL');
}
