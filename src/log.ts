import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Customer data (names, phones, amounts, notes) is never logged:
 * log ids (caseId, listId, userId) instead. `redact` is the safety net for request bodies.
 */
export function createLogger(level: string, name = 'mahnanrufe'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['password', '*.password', 'req.headers.cookie', 'headers.cookie', '*.phone', '*.name', '*.note'],
      censor: '[redacted]',
    },
  });
}
