import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The node arguments of an npm script such as `start:api` (`node --max-old-space-size=256
 * … dist/src/server.js` → everything after `node`), so a bench starts a process exactly as
 * production does.
 */
export function nodeArgsOf(script: string): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
  const words = pkg.scripts[script]?.split(/\s+/) ?? [];
  if (words[0] !== 'node') throw new Error(`npm script ${script} is expected to start with node: ${words.join(' ')}`);
  return words.slice(1);
}

/**
 * The children run compiled JavaScript without tsx, so the probe preloaded into them
 * (`bench/dispatch/child-probe.ts`, node built-ins only) is transpiled into `dir` first.
 */
export function transpiledProbe(dir: string): string {
  const source = readFileSync(path.join(ROOT, 'bench/dispatch/child-probe.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const file = path.join(dir, 'child-probe.mjs');
  writeFileSync(file, outputText);
  return pathToFileURL(file).href;
}

/**
 * Bench modules that run as children on the compiled code (after `build`), as production runs:
 * each `bench/<path>.ts` is transpiled to `dist/bench/<path>.js`, where its relative imports of
 * `src/` reach the compiled modules and packages resolve from the project's node_modules.
 * (Under tsx a process holds ~50 MB more: its transform of every module and the source maps.)
 */
export function compiledBenchModules(paths: string[]): string[] {
  return paths.map((p) => {
    const source = readFileSync(path.join(ROOT, 'bench', p), 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false } });
    const file = path.join(ROOT, 'dist/bench', p.replace(/\.ts$/, '.js'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, outputText);
    return file;
  });
}

/** `npm run build`: the start scripts run the compiled code, so a bench measures this tree's. */
export function build(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
}
