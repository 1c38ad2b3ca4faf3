import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFileKind } from './file-kind.js';
import { ImportFileError } from './import-file-error.js';
import { buildOle2, buildZip, tempDir, writeXlsx } from './test-helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function refusal(head: Buffer, filename = 'liste.xlsx'): ImportFileError {
  try {
    detectFileKind(head, filename);
  } catch (err) {
    if (err instanceof ImportFileError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('detectFileKind', () => {
  it('recognises an xlsx written by exceljs, whatever the file is called', async () => {
    const path = tmp.file('a.xlsx');
    await writeXlsx(path, [['Kundennummer']]);
    expect(detectFileKind(readFileSync(path), 'a.xlsx')).toBe('xlsx');
    expect(detectFileKind(readFileSync(path), 'upload.bin')).toBe('xlsx');
  });

  it('recognises the sample list', () => {
    const head = readFileSync(new URL('../../../examples/mahnliste-stadtwerke-muster.xlsx', import.meta.url)).subarray(0, 65536);
    expect(detectFileKind(head, 'mahnliste.xlsx')).toBe('xlsx');
  });

  it.each([
    ['UTF-8', Buffer.from('Kundennummer;Name;Telefon\n1;Müller;0721 123\n', 'utf8')],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Kundennummer,Name\n', 'utf8')])],
    ['cp1252', Buffer.from([0x4b, 0x75, 0x6e, 0x64, 0x65, 0x3b, 0x53, 0x74, 0x72, 0x61, 0xdf, 0x65, 0x0d, 0x0a, 0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72])],
    ['UTF-16LE (Excel "Unicode text")', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Kunde\tName\r\n', 'utf16le')])],
  ])('recognises CSV text in %s', (_, head) => {
    expect(detectFileKind(head, 'liste.csv')).toBe('csv');
  });

  it('refuses a legacy .xls with "save as .xlsx"', () => {
    const err = refusal(buildOle2(['Workbook', '\u0005SummaryInformation']), 'liste.xls');
    expect(err.code).toBe('xls_format');
    expect(err.message).toMatch(/Excel 97-2003 format \(\.xls\)/);
    expect(err.message).toContain('save it as "Excel Workbook (*.xlsx)"');
    expect(err.message).toContain('liste.xls');
  });

  it('refuses a password-protected workbook (OLE2 container with EncryptionInfo)', () => {
    const err = refusal(buildOle2(['EncryptionInfo', 'EncryptedPackage', '\u0006DataSpaces']));
    expect(err.code).toBe('password_protected');
    expect(err.message).toMatch(/password-protected/);
    expect(err.message).toMatch(/Remove the password/);
  });

  it.each([
    ['a PDF', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n', 'latin1'), 'a PDF document'],
    ['a PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]), 'a PNG image'],
    ['a JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]), 'a JPEG image'],
    ['a Word document', buildZip([{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'word/document.xml', data: '<w/>' }]), 'a Word document'],
    ['an ODS spreadsheet', buildZip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet', method: 0 }]), 'OpenDocument'],
    ['a plain ZIP', buildZip([{ name: 'readme.txt', data: 'hello' }]), 'not an Excel workbook'],
    ['random binary', Buffer.from([0x00, 0x01, 0x02, 0x03, 0x00, 0xff, 0x10, 0x00]), 'binary content'],
    ['an empty file', Buffer.alloc(0), 'is empty'],
  ])('refuses %s as not a spreadsheet', (_, head, what) => {
    const err = refusal(head);
    expect(err.code).toBe('not_spreadsheet');
    expect(err.message).toContain(what);
    expect(err.message).toContain('Allowed are .xlsx workbooks');
  });
});
