import { z } from '@hono/zod-openapi';
import type { DeliveryRow } from '../delivery/deliveries.js';

export const DeliverySchema = z
  .object({
    id: z.uuid(),
    listId: z.uuid(),
    round: z.number().int().openapi({ description: '1 = first delivery; each re-send the next' }),
    status: z.enum(['pending', 'sending', 'retrying', 'sent', 'failed', 'unknown']).openapi({
      description: 'unknown: a worker stopped while sending; the mail may or may not have left and is not sent again by itself',
    }),
    recipient: z.string(),
    tries: z.number().int(),
    manual: z.boolean(),
    lastError: z.string().nullable().openapi({ description: 'The mail server’s last answer' }),
    messageId: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
  })
  .openapi('Delivery');

export const ResendBodySchema = z
  .object({ to: z.email('must be an e-mail address').max(320).optional().openapi({ description: 'Another address than the client’s result address' }) })
  .strict()
  .openapi('DeliveryRequest');

export function deliveryView(r: DeliveryRow): z.infer<typeof DeliverySchema> {
  return {
    id: r.id,
    listId: r.listId,
    round: r.round,
    status: r.status,
    recipient: r.recipient,
    tries: r.tries,
    manual: r.requestedBy !== null,
    lastError: r.lastError,
    messageId: r.messageId,
    createdAt: r.createdAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
  };
}
