import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ariDialer } from '../src/dial/ari-dialer.js';
import { DialError } from '../src/dial/dialer.js';
import { httpDialer } from '../src/dial/http-dialer.js';
import { closedPort, startPhoneSystem } from './helpers/phone-system.js';

/** The two phone-system adapters against real local HTTP servers: exact requests, auth, timeout, errors. */
let pbx: Awaited<ReturnType<typeof startPhoneSystem>>;
beforeAll(async () => {
  pbx = await startPhoneSystem();
});
afterAll(() => pbx.close());

const target = { e164: '+41223102222', extension: '221' };

async function failure(p: Promise<unknown>): Promise<DialError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DialError);
  return err as DialError;
}

describe('generic HTTP click-to-dial', () => {
  const options = () => ({
    url: `${pbx.url}/api/click2dial?to={e164}&from={extension}`,
    method: 'POST' as const,
    headers: { 'Content-Type': 'application/json', 'X-Agent': 'ext-{extension}' },
    body: '{"caller":"{extension}","callee":"{e164}"}',
    auth: 'Bearer s3cr3t-token',
    timeoutMs: 500,
  });

  it('sends exactly the configured request: URL-encoded number, templated headers and JSON body, auth header', async () => {
    pbx.answerWith(() => ({ status: 201 }));
    const before = pbx.seen.length;
    expect(await httpDialer(options()).dial(target)).toEqual({ httpStatus: 201 });
    const [req] = pbx.seen.slice(before);
    expect(req).toMatchObject({ method: 'POST', url: '/api/click2dial?to=%2B41223102222&from=221', body: '{"caller":"221","callee":"+41223102222"}' });
    expect(req!.headers).toMatchObject({ authorization: 'Bearer s3cr3t-token', 'content-type': 'application/json', 'x-agent': 'ext-221' });
  });

  it('URL-encodes the values in a form-encoded body: the number keeps its +', async () => {
    pbx.answerWith(() => ({ status: 200 }));
    const before = pbx.seen.length;
    await httpDialer({ ...options(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'to={e164}&from={extension}' }).dial(target);
    const [req] = pbx.seen.slice(before);
    expect(req!.body).toBe('to=%2B41223102222&from=221');
    expect(new URLSearchParams(req!.body).get('to')).toBe('+41223102222');
  });

  it('sends no body with GET', async () => {
    pbx.answerWith(() => ({ status: 200 }));
    const before = pbx.seen.length;
    await httpDialer({ ...options(), method: 'GET', auth: undefined }).dial(target);
    const [req] = pbx.seen.slice(before);
    expect(req).toMatchObject({ method: 'GET', body: '' });
    expect(req!.headers.authorization).toBeUndefined();
  });

  it('a 4xx or 5xx answer is "rejected" with the status', async () => {
    for (const status of [401, 404, 500, 503]) {
      pbx.answerWith(() => ({ status, body: '{"error":"nope"}' }));
      const err = await failure(httpDialer(options()).dial(target));
      expect([err.reason, err.httpStatus]).toEqual(['rejected', status]);
    }
  });

  it('a gateway\'s 502 or 504 (a proxy before the phone system) is a timeout with the status: the call may be on its way', async () => {
    for (const status of [502, 504]) {
      pbx.answerWith(() => ({ status, body: '<html>Gateway Timeout</html>' }));
      const err = await failure(httpDialer(options()).dial(target));
      expect([err.reason, err.httpStatus]).toEqual(['timeout', status]);
    }
  });

  it('a phone system that does not answer in time is a timeout, no later than the timeout', async () => {
    pbx.answerWith(() => 'hang');
    const started = performance.now();
    const err = await failure(httpDialer({ ...options(), timeoutMs: 300 }).dial(target));
    expect(err.reason).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('a phone system that is down is unreachable', async () => {
    const err = await failure(httpDialer({ ...options(), url: `${await closedPort()}/dial` }).dial(target));
    expect([err.reason, err.httpStatus]).toEqual(['unreachable', null]);
  });

  it('never puts the URL or the auth header into its error', async () => {
    pbx.answerWith(() => ({ status: 500 }));
    const err = await failure(httpDialer(options()).dial(target));
    expect(`${err.message} ${err.stack}`).not.toMatch(/s3cr3t|click2dial|41223102222/);
  });
});

describe('Asterisk ARI originate', () => {
  const options = () => ({
    baseUrl: `${pbx.url}/`,
    user: 'mahn',
    password: 'ari-pass',
    endpoint: 'PJSIP/{extension}',
    context: 'from-internal',
    extension: '{e164}',
    callerId: 'Mahnanrufe <0800>',
    timeoutMs: 500,
  });

  it('POSTs /ari/channels with the ARI originate parameters and basic auth', async () => {
    pbx.answerWith((req) =>
      req.method === 'POST' && req.url.startsWith('/ari/channels?') ? { status: 200, body: '{"id":"1700000000.1","state":"Down"}' } : { status: 404 },
    );
    const before = pbx.seen.length;
    expect(await ariDialer(options()).dial(target)).toEqual({ httpStatus: 200 });
    const [req] = pbx.seen.slice(before);
    const url = new URL(req!.url, pbx.url);
    expect(url.pathname).toBe('/ari/channels');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      endpoint: 'PJSIP/221',
      extension: '+41223102222',
      context: 'from-internal',
      priority: '1',
      timeout: '30',
      callerId: 'Mahnanrufe <0800>',
    });
    expect(req!.headers.authorization).toBe(`Basic ${Buffer.from('mahn:ari-pass').toString('base64')}`);
    expect(req!.body).toBe('');
  });

  it('ARI refusals (bad endpoint 400, wrong credentials 401) are rejected with the status', async () => {
    for (const status of [400, 401]) {
      pbx.answerWith(() => ({ status, body: '{"message":"Invalid endpoint"}' }));
      const err = await failure(ariDialer(options()).dial(target));
      expect([err.reason, err.httpStatus]).toEqual(['rejected', status]);
    }
  });

  it('a 200 that is no channel (a proxy page, another service under that URL) set up no call', async () => {
    for (const body of ['<html>Login</html>', '{}', '{"id":42}']) {
      pbx.answerWith(() => ({ status: 200, body }));
      const err = await failure(ariDialer(options()).dial(target));
      expect([err.reason, err.httpStatus, err.message]).toEqual(['unexpected', 200, 'the phone system answered 200 without setting up a call']);
    }
  });

  it('an Asterisk that hangs is a timeout', async () => {
    pbx.answerWith(() => 'hang');
    expect((await failure(ariDialer({ ...options(), timeoutMs: 200 }).dial(target))).reason).toBe('timeout');
  });
});
