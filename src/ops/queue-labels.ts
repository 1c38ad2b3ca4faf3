import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { clients } from '../db/schema.js';

/** `calls-<clientId>[-<language>]` (registry.ts `callQueueName`); personal queues `calls-u-…` do not match. */
const CALL_QUEUE = /^calls-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:-([a-z]{2,3}))?$/;
const languageNames = new Intl.DisplayNames(['de'], { type: 'language' });

/** `calls-<clientId>-any` holds the cases every agent of the client may take (language routing). */
const languageLabel = (language: string) => (language === 'any' ? 'alle Sprachen' : (languageNames.of(language) ?? language));

export interface QueueLabel {
  displayName: string;
  description: string;
  prefix: string;
}

/**
 * What Bull Board shows for each call queue besides its id-laden name: the client's code,
 * name and the language in German ("SWM · Stadtwerke Muster · Deutsch") on the overview and the
 * queue's page. Its sidebar and search know only the board's name of the queue, so that starts
 * with code and language ("SWM (de) calls-…"; the adapter's `prefix` is for display only, the
 * Redis keys stay). Queues of unknown clients get none.
 */
export async function callQueueLabels(db: Db, queueNames: string[]): Promise<Map<string, QueueLabel>> {
  const parsed = queueNames.flatMap((name) => {
    const m = CALL_QUEUE.exec(name);
    return m ? [{ name, clientId: m[1]!, language: m[2] }] : [];
  });
  const ids = [...new Set(parsed.map((p) => p.clientId))];
  const rows = ids.length ? await db.select({ id: clients.id, code: clients.code, name: clients.name }).from(clients).where(inArray(clients.id, ids)) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const labels = new Map<string, QueueLabel>();
  for (const { name, clientId, language } of parsed) {
    const client = byId.get(clientId);
    if (!client) continue;
    const parts = [client.code, client.name, ...(language ? [languageLabel(language)] : [])];
    // Client codes are letters, digits, _ and - only: safe in the board's URLs.
    const prefix = language ? `${client.code} (${language}) ` : `${client.code} `;
    labels.set(name, { displayName: parts.join(' · '), description: `Anrufe (${name})`, prefix });
  }
  return labels;
}
