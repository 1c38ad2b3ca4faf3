import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import postgres from 'postgres';
import { openDatabase } from '../src/db/client.js';
import { ADMIN_DATABASE_URL, databaseUrl } from './helpers/env.js';

/**
 * Migrates a template database once per run (named after a hash of the migrations, so a new
 * migration makes a new template); every test file clones it (`test/helpers/db.ts`).
 */
export default async function setup({ provide }: { provide: (key: 'templateDb', value: string) => void }) {
  const dir = new URL('../drizzle/', import.meta.url);
  const hash = createHash('sha256');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) hash.update(readFileSync(new URL(f, dir)));
  const template = `mahn_tpl_${hash.digest('hex').slice(0, 12)}`;

  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    // Leftovers of interrupted runs (per-file databases are dropped by their files normally);
    // only old ones, since another run may be going on beside this one.
    const cutoff = Math.floor(Date.now() / 1000) - 3 * 3600;
    // `_` is a LIKE wildcard: unescaped, the pattern matched the templates of other runs too.
    const leftovers = await admin<{ datname: string }[]>`select datname from pg_database where datname like 'mahn\_t\_%'`;
    for (const { datname } of leftovers) {
      const created = Number(/^mahn_t_(\d+)_/.exec(datname)?.[1]);
      if (created < cutoff) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    }
    const [exists] = await admin`select 1 from pg_database where datname = ${template}`;
    if (!exists) {
      await admin.unsafe(`create database "${template}"`);
      const db = openDatabase({ url: databaseUrl(template), dataDir: '/nonexistent', poolSize: 1 });
      try {
        await db.migrate();
      } finally {
        await db.close();
      }
    }
  } finally {
    await admin.end();
  }
  provide('templateDb', template);
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}
