import { readFileSync } from 'node:fs';

/**
 * The node arguments of an npm script such as `start:api` (`node --max-old-space-size=256
 * --import tsx src/server.ts` → everything after `node`), so a bench starts a process exactly
 * as production does.
 */
export function nodeArgsOf(script: string): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
  const words = pkg.scripts[script]?.split(/\s+/) ?? [];
  if (words[0] !== 'node') throw new Error(`npm script ${script} is expected to start with node: ${words.join(' ')}`);
  return words.slice(1);
}
