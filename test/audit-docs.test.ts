import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditRoutes } from '../src/audit/audit.routes.js';

/** The audit API's documentation names the actions the code writes, every one and no other. */
const SRC = path.resolve(import.meta.dirname, '../src');

function written(): Set<string> {
  const found = new Set<string>();
  for (const file of readdirSync(SRC, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(path.join(SRC, file), 'utf8');
    // audit(…) and auditRead(…) calls (src/audit/audit.ts), each on one line.
    for (const m of text.matchAll(/\baudit(?:Read)?\(.*\baction: '([^']+)'/g)) found.add(m[1]!);
  }
  return found;
}

describe('GET /api/audit documentation', () => {
  const doc = auditRoutes().getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'audit', version: '0' } });
  const schemas = doc.components!.schemas! as Record<string, { properties: Record<string, { description?: string }> }>;
  const named = (text: string | undefined) => new Set([...(text ?? '').matchAll(/`([a-z][A-Za-z_.]*)`/g)].map((m) => m[1]!).filter((n) => !n.startsWith('details.') && n !== 'listId'));

  it("names every action the code writes in the entry's `action`, and none it does not", () => {
    const actions = written();
    expect(actions.size).toBeGreaterThan(5);
    expect(named(schemas.AuditEntry!.properties.action!.description)).toEqual(actions);
  });

  it('says which of them `?list=` matches', () => {
    const list = doc.paths!['/audit']!.get!.parameters!.find((p) => 'name' in p && p.name === 'list') as { description?: string };
    const actions = written();
    for (const action of named(list.description)) expect(actions).toContain(action);
    expect(list.description).toMatch(/not those about one of its cases/);
  });
});
