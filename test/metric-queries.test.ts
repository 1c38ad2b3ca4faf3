import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expiredAssignmentsQuery } from '../src/ops/metric-sources.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { rowsOf } from '../src/db/rows.js';

/** What `/metrics` reads at every scrape must not grow with the history of all calls. */
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('metric queries', () => {
  it('counts expired assignments through their partial index, not by reading every assignment', async () => {
    const { sql: text, params } = expiredAssignmentsQuery(t.db).toSQL();
    // With sequential scans priced out, a plan still scanning the table means no index serves the query.
    const plan = await t.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const literal = text.replace(/\$(\d+)/g, (_, i: string) => `'${String(params[Number(i) - 1]).replaceAll("'", "''")}'`);
      return rowsOf<{ 'QUERY PLAN': string }>(await tx.execute(sql.raw(`explain ${literal}`))).map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('assignments_expired');
    expect(plan).not.toMatch(/Seq Scan on assignments/);
  });
});
