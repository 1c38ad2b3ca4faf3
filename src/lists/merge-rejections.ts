import { MAX_REPORTED_REJECTIONS, type ImportReport, type Rejection } from './import/index.js';

/**
 * Adds rejections found after parsing (customer open in another list, no callable time) to a
 * report: sorted by row, the list capped like the parser's own (the counts stay exact).
 */
export function withMoreRejections(report: ImportReport, extra: Rejection[], accepted: number): ImportReport {
  const all = [...report.rejected, ...extra].sort((a, b) => a.row - b.row);
  return {
    ...report,
    accepted,
    rejected: all.slice(0, MAX_REPORTED_REJECTIONS),
    rejectedTruncated: report.rejectedTruncated || all.length > MAX_REPORTED_REJECTIONS,
    rejectedRows: report.rejectedRows + extra.length,
  };
}
