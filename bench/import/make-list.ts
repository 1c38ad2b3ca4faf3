import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';

/** Bump when the generated content changes, so a cached file of the old shape is not reused. */
const VERSION = 1;

export const HEADERS = ['Kunden-Nr.', 'Name', 'Straße', 'PLZ', 'Ort', 'Telefon', 'Offener Betrag (EUR)', 'Vertragskonto'];

const FIRST = ['Anna', 'Jürgen', 'Özlem', 'Karl-Heinz', 'Sabine', 'Björn', 'Maria', 'Günther', 'Lea', 'Murat', 'Renée', 'Thomas'];
const LAST = ['Müller', 'Schmidt', 'Weiß', 'Schäfer', 'Yılmaz', 'Hoffmann', 'Groß', 'Köhler', 'Becker', 'Nowak', 'Krüger', 'Fuchs'];
const STREETS = ['Hauptstraße', 'Bahnhofstr.', 'Schillerstraße', 'Am Mühlbach', 'Goethestraße', 'Lindenallee', 'Kirchweg', 'Gartenstraße'];
/** Postal code, city and the city's area code: landline numbers are valid in their area. */
const CITIES = [
  ['10115', 'Berlin', '030'],
  ['60311', 'Frankfurt am Main', '069'],
  ['20095', 'Hamburg', '040'],
  ['50667', 'Köln', '0221'],
  ['80331', 'München', '089'],
  ['01067', 'Dresden', '0351'],
  ['76133', 'Karlsruhe', '0721'],
] as const;

/** A German number written the ways lists write them: landline, mobile, international, with slashes and brackets. */
function phone(i: number, areaCode: string): string {
  const sub = String(2_000_000 + ((i * 7919) % 7_000_000)); // 7 digits, never a leading 0 or 1
  switch (i % 5) {
    case 0:
      return `${areaCode} ${sub}`;
    case 1:
      return `(${areaCode}) ${sub.slice(0, 3)} ${sub.slice(3)}`;
    case 2:
      return `0151 ${sub}${i % 10}`; // mobile: 0151 + 8 digits
    case 3:
      return `+49 ${areaCode.slice(1)} ${sub}`;
    default:
      return `${areaCode}/${sub}`;
  }
}

/** Mostly numeric cells, some written as German text (`1.234,56 €`), as real lists mix them. */
function amount(i: number): number | string {
  const cents = 1_000 + ((i * 104_729) % 500_000);
  if (i % 10 !== 9) return cents / 100;
  const [euros, rest] = [Math.floor(cents / 100), String(cents % 100).padStart(2, '0')];
  return `${euros.toLocaleString('de-DE')},${rest} €`;
}

/**
 * The bench's list: `rows` data rows of 8 columns (DESIGN.md section 13) under a title row, with
 * shared strings as Excel writes them, every row valid. Written once per row count to the temp
 * dir (via a temporary name, so an interrupted write is never reused).
 */
export async function benchList(rows: number): Promise<string> {
  const path = join(tmpdir(), `mahnanrufe-bench-import-${rows}-v${VERSION}.xlsx`);
  if (existsSync(path)) return path;
  const partial = `${path}.${process.pid}.partial`;
  try {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: partial, useSharedStrings: true, useStyles: true });
    const ws = wb.addWorksheet('Mahnliste');
    ws.addRow(['Stadtwerke Muster GmbH – Mahnliste']).commit();
    ws.addRow(HEADERS).commit();
    for (let i = 0; i < rows; i++) {
      const [plz, city, area] = CITIES[i % CITIES.length]!;
      ws.addRow([
        4_000_000 + i,
        `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`,
        `${STREETS[i % STREETS.length]} ${(i % 150) + 1}`,
        plz,
        city,
        phone(i, area),
        amount(i),
        `2100${10_000_000 + i}`,
      ]).commit();
    }
    ws.commit();
    await wb.commit();
    await rename(partial, path);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return path;
}
