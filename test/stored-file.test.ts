import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import { openDatabase } from '../src/db/client.js';
import { clients, dunningLists, importFiles } from '../src/db/schema.js';
import { loadImportFile, storeImportFile } from '../src/lists/stored-file.js';
import { defaultSchedulingSettings } from '../src/scheduling/settings.js';
import { createTestDatabase } from './helpers/db.js';

/** Every byte value, odd lengths (base64 padding) and a 1 MB body (PostgreSQL's line-broken base64). */
const FILES = [Buffer.alloc(0), Buffer.from([0]), Buffer.from([0xff, 0xfe]), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.alloc(1_000_003, 0x9c).fill(0x50, 0, 7)];

async function roundTrips(database: Database): Promise<void> {
  const [client] = await database.db.insert(clients).values({ code: 'STORE', name: 'Stored files', settings: defaultSchedulingSettings }).returning({ id: clients.id });
  for (const content of FILES) {
    const [list] = await database.db.insert(dunningLists).values({ clientId: client!.id, name: 'l', fileName: 'l.xlsx', fileSha256: 'x', fileBytes: content.length }).returning({ id: dunningLists.id });
    // A view into a larger buffer, as an upload's body can be: only its own bytes are stored.
    const padded = Buffer.concat([Buffer.from('before'), content, Buffer.from('after')]);
    await database.db.transaction((tx) => storeImportFile(tx, list!.id, padded.subarray(6, 6 + content.length)));
    expect((await loadImportFile(database.db, list!.id))?.equals(content)).toBe(true);
    // Stored as the bytes themselves, not as their text.
    const [stored] = await database.db.select({ bytes: sql<number>`octet_length(${importFiles.content})` }).from(importFiles);
    expect(Number(stored?.bytes)).toBe(content.length);
    await database.db.delete(importFiles);
  }
  expect(await loadImportFile(database.db, '00000000-0000-4000-8000-000000000000')).toBeNull();
}

describe('an uploaded file in import_files', () => {
  it('comes back byte for byte from PostgreSQL', async () => {
    const t = await createTestDatabase();
    try {
      await roundTrips(t.database);
    } finally {
      await t.drop();
    }
  });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'mahn-stored-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('comes back byte for byte from the embedded database', async () => {
    const database = openDatabase({ dataDir: dir });
    await database.migrate();
    try {
      await roundTrips(database);
    } finally {
      await database.close();
    }
  });
});
