import { describe, expect, it } from 'vitest';
import { fitCell } from './result-rows.js';

describe('fitCell', () => {
  it('keeps a text Excel can hold and cuts a longer one to its limit, saying where the rest is', () => {
    expect(fitCell('kurz')).toBe('kurz');
    expect(fitCell('x'.repeat(32_767))).toHaveLength(32_767);
    const cut = fitCell('x'.repeat(40_000));
    expect(cut).toHaveLength(32_767);
    expect(cut.endsWith(' … (vollständig im Blatt „Versuche“)')).toBe(true);
  });
});
