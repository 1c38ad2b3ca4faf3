#!/usr/bin/env bash
# Fails when src/db/schema.ts has changes that no migration in drizzle/ covers. The trial
# generation runs on a temporary copy of drizzle/: the developer's files are never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
cp -r drizzle "$copy/drizzle"
out=$(npx drizzle-kit generate --dialect postgresql --schema ./src/db/schema.ts --out "$(realpath --relative-to=. "$copy/drizzle")" --name drift-check 2>&1)
if echo "$out" | grep -q "No schema changes"; then exit 0; fi
echo "$out"
echo "src/db/schema.ts differs from the migrations in drizzle/: run 'npm run db:generate' and commit the result."
exit 1
