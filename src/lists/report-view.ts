import type { ImportReport } from './import/index.js';
import { germanReason } from './import/reasons-de.js';

/** The import report as the API shows it: every rejection also with its German reason. */
export function reportView(report: ImportReport): ImportReport & { rejected: Array<ImportReport['rejected'][number] & { reasonDe: string }> } {
  return { ...report, rejected: report.rejected.map((r) => ({ ...r, reasonDe: germanReason(r.reason) })) };
}
