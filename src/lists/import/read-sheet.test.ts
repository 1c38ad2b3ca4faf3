import { readFileSync, writeFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { cellText, cellValue } from './cell-text.js';
import { ImportFileError } from './import-file-error.js';
import { openWorkbook, type RawRow, type ReadLimits } from './read-sheet.js';
import { buildZip, collect, excelLikeXlsx, readFirstSheet, STANDARD_HEADER, standardRow, tempDir, writeLargeXlsx, writeXlsx, type ZipPart } from './test-helpers.js';
import { readZipDirectory } from './zip-archive.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const LIMITS: ReadLimits = { maxRows: 100_000, maxUncompressedBytes: 50 * 1024 * 1024 };
let n = 0;

async function xlsxRows(rows: unknown[][], extraSheets: string[] = []): Promise<RawRow[]> {
  const path = tmp.file(`w${n++}.xlsx`);
  await writeXlsx(path, rows, extraSheets);
  return collect(readFirstSheet({ path }, 'xlsx', LIMITS));
}

function save(content: Buffer | string, ext = 'xlsx'): string {
  const path = tmp.file(`f${n++}.${ext}`);
  writeFileSync(path, content);
  return path;
}

async function refusal(path: string, kind: 'xlsx' | 'csv', limits: ReadLimits = LIMITS): Promise<ImportFileError> {
  try {
    await collect(readFirstSheet({ path }, kind, limits));
  } catch (err) {
    if (err instanceof ImportFileError) return err;
    throw err;
  }
  throw new Error('expected an ImportFileError');
}

const texts = (rows: RawRow[]) => rows.map((r) => [r.rowNumber, ...r.cells.map((c) => cellValue(c))]);

describe('readSheetRows: xlsx', () => {
  it('yields rows with the spreadsheet’s row numbers, title rows counted, empty rows skipped', async () => {
    const rows = await xlsxRows([
      ['Stadtwerke Muster GmbH – Mahnliste November 2026'],
      ['Stand:', new Date(Date.UTC(2026, 10, 3))],
      [],
      ['Kunden-Nr.', 'Name', 'Telefon', 'Offener Betrag (EUR)'],
      [4711, 'Anna Müller', '0721 123456', 12.5],
      [null, '   ', ''],
      [4712, 'Jürgen Weiß', 7211234567, 1234.56],
    ]);
    expect(texts(rows)).toEqual([
      [1, 'Stadtwerke Muster GmbH – Mahnliste November 2026'],
      [2, 'Stand:', '2026-11-03'],
      [4, 'Kunden-Nr.', 'Name', 'Telefon', 'Offener Betrag (EUR)'],
      [5, 4711, 'Anna Müller', '0721 123456', 12.5],
      [7, 4712, 'Jürgen Weiß', 7211234567, 1234.56],
    ]);
  });

  it('reads rich text, hyperlinks, formulas (cached value), dates and errors', async () => {
    const rows = await xlsxRows([
      ['Name', 'Link', 'Betrag', 'Text', 'Fällig', 'Fehler', 'Ja'],
      [
        { richText: [{ text: 'Mül', font: { bold: true } }, { text: 'ler' }] },
        { text: 'Kundenportal', hyperlink: 'https://example.org/k/1' },
        { formula: 'SUM(1,2)', result: 3 },
        { formula: 'CONCAT("Gen","ève")', result: 'Genève' },
        new Date(Date.UTC(2026, 9, 15)),
        { error: '#N/A' },
        true,
      ],
    ]);
    expect(rows[1]!.cells.map((c) => cellValue(c))).toEqual(['Müller', 'Kundenportal', 3, 'Genève', '2026-10-15', null, 'TRUE']);
  });

  it('reads an Excel-ordered workbook: sheet before sharedStrings, shared and string formulas, inline strings (rich text too), errors, styled dates', async () => {
    const styles = `<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="0"/><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>`;
    const path = save(
      excelLikeXlsx({
        sharedStrings: ['Betrag', 'Name', 'Genève', '<r><t>Wei</t></r><r><rPr><b/></rPr><t>ß</t></r>', 'Fällig'],
        stylesXml: styles,
        sheets: [
          {
            name: 'Liste',
            rowsXml:
              '<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" t="s"><v>0</v></c><c r="C3" t="s"><v>4</v></c></row>' +
              '<row r="4"><c r="A4" t="s"><v>2</v></c><c r="B4"><f t="shared" ref="B4:B6" si="0">D4*2</f><v>24.68</v></c><c r="C4" s="1"><v>46310</v></c></row>' +
              '<row r="5"><c r="A5" t="s"><v>3</v></c><c r="B5"><f t="shared" si="0"/><v>10</v></c><c r="C5" t="e"><v>#REF!</v></c></row>' +
              '<row r="6"><c r="A6" t="inlineStr"><is><r><t>Zo</t></r><r><rPr><i/></rPr><t>ë</t></r></is></c><c r="B6"><f t="shared" si="0"/><v>#DIV/0!</v></c><c r="C6" t="str"><f>TEXT(1,"0")</f><v>1</v></c><c r="D6"><f>A1</f></c></row>',
          },
        ],
      }),
    );
    const rows = await collect(readFirstSheet({ path }, 'xlsx', LIMITS));
    expect(texts(rows)).toEqual([
      [3, 'Name', 'Betrag', 'Fällig'],
      [4, 'Genève', 24.68, '2026-10-15'],
      [5, 'Weiß', 10, null],
      [6, 'Zoë', null, '1', null],
    ]);
  });

  it('reads a sheet whose rows and cells leave out their position (r), as Open XML SDK exports do', async () => {
    const path = save(
      excelLikeXlsx({
        sheets: [
          {
            name: 'Liste',
            rowsXml:
              '<row><c t="inlineStr"><is><t>Name</t></is></c><c t="inlineStr"><is><t>Betrag</t></is></c></row>' +
              '<row><c t="inlineStr"><is><t>Hans</t></is></c><c><v>12.5</v></c></row><row r="5"><c r="B5"><v>3</v></c></row><row><c><v>4</v></c></row>',
          },
        ],
      }),
    );
    expect(texts(await collect(readFirstSheet({ path }, 'xlsx', LIMITS)))).toEqual([
      [1, 'Name', 'Betrag'],
      [2, 'Hans', 12.5],
      [5, undefined, 3], // column A empty
      [6, 4],
    ]);
  });

  it('for the first rows only, reads shared strings as far as the rows read need them, and on from there when more rows are read', async () => {
    // The part's end, far behind the strings the rows use, is broken: a reader that loads the
    // whole part first fails at once.
    const strings = Array.from({ length: 3_000 }, (_, i) => `Name ${i}`);
    const unused = Array.from({ length: 50_000 }, (_, i) => `Unbenutzt ${i}`);
    unused.push('<t>kaputt</t></si><si><t');
    const path = save(
      excelLikeXlsx({
        sharedStrings: [...strings, ...unused],
        sheets: [{ name: 'Liste', rowsXml: Array.from({ length: 3_000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="s"><v>${i}</v></c></row>`).join('') }],
      }),
    );
    const [sheet] = await openWorkbook({ path }, 'xlsx', LIMITS, true);
    const head: RawRow[] = [];
    for await (const row of sheet!.rows()) {
      head.push(row);
      if (head.length === 20) break;
    }
    expect(head.map((r) => r.cells[0])).toEqual(strings.slice(0, 20));
    // Read again from the top (the import after the upload's check): the same strings, then the rest.
    const all = await collect(sheet!.rows());
    expect(all.map((r) => r.cells[0])).toEqual(strings);
  });

  it('reads the first visible worksheet and stops there', async () => {
    const path = save(
      excelLikeXlsx({
        sheets: [
          { name: 'Versteckt', state: 'hidden', rowsXml: '<row r="1"><c r="A1" t="inlineStr"><is><t>hidden</t></is></c></row>' },
          { name: 'Liste', rowsXml: '<row r="1"><c r="A1" t="inlineStr"><is><t>visible</t></is></c></row>' },
          { name: 'Andere', rowsXml: '<row r="1"><c r="A1" t="inlineStr"><is><t>third</t></is></c></row>' },
        ],
      }),
    );
    expect(texts(await collect(readFirstSheet({ path }, 'xlsx', LIMITS)))).toEqual([[1, 'visible']]);
    expect(texts(await xlsxRows([['first']], ['second']))).toEqual([[1, 'first']]);
  });

  it('keeps umlauts intact where the inflated stream splits a character across chunks (exceljs #2063)', async () => {
    const names = Array.from({ length: 20_000 }, (_, i) => `Müller-Weiß-Öztürk-Ærø ${i} Genève`);
    const path = save(
      excelLikeXlsx({
        sharedStrings: names,
        sheets: [{ name: 'Liste', rowsXml: names.map((_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="s"><v>${i}</v></c></row>`).join('') }],
      }),
    );
    const rows = await collect(readFirstSheet({ path }, 'xlsx', LIMITS));
    expect(rows).toHaveLength(names.length);
    const broken = rows.filter((r, i) => cellText(r.cells[0]) !== names[i]);
    expect(broken.map((r) => cellText(r.cells[0]))).toEqual([]);
  });

  it('streams a 10,000-row workbook: rows arrive before the end of the sheet is read', async () => {
    const path = tmp.file('10k.xlsx');
    await writeLargeXlsx(path, STANDARD_HEADER, 10_000, standardRow);
    const all = await collect(readFirstSheet({ path }, 'xlsx', LIMITS));
    expect(all).toHaveLength(10_001);
    expect(all.at(-1)!.rowNumber).toBe(10_001);
    expect(cellText(all.at(-1)!.cells[1])).toBe('Müller-9999 Weiß');

    // Same workbook with the end of its sheet XML destroyed. A reader that loads the sheet
    // before handing out rows fails before the first row; a streaming one delivers thousands.
    const damaged = tmp.file('10k-damaged.xlsx');
    writeFileSync(damaged, await rewriteEntry(path, 'xl/worksheets/sheet1.xml', (xml) => `${xml.slice(0, Math.floor(xml.length * 0.95))}<row r="x"><<<`));
    const seen: number[] = [];
    const err = await (async () => {
      try {
        for await (const row of readFirstSheet({ path: damaged }, 'xlsx', LIMITS)) seen.push(row.rowNumber);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ImportFileError);
    expect((err as ImportFileError).code).toBe('corrupt');
    expect(seen.length).toBeGreaterThan(9_000);
  });

  it('releases the file when the consumer stops early', async () => {
    const path = tmp.file('early.xlsx');
    await writeLargeXlsx(path, STANDARD_HEADER, 2_000, standardRow);
    let count = 0;
    for await (const _ of readFirstSheet({ path }, 'xlsx', LIMITS)) if (++count === 3) break;
    expect(count).toBe(3);
  });

  it('refuses more rows than allowed (too_many_rows), counting only non-empty rows', async () => {
    const path = tmp.file('rows.xlsx');
    await writeXlsx(path, [['h'], [1], [], [2], [3]]);
    await expect(collect(readFirstSheet({ path }, 'xlsx', { ...LIMITS, maxRows: 4 }))).resolves.toHaveLength(4);
    const err = await refusal(path, 'xlsx', { ...LIMITS, maxRows: 3 });
    expect(err.code).toBe('too_many_rows');
    expect(err.status).toBe(413);
    expect(err.message).toContain('more than 3 rows');
    expect(err.message).toContain('row 5');
  });

  describe('damaged and hostile archives', () => {
    it('refuses a truncated workbook as corrupt', async () => {
      const path = tmp.file('trunc-src.xlsx');
      await writeLargeXlsx(path, STANDARD_HEADER, 500, standardRow);
      const bytes = readFileSync(path);
      for (const cut of [0.3, 0.6, 0.99]) {
        const err = await refusal(save(bytes.subarray(0, Math.floor(bytes.length * cut))), 'xlsx');
        expect(err.code).toBe('corrupt');
        expect(err.message).toMatch(/damaged/);
      }
    });

    it('refuses flipped bytes inside the sheet data as corrupt (deflate error or checksum)', async () => {
      const path = tmp.file('flip-src.xlsx');
      await writeLargeXlsx(path, STANDARD_HEADER, 500, standardRow);
      const bytes = Buffer.from(readFileSync(path));
      const sheet = (await readZipDirectory(path)).entries.get('xl/worksheets/sheet1.xml')!;
      for (let i = 0; i < 40; i++) {
        const at = sheet.localHeaderOffset + 200 + i * 37;
        bytes.writeUInt8(bytes.readUInt8(at) ^ 0x5a, at);
      }
      const err = await refusal(save(bytes), 'xlsx');
      expect(err.code).toBe('corrupt');
    });

    it('refuses a workbook whose XML is broken as corrupt', async () => {
      const path = save(excelLikeXlsx({ sheets: [{ name: 'L', rowsXml: '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData><oops' }] }));
      expect((await refusal(path, 'xlsx')).code).toBe('corrupt');
    });

    it('refuses random bytes after a ZIP signature as corrupt', async () => {
      const junk = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(5000, 0x41)]);
      expect((await refusal(save(junk), 'xlsx')).code).toBe('corrupt');
    });

    it('refuses a ZIP without a workbook, and names .xlsb', async () => {
      const zip = await refusal(save(buildZip([{ name: 'xl/other.xml', data: '<x/>' }])), 'xlsx');
      expect(zip.code).toBe('not_spreadsheet');
      const xlsb = await refusal(save(buildZip([{ name: 'xl/workbook.bin', data: 'x' }])), 'xlsx');
      expect(xlsb.message).toContain('.xlsb');
    });

    it('refuses a zip bomb whose sheet declares more than the limit before inflating it', async () => {
      const rowsXml = Array.from({ length: 20_000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>1</v></c></row>`).join('');
      const path = save(excelLikeXlsx({ sheets: [{ name: 'L', rowsXml }] }));
      const err = await refusal(path, 'xlsx', { ...LIMITS, maxUncompressedBytes: 200_000 });
      expect(err.code).toBe('zip_bomb');
      expect(err.status).toBe(413);
      expect(err.message).toContain('decompresses to more than 195 KB');
    });

    it('catches a lying header while streaming: the sheet inflates past the size it declares', async () => {
      const rowsXml = Array.from({ length: 50_000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>1</v></c></row>`).join('');
      const path = save(excelLikeXlsx({ sheets: [{ name: 'L', rowsXml }], sheetParts: [{ declaredSize: 10_000 }] }));
      const seen: number[] = [];
      const err = await (async () => {
        try {
          for await (const row of readFirstSheet({ path }, 'xlsx', LIMITS)) seen.push(row.rowNumber);
        } catch (e) {
          return e as ImportFileError;
        }
        throw new Error('expected a refusal');
      })();
      expect(err.code).toBe('zip_bomb');
      expect(err.message).toContain('more than the 10000 bytes it declares');
      expect(seen.length).toBeLessThan(1_000); // stopped near the declared size, not after inflating it all
    });

    it('refuses an entry compressed far beyond what real sheets compress', async () => {
      const path = save(excelLikeXlsx({ sheets: [{ name: 'L', rowsXml: `<row r="1"><c r="A1" t="inlineStr"><is><t>${' '.repeat(8 * 1024 * 1024)}x</t></is></c></row>` }] }));
      const err = await refusal(path, 'xlsx', { ...LIMITS, maxUncompressedBytes: 1024 * 1024 * 1024 });
      expect(err.code).toBe('zip_bomb');
      expect(err.message).toMatch(/compressed \d+:1/);
    });
  });
});

describe('readSheetRows: csv', () => {
  const csv = (content: string | Buffer) => save(content, 'csv');

  it('reads German Excel CSV: Windows-1252, semicolons, umlauts, title rows', async () => {
    const text = 'Stadtwerke Muster GmbH – Mahnliste;;;\r\nStand: 03.11.2026;;;\r\nKunden-Nr.;Name;Straße;Offener Betrag (EUR)\r\n4711;Jürgen Weiß;Schloßallee 1;1.234,56\r\n\r\n4712;"Müller; Anna";Öhringer Str. 2;89,9\r\n';
    const rows = await collect(readFirstSheet({ path: csv(iconv.encode(text, 'win1252')) }, 'csv', LIMITS));
    expect(texts(rows)).toEqual([
      [1, 'Stadtwerke Muster GmbH – Mahnliste', '', '', ''],
      [2, 'Stand: 03.11.2026', '', '', ''],
      [3, 'Kunden-Nr.', 'Name', 'Straße', 'Offener Betrag (EUR)'],
      [4, '4711', 'Jürgen Weiß', 'Schloßallee 1', '1.234,56'],
      [6, '4712', 'Müller; Anna', 'Öhringer Str. 2', '89,9'],
    ]);
  });

  it('reads the CSV sample list', async () => {
    const path = new URL('../../../examples/mahnliste-stadtwerke-muster.csv', import.meta.url).pathname;
    const rows = await collect(readFirstSheet({ path }, 'csv', LIMITS));
    expect(cellText(rows[0]!.cells[0])).toBe('Stadtwerke Muster GmbH – Mahnliste November 2026');
    expect(rows[2]!.cells).toContain('Straße');
    expect(rows).toHaveLength(28);
  });

  it('reads UTF-8 with BOM and commas, with quoted line breaks', async () => {
    const rows = await collect(readFirstSheet({ path: csv('\uFEFFKundennummer,Name,Betrag\n1,"Weiß, Anna",12.50\n2,"Zeile1\nZeile2",3\n3,Genève,4\n') }, 'csv', LIMITS));
    expect(texts(rows)).toEqual([
      [1, 'Kundennummer', 'Name', 'Betrag'],
      [2, '1', 'Weiß, Anna', '12.50'],
      [3, '2', 'Zeile1\nZeile2', '3'],
      [4, '3', 'Genève', '4'],
    ]);
  });

  it('reads UTF-8 without BOM even when the first umlaut comes late', async () => {
    const text = `Kundennummer;Name\n${Array.from({ length: 5000 }, (_, i) => `${i};Anna`).join('\n')}\n5000;Müller\n`;
    const rows = await collect(readFirstSheet({ path: csv(text) }, 'csv', LIMITS));
    expect(rows.at(-1)!.cells[1]).toBe('Müller');
  });

  it('reads tab-separated UTF-16LE (Excel "Unicode text")', async () => {
    const content = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Kundennummer\tName\tBetrag\r\n1\tWeiß\t1.234,56\r\n', 'utf16le')]);
    expect(texts(await collect(readFirstSheet({ path: csv(content) }, 'csv', LIMITS)))).toEqual([
      [1, 'Kundennummer', 'Name', 'Betrag'],
      [2, '1', 'Weiß', '1.234,56'],
    ]);
  });

  it('honours Excel’s sep= line and does not count it as a row', async () => {
    const rows = await collect(readFirstSheet({ path: csv('sep=,\nKundennummer,Name;Vorname\n1,Weiß;Anna\n') }, 'csv', LIMITS));
    expect(texts(rows)).toEqual([
      [1, 'Kundennummer', 'Name;Vorname'],
      [2, '1', 'Weiß;Anna'],
    ]);
  });

  it('unwraps ="0721…" (Excel’s way to keep leading zeros) and tolerates ragged rows', async () => {
    const rows = await collect(readFirstSheet({ path: csv('Kd;Tel\n1;="0721 123456"\n2;0721;extra;cells\n3\n') }, 'csv', LIMITS));
    expect(texts(rows)).toEqual([
      [1, 'Kd', 'Tel'],
      [2, '1', '0721 123456'],
      [3, '2', '0721', 'extra', 'cells'],
      [4, '3'],
    ]);
  });

  it('refuses a CSV over the size limit (too_large) and too many rows', async () => {
    const path = csv('a;b\n1;2\n3;4\n');
    expect((await refusal(path, 'csv', { ...LIMITS, maxUncompressedBytes: 5 })).code).toBe('too_large');
    expect((await refusal(path, 'csv', { ...LIMITS, maxRows: 2 })).code).toBe('too_many_rows');
  });

  it('refuses a "CSV" without line breaks as corrupt', async () => {
    const err = await refusal(csv(`a;${'x'.repeat(1_100_000)}`), 'csv');
    expect(err.code).toBe('corrupt');
    expect(err.message).toContain('row longer than');
  });
});

/** Rewrites one entry of an archive (text), keeping the others, via our own ZIP builder. */
async function rewriteEntry(path: string, name: string, edit: (xml: string) => string): Promise<Buffer> {
  const archive = await readZipDirectory(path);
  const bytes = readFileSync(path);
  const parts: ZipPart[] = [];
  for (const entry of archive.entries.values()) {
    const start = entry.localHeaderOffset + 30 + bytes.readUInt16LE(entry.localHeaderOffset + 26) + bytes.readUInt16LE(entry.localHeaderOffset + 28);
    const raw = bytes.subarray(start, start + entry.compressedSize);
    const data = entry.method === 8 ? inflateRawSync(raw) : raw;
    parts.push({ name: entry.name, data: entry.name === name ? edit(data.toString('utf8')) : data });
  }
  return buildZip(parts);
}
