import { Writable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, cases, dials } from '../src/db/schema.js';
import type { ManualClock } from '../src/clock.js';
import { DIAL_REPEAT_MS, DIAL_SETTLE_MS } from '../src/dial/dial-record.js';
import { createLogger } from '../src/log.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules, next } from './helpers/dispatch.js';
import { startPhoneSystem } from './helpers/phone-system.js';
import { seedList } from './helpers/seed.js';

/**
 * `POST /api/agent/assignments/:id/dial` through the generic HTTP adapter, against a real local
 * server standing in for the phone system (CTI_MODE=http): the agent's own live assignment only,
 * each dial recorded, failures a 502 with a German message while the case stays assigned, and
 * neither the phone system's secrets nor the customer's number in the log.
 */
let pbx: Awaited<ReturnType<typeof startPhoneSystem>>;
let t: TestContext;
let admin: string;
let clientId: string;
let logged = '';
const sink = new Writable({ write: (chunk: Buffer, _e, cb) => void ((logged += chunk.toString()), cb()) });

beforeAll(async () => {
  pbx = await startPhoneSystem();
  t = await createTestContext(
    {
      CTI_MODE: 'http',
      CTI_HTTP_URL: `${pbx.url}/dial?secret=url-secret-123`,
      CTI_HTTP_HEADERS: '{"Content-Type":"application/json"}',
      CTI_HTTP_BODY: '{"from":"{extension}","to":"{e164}"}',
      CTI_HTTP_AUTH: 'Bearer auth-secret-456',
      CTI_TIMEOUT_MS: '300',
    },
    { log: createLogger('info', 'test', sink) },
  );
  admin = (await t.userSession('admin')).cookie;
  clientId = await createClient(t, admin, fastRules);
});
afterAll(async () => {
  await t.close();
  await pbx.close();
});

/** An agent (with `extension`) holding a fresh case. */
async function agentInCall(extension: string | null = '221', client = clientId) {
  const [seeded] = (await seedList(t, client, [{ phones: ['+41223102222', '+41791234567'] }])).cases;
  const { cookie, user } = await t.userSession('agent', [client], extension === null ? {} : { extension });
  const a = await next(t, cookie);
  expect(a.case.id).toBe(seeded!.id);
  return { cookie, user, assignmentId: a.assignment.id as string, card: a.case };
}

const dial = (cookie: string, id: string, body?: unknown) => t.request('POST', `/api/agent/assignments/${id}/dial`, { cookie, body });
const recorded = (assignmentId: string) => t.db.select().from(dials).where(eq(dials.assignmentId, assignmentId)).orderBy(dials.id);

describe('click-to-dial over HTTP', () => {
  it('asks the phone system to connect the agent extension with the customer, and records it', async () => {
    pbx.answerWith(() => ({ status: 200 }));
    const { cookie, user, assignmentId, card } = await agentInCall('221');
    expect(card.dial).toBe(true);
    const before = pbx.seen.length;
    const res = await dial(cookie, assignmentId);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ result: 'ok', phone: '+41223102222' });
    expect(pbx.seen.slice(before)).toMatchObject([{ method: 'POST', url: '/dial?secret=url-secret-123', body: '{"from":"221","to":"+41223102222"}', headers: { authorization: 'Bearer auth-secret-456' } }]);

    // Clicked twice (or from a second window): the phone system is not asked again at once.
    const twice = await dial(cookie, assignmentId);
    expect([twice.status, twice.body.error.code, twice.body.error.details.messageDe]).toEqual([409, 'dial_in_progress', expect.stringContaining('hat eben angerufen')]);
    expect(pbx.seen.length).toBe(before + 1);
    // Another of the case's numbers, chosen by the agent once that call is over.
    await t.db.update(dials).set({ at: new Date(t.clock.now().getTime() - DIAL_REPEAT_MS - 1_000) }).where(eq(dials.assignmentId, assignmentId));
    const other = await dial(cookie, assignmentId, { phone: '+41791234567' });
    expect(other.body).toMatchObject({ result: 'ok', phone: '+41791234567' });
    // Which number was rung, for the customer who asks (a case has several).
    expect((await recorded(assignmentId)).map((r) => [r.agentId, r.mode, r.result, r.httpStatus, r.phoneE164])).toEqual([
      [user.id, 'http', 'ok', 200, '+41223102222'],
      [user.id, 'http', 'ok', 200, '+41791234567'],
    ]);
  });

  it('a phone system answering 5xx or too slowly: 502 with a German message, the case stays assigned, nothing secret logged', async () => {
    const { cookie, assignmentId } = await agentInCall();
    pbx.answerWith(() => ({ status: 503 }));
    const refused = await dial(cookie, assignmentId);
    expect(refused.status).toBe(502);
    expect(refused.body.error).toMatchObject({ code: 'dial_failed', details: { reason: 'rejected', httpStatus: 503 } });
    expect(refused.body.error.details.messageDe).toMatch(/Telefonanlage hat den Anruf abgelehnt \(Antwort 503\).*bleibt Ihnen zugewiesen/);

    pbx.answerWith(() => 'hang');
    const slow = await dial(cookie, assignmentId);
    expect(slow.status).toBe(502);
    expect(slow.body.error.details).toMatchObject({ reason: 'timeout', httpStatus: null });
    expect(slow.body.error.details.messageDe).toMatch(/nicht rechtzeitig geantwortet/);

    expect((await recorded(assignmentId)).map((r) => r.result)).toEqual(['rejected', 'timeout']);
    const trail = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'dial'), eq(auditLog.entityId, assignmentId))).orderBy(auditLog.id);
    expect(trail.map((a) => a.details)).toEqual([
      expect.objectContaining({ mode: 'http', result: 'rejected', httpStatus: 503 }),
      expect.objectContaining({ mode: 'http', result: 'timeout', httpStatus: null }),
    ]);
    expect((await t.request('POST', `/api/agent/assignments/${assignmentId}/heartbeat`, { cookie })).status).toBe(200);
    expect(logged).toContain('click-to-dial failed');
    for (const secret of ['url-secret-123', 'auth-secret-456', '41223102222']) expect(logged).not.toContain(secret);
  });

  it('dials only the agent\'s own live assignment, with an extension, a number of the case and a valid body', async () => {
    pbx.answerWith(() => ({ status: 200 }));
    const { cookie, assignmentId } = await agentInCall();
    const before = pbx.seen.length;

    const stranger = await t.userSession('agent', [clientId], { extension: '222' });
    const foreign = await dial(stranger.cookie, assignmentId);
    expect([foreign.status, foreign.body.error.code]).toEqual([409, 'not_your_assignment']);

    const lead = await t.userSession('lead', [clientId]);
    expect((await dial(lead.cookie, assignmentId)).status).toBe(403);

    const unknown = await dial(cookie, assignmentId, { phone: '+41449999999' });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'unknown_phone']);
    const bad = await dial(cookie, assignmentId, { phone: 'call her' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation']);
    const notJson = await t.request('POST', `/api/agent/assignments/${assignmentId}/dial`, { cookie, body: '{nope', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect((await dial(cookie, '00000000-0000-0000-0000-000000000000')).status).toBe(404);

    const released = await t.request('POST', `/api/agent/assignments/${assignmentId}/release`, { cookie });
    expect(released.status).toBe(204);
    const ended = await dial(cookie, assignmentId);
    expect([ended.status, ended.body.error.code]).toEqual([409, 'assignment_ended']);

    const noExtension = await agentInCall(null);
    const missing = await dial(noExtension.cookie, noExtension.assignmentId);
    expect([missing.status, missing.body.error.code]).toEqual([409, 'no_extension']);
    expect(missing.body.error.details.messageDe).toBe(
      'Für Ihren Benutzer ist keine Nebenstelle hinterlegt. Bitte lassen Sie Ihre Nebenstelle von der Administration im Benutzerprofil eintragen.',
    );

    expect(pbx.seen.length).toBe(before);
  });

  it('never dials a number put on the do-not-call list during the call, nor a case whose list was cancelled meanwhile', async () => {
    pbx.answerWith(() => ({ status: 200 }));
    const own = await createClient(t, admin, fastRules);
    const { cookie, assignmentId } = await agentInCall('221', own);
    const before = pbx.seen.length;
    // The lead blocks the case's current number while the agent has the case on screen.
    expect((await t.request('PATCH', `/api/clients/${own}`, { cookie: admin, body: { doNotCall: ['+41223102222'] } })).status).toBe(200);
    const blocked = await dial(cookie, assignmentId);
    expect([blocked.status, blocked.body.error.code]).toEqual([409, 'do_not_call']);
    expect(blocked.body.error.details.messageDe).toBe('Diese Nummer steht auf der Sperrliste des Mandanten und wird nicht gewählt.');
    // Its other number is still dialled.
    expect((await dial(cookie, assignmentId, { phone: '+41791234567' })).status).toBe(200);

    const cancelled = await agentInCall('221', await createClient(t, admin, fastRules));
    const [list] = await t.db.select({ id: cases.listId }).from(cases).where(eq(cases.id, cancelled.card.id));
    expect((await t.request('POST', `/api/lists/${list!.id}/cancel`, { cookie: admin })).status).toBe(200);
    const closed = await dial(cancelled.cookie, cancelled.assignmentId);
    expect([closed.status, closed.body.error.code]).toEqual([409, 'case_closed']);
    expect(pbx.seen.length).toBe(before + 1);
  });

  it('never dials after calling hours end, also a case handed out a minute before', async () => {
    pbx.answerWith(() => ({ status: 200 }));
    const clock = t.clock as ManualClock;
    const own = await createClient(t, admin, { holidays: null }); // the default hours: Wednesday until 20:00
    clock.set(new Date('2026-11-25T19:59:00+01:00'));
    try {
      const { cookie, assignmentId, card } = await agentInCall('221', own);
      // The card says until when: the screen stops its dial links then (CTI_MODE=link too).
      expect(card.callableUntil).toBe(new Date('2026-11-25T20:00:00+01:00').toISOString());
      expect((await dial(cookie, assignmentId)).status).toBe(200);
      const before = pbx.seen.length;
      clock.set(new Date('2026-11-25T20:01:00+01:00')); // still held (the lock lasts 5 minutes)
      const late = await dial(cookie, assignmentId);
      expect([late.status, late.body.error.code, late.body.error.details.reason]).toEqual([409, 'not_callable_now', 'calling_hours']);
      expect(late.body.error.details.nextAt).toBe(new Date('2026-11-26T08:00:00+01:00').toISOString());
      expect(late.body.error.details.messageDe).toBe('Dieser Kunde darf jetzt nicht angerufen werden (außerhalb der Anrufzeiten); wieder ab 26.11.2026 08:00 Uhr. Bitte den Fall zurückgeben.');
      expect(pbx.seen.length).toBe(before);
    } finally {
      clock.set(new Date('2026-11-25T09:00:00+01:00'));
    }
  });

  it('an admin sets the extension in the user profile; a bad one is refused', async () => {
    const { user } = await t.userSession('agent', [clientId]);
    const set = await t.request('PATCH', `/api/users/${user.id}`, { cookie: admin, body: { extension: '4711' } });
    expect(set.status).toBe(200);
    expect(set.body.extension).toBe('4711');
    const bad = await t.request('PATCH', `/api/users/${user.id}`, { cookie: admin, body: { extension: '47 11; drop' } });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation']);
    const cleared = await t.request('PATCH', `/api/users/${user.id}`, { cookie: admin, body: { extension: null } });
    expect(cleared.body.extension).toBeNull();
  });
});

describe('a dial that may still be setting the call up', () => {
  it('a release meanwhile holds the case for the retry delay, and the dial is recorded pending first', async () => {
    const slowClient = await createClient(t, admin, { ...fastRules, retryDelaySeconds: 600 });
    const { cookie, assignmentId, card } = await agentInCall('221', slowClient);
    let releasing: Promise<{ status: number }> | undefined;
    // The phone system got the request but has not answered: the agent gives the case back.
    pbx.answerWith(() => {
      releasing = t.request('POST', `/api/agent/assignments/${assignmentId}/release`, { cookie });
      return 'hang';
    });
    const dialled = await dial(cookie, assignmentId);
    expect(dialled.body.error.details.reason).toBe('timeout');
    expect((await releasing)?.status).toBe(204);
    const [c] = await t.db.select().from(cases).where(eq(cases.id, card.id));
    expect(c).toMatchObject({ waitReason: 'dialled' });
    expect(c!.nextDueAt!.getTime() - t.clock.now().getTime()).toBeGreaterThan(590_000);
    expect((await recorded(assignmentId)).map((r) => r.result)).toEqual(['timeout']);
  });

  it('another dial is refused until a timed-out one has settled: the customer would be rung twice', async () => {
    const { cookie, assignmentId } = await agentInCall('221', await createClient(t, admin, fastRules));
    pbx.answerWith(() => 'hang');
    expect((await dial(cookie, assignmentId)).body.error.details.messageDe).toMatch(/eventuell trotzdem aufgebaut/);
    pbx.answerWith(() => ({ status: 200 }));
    const before = pbx.seen.length;
    const again = await dial(cookie, assignmentId);
    expect([again.status, again.body.error.code]).toEqual([409, 'dial_in_progress']);
    expect(again.body.error.details.messageDe).toMatch(/baut den vorigen Anruf eventuell noch auf/);
    expect(pbx.seen.length).toBe(before);
    // Settled: the phone system is asked again.
    const clock = t.clock as ManualClock;
    clock.set(new Date(clock.now().getTime() + 300 + DIAL_SETTLE_MS + 1000));
    expect((await dial(cookie, assignmentId)).status).toBe(200);
    expect((await recorded(assignmentId)).map((r) => r.result)).toEqual(['timeout', 'ok']);
  });

  it('a gateway\'s 504 before the phone system counts as no answer: no second dial until it settled', async () => {
    const { cookie, assignmentId } = await agentInCall('222', await createClient(t, admin, fastRules));
    pbx.answerWith(() => ({ status: 504 }));
    const first = await dial(cookie, assignmentId);
    expect(first.body.error.details).toMatchObject({ reason: 'timeout', httpStatus: 504 });
    expect(first.body.error.details.messageDe).toMatch(/eventuell trotzdem aufgebaut/);
    pbx.answerWith(() => ({ status: 200 }));
    expect((await dial(cookie, assignmentId)).body.error.code).toBe('dial_in_progress');
    expect((await recorded(assignmentId)).map((r) => [r.result, r.httpStatus])).toEqual([['timeout', 504]]);
  });
});

describe('without a phone system (CTI_MODE=link)', () => {
  it('the card keeps the link and dialling through the API is 409', async () => {
    const plain = await createTestContext();
    try {
      const adminCookie = (await plain.userSession('admin')).cookie;
      const id = await createClient(plain, adminCookie, fastRules);
      await seedList(plain, id, 1);
      const { cookie } = await plain.userSession('agent', [id], { extension: '221' });
      const a = await next(plain, cookie);
      expect(a.case).toMatchObject({ dial: false, ctiLink: `tel:${a.case.phoneE164}` });
      const res = await plain.request('POST', `/api/agent/assignments/${a.assignment.id}/dial`, { cookie });
      expect([res.status, res.body.error.code]).toEqual([409, 'dial_not_configured']);
    } finally {
      await plain.close();
    }
  });

  it('a followed link counts as a dial: given back, the case waits the retry delay', async () => {
    const plain = await createTestContext();
    try {
      const adminCookie = (await plain.userSession('admin')).cookie;
      const id = await createClient(plain, adminCookie, { ...fastRules, retryDelaySeconds: 600 });
      const { cases: [seeded] } = await seedList(plain, id, [{ phones: ['+41223102222', '+41791234567'] }]);
      const { cookie, user } = await plain.userSession('agent', [id]);
      const a = await next(plain, cookie);
      const linkDialled = (body: unknown) => plain.request('POST', `/api/agent/assignments/${a.assignment.id}/link-dialled`, { cookie, body });
      expect((await linkDialled({ phone: '+41000000000' })).body.error.code).toBe('unknown_phone');
      expect((await linkDialled({ phone: '+41791234567' })).status).toBe(204);
      expect((await plain.db.select().from(dials).where(eq(dials.assignmentId, a.assignment.id))).map((r) => [r.agentId, r.mode, r.result, r.phoneE164])).toEqual([[user.id, 'link', 'link', '+41791234567']]);
      const stranger = await plain.userSession('agent', [id]);
      expect((await plain.request('POST', `/api/agent/assignments/${a.assignment.id}/link-dialled`, { cookie: stranger.cookie })).body.error.code).toBe('not_your_assignment');

      expect((await plain.request('POST', `/api/agent/assignments/${a.assignment.id}/release`, { cookie })).status).toBe(204);
      const [c] = await plain.db.select().from(cases).where(eq(cases.id, seeded!.id));
      expect(c).toMatchObject({ waitReason: 'dialled' });
      expect((await next(plain, stranger.cookie)).assignment).toBeNull();
    } finally {
      await plain.close();
    }
  });
});
