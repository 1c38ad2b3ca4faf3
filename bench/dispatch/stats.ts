/** Latency samples in milliseconds; percentiles by nearest rank on the sorted samples. */
export class Latencies {
  readonly #samples: number[] = [];
  readonly #starts: number[] = [];

  /** One request's latency; `startedAt` (performance.now()) places it in the window for `--trace`. */
  add(ms: number, startedAt = 0): void {
    this.#samples.push(ms);
    this.#starts.push(startedAt);
  }

  /** Every request as [start ms from `origin`, latency ms], in the order they ended. */
  timeline(origin: number): Array<[number, number]> {
    return this.#samples.map((ms, i) => [round(this.#starts[i]! - origin), round(ms)]);
  }

  get count(): number {
    return this.#samples.length;
  }

  summary(): { n: number; p50: number; p90: number; p99: number; max: number } {
    const sorted = Float64Array.from(this.#samples).sort();
    const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : 0);
    return { n: sorted.length, p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(sorted.length ? sorted[sorted.length - 1]! : 0) };
  }
}

export const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A small seeded PRNG (mulberry32), so every run assigns the same clients to the same agents. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Runs `fn` over `items` with at most `limit` at once. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
