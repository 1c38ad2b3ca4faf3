import { describe, expect, it } from 'vitest';
import { throughChunks } from './test-helpers.js';
import { joinInlineRuns, rewrite } from './inline-runs.js';
import { MAX_CELL_CHARS } from './sheet-text.js';

const rich = '<c r="A2" t="inlineStr"><is><r><t xml:space="preserve">Hans </t></r><r><rPr><b/><sz val="11"/></rPr><t>M&amp;üller</t></r></is></c>';


describe('joinInlineRuns', () => {
  it("joins an inline cell's runs into one text, escaped as it stood", () => {
    expect(rewrite(`<row>${rich}</row>`)).toEqual({ out: '<row><c r="A2" t="inlineStr"><is><t>Hans M&amp;üller</t></is></c></row>', rest: '' });
  });

  it('leaves a cell with one text, and text without inline cells, as they are', () => {
    const plain = '<row><c r="A1" t="inlineStr"><is><t>Zoë</t></is></c><c r="B1" t="s"><v>3</v></c></row>';
    expect(rewrite(plain)).toEqual({ out: plain, rest: '' });
  });

  it('leaves out phonetic runs, as Excel shows the cell', () => {
    expect(rewrite('<is><r><t>東</t></r><r><t>京</t></r><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></is>').out).toBe('<is><t>東京</t></is>');
  });

  it('joins empty runs however they are written', () => {
    expect(rewrite('<is><r><t>a</t></r><r><t /></r><r><t xml:space="preserve"/></r><r><t/></r><r><t>b</t></r></is>').out).toBe('<is><t>ab</t></is>');
  });

  it('does not wait for the end of an "<is>" longer than any cell: it passes as it is', () => {
    const open = `<c><is><r><t>${'x'.repeat(MAX_CELL_CHARS)}`;
    expect(rewrite(open)).toEqual({ out: open, rest: '' });
  });

  it('keeps an inline cell cut by the end of a chunk for the next, also when only "<i" of it arrived', () => {
    expect(rewrite('<row><c><is><r><t>Ha')).toEqual({ out: '<row><c>', rest: '<is><r><t>Ha' });
    expect(rewrite('<row><c><i')).toEqual({ out: '<row><c>', rest: '<i' });
  });

  it('gives the same text whatever the chunks', async () => {
    const sheet = `<sheetData><row r="2">${rich}${rich.replace('A2', 'B2')}</row></sheetData>`;
    const whole = await throughChunks(joinInlineRuns(), sheet);
    expect(whole).toBe(`<sheetData><row r="2">${'<c r="A2" t="inlineStr"><is><t>Hans M&amp;üller</t></is></c>'}${'<c r="B2" t="inlineStr"><is><t>Hans M&amp;üller</t></is></c>'}</row></sheetData>`);
    for (const size of [1, 2, 3, 5, 17]) expect(await throughChunks(joinInlineRuns(), sheet, size)).toBe(whole);
  });
});
