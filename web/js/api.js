// The one place the UI talks to the API: same-origin fetch with the HttpOnly session cookie.

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message server's message (English), shown as detail
   * @param {unknown} [details]
   * @param {number | null} [retryAfter] seconds, from Retry-After
   */
  constructor(status, code, message, details, retryAfter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

/**
 * A request without an answer this long is given up (an upload excepted): a save stuck at a
 * proxy would otherwise hold the agent's screen while the case's lock runs out.
 */
const TIMEOUT_MS = 30_000;

/** Fired on `window` when the session is gone (401 on anything but the login itself). */
export const SESSION_LOST = 'mahn:session-lost';

/** How far this computer's clock is ahead of the server's, from the last answer's Date header. */
let clockAheadMs = 0;

/** The server's time as this computer best knows it: lock and due times are the server's. */
export const serverNow = () => Date.now() - clockAheadMs;

/**
 * @param {string} method
 * @param {string} path
 * @param {{ json?: unknown, form?: FormData, keepalive?: boolean }} [body] `keepalive`: the request outlives the page
 * @returns {Promise<any>} parsed JSON, or null for an empty answer
 */
export async function api(method, path, body = {}) {
  /** @type {RequestInit} */
  const init = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body.json !== undefined) {
    init.headers = { ...init.headers, 'content-type': 'application/json' };
    init.body = JSON.stringify(body.json);
  } else if (body.form) init.body = body.form;
  if (body.keepalive) init.keepalive = true;
  if (!body.form) init.signal = AbortSignal.timeout(TIMEOUT_MS);
  let res;
  try {
    res = await fetch(path, init);
  } catch (err) {
    const timedOut = err instanceof DOMException && err.name === 'TimeoutError';
    // The message is shown as a detail after the German text: German too.
    throw new ApiError(0, timedOut ? 'timeout' : 'network', timedOut ? 'keine Antwort in der erwarteten Zeit' : 'Netzwerkfehler');
  }
  const date = Date.parse(res.headers.get('date') ?? '');
  // The header is to the second: its middle is the best guess.
  if (!Number.isNaN(date)) clockAheadMs = Date.now() - (date + 500);
  const text = await res.text();
  /** @type {any} */
  let data = null;
  if (text && res.headers.get('content-type')?.includes('json')) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (res.ok) return data;
  const retry = Number(res.headers.get('retry-after'));
  const err = new ApiError(
    res.status,
    data?.error?.code ?? 'http_error',
    data?.error?.message ?? `HTTP ${res.status}`,
    data?.error?.details,
    Number.isFinite(retry) && retry > 0 ? retry : null,
  );
  if (res.status === 401 && path !== '/api/session') window.dispatchEvent(new CustomEvent(SESSION_LOST));
  throw err;
}

/**
 * A German sentence for an error, for places that have no more specific text.
 * @param {unknown} err
 */
export function germanError(err) {
  if (!(err instanceof ApiError)) return 'Unerwarteter Fehler im Browser. Bitte die Seite neu laden.';
  /** @type {Record<number, string>} */
  const byStatus = {
    0: 'Keine Verbindung zum Server. Bitte Netzwerk prüfen und erneut versuchen.',
    400: 'Die Eingabe ist ungültig.',
    401: 'Nicht angemeldet.',
    403: 'Dafür fehlt Ihnen die Berechtigung.',
    404: 'Nicht gefunden.',
    409: 'Konflikt mit dem aktuellen Stand.',
    413: 'Die Datei ist zu groß.',
    415: 'Keine Tabellendatei: bitte .xlsx oder .csv hochladen (kein altes .xls).',
    422: 'Die Datei ist beschädigt, passwortgeschützt oder enthält keine Daten.',
    429: 'Zu viele Versuche. Bitte kurz warten.',
    503: 'Der Dienst ist gerade nicht erreichbar. Bitte gleich erneut versuchen.',
  };
  return byStatus[err.status] ?? 'Interner Fehler. Bitte erneut versuchen oder den Support informieren.';
}
