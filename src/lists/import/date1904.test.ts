import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readList } from './read-list.js';
import type { ParsedCase } from './parse-list.js';
import { escapeXml, excelLikeXlsx, tempDir } from './test-helpers.js';

const STYLES = '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd.mm.yyyy"/></numFmts><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>';
const str = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${escapeXml(text)}</t></is></c>`;

describe('a 1904 workbook (old Mac Excel)', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it.each([true, false])('shows a date formula’s result as Excel does (date1904=%s), like a date cell', async (date1904) => {
    const offset = date1904 ? 1462 : 0;
    const rows =
      `<row r="1">${['Kd-Nr.', 'Name', 'Telefon', 'Betrag', 'Rechnung vom', 'Fällig'].map((h, i) => str(`${'ABCDEF'[i]}1`, h)).join('')}</row>` +
      `<row r="2">${str('A2', 'K1')}${str('B2', 'Anna')}${str('C2', '0721 1234567')}<c r="D2"><v>10</v></c>` +
      `<c r="E2" s="1"><v>${46276 - offset}</v></c><c r="F2" s="1"><f>E2+30</f><v>${46306 - offset}</v></c></row>`;
    const path = tmp.file(`d${date1904}.xlsx`);
    writeFileSync(path, excelLikeXlsx({ sheets: [{ name: 'Liste', rowsXml: rows }], stylesXml: STYLES, date1904 }));
    const cases: ParsedCase[] = [];
    await readList({ path }, 'xlsx', { maxRows: 100, maxUncompressedBytes: 1_000_000 }, { defaultCountry: 'DE' }, (c) => void cases.push(c));
    expect(cases[0]!.extra).toEqual({ 'Rechnung vom': '11.09.2026', Fällig: '11.10.2026' });
    expect(cases[0]!.source.slice(4)).toEqual([{ d: '2026-09-11' }, { d: '2026-10-11' }]);
  });
});
