import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * `column = any($1::uuid[])`: one array parameter, an index lookup per id (`in ($1 … $1000)` was
 * planned as a sequential scan). The ids must be checked uuids: they go into the array literal as they are.
 */
export function isAnyOf(column: AnyPgColumn, ids: Iterable<string>): SQL {
  return sql`${column} = any(${`{${[...ids].join(',')}}`}::uuid[])`;
}
