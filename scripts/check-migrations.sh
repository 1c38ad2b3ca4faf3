#!/usr/bin/env bash
# Fails when src/db/schema.ts has changes that no committed migration covers.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(npx drizzle-kit generate --name drift-check 2>&1)
if echo "$out" | grep -q "No schema changes"; then exit 0; fi
echo "$out"
echo "src/db/schema.ts differs from the migrations in drizzle/: run 'npm run db:generate' and commit the result."
git checkout -- drizzle/meta/_journal.json 2>/dev/null || true
rm -f drizzle/*_drift-check.sql drizzle/meta/*_snapshot.json.new
git clean -fq drizzle/ 2>/dev/null || true
exit 1
