import { DateTime } from 'luxon';
import {
  WEEKDAYS,
  dayTypeOf,
  isCallableNow,
  nextCallableAt,
  schedulingSettingsSchema,
  windowAt,
  type ReachCell,
  type ReachRates,
  type RetryChoice,
  type RetryStrategy,
  type ScheduledSlot,
} from '../../src/scheduling/index.js';
import { answerChance, type Customer } from './population.js';

/**
 * Two simulated weeks of one client's list, worked by a fixed number of agents through the real
 * scheduling core: first calls as an import plans them, every retry planned by `nextCallableAt`
 * with the strategy under test, every pull checked by `isCallableNow` (a case whose slot ended
 * goes to its next callable time, as dispatch does). Agents take the longest-due case first.
 * The reach rates are rebuilt every simulated hour from the attempts so far, like the
 * `reach-rates` maintenance task.
 */

export interface SimOptions {
  customers: Customer[];
  strategy: Exclude<RetryStrategy, 'auto'>;
  agents: number;
  days: number;
  /** Minutes one attempt takes with wrap-up: each agent makes one per tick. */
  handleMinutes: number;
  start: Date;
  rand: () => number;
}

export interface SimResult {
  attempts: number;
  reached: number;
  rightPartyContacts: number;
  /** Right-party contacts per 100 attempts. */
  contactsPer100: number;
  /** Share of cases reached (any answer) within the attempt cap, in %. */
  reachedSharePct: number;
}

/** Right person on the line, when somebody answered. */
const RIGHT_PARTY = 0.85;

interface SimCase {
  customer: Customer;
  attemptTimes: Date[];
  slot: ScheduledSlot;
  /** Why the pending retry is where it is (learned strategy), as `cases.retry_choice` holds it. */
  choice: RetryChoice | null;
}

/** A min-heap of cases by slot start (then by id), the agents' queue. */
class DueQueue {
  #heap: SimCase[] = [];
  #before = (a: SimCase, b: SimCase) => a.slot.start.getTime() - b.slot.start.getTime() || (a.customer.id < b.customer.id ? -1 : 1);
  push(c: SimCase): void {
    const h = this.#heap;
    h.push(c);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (this.#before(h[i]!, h[p]!) >= 0) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  peek(): SimCase | undefined {
    return this.#heap[0];
  }
  pop(): SimCase | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.#before(h[l]!, h[m]!) < 0) m = l;
        if (r < h.length && this.#before(h[r]!, h[m]!) < 0) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

export function simulate(o: SimOptions): SimResult {
  const settings = schedulingSettingsSchema.parse({ retryStrategy: o.strategy });
  const zone = settings.timezone;
  const counts = new Map<string, ReachCell>();
  let rates: ReachRates = { cells: [], prior: { attempts: 0, reached: 0, rightParty: 0 } };
  const rebuildRates = () => {
    const cells = [...counts.values()].map((c) => ({ ...c }));
    const prior = cells.reduce((p, c) => ({ attempts: p.attempts + c.attempts, reached: p.reached + c.reached, rightParty: p.rightParty + c.rightParty }), { attempts: 0, reached: 0, rightParty: 0 });
    rates = { cells, prior };
  };

  const queue = new DueQueue();
  const startMs = o.start.getTime();
  for (const customer of o.customers) {
    const plan = nextCallableAt(o.start, settings, { attemptsMade: 0, attemptTimes: [] }, { kind: 'first' });
    if (plan.at === null) continue;
    queue.push({ customer, attemptTimes: [], slot: { start: plan.at, end: plan.windowEnd, window: plan.window, kind: 'first' }, choice: null });
  }

  const tickMs = o.handleMinutes * 60_000;
  const endMs = startMs + o.days * 86_400_000;
  const result = { attempts: 0, reached: 0, rightPartyContacts: 0 };
  let nextRefresh = startMs;
  for (let t = startMs; t < endMs; t += tickMs) {
    if (t >= nextRefresh) {
      rebuildRates();
      nextRefresh = t + 3_600_000;
    }
    const now = new Date(t);
    for (let agent = 0; agent < o.agents; ) {
      const top = queue.peek();
      if (!top || top.slot.start.getTime() > t) break;
      const c = queue.pop()!;
      const state = { attemptsMade: c.attemptTimes.length, attemptTimes: c.attemptTimes };
      const check = isCallableNow(now, settings, state, c.slot);
      if (!check.callable) {
        // As dispatch does (src/dispatch/pull.ts): a new slot from the scheduling core; a learned
        // retry keeps its window.
        const request = c.slot.kind === 'retry' && c.choice ? { kind: 'first' as const, window: c.choice.window } : { kind: 'first' as const };
        const plan = check.nextAt === null ? null : nextCallableAt(now, settings, state, request);
        if (plan?.at) queue.push({ ...c, slot: { start: plan.at, end: plan.windowEnd, window: plan.window ?? c.slot.window ?? null, kind: c.slot.kind } });
        continue;
      }
      agent++;
      attempt(c, now);
    }
  }

  function attempt(c: SimCase, now: Date): void {
    const local = DateTime.fromJSDate(now, { zone });
    const weekday = WEEKDAYS[local.weekday - 1]!;
    const window = windowAt(now, settings);
    const answered = o.rand() < answerChance(c.customer, weekday, window);
    const rightParty = answered && o.rand() < RIGHT_PARTY;
    result.attempts++;
    if (window) {
      const key = `${dayTypeOf(weekday)}:${window}`;
      const cell = counts.get(key) ?? { dayType: dayTypeOf(weekday), window, attempts: 0, reached: 0, rightParty: 0 };
      cell.attempts++;
      if (answered) cell.reached++;
      if (rightParty) cell.rightParty++;
      counts.set(key, cell);
    }
    const recordedAt = new Date(now.getTime() + tickMs);
    c.attemptTimes = [...c.attemptTimes, recordedAt];
    if (answered) {
      // Somebody answered: in this simulation the case is settled (paid, promised, refused).
      result.reached++;
      if (rightParty) result.rightPartyContacts++;
      return;
    }
    const state = { attemptsMade: c.attemptTimes.length, attemptTimes: c.attemptTimes, lastWindow: windowAt(recordedAt, settings) };
    const reach = { rates, seed: `${c.customer.id}-a${c.attemptTimes.length + 1}` };
    const plan = nextCallableAt(recordedAt, settings, state, { kind: 'retry', recordedAt }, reach);
    if (plan.at === null) return; // cap reached
    queue.push({ ...c, choice: plan.choice ?? null, slot: { start: plan.at, end: plan.windowEnd, window: plan.window, kind: 'retry' } });
  }

  return {
    ...result,
    contactsPer100: result.attempts ? (100 * result.rightPartyContacts) / result.attempts : 0,
    reachedSharePct: (100 * result.reached) / o.customers.length,
  };
}
