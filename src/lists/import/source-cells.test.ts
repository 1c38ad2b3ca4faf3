import { describe, expect, it } from 'vitest';
import { displayText, toSourceCell } from './source-cells.js';

describe('toSourceCell: a formula result in a date format', () => {
  it('counts the serial from 1900, or from 1904 in a date1904 workbook (as exceljs does for date cells)', () => {
    expect(toSourceCell({ formula: 'E2+30', result: 46306 }, 'dd.mm.yyyy')).toEqual({ d: '2026-10-11' });
    expect(toSourceCell({ formula: 'E2+30', result: 44844 }, 'dd.mm.yyyy', true)).toEqual({ d: '2026-10-11' });
    expect(toSourceCell({ formula: 'E2+30', result: 44844.5 }, 'dd.mm.yyyy hh:mm', true)).toEqual({ d: '2026-10-11T12:00' });
    expect(displayText(toSourceCell({ formula: 'E2+30', result: 44844 }, 'dd.mm.yyyy', true), 'dd.mm.yyyy')).toBe('11.10.2026');
  });

  it('leaves numbers outside a date format, and dates exceljs built, as they are', () => {
    expect(toSourceCell({ formula: 'A1*2', result: 44844 }, '#,##0', true)).toBe(44844);
    expect(toSourceCell(new Date(Date.UTC(2026, 9, 11)), 'dd.mm.yyyy', true)).toEqual({ d: '2026-10-11' });
  });
});
