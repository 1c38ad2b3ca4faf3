import { readFileSync } from 'node:fs';

/**
 * This process's peak resident set in MB: `VmHWM` on Linux (the kernel's high-water mark, so no
 * sampling gap), else `maxRSS` from `getrusage`.
 */
export function peakRssMb(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Math.round(Number(kb) / 1024);
  } catch {
    // not Linux
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** A child's result: the last line of its stdout, one JSON object. */
export function emit(result: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
