import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What a window allocated, from V8's sampling heap profile (`HeapProfiler.startSampling` with
 * collected objects included, written by `child-probe.ts`): the total, and the allocation sites
 * (function and line) with the most bytes. The sampler estimates each site's bytes from its
 * samples, so small sites are rough; the total and the large sites are what it is good for.
 */

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

export interface HeapSummary {
  totalMb: number;
  sites: Array<{ mb: number; share: number; frame: string }>;
}

export function summariseHeapProfile(file: string, root: string, top = 15): HeapSummary {
  const { head } = JSON.parse(readFileSync(file, 'utf8')) as { head: HeapNode };
  const bySite = new Map<string, number>();
  let total = 0;
  const walk = (n: HeapNode) => {
    const { functionName, url, lineNumber } = n.callFrame;
    // ES modules are named by URL, CommonJS ones by path.
    const file = url.startsWith('file://') ? new URL(url).pathname : url;
    const where = path.isAbsolute(file) ? path.relative(root, file) : file;
    const frame = `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`.trim();
    bySite.set(frame, (bySite.get(frame) ?? 0) + n.selfSize);
    total += n.selfSize;
    for (const c of n.children) walk(c);
  };
  walk(head);
  const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
  const sites = [...bySite]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([frame, bytes]) => ({ mb: mb(bytes), share: Math.round((1000 * bytes) / Math.max(1, total)) / 10, frame }));
  return { totalMb: mb(total), sites };
}

/** On stderr: the total, per assignment, and the largest sites. */
export function printHeapSummary(title: string, s: HeapSummary, assignments: number): void {
  const perAssignmentKb = Math.round((s.totalMb * 1000) / Math.max(1, assignments));
  console.error(`\n${title}: ${s.totalMb} MB allocated, ~${perAssignmentKb} KB per assignment`);
  for (const site of s.sites) console.error(`  ${String(site.share).padStart(5)} %  ${String(site.mb).padStart(6)} MB  ${site.frame}`);
}
