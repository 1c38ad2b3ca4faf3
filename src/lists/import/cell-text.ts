/**
 * Turns any exceljs cell value (or a CSV string) into what the import works with: a string,
 * a number, or `null` for an empty cell.
 *
 * - rich text → its runs joined; hyperlink `{text, hyperlink}` → the text
 * - formula / shared formula → the cached result Excel saved (never the formula); a formula
 *   without a saved result → `null`. exceljs drops a saved result of 0, "" or FALSE
 *   (`FormulaValue._copyModel` keeps truthy ones only), so `=100-100` comes as a formula without
 *   one too, and nothing in its model tells the two apart: both read as empty.
 * - error values (`#N/A`, `{error}`, NaN) → `null`
 * - Date → ISO date `YYYY-MM-DD` (with `THH:MM[:SS]` when it has a time of day). exceljs
 *   builds dates from the serial number as UTC, so the UTC fields are the wall-clock ones.
 * - booleans → `TRUE` / `FALSE` (as Excel shows them)
 * - numbers stay numbers (amounts, and phone numbers Excel stored as numbers, which the phone
 *   rule in phone.ts repairs)
 */
export type CellScalar = string | number | null;

export function cellValue(value: unknown): CellScalar {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return isoDate(value);
  if (typeof value !== 'object') return String(value);
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.richText)) return v.richText.map((run) => (run as { text?: unknown }).text ?? '').join('');
  if ('formula' in v || 'sharedFormula' in v) return 'result' in v ? cellValue(v.result) : null;
  if ('error' in v) return null;
  if ('hyperlink' in v || 'text' in v) return cellValue(v.text);
  return null;
}

/** The cell as text, trimmed, with numbers written without float noise or exponent. */
export function cellText(value: unknown): string {
  const v = cellValue(value);
  if (v === null) return '';
  if (typeof v === 'number') return numberText(v);
  return v.trim();
}

/**
 * True when the cell is a formula without a result exceljs kept: none saved (a file written by a
 * tool, not Excel), or one of 0, "" or FALSE, which exceljs drops (see `cellValue`).
 */
export function isFormulaWithoutResult(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return ('formula' in v || 'sharedFormula' in v) && (v.result === undefined || v.result === null);
}

export function numberText(n: number): string {
  if (Number.isSafeInteger(n)) return String(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  // 15 significant digits is what Excel shows; it drops binary noise such as 1234.5599999999999.
  const plain = String(n);
  return plain.length <= 15 && !plain.includes('e') ? plain : String(Number(n.toPrecision(15)));
}

function isoDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  const time = iso.slice(11, 19);
  if (time === '00:00:00') return iso.slice(0, 10);
  return `${iso.slice(0, 10)}T${time.endsWith(':00') ? time.slice(0, 5) : time}`;
}
