import { requestPhoneSystem, type Dialer, type DialTarget } from './dialer.js';
import { fillTemplate, jsonStringContent } from './template.js';

export interface HttpDialerOptions {
  url: string;
  method: 'GET' | 'POST' | 'PUT';
  headers: Record<string, string>;
  body?: string;
  /** The Authorization header's whole value. */
  auth?: string;
  timeoutMs: number;
}

/**
 * Generic HTTP click-to-dial, as most hosted phone systems offer it: one request whose URL,
 * headers and body are templates with `{e164}` and `{extension}`. Values are URL-encoded in the
 * URL and in a form-encoded body (else the `+` of a number arrives as a space), JSON-escaped in
 * a JSON body (Content-Type says which), else inserted as they are (E.164 and extensions are
 * digits and `+`).
 */
export function httpDialer(o: HttpDialerOptions): Dialer {
  const contentType = Object.entries(o.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  const bodyEncoding = /json/i.test(contentType) ? jsonStringContent : /x-www-form-urlencoded/i.test(contentType) ? encodeURIComponent : undefined;
  return {
    mode: 'http',
    dial(target: DialTarget) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(o.headers)) headers[name] = fillTemplate(value, target);
      if (o.auth) headers.authorization = o.auth;
      const body = o.body === undefined || o.method === 'GET' ? undefined : fillTemplate(o.body, target, bodyEncoding);
      return requestPhoneSystem(fillTemplate(o.url, target, encodeURIComponent), { method: o.method, headers, body }, o.timeoutMs);
    },
  };
}
