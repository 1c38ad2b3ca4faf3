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
    const rows = (await t.db.execute(sql`show idle_in_transaction_session_timeout`)) as unknown as Array<{ idle_in_transaction_session_timeout: string }>;
    expect(rows[0]!.idle_in_transaction_session_timeout).toBe('5min');
  });
});
