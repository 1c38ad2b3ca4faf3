import { ALLOWED_FILES, ImportFileError } from './import-file-error.js';

export type FileKind = 'xlsx' | 'csv';

/** How many bytes `detectFileKind` wants to see; more is fine, less may misjudge text. */
export const SNIFF_BYTES = 64 * 1024;

const ZIP_LOCAL = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ZIP_EMPTY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const UTF16LE_BOM = Buffer.from([0xff, 0xfe]);
const UTF16BE_BOM = Buffer.from([0xfe, 0xff]);

/** Stream names of an encrypted OOXML package (MS-OFFCRYPTO), as stored in the OLE2 directory. */
const ENCRYPTED_STREAMS = ['EncryptionInfo', 'EncryptedPackage'].map((n) => Buffer.from(n, 'utf16le'));

/** Well-known signatures of files people upload by mistake, for a friendlier message. */
const KNOWN_BINARIES: { magic: Buffer; what: string }[] = [
  { magic: Buffer.from('%PDF-'), what: 'a PDF document' },
  { magic: Buffer.from([0x89, 0x50, 0x4e, 0x47]), what: 'a PNG image' },
  { magic: Buffer.from([0xff, 0xd8, 0xff]), what: 'a JPEG image' },
  { magic: Buffer.from('GIF8'), what: 'a GIF image' },
  { magic: Buffer.from([0x1f, 0x8b]), what: 'a gzip archive' },
  { magic: Buffer.from('Rar!'), what: 'a RAR archive' },
  { magic: Buffer.from([0x37, 0x7a, 0xbc, 0xaf]), what: 'a 7-Zip archive' },
  { magic: Buffer.from('{\\rtf'), what: 'an RTF document' },
];

/**
 * Decides from the first bytes of an upload (ideally `SNIFF_BYTES` of them) whether it is an
 * `.xlsx` workbook or a CSV text file, whatever its name says. The filename is only used to
 * word the message. Throws `ImportFileError` for everything else: legacy `.xls`,
 * password-protected workbooks (Excel wraps those in an OLE2 container), ZIP archives that are
 * not workbooks, PDFs, images and other binaries.
 *
 * A ZIP counts as a workbook when the head names `xl/` entries; `openWorkbook` checks the
 * central directory for `xl/workbook.xml` again and refuses the file there if it is missing.
 */
export function detectFileKind(head: Buffer, filename: string): FileKind {
  const name = filename || 'the file';
  if (head.length === 0) throw new ImportFileError('not_spreadsheet', `${name} is empty. ${ALLOWED_FILES}`);
  if (startsWith(head, ZIP_LOCAL)) {
    const what = zipContents(head);
    if (what === 'workbook') return 'xlsx';
    throw new ImportFileError('not_spreadsheet', `${name} is ${what}. ${ALLOWED_FILES}`);
  }
  if (startsWith(head, ZIP_EMPTY)) throw new ImportFileError('not_spreadsheet', `${name} is an empty ZIP archive. ${ALLOWED_FILES}`);
  if (startsWith(head, OLE2)) {
    if (ENCRYPTED_STREAMS.some((s) => head.includes(s))) {
      throw new ImportFileError(
        'password_protected',
        `${name} is password-protected (encrypted). Remove the password in Excel (File > Info > Protect Workbook > Encrypt with Password, clear it) and upload it again.`,
      );
    }
    throw new ImportFileError(
      'xls_format',
      `${name} is in the old Excel 97-2003 format (.xls). Open it in Excel and save it as "Excel Workbook (*.xlsx)", then upload it again.`,
    );
  }
  for (const { magic, what } of KNOWN_BINARIES) {
    if (startsWith(head, magic)) throw new ImportFileError('not_spreadsheet', `${name} is ${what}, not a spreadsheet. ${ALLOWED_FILES}`);
  }
  if (startsWith(head, UTF16LE_BOM) || startsWith(head, UTF16BE_BOM)) return 'csv';
  if (looksLikeText(head)) return 'csv';
  throw new ImportFileError('not_spreadsheet', `${name} is not a spreadsheet (binary content). ${ALLOWED_FILES}`);
}

/**
 * Entry names stand uncompressed in the ZIP's local headers, so the head shows what the archive
 * holds. A workbook whose `xl/` entries lie beyond the head (a huge first entry) still counts as
 * one when it is an OOXML package at all; `openWorkbook` then checks its central directory.
 */
function zipContents(head: Buffer): 'workbook' | string {
  if (head.includes('xl/')) return 'workbook';
  if (head.includes('word/')) return 'a Word document';
  if (head.includes('ppt/')) return 'a PowerPoint presentation';
  if (head.includes('mimetypeapplication/vnd.oasis.opendocument.spreadsheet')) {
    return 'an OpenDocument spreadsheet (.ods): open it and save it as .xlsx';
  }
  if (head.includes('[Content_Types].xml') && head.length >= SNIFF_BYTES) return 'workbook';
  return 'a ZIP archive but not an Excel workbook';
}

/**
 * Text = no NUL bytes and few control characters. Any byte sequence without NULs is valid
 * cp1252 apart from five unassigned bytes, so "valid UTF-8 or cp1252" reduces to this.
 */
function looksLikeText(head: Buffer): boolean {
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  }
  return control <= head.length / 100;
}

function startsWith(buf: Buffer, magic: Buffer): boolean {
  return buf.length >= magic.length && buf.subarray(0, magic.length).equals(magic);
}
