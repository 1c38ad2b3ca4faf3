/** Fixture builders for the import tests: files are generated into a temp dir, never committed. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, type Transform } from 'node:stream';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import type { FileKind } from './file-kind.js';
import { openWorkbook, type RawRow, type ReadLimits } from './read-sheet.js';

/** `text` through a fresh `transform`, fed in chunks of `size` characters (all at once without). */
export async function throughChunks(transform: Transform, text: string, size = text.length): Promise<string> {
  let out = '';
  for await (const part of Readable.from(text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? []).pipe(transform)) out += String(part);
  return out;
}

export function tempDir(): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mahn-import-'));
  return { dir, file: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A small workbook; rows are exceljs cell values, the first sheet is `Liste`. */
export async function writeXlsx(path: string, rows: unknown[][], extraSheets: string[] = []): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Liste');
  for (const row of rows) ws.addRow(row as ExcelJS.CellValue[]);
  for (const name of extraSheets) wb.addWorksheet(name).addRow(['other sheet']);
  await wb.xlsx.writeFile(path);
}

/** A large workbook written with the streaming writer (shared strings like Excel). */
export async function writeLargeXlsx(path: string, header: string[], rowCount: number, row: (i: number) => unknown[]): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: false });
  const ws = wb.addWorksheet('Liste');
  ws.addRow(header).commit();
  for (let i = 0; i < rowCount; i++) ws.addRow(row(i) as ExcelJS.CellValue[]).commit();
  ws.commit();
  await wb.commit();
}

export const STANDARD_HEADER = ['Kundennummer', 'Name', 'Straße', 'PLZ', 'Ort', 'Telefon', 'Offener Betrag (EUR)', 'Vertragskonto'];

export function standardRow(i: number): unknown[] {
  return [
    `K${100000 + i}`,
    `Müller-${i} Weiß`,
    `Hauptstraße ${(i % 200) + 1}`,
    String(10000 + (i % 89999)).padStart(5, '0'),
    'Karlsruhe',
    `0721 ${String(1000000 + (i % 8999999))}`,
    Math.round(((i * 37) % 500000) + 100) / 100,
    `VK-${i}`,
  ];
}

export function writeText(path: string, content: string | Buffer): void {
  writeFileSync(path, content);
}

export interface ZipPart {
  name: string;
  data: string | Buffer;
  /** 0 stored, 8 deflate (default). */
  method?: 0 | 8;
  /** Lie about the inflated size in the headers (zip-bomb tests). */
  declaredSize?: number;
}

/** A plain ZIP archive (local headers, central directory, end record), entries in the given order. */
export function buildZip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const data = Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data, 'utf8');
    const method = part.method ?? 8;
    const body = method === 8 ? deflateRawSync(data) : data;
    const name = Buffer.from(part.name, 'utf8');
    const crc = crc32(data);
    const size = part.declaredSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/**
 * A hand-written workbook in Excel's own entry order (worksheets before sharedStrings.xml),
 * for cell shapes exceljs' writer does not produce. `sheets` are `<sheetData>` inner XML.
 */
export function excelLikeXlsx(options: {
  sheets: { name: string; rowsXml: string; state?: 'hidden' }[];
  sharedStrings?: string[];
  stylesXml?: string;
  date1904?: boolean;
  sheetParts?: Partial<ZipPart>[];
}): Buffer {
  const { sheets, sharedStrings } = options;
  const workbook = `${XML}<workbook ${NS}><workbookPr${options.date1904 ? ' date1904="1"' : ''}/><sheets>${sheets
    .map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`)
    .join('')}</sheets></workbook>`;
  const rels = `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
    .map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
    .join('')}<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
  const parts: ZipPart[] = [
    { name: '[Content_Types].xml', data: `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>` },
    { name: 'xl/workbook.xml', data: workbook },
    { name: 'xl/_rels/workbook.xml.rels', data: rels },
    ...sheets.map((s, i) => ({
      name: `xl/worksheets/sheet${i + 1}.xml`,
      data: `${XML}<worksheet ${NS}><sheetData>${s.rowsXml}</sheetData></worksheet>`,
      ...(options.sheetParts?.[i] ?? {}),
    })),
  ];
  if (options.stylesXml) parts.push({ name: 'xl/styles.xml', data: options.stylesXml });
  if (sharedStrings) {
    parts.push({
      name: 'xl/sharedStrings.xml',
      data: `${XML}<sst ${NS} count="${sharedStrings.length}" uniqueCount="${sharedStrings.length}">${sharedStrings.map((s) => (s.startsWith('<') ? `<si>${s}</si>` : `<si><t xml:space="preserve">${escapeXml(s)}</t></si>`)).join('')}</sst>`,
    });
  }
  return buildZip(parts);
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The first two sectors of an OLE2 compound file (the container of .xls and of encrypted
 * .xlsx): header magic and a directory sector holding the given stream names in UTF-16LE.
 */
export function buildOle2(streamNames: string[]): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x003e, 24);
  header.writeUInt16LE(0x0003, 26);
  header.writeUInt16LE(0xfffe, 28);
  header.writeUInt16LE(9, 30);
  const names = ['Root Entry', ...streamNames];
  const directory = Buffer.alloc(Math.max(512, names.length * 128));
  names.forEach((name, i) => {
    const encoded = Buffer.from(`${name}\0`, 'utf16le');
    encoded.copy(directory, i * 128);
    directory.writeUInt16LE(encoded.length, i * 128 + 64);
    directory.writeUInt8(i === 0 ? 5 : 2, i * 128 + 66);
  });
  return Buffer.concat([header, directory]);
}

/** Collects everything an async iterable yields (tests only: real code streams). */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** The rows of the first visible sheet (what the reader tests look at), as one stream. */
export async function* readFirstSheet(input: { path: string }, kind: FileKind, limits: ReadLimits): AsyncGenerator<RawRow> {
  const sheets = await openWorkbook(input, kind, limits);
  const sheet = sheets.find((s) => !s.hidden) ?? sheets[0];
  if (sheet) yield* sheet.rows();
}
