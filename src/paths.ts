import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root: the nearest folder above this module that holds `package.json`. The
 * same code runs from `src/` (tsx) and compiled from `dist/src/` (`npm run build`), so files
 * that are not compiled (migrations, the UI, Swagger's bootstrap) are found from here.
 */
export const PROJECT_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above src/paths');
    dir = up;
  }
  return dir;
})();

export const fromRoot = (...parts: string[]): string => join(PROJECT_ROOT, ...parts);
