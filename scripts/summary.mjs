// Prints the one closing line CI reads: "N passed, N failed" (", N skipped" when any).
import { existsSync, readFileSync } from 'node:fs';

const [file, checksPassed, checksFailed, vitestRc] = process.argv.slice(2);
let passed = Number(checksPassed);
let failed = Number(checksFailed);
let skipped = 0;
if (existsSync(file)) {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  // A file that fails to load (syntax error, failing beforeAll) has no failed tests of its own.
  failed += r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.every((a) => a.status !== 'failed')).length;
} else {
  failed += 1; // vitest did not even write its report
}
if (Number(vitestRc) !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
