import { Redis } from 'ioredis';
import postgres from 'postgres';
import { openDatabase } from '../../src/db/client.js';

/** Where the bench finds the services; override with BENCH_DATABASE_URL (an admin database) / BENCH_REDIS_URL. */
export const ADMIN_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A bench run's own database and BullMQ prefix, so it never touches anything else. */
export interface Scratch {
  database: string;
  prefix: string;
}

export function newScratch(bench = 'import'): Scratch {
  const id = `${Math.floor(Date.now() / 1000)}_${process.pid}`;
  return { database: `bench_${bench}_${id}`, prefix: `bench-${bench}-${id.replace('_', '-')}` };
}

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createScratchDatabase(s: Scratch): Promise<string> {
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${s.database}"`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(s.database);
  const database = openDatabase({ url, dataDir: '/nonexistent', poolSize: 1 });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
  return url;
}

/** Drops the database and deletes the prefix's Redis keys; safe to call twice and after a crash. */
export async function dropScratch(s: Scratch): Promise<{ keysDeleted: number }> {
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${s.database}" with (force)`);
  } finally {
    await admin.end();
  }
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 3, lazyConnect: true });
  let keysDeleted = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${s.prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) keysDeleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return { keysDeleted };
}
