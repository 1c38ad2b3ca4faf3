import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** `npm run bench:contact` on a small population: its one JSON line, and that a seed repeats it. */

const repo = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

async function bench(...args: string[]): Promise<{ line: Record<string, any>; out: string; exitCode: number }> {
  const result = await run(process.execPath, ['--import', 'tsx', 'bench/contact.ts', ...args], { cwd: repo }).then(
    (r) => ({ ...r, code: 0 }),
    (err: { stdout: string; stderr: string; code: number }) => err,
  );
  const lines = result.stdout.trim().split('\n');
  return { line: JSON.parse(lines.at(-1)!), out: result.stdout, exitCode: result.code };
}

describe('bench:contact', () => {
  it('prints per population and strategy the contacts per 100 attempts, the share reached and the attempts, as one JSON line', async () => {
    const { line, out, exitCode } = await bench('--customers', '600', '--seed', '5');
    expect(line).toMatchObject({ bench: 'contact', customers: 600, agents: 2, days: 14, seed: 5, targets: { preferencesGainMinPct: 10, flatLossMaxPct: 2 } });
    for (const kind of ['preferences', 'flat'] as const) {
      const r = line[kind];
      for (const strategy of ['rotation', 'learned'] as const) {
        const f = r[strategy];
        expect(f.attempts, `${kind} ${strategy}`).toBeGreaterThan(600); // every case called at least once, some again
        expect(f.attempts).toBeLessThanOrEqual(600 * 3); // the attempt cap
        expect(f.rightPartyContacts).toBeLessThanOrEqual(f.attempts);
        expect(f.contactsPer100).toBeCloseTo((100 * f.rightPartyContacts) / f.attempts, 1);
        expect(f.reachedSharePct).toBeGreaterThan(0);
        expect(f.reachedSharePct).toBeLessThanOrEqual(100);
      }
      expect(r.gainPct).toBeCloseTo((100 * (r.learned.contactsPer100 - r.rotation.contactsPer100)) / r.rotation.contactsPer100, 1);
      expect(out).toContain(`${kind}: 600 customers, 2 agents, 14 days, seed 5`);
    }
    expect(line.pass).toEqual({ preferencesGain: line.preferences.gainPct >= 10, flatLoss: line.flat.gainPct >= -2 });
    expect(exitCode).toBe(line.pass.preferencesGain && line.pass.flatLoss ? 0 : 1);
  }, 60_000);

  it('gives the same figures for the same seed', async () => {
    const [a, b] = await Promise.all([bench('--customers', '300', '--seed', '9'), bench('--customers', '300', '--seed', '9')]);
    const { seconds: _a, ...first } = a.line;
    const { seconds: _b, ...second } = b.line;
    expect(first).toEqual(second);
  }, 60_000);
});
