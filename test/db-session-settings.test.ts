import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './helpers/context.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('every PostgreSQL connection', () => {
  it('ends a transaction left idle for 5 minutes (one of a process that vanished without closing its socket)', async () => {
    const [row] = await t.db.execute<{ idle_in_transaction_session_timeout: string }>(sql`show idle_in_transaction_session_timeout`);
    expect(row!.idle_in_transaction_session_timeout).toBe('5min');
  });
});
