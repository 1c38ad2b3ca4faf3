import { createHash } from 'node:crypto';
import { and, desc, eq, notInArray } from 'drizzle-orm';
import { dunningLists } from '../db/schema.js';
import type { ServiceDeps } from '../deps.js';
import { AppError } from '../http/errors.js';
import type { SessionUser } from '../http/context.js';
import { loadSettings } from '../clients/clients.service.js';
import { detectFileKind, HEADER_SEARCH_ROWS, readList, SNIFF_BYTES, type ImportReport } from './import/index.js';
import { ALREADY_OPEN, openCustomerNos } from './open-customers.js';
import { withMoreRejections } from './merge-rejections.js';
import { withTempFile } from './temp-file.js';
import { storeImportFile } from './stored-file.js';
import { failpoint } from '../failpoint.js';

export interface Upload {
  clientId: string;
  fileName: string;
  content: Uint8Array;
  dryRun: boolean;
  force: boolean;
  name?: string;
  by: SessionUser;
}

export type UploadResult = { kind: 'dryRun'; report: ImportReport } | { kind: 'queued'; listId: string };

/**
 * Checks an uploaded list before anything is stored: the file kind, that its header row has
 * the required columns and data follows, and that the same file was not imported before (unless
 * `force`). Then either reports (`dryRun`, nothing stored) or stores the list (`importing`)
 * with its file and queues the `imports` job.
 */
export async function uploadList(d: ServiceDeps, u: Upload): Promise<UploadResult> {
  const kind = detectFileKind(Buffer.from(u.content.subarray(0, SNIFF_BYTES)), u.fileName);
  const settings = await loadSettings(d.db, u.clientId);
  const limits = { maxRows: d.config.IMPORT_MAX_ROWS + HEADER_SEARCH_ROWS, maxUncompressedBytes: 8 * d.config.IMPORT_MAX_BYTES };
  const options = { defaultCountry: settings.defaultCountry };

  if (u.dryRun) {
    const report = await withTempFile(u.content, kind, async (file) => {
      const pending: Array<{ customerNo: string; row: number }> = [];
      const r = await readList({ path: file }, kind, limits, options, (c) => void pending.push({ customerNo: c.customerNo, row: c.rowNumber }));
      return addOpenElsewhere(d, u.clientId, r, pending);
    });
    return { kind: 'dryRun', report };
  }

  // Only the first rows: a missing column or an empty list is refused at upload, not later.
  await withTempFile(u.content, kind, (file) => readList({ path: file }, kind, limits, { ...options, headOnly: true }, () => {}));
  const sha256 = createHash('sha256').update(u.content).digest('hex');
  if (!u.force) {
    const [same] = await d.db
      .select({ id: dunningLists.id, name: dunningLists.name, createdAt: dunningLists.createdAt })
      .from(dunningLists)
      .where(and(eq(dunningLists.clientId, u.clientId), eq(dunningLists.fileSha256, sha256), notInArray(dunningLists.status, ['failed'])))
      .orderBy(desc(dunningLists.createdAt))
      .limit(1);
    // The latest of its imports (a file forced in again has several), named for the lead.
    if (same) {
      throw new AppError(409, 'duplicate_file', `This file was imported before as list "${same.name}". Send force=true to import it again.`, {
        listId: same.id,
        name: same.name,
        uploadedAt: same.createdAt.toISOString(),
      });
    }
  }
  const listId = await d.db.transaction(async (tx) => {
    const [list] = await tx
      .insert(dunningLists)
      .values({
        clientId: u.clientId,
        name: u.name?.trim() || u.fileName.replace(/\.(xlsx|csv)$/i, ''),
        fileName: u.fileName,
        fileSha256: sha256,
        fileBytes: u.content.byteLength,
        importedBy: u.by.id,
        importProgress: { percent: 0, rows: 0 },
        createdAt: d.clock.now(),
      })
      .returning({ id: dunningLists.id });
    await storeImportFile(tx, list!.id, u.content);
    return list!.id;
  });
  failpoint(d.config, 'upload.afterStore');
  try {
    await queueImport(d, listId);
  } catch (err) {
    // The list and its file are stored: recover queues its import within a minute. Answering
    // 503 would have the lead upload it again, and be refused as a file imported before.
    d.log.warn({ listId, err }, 'import not queued (Redis away?); recover queues it');
  }
  return { kind: 'queued', listId };
}

/** The `imports` job of a stored list (id `import-<listId>`: queued twice, it is one job). */
export async function queueImport(d: Pick<ServiceDeps, 'queues'>, listId: string, requeued = 0): Promise<void> {
  await d.queues.get('imports').add('import', requeued ? { listId, requeued } : { listId }, { jobId: importJobId(listId) });
}

export const importJobId = (listId: string) => `import-${listId}`;

/** Adds "open in another list" rejections to a dry run's report, as the real import would. */
async function addOpenElsewhere(d: ServiceDeps, clientId: string, report: ImportReport, rows: Array<{ customerNo: string; row: number }>): Promise<ImportReport> {
  const extra: ImportReport['rejected'] = [];
  for (let i = 0; i < rows.length; i += 5000) {
    const batch = rows.slice(i, i + 5000);
    const found = await openCustomerNos(d.db, clientId, batch.map((r) => r.customerNo));
    for (const r of batch) {
      if (found.has(r.customerNo)) extra.push({ row: r.row, column: report.columns.customerNo ?? 'customerNo', value: r.customerNo, reason: ALREADY_OPEN });
    }
  }
  return withMoreRejections(report, extra, report.accepted - extra.length);
}
