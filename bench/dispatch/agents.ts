import http from 'node:http';
import { AGENT_PASSWORD, type BenchAgent } from './setup.js';
import { Latencies, mapLimit, seededRandom, sleep } from './stats.js';

/**
 * The load: one loop per agent, next → outcome over real HTTP with a session cookie, as the
 * agent UI does. Latency is measured from sending the request to the parsed body.
 */

export interface HttpResult {
  status: number;
  body: any;
  headers: http.IncomingHttpHeaders;
}

/** A keep-alive client for one origin; enough sockets that no agent waits for one. */
export function httpClient(origin: string, sockets: number) {
  const url = new URL(origin);
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  const request = (method: string, path: string, opts: { cookie?: string; body?: unknown } = {}): Promise<HttpResult> =>
    new Promise((resolve, reject) => {
      const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
      const headers: Record<string, string> = { origin };
      if (opts.cookie) headers.cookie = opts.cookie;
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(payload));
      } else if (method === 'POST') headers['content-length'] = '0';
      const req = http.request({ agent, host: url.hostname, port: url.port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let body: unknown = text;
          if (text && res.headers['content-type']?.includes('json')) body = JSON.parse(text);
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  return { request, close: () => agent.destroy() };
}

export type HttpClient = ReturnType<typeof httpClient>;

/** Logs every agent in through `POST /api/session`; returns the session cookies by agent index. */
export async function loginAgents(client: HttpClient, agents: BenchAgent[]): Promise<string[]> {
  return mapLimit(agents, 4, async (a) => {
    const res = await client.request('POST', '/api/session', { body: { username: a.username, password: AGENT_PASSWORD } });
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]?.split(';')[0];
    if (res.status !== 200 || !cookie) throw new Error(`login of ${a.username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return cookie;
  });
}

/**
 * Double assignments as the agents see them: a case handed to an agent while another agent
 * still holds it (its outcome not yet answered), or one assignment id handed to two agents.
 */
export class DoubleAssignmentWatch {
  readonly #holder = new Map<string, number>(); // caseId → agent index
  readonly #assignmentOwner = new Map<string, number>(); // assignment id → agent index
  doubles = 0;
  readonly examples: string[] = [];

  assigned(agent: number, assignmentId: string, caseId: string): void {
    const holder = this.#holder.get(caseId);
    if (holder !== undefined && holder !== agent) this.#report(`case ${caseId} handed to agent ${agent} while agent ${holder} holds it`);
    const owner = this.#assignmentOwner.get(assignmentId);
    if (owner !== undefined && owner !== agent) this.#report(`assignment ${assignmentId} handed to agents ${owner} and ${agent}`);
    this.#holder.set(caseId, agent);
    this.#assignmentOwner.set(assignmentId, agent);
  }

  released(agent: number, caseId: string): void {
    if (this.#holder.get(caseId) === agent) this.#holder.delete(caseId);
  }

  #report(what: string): void {
    this.doubles++;
    if (this.examples.length < 5) this.examples.push(what);
  }
}

export interface LoadCounters {
  assignments: number;
  outcomesAccepted: number;
  /** Accepted outcomes over the whole run, warm-up and tail included: what the attempts table must end up holding. */
  outcomesAcceptedTotal: number;
  empty: number;
  /** Non-2xx answers by endpoint and status, e.g. `next 503`. */
  errors: Record<string, number>;
}

export interface LoadPhase {
  /** Samples and counts are kept only while this is true (after the warm-up). */
  measuring: () => boolean;
  stopped: () => boolean;
  /** Mean pause after each outcome (the call itself), uniformly 0.5–1.5×; 0 = none, as DESIGN.md's loop. */
  thinkMs: number;
}

/**
 * One agent's loop: next; with an assignment, its outcome (`paid` one time in ten, else
 * `not_reached`); an empty queue waits 200 ms. An assignment in hand always gets its outcome,
 * also after the stop, so no case stays locked.
 */
export async function agentLoop(
  client: HttpClient,
  agent: number,
  cookie: string,
  phase: LoadPhase,
  out: { next: Latencies; outcome: Latencies; counters: LoadCounters; watch: DoubleAssignmentWatch },
): Promise<void> {
  const random = seededRandom(1000 + agent);
  const fail = (counters: LoadCounters, what: string, status: number) => {
    const key = `${what} ${status}`;
    counters.errors[key] = (counters.errors[key] ?? 0) + 1;
  };
  // A failed request (the API died, the bench is being stopped) counts as status 0, never throws.
  const call = (path: string, body?: unknown) =>
    client.request('POST', path, { cookie, body }).catch((): HttpResult => ({ status: 0, body: null, headers: {} }));
  // A request counts in the window it starts in, into that window's own records: `out`'s are
  // replaced between windows, and a request of the last one may still be running then.
  const windowNow = () => (phase.measuring() ? { next: out.next, outcome: out.outcome, counters: out.counters } : null);
  while (!phase.stopped()) {
    const w0 = windowNow();
    const t0 = performance.now();
    const next = await call('/api/agent/next');
    w0?.next.add(performance.now() - t0, t0);
    if (next.status !== 200) {
      if (w0) fail(w0.counters, 'next', next.status);
      await sleep(50);
      continue;
    }
    if (!next.body.assignment) {
      if (w0) w0.counters.empty++;
      await sleep(200);
      continue;
    }
    const id: string = next.body.assignment.id;
    const caseId: string = next.body.case.id;
    out.watch.assigned(agent, id, caseId);
    if (w0) w0.counters.assignments++;
    const outcome = random() < 0.1 ? 'paid' : 'not_reached';
    const w1 = windowNow();
    const t1 = performance.now();
    const res = await call(`/api/agent/assignments/${id}/outcome`, { outcome });
    w1?.outcome.add(performance.now() - t1, t1);
    out.watch.released(agent, caseId);
    if (res.status === 202) {
      out.counters.outcomesAcceptedTotal++;
      if (w1) w1.counters.outcomesAccepted++;
    } else if (w1) fail(w1.counters, 'outcome', res.status);
    if (phase.thinkMs > 0) await sleep(phase.thinkMs * (0.5 + random()));
  }
}
