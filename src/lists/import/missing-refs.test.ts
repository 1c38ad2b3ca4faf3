import { describe, expect, it } from 'vitest';
import { throughChunks } from './test-helpers.js';
import { fillMissingRefs, fillRefs, type RefState } from './missing-refs.js';
import { MAX_CELL_CHARS } from './sheet-text.js';

const fresh = (): RefState => ({ mode: 'undecided', row: 0, col: 0 });


describe('fillMissingRefs', () => {
  it('writes in the positions a sheet left out: the next row, the next column', () => {
    const sheet = '<cols><col min="1" max="2"/></cols><sheetData><row spans="1:2"><c t="s"><v>0</v></c><c/></row><row><c s="1"><v>2</v></c></row></sheetData>';
    expect(fillRefs(sheet, fresh()).out).toBe(
      '<cols><col min="1" max="2"/></cols><sheetData><row r="1" spans="1:2"><c r="A1" t="s"><v>0</v></c><c r="B1"/></row><row r="2"><c r="A2" s="1"><v>2</v></c></row></sheetData>',
    );
  });

  it('goes on from a position a row or cell does give, past column Z', () => {
    const cells = Array.from({ length: 27 }, () => '<c><v>1</v></c>').join('');
    const out = fillRefs(`<row><c><v>1</v></c></row><row r="7"><c r="Y7"><v>1</v></c><c><v>1</v></c>${cells}</row><row/>`, fresh()).out;
    expect([...out.matchAll(/ r="(\w+)"/g)].map((m) => m[1])).toEqual(['1', 'A1', '7', 'Y7', 'Z7', ...['AA', 'AB', 'AC', 'AD', 'AE', 'AF', 'AG', 'AH', 'AI', 'AJ', 'AK', 'AL', 'AM', 'AN', 'AO', 'AP', 'AQ', 'AR', 'AS', 'AT', 'AU', 'AV', 'AW', 'AX', 'AY', 'AZ', 'BA'].map((c) => `${c}7`), '8']);
  });

  it("numbers a row without its own position by its first cell's, as Excel reads it", () => {
    const out = fillRefs('<row><c r="A1"><v>1</v></c></row><row><c r="A4"><v>4</v></c></row><row><c><v>5</v></c></row><row></row>', fresh()).out;
    expect([...out.matchAll(/<row r="(\d+)"/g)].map((m) => m[1])).toEqual(['1', '4', '5', '6']);
  });

  it("does not wait for a row's first cell further than a cell's worth of text", () => {
    const state = fresh();
    const { out, rest } = fillRefs(`<row r="3"/><row>${' '.repeat(MAX_CELL_CHARS + 1)}`, state);
    expect(rest).toBe('');
    expect(out.startsWith('<row r="3"/><row r="4">')).toBe(true);
  });

  it('passes a sheet with its positions unchanged, decided on its first row', () => {
    const state = fresh();
    const sheet = "<row r='1'><c r='A1'><v>1</v></c></row><row><c><v>2</v></c></row>";
    expect(fillRefs(sheet, state).out).toBe(sheet);
    expect(state.mode).toBe('pass');
  });

  it('gives the same text whatever the chunks, a tag cut at a chunk end kept for the next', async () => {
    const sheet = '<sheetData><row><c t="inlineStr"><is><t>Name</t></is></c><c><v>12.5</v></c></row><row><c><v>3</v></c></row><row><c r="B9"><v>9</v></c></row></sheetData>';
    const whole = await throughChunks(fillMissingRefs(), sheet);
    expect(whole).toContain('<row r="2"><c r="A2"><v>3</v></c></row><row r="9"><c r="B9">');
    for (const size of [1, 2, 3, 7, 40]) expect(await throughChunks(fillMissingRefs(), sheet, size)).toBe(whole);
    const withRefs = '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="B2"><v>2</v></c></row>';
    expect(await throughChunks(fillMissingRefs(), withRefs, 5)).toBe(withRefs);
  });
});
