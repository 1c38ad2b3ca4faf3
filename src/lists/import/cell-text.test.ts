import { describe, expect, it } from 'vitest';
import { cellText, cellValue, isFormulaWithoutResult } from './cell-text.js';

describe('cellValue / cellText', () => {
  it('keeps strings and numbers, empties null/undefined', () => {
    expect(cellValue('Müller')).toBe('Müller');
    expect(cellValue(12.5)).toBe(12.5);
    expect(cellValue(null)).toBeNull();
    expect(cellValue(undefined)).toBeNull();
    expect(cellText('  Weiß  ')).toBe('Weiß');
  });

  it('joins rich text runs', () => {
    expect(cellValue({ richText: [{ text: 'Mül', font: { bold: true } }, { text: 'ler' }] })).toBe('Müller');
  });

  it('takes the text of a hyperlink, not the link', () => {
    expect(cellValue({ text: 'anna@example.org', hyperlink: 'mailto:anna@example.org' })).toBe('anna@example.org');
    expect(cellValue({ text: { richText: [{ text: 'a' }, { text: 'b' }] }, hyperlink: 'https://x' })).toBe('ab');
  });

  it('reads formulas as their cached result, never the formula', () => {
    expect(cellValue({ formula: 'A1*2', result: 24.5 })).toBe(24.5);
    expect(cellValue({ formula: 'CONCAT(A1,B1)', result: 'Genève' })).toBe('Genève');
    expect(cellValue({ sharedFormula: 'C2', result: 7 })).toBe(7);
    expect(cellValue({ formula: '', result: 3 })).toBe(3); // shared-formula dependant as the streaming reader gives it
    expect(cellValue({ formula: 'A1', result: new Date(Date.UTC(2026, 10, 3)) })).toBe('2026-11-03');
    expect(cellValue({ formula: '1/0', result: { error: '#DIV/0!' } })).toBeNull();
    expect(cellValue({ formula: 'NA()', result: Number.NaN })).toBeNull(); // streaming reader: error result parsed as NaN
  });

  it('treats a formula without a saved result as empty, and says so', () => {
    expect(cellValue({ formula: 'A1*2' })).toBeNull();
    expect(isFormulaWithoutResult({ formula: 'A1*2' })).toBe(true);
    expect(isFormulaWithoutResult({ formula: 'A1*2', result: 0 })).toBe(false);
    expect(isFormulaWithoutResult('x')).toBe(false);
  });

  it('turns error values into empty cells', () => {
    expect(cellValue({ error: '#N/A' })).toBeNull();
    expect(cellValue(Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('writes dates as ISO dates, with a time only when there is one', () => {
    expect(cellValue(new Date(Date.UTC(2026, 10, 3)))).toBe('2026-11-03');
    expect(cellValue(new Date(Date.UTC(2026, 10, 3, 17, 30)))).toBe('2026-11-03T17:30');
    expect(cellValue(new Date(Date.UTC(2026, 10, 3, 17, 30, 15)))).toBe('2026-11-03T17:30:15');
    expect(cellValue(new Date(Number.NaN))).toBe('');
  });

  it('writes booleans as Excel shows them', () => {
    expect(cellValue(true)).toBe('TRUE');
    expect(cellValue(false)).toBe('FALSE');
  });

  it('writes numbers as text without float noise or exponent', () => {
    expect(cellText(4001703)).toBe('4001703');
    expect(cellText(210054624728)).toBe('210054624728');
    expect(cellText(1234.5599999999999)).toBe('1234.56');
    expect(cellText(0.1 + 0.2)).toBe('0.3');
    expect(cellText(12345678901234567890)).toBe('12345678901234567168');
  });

  it('ignores unknown object shapes', () => {
    expect(cellValue({ foo: 1 })).toBeNull();
    expect(cellValue({ richText: [{}, { text: 'x' }] })).toBe('x');
  });
});
