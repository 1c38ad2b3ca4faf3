#!/usr/bin/env bash
# `npm test`: services, static checks, then the whole vitest suite against real Redis and
# PostgreSQL. Ends with one line "N passed, N failed" (the static checks count as tests).
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/services.sh || echo "warning: could not start services"

failed_checks=0
passed_checks=0
check() {
  local name=$1; shift
  if "$@"; then passed_checks=$((passed_checks + 1)); else echo "CHECK FAILED: $name"; failed_checks=$((failed_checks + 1)); fi
}
check typecheck npm run --silent typecheck
check lint npx eslint . --max-warnings 0
check migrations-committed bash scripts/check-migrations.sh

rm -f .vitest-results.json
npx vitest run --reporter=default --reporter=json --outputFile=.vitest-results.json "$@"
vitest_rc=$?

node scripts/summary.mjs .vitest-results.json "$passed_checks" "$failed_checks" "$vitest_rc"
