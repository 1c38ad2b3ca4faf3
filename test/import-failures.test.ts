import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../src/clock.js';
import { cases, dunningLists, importFiles } from '../src/db/schema.js';
import { runImport } from '../src/lists/run-import.js';
import { callQueueName, Queues } from '../src/queues/registry.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { buildOle2, excelLikeXlsx, jobCount, largeXlsx, serviceDeps, upload, uploadForm, xlsx } from './helpers/workbooks.js';

/**
 * Imports that go wrong: a failure after cases were written, refused files, client scope.
 * The upload limit is small here (256 KB, so 2 MB inflated) to reach the size checks cheaply.
 * No worker runs in this file: uploads stay `importing` until a test runs `runImport` itself.
 */
const MAX_BYTES = 256 * 1024;
const HEADER = ['Kundennummer', 'Name', 'Telefon', 'Offener Betrag'];

let t: TestContext;
let admin: string;

beforeAll(async () => {
  t = await createTestContext({ IMPORT_MAX_BYTES: String(MAX_BYTES) });
  admin = (await t.userSession('admin')).cookie;
});
afterAll(() => t.close());

let clientSeq = 0;
async function newClient(): Promise<string> {
  const res = await t.request('POST', '/api/clients', { cookie: admin, body: { code: `F${++clientSeq}`, name: `Mandant ${clientSeq}` } });
  expect(res.status).toBe(201);
  return res.body.id;
}

/** What an upload may leave behind for a client: list rows and stored files. */
async function stored(clientId: string) {
  const [lists] = await t.db.select({ n: count() }).from(dunningLists).where(eq(dunningLists.clientId, clientId));
  const [files] = await t.db.select({ n: count() }).from(importFiles).innerJoin(dunningLists, eq(importFiles.listId, dunningLists.id)).where(eq(dunningLists.clientId, clientId));
  return { lists: lists!.n, files: files!.n };
}

async function leftovers(listId: string, clientId: string) {
  const [c] = await t.db.select({ n: count() }).from(cases).where(eq(cases.listId, listId));
  const [f] = await t.db.select({ n: count() }).from(importFiles).where(eq(importFiles.listId, listId));
  const [list] = await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId));
  return { cases: c!.n, files: f!.n, jobs: await jobCount(t, callQueueName(clientId, 'de')), list: list! };
}

/** A `Queues` that accepts the first bulk of call jobs (`addCalls`) and fails every later one with `error`. */
class FailingQueues extends Queues {
  bulkCalls = 0;
  constructor(
    t: TestContext,
    private readonly onFail: () => Promise<void>,
    private readonly error = () => new Error('the script refused the jobs'),
  ) {
    super(t.redis, t.prefix);
  }

  override async addCalls(...args: Parameters<Queues['addCalls']>) {
    if (this.bulkCalls++ === 0) return super.addCalls(...args);
    await this.onFail();
    throw this.error();
  }
}

describe('a failed import leaves nothing behind', () => {
  it('adding the call jobs fails after the first batch of 1000 were added, before the cases were committed', async () => {
    const clientId = await newClient();
    const file = await largeXlsx(1500, 'A');
    const listId = await upload(t, admin, clientId, file);
    // What stood in Postgres and Redis at the moment of the failure, to show there was something to undo.
    let atFailure: { cases: number; jobs: number } | undefined;
    const queues = new FailingQueues(t, async () => {
      const now = await leftovers(listId, clientId);
      atFailure = { cases: now.cases, jobs: now.jobs };
    });
    try {
      await runImport(serviceDeps(t, { queues }), listId);
    } finally {
      await queues.close();
    }
    // The cases are not committed yet (nobody else sees them); the first batch's jobs are in Redis.
    expect(atFailure).toEqual({ cases: 0, jobs: 1000 });

    const after = await leftovers(listId, clientId);
    expect(after).toMatchObject({ cases: 0, files: 0, jobs: 0 });
    expect(after.list.status).toBe('failed');
    // The reason names the failure; its wording for internal errors is not the point here.
    expect(after.list.error).toMatch(/import failed/i);
    expect(after.list.importProgress).toBeNull();
    const shown = await t.request('GET', `/api/lists/${listId}`, { cookie: admin });
    expect(shown.body).toMatchObject({ status: 'failed', error: after.list.error, errorCode: 'internal' });

    // A failed list does not count as "imported before": the same file may be sent again.
    const again = await t.request('POST', `/api/clients/${clientId}/lists`, { cookie: admin, body: uploadForm(file) });
    expect(again.status, JSON.stringify(again.body)).toBe(202);
  }, 60_000);

  it('Redis away for a moment: nothing is committed or left in Redis, the list stays importing with its file, and the next run imports it', async () => {
    const clientId = await newClient();
    const listId = await upload(t, admin, clientId, await largeXlsx(1500, 'R'));
    const queues = new FailingQueues(t, async () => {}, () => new Error('Connection is closed.'));
    try {
      await expect(runImport(serviceDeps(t, { queues }), listId)).rejects.toThrow('Connection is closed.');
    } finally {
      await queues.close();
    }
    const after = await leftovers(listId, clientId);
    expect(after).toMatchObject({ cases: 0, files: 1, jobs: 0 });
    expect(after.list.status).toBe('importing');
    // What recover does with the failed job: run it again.
    await runImport(serviceDeps(t), listId);
    expect((await leftovers(listId, clientId)).list.status).toBe('active');
  }, 60_000);

  it('a failure in the middle of the stream (after the first batch) rolls back the cases', async () => {
    const clientId = await newClient();
    const listId = await upload(t, admin, clientId, await largeXlsx(1500, 'B'));
    const progress: number[] = [];
    await runImport(serviceDeps(t), listId, async (p) => {
      progress.push(p.rows);
      if (p.rows >= 1000) throw new Error('disk full');
    });
    expect(progress).toEqual([1000]);
    const after = await leftovers(listId, clientId);
    expect(after).toMatchObject({ cases: 0, files: 0, jobs: 0 });
    expect(after.list).toMatchObject({ status: 'failed', importProgress: null });
    expect(after.list.error).toMatch(/import failed/i);
  }, 60_000);

  it('a list of which every row is refused fails, and keeps its report: the lead sees why', async () => {
    const clientId = await newClient();
    const listId = await upload(t, admin, clientId, await xlsx([HEADER, ['N-1', 'Anna Schmidt', '12', 10], ['N-2', 'Otto Weiß', 'keine', 20]]));
    await runImport(serviceDeps(t), listId);
    const after = await leftovers(listId, clientId);
    expect(after).toMatchObject({ cases: 0, files: 0, jobs: 0 });
    expect(after.list).toMatchObject({ status: 'failed', errorCode: 'none_accepted', error: expect.stringMatching(/No row of the list could be imported/) });
    expect(after.list.report).toMatchObject({ accepted: 0, rejectedRows: 2 });
    expect(after.list.report!.rejected.map((r) => r.row)).toEqual([2, 3]);
    // And over the API, as the lead's page reads it.
    const shown = await t.request('GET', `/api/lists/${listId}`, { cookie: admin });
    expect(shown.body.report).toMatchObject({ rejectedRows: 2 });
    expect(shown.body.errorCode).toBe('none_accepted');
  });

  it('an import whose stored file is gone fails the list as file_missing, and the lead is told to upload it again', async () => {
    const clientId = await newClient();
    const listId = await upload(t, admin, clientId, await xlsx([HEADER, ['K1', 'Anna', '0721 1234567', '10,00']]));
    await t.db.delete(importFiles).where(eq(importFiles.listId, listId));
    await runImport(serviceDeps(t), listId);
    const after = await leftovers(listId, clientId);
    expect(after).toMatchObject({ cases: 0, files: 0, jobs: 0 });
    expect(after.list).toMatchObject({ status: 'failed', errorCode: 'file_missing', error: expect.stringMatching(/upload the list again/) });
  });

  it('a file found corrupt only while importing (a CRC mismatch at the end) fails the list with the reason', async () => {
    const clientId = await newClient();
    // The upload reads only the head, so it accepts the file; the import reads it all.
    const rows = [rowXml(1, HEADER), ...Array.from({ length: 3000 }, (_, i) => rowXml(i + 2, [`L${i}`, `Anna Schmidt ${i * 7919}`, `0721 ${1000000 + i * 37}`, `${i % 977},50`]))];
    const file = withBadCrc(excelLikeXlsx({ sheets: [{ name: 'Liste', rowsXml: rows.join('') }] }), 'xl/worksheets/sheet1.xml');
    const listId = await upload(t, admin, clientId, file);
    await runImport(serviceDeps(t), listId);
    const after = await leftovers(listId, clientId);
    expect(after).toMatchObject({ cases: 0, files: 0, jobs: 0 });
    expect(after.list).toMatchObject({ status: 'failed', errorCode: 'corrupt' });
    expect(after.list.error).toMatch(/CRC|checksum|corrupt|damaged/i);
  });
});

/** One `<row>` of inline strings for a hand-written sheet. */
function rowXml(r: number, cells: string[]): string {
  return `<row r="${r}">${cells.map((v, i) => `<c r="${String.fromCharCode(65 + i)}${r}" t="inlineStr"><is><t>${v}</t></is></c>`).join('')}</row>`;
}

/** Flips the CRC of entry `name` in both its local header and the central directory (`buildZip` layout). */
function withBadCrc(zip: Buffer, name: string): Buffer {
  const out = Buffer.from(zip);
  const at = [];
  for (let i = out.indexOf(name); i >= 0; i = out.indexOf(name, i + 1)) at.push(i);
  if (at.length !== 2) throw new Error(`expected ${name} twice in the archive, found ${at.length}`);
  out.writeUInt32LE((out.readUInt32LE(at[0]! - 30 + 14) ^ 1) >>> 0, at[0]! - 30 + 14);
  out.writeUInt32LE((out.readUInt32LE(at[1]! - 46 + 16) ^ 1) >>> 0, at[1]! - 46 + 16);
  return out;
}

/** A valid `;` CSV of at least `bytes` bytes. */
function csvOfSize(bytes: number): Buffer {
  const lines = [HEADER.join(';')];
  let size = lines[0]!.length + 1;
  for (let i = 0; size < bytes; i++) {
    const line = `S${100000 + i};Kunde ${i};0721 ${1000000 + i};${(i % 900) + 10},50`;
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(lines.join('\n') + '\n');
}

describe('bad files over HTTP: a clear 4xx and nothing stored', () => {
  const sheet = [rowXml(1, HEADER), rowXml(2, ['Z1', 'Anna Schmidt', '0721 1234567', '12,50'])].join('');
  it.each([
    ['a password-protected workbook', () => buildOle2(['EncryptionInfo', 'EncryptedPackage']), 'liste.xlsx', 422, 'password_protected'],
    ['a zip bomb (declared size over the limit)', () => excelLikeXlsx({ sheets: [{ name: 'Liste', rowsXml: sheet + ' '.repeat(3_000_000) }] }), 'liste.xlsx', 413, 'zip_bomb'],
    [
      'a zip bomb lying about its size',
      () => excelLikeXlsx({ sheets: [{ name: 'Liste', rowsXml: ' '.repeat(3_000_000) + sheet }], sheetParts: [{ declaredSize: 10_000 }] }),
      'liste.xlsx',
      413,
      'zip_bomb',
    ],
    ['an upload far over IMPORT_MAX_BYTES', () => csvOfSize(4 * MAX_BYTES), 'liste.csv', 413, 'too_large'],
    ['a valid list just over IMPORT_MAX_BYTES', () => csvOfSize(MAX_BYTES + 1), 'liste.csv', 413, 'too_large'],
  ])('refuses %s', async (_what, build, fileName, status, code) => {
    const clientId = await newClient();
    const res = await t.request('POST', `/api/clients/${clientId}/lists`, { cookie: admin, body: uploadForm(build(), fileName) });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message.length).toBeGreaterThan(20);
    expect(await stored(clientId)).toEqual({ lists: 0, files: 0 });
  });

  it('a list just under IMPORT_MAX_BYTES is accepted', async () => {
    const clientId = await newClient();
    let file = csvOfSize(MAX_BYTES - 100);
    file = file.subarray(0, file.lastIndexOf('\n', MAX_BYTES - 1) + 1);
    expect(file.length).toBeLessThanOrEqual(MAX_BYTES);
    const res = await t.request('POST', `/api/clients/${clientId}/lists`, { cookie: admin, body: uploadForm(file, 'liste.csv') });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
  });

  it('refuses the same file twice (409) unless forced by query or form field', async () => {
    const clientId = await newClient();
    const file = await xlsx([HEADER, ['D1', 'Anna Schmidt', '0721 1234567', 12.5]]);
    const first = await upload(t, admin, clientId, file);
    const path = `/api/clients/${clientId}/lists`;

    const twice = await t.request('POST', path, { cookie: admin, body: uploadForm(file) });
    expect(twice.status).toBe(409);
    // The earlier list named, with its upload time, so the lead can find it.
    const [earlier] = await t.db.select({ name: dunningLists.name, createdAt: dunningLists.createdAt }).from(dunningLists).where(eq(dunningLists.id, first));
    expect(twice.body.error).toMatchObject({ code: 'duplicate_file', details: { listId: first, name: earlier!.name, uploadedAt: earlier!.createdAt.toISOString() } });
    expect(twice.body.error.message).toMatch(/force=true/);
    const notForced = await t.request('POST', path, { cookie: admin, body: uploadForm(file, 'mahnliste.xlsx', { force: 'false' }) });
    expect(notForced.status).toBe(409);
    expect(await stored(clientId)).toEqual({ lists: 1, files: 1 });

    const byQuery = await t.request('POST', `${path}?force=true`, { cookie: admin, body: uploadForm(file) });
    expect(byQuery.status, JSON.stringify(byQuery.body)).toBe(202);
    (t.clock as ManualClock).advance(60_000);
    const byField = await t.request('POST', path, { cookie: admin, body: uploadForm(file, 'mahnliste.xlsx', { force: 'true' }) });
    expect(byField.status, JSON.stringify(byField.body)).toBe(202);
    expect(new Set([first, byQuery.body.listId, byField.body.listId]).size).toBe(3);
    expect(await stored(clientId)).toEqual({ lists: 3, files: 3 });
    // Imported three times: the latest is named.
    const latest = await t.request('POST', path, { cookie: admin, body: uploadForm(file) });
    expect(latest.body.error.details.listId).toBe(byField.body.listId);
  });

  it('refuses a flag it cannot read, in the query or the form, and a misspelt one: never a real import instead of a dry run', async () => {
    const clientId = await newClient();
    const file = await xlsx([HEADER, ['F1', 'Anna Schmidt', '0721 1234567', 12.5]]);
    const path = `/api/clients/${clientId}/lists`;
    for (const [query, fields] of [['?dryRun=True', {}], ['?dryrun=true', {}], ['', { dryRun: 'True' }], ['', { dryRun: 'yes' }], ['', { dryrun: 'true' }]] as const) {
      const res = await t.request('POST', `${path}${query}`, { cookie: admin, body: uploadForm(file, 'mahnliste.xlsx', fields) });
      expect([res.status, res.body.error?.code], `${query} ${JSON.stringify(fields)}`).toEqual([400, 'validation']);
    }
    expect(await stored(clientId)).toEqual({ lists: 0, files: 0 });
  });

  it('dryRun as a form field reports and stores nothing', async () => {
    const clientId = await newClient();
    const file = await xlsx([HEADER, ['R1', 'Anna Schmidt', '0721 1234567', 12.5], ['R2', 'Otto Weiß', 'keine', 20]]);
    const res = await t.request('POST', `/api/clients/${clientId}/lists`, { cookie: admin, body: uploadForm(file, 'mahnliste.xlsx', { dryRun: 'true' }) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.report).toMatchObject({ accepted: 1, rejectedRows: 1, dataRows: 2 });
    expect(res.body.report.rejected[0]).toMatchObject({ row: 3, column: 'Telefon', value: 'keine' });
    expect(await stored(clientId)).toEqual({ lists: 0, files: 0 });
    // Nothing stored also means the file counts as new afterwards.
    expect((await t.request('POST', `/api/clients/${clientId}/lists`, { cookie: admin, body: uploadForm(file) })).status).toBe(202);
  });
});

describe('client scope', () => {
  it('a lead of another client and an agent get 403 on upload, GET and cancel; the list is untouched', async () => {
    const own = await newClient();
    const foreign = await newClient();
    const file = await xlsx([HEADER, ['S1', 'Anna Schmidt', '0721 1234567', 12.5]]);
    const listId = await upload(t, admin, own, file);
    await runImport(serviceDeps(t), listId);
    const ownLead = (await t.userSession('lead', [own])).cookie;
    const otherLead = (await t.userSession('lead', [foreign])).cookie;
    const agent = (await t.userSession('agent', [own])).cookie;

    for (const cookie of [otherLead, agent]) {
      const up = await t.request('POST', `/api/clients/${own}/lists?force=true`, { cookie, body: uploadForm(file) });
      expect(up.status).toBe(403);
      expect((await t.request('GET', `/api/lists/${listId}`, { cookie })).status).toBe(403);
      expect((await t.request('POST', `/api/lists/${listId}/cancel`, { cookie })).status).toBe(403);
    }
    const overview = await t.request('GET', '/api/lists', { cookie: otherLead });
    expect(overview.body.map((l: { id: string }) => l.id)).not.toContain(listId);

    const seen = await t.request('GET', `/api/lists/${listId}`, { cookie: ownLead });
    expect(seen.status).toBe(200);
    expect(seen.body.status).toBe('active');
    expect(await stored(own)).toEqual({ lists: 1, files: 0 });
    const [open] = await t.db.select({ n: count() }).from(cases).where(and(eq(cases.listId, listId), eq(cases.status, 'open')));
    expect(open!.n).toBe(1);
  });
});
