import { requestPhoneSystem, type Dialer, type DialTarget } from './dialer.js';
import { fillTemplate } from './template.js';

export interface AriDialerOptions {
  /** Asterisk's HTTP server, e.g. `http://pbx:8088`; ARI lives under `/ari`. */
  baseUrl: string;
  user: string;
  password: string;
  /** The agent's phone as a channel, e.g. `PJSIP/{extension}`. */
  endpoint: string;
  /** Where the answered channel continues: dialplan context, extension (`{e164}`), priority 1. */
  context: string;
  extension: string;
  callerId?: string;
  timeoutMs: number;
}

/** Seconds the agent's phone rings before Asterisk gives up (ARI's `timeout`). */
const RING_SECONDS = 30;

/**
 * Asterisk ARI originate (`POST /ari/channels`, basic auth): Asterisk rings the agent's
 * endpoint and, once answered, continues in the dialplan at `extension@context`, which dials
 * the customer. Parameters go in the query string, as the ARI reference documents them.
 */
export function ariDialer(o: AriDialerOptions): Dialer {
  const authorization = `Basic ${Buffer.from(`${o.user}:${o.password}`).toString('base64')}`;
  return {
    mode: 'ari',
    dial(target: DialTarget) {
      const params = new URLSearchParams({
        endpoint: fillTemplate(o.endpoint, target),
        extension: fillTemplate(o.extension, target),
        context: o.context,
        priority: '1',
        timeout: String(RING_SECONDS),
      });
      if (o.callerId) params.set('callerId', o.callerId);
      const url = `${o.baseUrl.replace(/\/+$/, '')}/ari/channels?${params}`;
      return requestPhoneSystem(url, { method: 'POST', headers: { authorization } }, o.timeoutMs, isChannel);
    },
  };
}

/**
 * ARI answers an originate with the new channel (`{"id": …}`); anything else at 200 (a proxy's
 * page, a wrong base URL answering for another service) set nothing up.
 */
function isChannel(body: string): boolean {
  try {
    const channel: unknown = JSON.parse(body);
    return typeof channel === 'object' && channel !== null && typeof (channel as { id?: unknown }).id === 'string';
  } catch {
    return false;
  }
}
