/**
 * Contact benchmark for "best time to call" (issue 13): does the learned retry strategy reach
 * more customers per attempt than day-part rotation?
 *
 *   npm run bench:contact                          # 10,000 customers, two weeks, 25 agents
 *   npm run bench:contact -- --quick               # 2,000 customers, 5 agents
 *   npm run bench:contact -- --customers 5000 --agents 12 --seed 7
 *
 * For each population — `preferences` (working people reached mostly in the evening, people at
 * home in the morning, mixed by region) and `flat` (no time preference at all) — the same
 * customers (same seed) are worked twice through the real scheduling core, once with
 * `retryStrategy: "rotation"` and once with `"learned"` (bench/contact/simulate.ts). Prints a
 * summary and one JSON line; exits 1 when a target is missed: learned ≥ +10 % right-party
 * contacts per attempt on `preferences`, ≥ −2 % on `flat`.
 */
import { parseArgs } from 'node:util';
import { seeded } from '../src/scheduling/test-helpers.js';
import { population, type PopulationKind } from './contact/population.js';
import { simulate, type SimResult } from './contact/simulate.js';

const TARGETS = { preferencesGainMinPct: 10, flatLossMaxPct: 2 };
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    customers: { type: 'string' },
    agents: { type: 'string' },
    days: { type: 'string', default: '14' },
    seed: { type: 'string', default: '20261130' },
  },
});
const whole = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, got "${text}"`);
  return n;
};
const customers = whole('customers', args.customers ?? (args.quick ? '2000' : '10000'));
// 25 agents at 4 minutes an attempt (375 attempts an hour) for 10,000 customers; as many per customer otherwise.
const agents = whole('agents', args.agents ?? String(Math.max(1, Math.round((customers * 25) / 10_000))));
const days = whole('days', args.days!);
const seed = whole('seed', args.seed!);
// A Monday without public holidays in the two weeks after it.
const start = new Date('2027-03-01T08:00:00+01:00');

type Figures = Pick<SimResult, 'attempts' | 'rightPartyContacts'> & { contactsPer100: number; reachedSharePct: number };
const round = (x: number) => Math.round(x * 100) / 100;
const figures = (r: SimResult): Figures => ({
  attempts: r.attempts,
  rightPartyContacts: r.rightPartyContacts,
  contactsPer100: round(r.contactsPer100),
  reachedSharePct: round(r.reachedSharePct),
});

const started = Date.now();
const results: Record<PopulationKind, { rotation: Figures; learned: Figures; gainPct: number }> = {} as never;
for (const kind of ['preferences', 'flat'] as const) {
  const people = population(kind, customers, seeded(seed));
  const run = (strategy: 'rotation' | 'learned') =>
    figures(simulate({ customers: people, strategy, agents, days, handleMinutes: 4, start, rand: seeded(seed + 1) }));
  const rotation = run('rotation');
  const learned = run('learned');
  results[kind] = { rotation, learned, gainPct: round((100 * (learned.contactsPer100 - rotation.contactsPer100)) / rotation.contactsPer100) };
}
const pass = {
  preferencesGain: results.preferences.gainPct >= TARGETS.preferencesGainMinPct,
  flatLoss: results.flat.gainPct >= -TARGETS.flatLossMaxPct,
};

for (const [kind, r] of Object.entries(results)) {
  console.log(`${kind}: ${customers} customers, ${agents} agents, ${days} days, seed ${seed}`);
  for (const s of ['rotation', 'learned'] as const) {
    const f = r[s];
    console.log(
      `  ${s.padEnd(8)} ${f.contactsPer100.toFixed(2).padStart(6)} right-party contacts / 100 attempts, ${f.reachedSharePct.toFixed(1).padStart(5)} % reached within the cap, ${String(f.attempts).padStart(6)} attempts`,
    );
  }
  console.log(`  learned vs rotation: ${r.gainPct >= 0 ? '+' : ''}${r.gainPct} % contacts per attempt`);
}
console.log(JSON.stringify({ bench: 'contact', customers, agents, days, seed, seconds: round((Date.now() - started) / 1000), targets: TARGETS, ...results, pass }));
if (!pass.preferencesGain || !pass.flatLoss) process.exitCode = 1;
