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

/** Why the phone system did not take the call: no answer in time, no connection, or a 4xx/5xx answer. */
export type DialFailure = 'timeout' | 'unreachable' | 'rejected';

export class DialError extends Error {
  override name = 'DialError';
  constructor(
    readonly reason: DialFailure,
    readonly httpStatus: number | null = null,
  ) {
    super(reason === 'rejected' ? `the phone system answered ${httpStatus}` : `the phone system is ${reason === 'timeout' ? 'not answering in time' : 'unreachable'}`);
  }
}

/**
 * One HTTP request to the phone system with the timeout; maps every failure to a `DialError`.
 * Neither the URL (it may carry credentials) nor the headers ever reach an error or a log.
 */
export async function requestPhoneSystem(url: string, init: RequestInit, timeoutMs: number): Promise<{ httpStatus: number }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    throw new DialError(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unreachable');
  }
  // The answer's body is not needed; read it so the connection is freed.
  await res.arrayBuffer().catch(() => undefined);
  if (res.status < 200 || res.status >= 300) throw new DialError('rejected', res.status);
  return { httpStatus: res.status };
}
