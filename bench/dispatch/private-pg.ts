import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

/**
 * A PostgreSQL of the bench's own, with `pg_stat_statements` loaded, so the statements of the
 * measured window can be counted and timed per assignment. The machine's server is left alone
 * (loading the extension needs a restart). Started as the `postgres` user when run as root
 * (PostgreSQL refuses to run as root). Returns its admin URL and a stop function.
 */
export function startPrivatePostgres(port: number): { url: string; stop: () => void } {
  const bin = findBin();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const asPg = (cmd: string, args: string[]) => {
    const full = [path.join(bin, cmd), ...args];
    const r = process.getuid?.() === 0 ? spawnSync('runuser', ['-u', 'postgres', '--', ...full], { encoding: 'utf8' }) : spawnSync(full[0]!, full.slice(1), { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
  };
  asPg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c shared_preload_libraries=pg_stat_statements',
    '-c pg_stat_statements.track=all',
    '-c max_connections=300',
    '-c shared_buffers=256MB',
  ].join(' ');
  asPg('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        asPg('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function findBin(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (existsSync(path.join(root, v, 'bin', 'initdb'))) return path.join(root, v, 'bin');
  }
  return path.dirname(execFileSync('which', ['initdb'], { encoding: 'utf8' }).trim());
}

export interface StatementCost {
  query: string;
  calls: number;
  perAssignment: number;
  totalMs: number;
  msPerAssignment: number;
  meanMs: number;
}

/** Resets the counters (start of the measured window). */
export async function resetStatements(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`create extension if not exists pg_stat_statements`;
    await sql`select pg_stat_statements_reset()`;
  } finally {
    await sql.end();
  }
}

/** The statements of the window, most expensive first, per assignment. */
export async function statementCosts(url: string, assignments: number, top = 25): Promise<{ statements: StatementCost[]; callsPerAssignment: number; msPerAssignment: number }> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<Array<{ query: string; calls: string; total: number; mean: number }>>`
      select query, calls::text, total_exec_time + total_plan_time as total, mean_exec_time as mean
      from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
      order by total_exec_time + total_plan_time desc`;
    const n = Math.max(1, assignments);
    const statements = rows.map((r) => ({
      query: r.query.replace(/\s+/g, ' ').slice(0, 160),
      calls: Number(r.calls),
      perAssignment: Math.round((Number(r.calls) / n) * 100) / 100,
      totalMs: Math.round(r.total),
      msPerAssignment: Math.round((r.total / n) * 1000) / 1000,
      meanMs: Math.round(r.mean * 1000) / 1000,
    }));
    const sum = (f: (s: StatementCost) => number) => statements.reduce((a, s) => a + f(s), 0);
    return {
      statements: statements.slice(0, top),
      callsPerAssignment: Math.round((sum((s) => s.calls) / n) * 100) / 100,
      msPerAssignment: Math.round((sum((s) => s.totalMs) / n) * 1000) / 1000,
    };
  } finally {
    await sql.end();
  }
}
