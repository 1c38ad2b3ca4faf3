import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { assignments, attempts, auditLog, cases } from '../src/db/schema.js';
import { lost } from '../src/dispatch/held-assignment.js';
import { AppError } from '../src/http/errors.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules, next, postOutcome } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

/**
 * A team lead frees a case an agent holds (the agent gone with it on screen): `POST
 * /api/assignments/:id/free`, offered beside each agent in a call on the list's page.
 */
let t: TestContext;
let admin: string;
beforeAll(async () => {
  t = await createTestContext({}, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
});
afterAll(() => t?.close());

async function heldCase(rules: Record<string, unknown> = fastRules) {
  const clientId = await createClient(t, admin, rules);
  const { listId, cases: [c] } = await seedList(t, clientId, 1);
  const agent = await t.userSession('agent', [clientId]);
  const other = await t.userSession('agent', [clientId]);
  const lead = await t.userSession('lead', [clientId]);
  const held = await next(t, agent.cookie);
  return { clientId, listId, caseId: c!.id as string, agent, other, lead, assignmentId: held.assignment.id as string };
}

const free = (cookie: string, id: string) => t.request('POST', `/api/assignments/${id}/free`, { cookie });
const endOf = async (id: string) => (await t.db.select().from(assignments).where(eq(assignments.id, id)))[0]!;

describe('a lead frees a held case', () => {
  it('ends the assignment as freed (audited), the case goes to another agent, the agent hears it at the heartbeat', async () => {
    const { listId, caseId, agent, other, lead, assignmentId } = await heldCase();
    const progress = await t.request('GET', `/api/lists/${listId}/progress`, { cookie: lead.cookie });
    expect(progress.body.inCallBy).toEqual([expect.objectContaining({ assignmentId, caseId })]);

    expect((await free(lead.cookie, assignmentId)).status).toBe(204);
    expect(await endOf(assignmentId)).toMatchObject({ endReason: 'freed', outcome: null });
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'assignment.freed'), eq(auditLog.entityId, caseId)));
    expect(entry).toMatchObject({ actorId: lead.user.id, entityType: 'case', details: { listId, assignmentId, agentId: agent.user.id, attemptNo: 1 } });

    const beat = await t.request('POST', `/api/agent/assignments/${assignmentId}/heartbeat`, { cookie: agent.cookie });
    expect([beat.status, beat.body.error.code, beat.body.error.details]).toEqual([409, 'assignment_ended', { endReason: 'freed' }]);
    expect(beat.body.error.message).toContain('a team lead freed it');
    const taken = await next(t, other.cookie);
    expect(taken.case.id).toBe(caseId);
    expect(taken.case.attemptNo).toBe(1); // no attempt counted
    expect((await t.request('GET', `/api/lists/${listId}/progress`, { cookie: lead.cookie })).body.inCallBy).toEqual([expect.objectContaining({ assignmentId: taken.assignment.id })]);
  });

  it('tells a heartbeat whose lock check lost to the free that the lead freed it, not that its lock ran out', async () => {
    const { assignmentId, lead } = await heldCase();
    // The heartbeat read the assignment live; the free lands before its lock is extended.
    const seen = await endOf(assignmentId);
    expect((await free(lead.cookie, assignmentId)).status).toBe(204);
    const deps = { db: t.db, calls: t.calls, queues: t.queues, clock: t.clock, config: t.config, log: t.deps.log };
    const err = await lost(deps, seen, new Date()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect([(err as AppError).status, (err as AppError).code, (err as AppError).details]).toEqual([409, 'assignment_ended', { endReason: 'freed' }]);
    expect(await endOf(assignmentId)).toMatchObject({ endReason: 'freed' });
  });

  it('keeps the outcome the agent saves after, while nobody took the case', async () => {
    const { caseId, agent, lead, assignmentId } = await heldCase();
    expect((await free(lead.cookie, assignmentId)).status).toBe(204);
    const late = await postOutcome(t, agent.cookie, assignmentId, { outcome: 'paid', rightParty: true });
    expect(late.status).toBe(202);
    await attemptsRecorded(t, caseId, 1);
    expect((await t.db.select().from(attempts).where(eq(attempts.caseId, caseId)))[0]).toMatchObject({ agentId: agent.user.id, outcome: 'paid' });
  });

  it('refuses the late outcome (409 lock_expired, saying a lead freed it) once another agent has the case', async () => {
    const { caseId, agent, other, lead, assignmentId } = await heldCase();
    expect((await free(lead.cookie, assignmentId)).status).toBe(204);
    expect((await next(t, other.cookie)).case.id).toBe(caseId);
    const late = await postOutcome(t, agent.cookie, assignmentId, { outcome: 'paid', rightParty: true });
    expect([late.status, late.body.error.code, late.body.error.details]).toEqual([409, 'lock_expired', { why: 'another agent has the case now', endReason: 'freed' }]);
    expect(late.body.error.message).toMatch(/^A team lead freed this case/);
    expect((await endOf(assignmentId)).endReason).toBe('freed');
  });

  it('holds a dialled customer for the retry delay (the agent may be on the line still)', async () => {
    const { caseId, lead, agent, other, assignmentId } = await heldCase({ ...fastRules, retryDelaySeconds: 600 });
    expect((await t.request('POST', `/api/agent/assignments/${assignmentId}/link-dialled`, { cookie: agent.cookie })).status).toBe(204);
    expect((await free(lead.cookie, assignmentId)).status).toBe(204);
    const c = (await t.db.select().from(cases).where(eq(cases.id, caseId)))[0]!;
    expect(c.waitReason).toBe('dialled');
    expect(c.nextDueAt!.getTime()).toBeGreaterThan(Date.now() + 590_000);
    expect((await next(t, other.cookie)).assignment).toBeNull();
  });

  it('is 409 once the assignment ended, 403 for a foreign lead and for agents, 404 for an unknown id; nothing changes', async () => {
    const { lead, agent, assignmentId } = await heldCase();
    const foreign = await t.userSession('lead', [await createClient(t, admin, fastRules)]);
    const refused = await free(foreign.cookie, assignmentId);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
    expect((await free(agent.cookie, assignmentId)).status).toBe(403);
    expect((await free(lead.cookie, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await endOf(assignmentId)).endedAt).toBeNull();

    expect((await t.request('POST', `/api/agent/assignments/${assignmentId}/release`, { cookie: agent.cookie })).status).toBe(204);
    const late = await free(lead.cookie, assignmentId);
    expect([late.status, late.body.error.code, late.body.error.details]).toEqual([409, 'assignment_ended', { endReason: 'released' }]);
    expect((await endOf(assignmentId)).endReason).toBe('released');
  });
});
