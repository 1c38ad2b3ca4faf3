import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { PassThrough, Transform, pipeline, type Readable, type TransformCallback } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import { ImportFileError } from './import-file-error.js';

/**
 * A minimal random-access ZIP reader for `.xlsx` files: reads the central directory, then
 * streams single entries, inflating them through a byte counter. Why not let exceljs unzip:
 * its streaming reader (unzipper) trusts the local headers, cannot bound what it inflates,
 * spools every worksheet that precedes `sharedStrings.xml` (Excel's order) to a temp file,
 * and decodes UTF-8 chunk by chunk so an umlaut split across two chunks turns into U+FFFD
 * (exceljs issues #2063, #2316). Here the archive's own directory decides what is read.
 */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export interface ZipArchive {
  entries: Map<string, ZipEntry>;
  /** Where the central directory starts; no entry data may reach past it. */
  dataEnd: number;
}

/** A decompression budget shared by all entries read from one archive. */
export interface InflateBudget {
  remaining: number;
  limit: number;
}

const EOCD_SIGNATURE = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const EOCD64_LOCATOR_SIG = 0x07064b50;
const EOCD64_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const MAX_ENTRIES = 10_000;

const corrupt = (why: string) =>
  new ImportFileError('corrupt', `The workbook is damaged (${why}). Open it in Excel, save it again as .xlsx and upload it again.`);

export async function readZipDirectory(path: string): Promise<ZipArchive> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size < 22) throw corrupt('file too short for a ZIP archive');
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = await readAt(file, size - tailLength, tailLength);
    const eocd = tail.lastIndexOf(EOCD_SIGNATURE);
    if (eocd < 0 || eocd + 22 > tail.length) throw corrupt('no ZIP end record, the file is probably truncated');
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    const eocdAbsolute = size - tailLength + eocd;
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      ({ count, cdSize, cdOffset } = await readZip64End(file, eocdAbsolute));
    }
    if (count > MAX_ENTRIES) {
      throw new ImportFileError('zip_bomb', `The workbook archive has ${count} entries; a workbook has a few dozen at most.`);
    }
    if (cdOffset + cdSize > eocdAbsolute) throw corrupt('central directory outside the file');
    const cd = await readAt(file, cdOffset, cdSize);
    return { entries: parseCentralDirectory(cd, count, cdOffset), dataEnd: cdOffset };
  } finally {
    await file.close();
  }
}

async function readZip64End(file: FileHandle, eocdAbsolute: number) {
  if (eocdAbsolute < 20) throw corrupt('ZIP64 locator missing');
  const locator = await readAt(file, eocdAbsolute - 20, 20);
  if (locator.readUInt32LE(0) !== EOCD64_LOCATOR_SIG) throw corrupt('ZIP64 locator missing');
  const end = await readAt(file, safeNumber(locator.readBigUInt64LE(8)), 56);
  if (end.readUInt32LE(0) !== EOCD64_SIG) throw corrupt('ZIP64 end record missing');
  return {
    count: safeNumber(end.readBigUInt64LE(32)),
    cdSize: safeNumber(end.readBigUInt64LE(40)),
    cdOffset: safeNumber(end.readBigUInt64LE(48)),
  };
}

function parseCentralDirectory(cd: Buffer, count: number, dataEnd: number): Map<string, ZipEntry> {
  const entries = new Map<string, ZipEntry>();
  let pos = 0;
  for (let i = 0; i < count; i++) {
    if (pos + 46 > cd.length || cd.readUInt32LE(pos) !== CENTRAL_SIG) throw corrupt('broken central directory');
    const nameLength = cd.readUInt16LE(pos + 28);
    const extraLength = cd.readUInt16LE(pos + 30);
    const commentLength = cd.readUInt16LE(pos + 32);
    const entry: ZipEntry = {
      name: cd.toString('utf8', pos + 46, pos + 46 + nameLength),
      flags: cd.readUInt16LE(pos + 8),
      method: cd.readUInt16LE(pos + 10),
      crc: cd.readUInt32LE(pos + 16),
      compressedSize: cd.readUInt32LE(pos + 20),
      uncompressedSize: cd.readUInt32LE(pos + 24),
      localHeaderOffset: cd.readUInt32LE(pos + 42),
    };
    applyZip64Extra(entry, cd.subarray(pos + 46 + nameLength, pos + 46 + nameLength + extraLength));
    if (entry.localHeaderOffset + 30 > dataEnd) throw corrupt(`entry ${entry.name} points outside the archive`);
    entries.set(entry.name.replace(/\\/g, '/'), entry);
    pos += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** ZIP64 keeps sizes and offsets that overflow 32 bits in extra field 0x0001, in this order. */
function applyZip64Extra(entry: ZipEntry, extra: Buffer): void {
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(p);
    const length = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      let q = p + 4;
      const next = () => {
        if (q + 8 > p + 4 + length) throw corrupt('broken ZIP64 field');
        const v = safeNumber(extra.readBigUInt64LE(q));
        q += 8;
        return v;
      };
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
      return;
    }
    p += 4 + length;
  }
}

/**
 * Streams one entry's content, inflated, as UTF-8 text chunks (decoded across chunk
 * boundaries). Fails with `zip_bomb` as soon as the shared budget is spent or the entry
 * inflates past the size its header declared (a lying header), and with `corrupt` on a bad
 * deflate stream or CRC mismatch. Errors arrive as the stream's `error` event.
 */
export async function openEntryText(path: string, archive: ZipArchive, entry: ZipEntry, budget: InflateBudget): Promise<Readable> {
  if (entry.flags & 0x1) {
    throw new ImportFileError('password_protected', 'The workbook is encrypted. Remove the password in Excel and upload it again.');
  }
  if (entry.method !== 0 && entry.method !== 8) throw corrupt(`entry ${entry.name} uses unsupported compression method ${entry.method}`);
  const file = await open(path, 'r');
  let header: Buffer;
  try {
    header = await readAt(file, entry.localHeaderOffset, 30);
  } finally {
    await file.close();
  }
  if (header.readUInt32LE(0) !== LOCAL_SIG) throw corrupt(`entry ${entry.name} has no local header`);
  const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (start + entry.compressedSize > archive.dataEnd) throw corrupt(`entry ${entry.name} runs past the end of the archive`);

  const raw =
    entry.compressedSize === 0
      ? emptyStream()
      : createReadStream(path, { start, end: start + entry.compressedSize - 1, highWaterMark: 256 * 1024 });
  const inflate = entry.method === 8 ? createInflateRaw() : new PassThrough();
  const counter = new InflateCounter(entry, budget);
  counter.setEncoding('utf8');
  // pipeline destroys every stage on the first error, so the consumer's stream errors too.
  return pipeline(raw, inflate, counter, () => {});
}

class InflateCounter extends Transform {
  private bytes = 0;
  private crc = 0;

  constructor(
    private readonly entry: ZipEntry,
    private readonly budget: InflateBudget,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.budget.remaining -= chunk.length;
    if (this.budget.remaining < 0) return done(zipBomb(this.budget.limit));
    if (this.bytes > this.entry.uncompressedSize) {
      return done(
        new ImportFileError(
          'zip_bomb',
          `The workbook entry ${this.entry.name} inflates to more than the ${this.entry.uncompressedSize} bytes it declares; the file was refused as a possible zip bomb.`,
        ),
      );
    }
    this.crc = crc32(chunk, this.crc);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.bytes !== this.entry.uncompressedSize) return done(corrupt(`entry ${this.entry.name} is shorter than declared`));
    if (this.crc >>> 0 !== this.entry.crc >>> 0) return done(corrupt(`checksum mismatch in ${this.entry.name}`));
    done();
  }
}

export function zipBomb(limit: number): ImportFileError {
  return new ImportFileError(
    'zip_bomb',
    `The workbook decompresses to more than ${formatBytes(limit)}; the file was refused as too large or a possible zip bomb. Remove unused sheets, images and formatting, or split the list.`,
    { limitBytes: limit },
  );
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MB` : `${Math.round(n / 1024)} KB`;
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  if (bytesRead !== length) throw corrupt('unexpected end of file');
  return buffer;
}

function safeNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt('ZIP64 value out of range');
  return Number(v);
}

function emptyStream(): Readable {
  const s = new PassThrough();
  s.end();
  return s;
}
