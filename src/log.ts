import { pino, type Logger } from 'pino';
import { logSafeError } from './safe-error.js';

export type { Logger };

/**
 * Structured JSON logs. Customer data (names, phones, amounts, notes) is never logged:
 * log ids (caseId, listId, userId) instead. `redact` is the safety net for request bodies.
 */
export function createLogger(level: string, name = 'mahnanrufe', destination?: pino.DestinationStream): Logger {
  return pino({
    name,
    level,
    // Errors from the database carry the statement's parameters (hashes, names, numbers) in
    // their message and stack: whatever is logged as `err` goes through `logSafeError`.
    serializers: { err: logSafeError },
    redact: {
      paths: ['password', '*.password', 'req.headers.cookie', 'headers.cookie', '*.phone', '*.name', '*.note'],
      censor: '[redacted]',
    },
  }, destination);
}
