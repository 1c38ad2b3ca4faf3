/**
 * Click-to-dial (DESIGN.md section 11, `CTI_MODE`): the phone system is asked to ring the
 * agent's extension and connect it with the customer's number. One adapter per kind of phone
 * system; the route and the record of each dial do not know which one runs.
 */
export interface DialTarget {
  /** The customer's number, E.164 (`+41221234567`). */
  e164: string;
  /** The agent's extension (users.extension). */
  extension: string;
}

export interface Dialer {
  readonly mode: 'http' | 'ari';
  /** Resolves with the phone system's HTTP status when it accepted the call; throws `DialError` otherwise. */
  dial(target: DialTarget): Promise<{ httpStatus: number }>;
}

/**
 * Why the phone system did not take the call: no answer in time (or a gateway's 502/504), no
 * connection, another 4xx/5xx answer, or a 2xx answer that does not say a call was set up (an
 * adapter that can tell).
 */
export type DialFailure = 'timeout' | 'unreachable' | 'rejected' | 'unexpected';

const DIAL_ERROR_TEXT: Record<DialFailure, (status: number | null) => string> = {
  timeout: () => 'the phone system is not answering in time',
  unreachable: () => 'the phone system is unreachable',
  rejected: (status) => `the phone system answered ${status}`,
  unexpected: (status) => `the phone system answered ${status} without setting up a call`,
};

export class DialError extends Error {
  override name = 'DialError';
  constructor(
    readonly reason: DialFailure,
    readonly httpStatus: number | null = null,
  ) {
    super(DIAL_ERROR_TEXT[reason](httpStatus));
  }
}

/** 502 Bad Gateway and 504 Gateway Timeout: answered by a proxy, the phone system's own answer unknown. */
const GATEWAY_GAVE_UP = new Set([502, 504]);

/**
 * One HTTP request to the phone system with the timeout; maps every failure to a `DialError`.
 * Neither the URL (it may carry credentials) nor the headers ever reach an error or a log.
 * `setUp` tells from a 2xx answer's body whether a call was set up, where the adapter can.
 */
export async function requestPhoneSystem(url: string, init: RequestInit, timeoutMs: number, setUp?: (body: string) => boolean): Promise<{ httpStatus: number }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    throw new DialError(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unreachable');
  }
  // Read whole also when not needed, so the connection is freed.
  const body = await res.text().catch(() => '');
  // A gateway's error (a proxy before the phone system gave up waiting, or lost the answer) says
  // nothing about whether the call is being set up: treated as no answer in time, so no second
  // dial rings the customer twice.
  if (GATEWAY_GAVE_UP.has(res.status)) throw new DialError('timeout', res.status);
  if (res.status < 200 || res.status >= 300) throw new DialError('rejected', res.status);
  if (setUp && !setUp(body)) throw new DialError('unexpected', res.status);
  return { httpStatus: res.status };
}
