#!/usr/bin/env bash
# Fails when src/db/schema.ts has changes that no migration in drizzle/ covers.
# Removes only the files its own trial generation wrote: a migration that is not committed yet
# is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
before=$(mktemp)
trap 'rm -f "$before" "$before.journal"' EXIT
find drizzle -type f | sort > "$before"
cp drizzle/meta/_journal.json "$before.journal"
out=$(npx drizzle-kit generate --name drift-check 2>&1)
if echo "$out" | grep -q "No schema changes"; then exit 0; fi
echo "$out"
echo "src/db/schema.ts differs from the migrations in drizzle/: run 'npm run db:generate' and commit the result."
find drizzle -type f | sort | comm -13 "$before" - | xargs -r rm -f
cp "$before.journal" drizzle/meta/_journal.json
exit 1
