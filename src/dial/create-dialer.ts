import type { Config } from '../config.js';
import { ariDialer } from './ari-dialer.js';
import type { Dialer } from './dialer.js';
import { httpDialer } from './http-dialer.js';

/** The configured phone-system adapter, or null with `CTI_MODE=link` (the browser dials by link). */
export function createDialer(config: Config): Dialer | null {
  switch (config.CTI_MODE) {
    case 'link':
      return null;
    case 'http':
      return httpDialer({
        url: config.CTI_HTTP_URL!,
        method: config.CTI_HTTP_METHOD,
        headers: config.CTI_HTTP_HEADERS,
        body: config.CTI_HTTP_BODY,
        auth: config.CTI_HTTP_AUTH,
        timeoutMs: config.CTI_TIMEOUT_MS,
      });
    case 'ari':
      return ariDialer({
        baseUrl: config.CTI_ARI_URL!,
        user: config.CTI_ARI_USER!,
        password: config.CTI_ARI_PASSWORD!,
        endpoint: config.CTI_ARI_ENDPOINT,
        context: config.CTI_ARI_CONTEXT,
        extension: config.CTI_ARI_EXTENSION,
        callerId: config.CTI_ARI_CALLER_ID,
        timeoutMs: config.CTI_TIMEOUT_MS,
      });
  }
}
