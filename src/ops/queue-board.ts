import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { requireRole } from '../auth/guard.js';
import { forbidden } from '../http/errors.js';
import type { AppEnv, SessionUser } from '../http/context.js';
import type { FixedQueueName } from '../queues/registry.js';
import { callQueueLabels } from './queue-labels.js';

export const BOARD_PATH = '/admin/queues';
const REBUILD_MS = 60_000;
/** Admins also see the internal queues; outcome jobs carry agents' notes, so leads do not. */
const ADMIN_QUEUES: FixedQueueName[] = ['outcomes', 'imports', 'delivery', 'maintenance'];
/** Our servers' details: Redis (version, OS, memory, clients) and the workers' addresses. */
const ADMIN_ONLY = /\/api\/(redis\/stats|queues\/[^/]+\/workers)\/?$/;

/**
 * Bull Board behind the session check (it has no auth of its own). A lead sees only the call
 * queues of their clients (named by client code, name and language), an admin every queue and
 * the Redis server's details; each scope gets its own board, rebuilt every minute as queues
 * (and client names) come and go.
 */
export function queueBoardRoutes() {
  const boards = new Map<string, { app: Hono; builtAt: number }>();
  const app = new Hono<AppEnv>();
  app.use('*', requireRole('lead', 'admin'));
  app.all('*', async (c) => {
    const user = c.var.user!;
    // Refused here as well as by the lead's board (uiConfig below), so no Bull Board version
    // can hand them out again by treating its flags as display hints only.
    if (user.role !== 'admin' && ADMIN_ONLY.test(c.req.path)) throw forbidden("The queue servers' details are for admins");
    const key = user.role === 'admin' ? 'admin' : [...user.clientIds].sort().join(',');
    let board = boards.get(key);
    if (!board || Date.now() - board.builtAt > REBUILD_MS) {
      board = { app: await buildBoard(c.var.deps, user), builtAt: Date.now() };
      boards.set(key, board);
    }
    return board.app.fetch(c.req.raw);
  });
  return app;
}

async function buildBoard(deps: AppEnv['Variables']['deps'], user: SessionUser): Promise<Hono> {
  const callQueues = (await deps.calls.ready.all()).filter(
    (q) => user.role === 'admin' || user.clientIds.some((id) => q.startsWith(`calls-${id}-`)),
  );
  const labels = await callQueueLabels(deps.database.db, callQueues);
  // Call queues are read-only for everyone: a job added, promoted or removed by hand would
  // bypass Postgres and the ready index.
  const adapters = [
    ...(user.role === 'admin' ? ADMIN_QUEUES.map((name) => new BullMQAdapter(deps.queues.get(name))) : []),
    ...callQueues.map((name) => new BullMQAdapter(deps.queues.calls(name), { readOnlyMode: true, ...labels.get(name) })),
  ];
  const serverAdapter = new HonoAdapter(serveStatic).setBasePath(BOARD_PATH);
  const admin = user.role === 'admin';
  createBullBoard({
    queues: adapters,
    serverAdapter,
    // Leads watch their clients' calls, not our servers: Redis' version, OS, memory and clients
    // (`/api/redis/stats`, then 403) and the workers' addresses (`…/workers`) are for admins.
    options: { uiConfig: { boardTitle: 'Mahnanrufe', hideRedisDetails: !admin, showWorkers: admin } },
  });
  return new Hono().route(BOARD_PATH, serverAdapter.registerPlugin());
}
