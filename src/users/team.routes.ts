import { createRoute, z } from '@hono/zod-openapi';
import { currentUser, requireRole } from '../auth/guard.js';
import { authErrors, createRouter, json } from '../http/router.js';
import { teamActivity } from './team.js';

const TeamMemberSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    state: z.enum(['in_call', 'at_work', 'away']).openapi({ description: 'in_call: holds a case; at_work: logged in and asked for a case or heartbeat within the last hour; away: neither (listed when they called today)' }),
    lastActiveAt: z.string().nullable().openapi({ description: 'Last request for a case or heartbeat, to the minute' }),
    call: z
      .object({ assignmentId: z.uuid(), since: z.string(), clientName: z.string(), listId: z.uuid(), listName: z.string() })
      .nullable()
      .openapi({ description: "The held case's list, when it is one of your clients' (free it with POST /api/assignments/{assignmentId}/free)" }),
    today: z
      .object({ attempts: z.number().int(), reached: z.number().int(), rightParty: z.number().int(), promises: z.number().int(), lastAt: z.string().nullable() })
      .openapi({ description: "Today's attempts (Europe/Berlin day) for your clients; reached as in the LE report" }),
  })
  .openapi('TeamMember');

const team = createRoute({
  method: 'get', path: '/team', tags: ['Team'], middleware: requireRole('lead', 'admin'),
  summary: "Your clients' agents now: in a call (which list, since when), at work, or called today; today's figures",
  responses: { 200: json(z.array(TeamMemberSchema), 'Agents, in a call first'), ...authErrors },
});

export function teamRoutes() {
  const app = createRouter();
  app.openapi(team, async (c) => c.json(await teamActivity(c.var.deps.database.db, currentUser(c), c.var.deps.clock.now()), 200));
  return app;
}
