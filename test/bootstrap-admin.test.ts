import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { count, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { createFirstAdmin, ensureFirstAdmin } from '../src/auth/bootstrap-admin.js';
import { verifyPassword } from '../src/auth/password.js';
import { users } from '../src/db/schema.js';
import { createLogger } from '../src/log.js';
import { runStartup } from '../src/startup.js';
import { createTestContext } from './helpers/context.js';
import { createTestDatabase } from './helpers/db.js';

describe('the first admin', () => {
  it('is created once when two processes start at the same moment: only the one that created it has a password to keep', async () => {
    const { database, drop } = await createTestDatabase();
    try {
      const results = await Promise.all([ensureFirstAdmin(database.db, 'admin', undefined), ensureFirstAdmin(database.db, 'admin', undefined)]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
    } finally {
      await drop();
    }
  });
});

describe('a generated first-admin password', () => {
  it('is written to DATA_DIR/initial_admin_password, readable by its owner only, and appears in neither the console nor the log', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mahn-admin-'));
    let logged = '';
    const log = createLogger('debug', 'mahnanrufe', new Writable({ write: (chunk: Buffer, _enc, done) => ((logged += chunk.toString()), done()) }));
    const t = await createTestContext({ DATA_DIR: dataDir }, { log });
    const printed: string[] = [];
    const consoleSpies = (['log', 'info', 'warn', 'error'] as const).map((m) => vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void printed.push(args.join(' '))));
    try {
      expect(t.config.ADMIN_PASSWORD).toBeUndefined();
      const { adminCreated } = await runStartup(t.runtime);
      const file = path.join(dataDir, 'initial_admin_password');
      expect(adminCreated).toEqual({ username: 'admin', passwordFile: file });
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const password = readFileSync(file, 'utf8').trim();
      const [admin] = await t.db.select().from(users).where(eq(users.username, 'admin'));
      expect(await verifyPassword(admin!.passwordHash, password)).toBe(true);
      // Where it is, in the log; the password itself nowhere.
      expect(logged).toContain(file);
      expect(logged).not.toContain(password);
      expect(printed.join('\n')).not.toContain(password);
    } finally {
      for (const spy of consoleSpies) spy.mockRestore();
      await t.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('that cannot be written leaves no admin behind, and says why', async () => {
    const { database, drop } = await createTestDatabase();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mahn-admin-'));
    try {
      const notADirectory = path.join(dir, 'file');
      writeFileSync(notADirectory, '');
      await expect(createFirstAdmin(database.db, { username: 'admin', password: undefined, dataDir: notADirectory })).rejects.toThrow(/initial_admin_password.*set ADMIN_PASSWORD/);
      expect((await database.db.select({ n: count() }).from(users))[0]!.n).toBe(0);
      // With ADMIN_PASSWORD nothing is written: the directory does not matter.
      expect(await createFirstAdmin(database.db, { username: 'admin', password: 'a-long-password', dataDir: notADirectory })).toEqual({ created: true, username: 'admin', passwordFile: null });
    } finally {
      await drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a failure nothing caught', () => {
  it('is logged without its query parameters and ends the process with 1', () => {
    // A failed top-level await, as a failed start-up is: Node reports it as uncaught.
    const script = [
      "import { createLogger } from './src/log.ts';",
      "import { exitOnUncaught } from './src/shutdown.ts';",
      "exitOnUncaught(createLogger('info'));",
      "await Promise.reject(new Error('Failed query: insert into users values ($1)\\nparams: Kundin zahlt Freitag'));",
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), encoding: 'utf8' });
    expect(child.status).toBe(1);
    expect(child.stdout + child.stderr).toMatch(/"msg":"(uncaught exception|unhandled rejection); stopping"/);
    expect(child.stdout + child.stderr).toContain('database query failed');
    expect(child.stdout + child.stderr).not.toContain('Kundin zahlt Freitag');
  });
});
