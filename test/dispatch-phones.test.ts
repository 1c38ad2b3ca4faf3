import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { attempts, cases } from '../src/db/schema.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules, next, postOutcome, useFakeDate } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

/** A case with several numbers: "Falsche Nummer" moves on to the next, do-not-call blocks one number. */
let t: TestContext;
let admin: string;

beforeAll(async () => {
  useFakeDate('2026-11-25T10:00:00+01:00');
  t = await createTestContext({ LOCK_SECONDS: '30' }, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
});
afterAll(() => t.close());

const FIRST = '+497211000001';
const MOBILE = '+491711234567';
const caseRow = async (id: string) => (await t.db.select().from(cases).where(eq(cases.id, id)))[0]!;
const dialled = async (id: string) => (await t.db.select().from(attempts).where(eq(attempts.caseId, id)).orderBy(attempts.attemptNo)).map((a) => [a.outcome, a.phoneE164]);

describe('a case with several numbers', () => {
  it('"Falsche Nummer" marks the number dialled and brings the case back with the next; the attempt counts', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: [seeded] } = await seedList(t, clientId, [{ phones: [FIRST, MOBILE] }]);
    const { cookie } = await t.userSession('agent', [clientId]);

    const a1 = await next(t, cookie);
    expect(a1.case.phones.map((p: { e164: string; kind: string; status: string }) => [p.e164, p.kind, p.status])).toEqual([[FIRST, 'Telefon', 'active'], [MOBILE, 'Mobil', 'active']]);
    expect(a1.case.phoneE164).toBe(FIRST);
    expect((await postOutcome(t, cookie, a1.assignment.id, { outcome: 'wrong_number' })).status).toBe(202);
    await attemptsRecorded(t, seeded!.id, 1);
    expect(await caseRow(seeded!.id)).toMatchObject({ status: 'open', attemptsMade: 1, phoneE164: MOBILE });

    const a2 = await next(t, cookie);
    expect(a2.case).toMatchObject({ id: seeded!.id, attemptNo: 2, phoneE164: MOBILE, ctiLink: `tel:${MOBILE}` });
    expect(a2.case.phones.map((p: { status: string }) => p.status)).toEqual(['wrong', 'active']);
    expect(a2.history).toEqual([expect.objectContaining({ outcome: 'wrong_number', phone: FIRST })]);
    // The wrong number cannot be given as the one dialled any more.
    const refused = await postOutcome(t, cookie, a2.assignment.id, { outcome: 'paid', phone: FIRST });
    expect(refused.status).toBe(400);
    expect((await postOutcome(t, cookie, a2.assignment.id, { outcome: 'paid', phone: MOBILE, rightParty: true })).status).toBe(202);
    await attemptsRecorded(t, seeded!.id, 2);
    expect(await caseRow(seeded!.id)).toMatchObject({ status: 'closed', finalOutcome: 'paid' });
    expect(await dialled(seeded!.id)).toEqual([['wrong_number', FIRST], ['paid', MOBILE]]);
  });

  it('closes as "Falsche Nummer" when the last number is wrong', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: [seeded] } = await seedList(t, clientId, [{ phones: [FIRST] }]);
    const { cookie } = await t.userSession('agent', [clientId]);
    const a = await next(t, cookie);
    await postOutcome(t, cookie, a.assignment.id, { outcome: 'wrong_number' });
    await attemptsRecorded(t, seeded!.id, 1);
    expect(await caseRow(seeded!.id)).toMatchObject({ status: 'closed', finalOutcome: 'wrong_number', phones: [expect.objectContaining({ status: 'wrong' })] });
  });

  it('never dials a number on the do-not-call list: the case goes on with another, or closes when none is left', async () => {
    const clientId = await createClient(t, admin, { ...fastRules, doNotCall: [FIRST] });
    const { cases: [withMobile, onlyBlocked] } = await seedList(t, clientId, [{ phones: [FIRST, MOBILE], amountCents: 9_000 }, { phones: [FIRST], amountCents: 1_000 }]);
    const { cookie } = await t.userSession('agent', [clientId]);
    const a = await next(t, cookie);
    expect(a.case).toMatchObject({ id: withMobile!.id, phoneE164: MOBILE });
    expect(a.case.phones.map((p: { status: string }) => p.status)).toEqual(['do_not_call', 'active']);
    await postOutcome(t, cookie, a.assignment.id, { outcome: 'paid' });
    await attemptsRecorded(t, withMobile!.id, 1);
    expect((await next(t, cookie)).assignment).toBeNull();
    expect(await caseRow(onlyBlocked!.id)).toMatchObject({ status: 'closed', finalOutcome: 'do_not_call', attemptsMade: 0 });
  });
});
