import { TavtError } from "@tavt/core";

/** One member of a zip archive, from its central directory record. */
export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  localHeaderOffset: number;
}

/** Where an archive's bytes come from: a file descriptor (zip.ts) or bytes in memory (a browser's File). */
export interface ZipSource {
  readonly size: number;
  /** Up to `length` bytes from `position` (fewer at the end of the data). */
  readAt(position: number, length: number): Uint8Array;
  close(): void;
}

/** Raw-deflate decompression of one member: all of it, or at least its first `length` bytes. */
export interface ZipInflater {
  inflate(raw: Uint8Array, entry: ZipEntry): Uint8Array;
  inflatePrefix(raw: Uint8Array, entry: ZipEntry, length: number): Uint8Array;
}

export const EOCD = 0x06054b50;
export const EOCD64 = 0x06064b50;
export const EOCD64_LOCATOR = 0x07064b50;
export const CENTRAL = 0x02014b50;
export const LOCAL = 0x04034b50;
export const U32_MAX = 0xffffffff;

function bad(file: string, what: string): TavtError {
  return new TavtError("BAD_FILE", `${file}: ${what}`, { file });
}

/** A ZipSource over bytes in memory. */
export function bytesSource(bytes: Uint8Array): ZipSource {
  return {
    size: bytes.length,
    readAt: (position, length) => bytes.subarray(Math.max(0, position), Math.min(bytes.length, position + length)),
    close: () => undefined,
  };
}

const u64 = (v: DataView, at: number) => Number(v.getBigUint64(at, true));

/**
 * A zip archive read lazily from a source: opening reads only the end-of-central-directory record and the central
 * directory (Zip64 included, which numpy's `savez` writes); members are read on demand. `file` names it in errors.
 */
export class ZipArchive {
  readonly file: string;
  readonly entries: Map<string, ZipEntry>;
  private source: ZipSource | null;
  private readonly inflater: ZipInflater;

  constructor(file: string, source: ZipSource, inflater: ZipInflater) {
    this.file = file;
    this.source = source;
    this.inflater = inflater;
    try {
      this.entries = this.readCentralDirectory();
    } catch (e) {
      this.close();
      throw e;
    }
  }

  private handle(): ZipSource {
    if (this.source === null) throw new TavtError("BAD_INPUT", `${this.file}: archive is closed`, { file: this.file });
    return this.source;
  }

  private readCentralDirectory(): Map<string, ZipEntry> {
    const src = this.handle();
    const size = src.size;
    const tailLen = Math.min(size, 22 + 65535);
    const tail = src.readAt(size - tailLen, tailLen);
    const tv = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
    let at = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tv.getUint32(i, true) === EOCD) {
        at = i;
        break;
      }
    }
    if (at < 0) {
      throw bad(this.file, "truncated or not a zip/.npz archive (no end-of-central-directory record at its end)");
    }
    let count = tv.getUint16(at + 10, true);
    let cdSize = tv.getUint32(at + 12, true);
    let cdOffset = tv.getUint32(at + 16, true);
    if (count === 0xffff || cdSize === U32_MAX || cdOffset === U32_MAX) {
      const loc = at - 20;
      if (loc < 0 || tv.getUint32(loc, true) !== EOCD64_LOCATOR) throw bad(this.file, "Zip64 locator missing");
      const rec = src.readAt(u64(tv, loc + 8), 56);
      const rv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
      if (rec.length < 56 || rv.getUint32(0, true) !== EOCD64) throw bad(this.file, "Zip64 end record missing");
      count = u64(rv, 32);
      cdSize = u64(rv, 40);
      cdOffset = u64(rv, 48);
    }
    const cd = src.readAt(cdOffset, cdSize);
    const v = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
    const out = new Map<string, ZipEntry>();
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || v.getUint32(p, true) !== CENTRAL) throw bad(this.file, "corrupt central directory");
      const nameLen = v.getUint16(p + 28, true);
      const extraLen = v.getUint16(p + 30, true);
      const commentLen = v.getUint16(p + 32, true);
      const entry: ZipEntry = {
        name: new TextDecoder().decode(cd.subarray(p + 46, p + 46 + nameLen)),
        method: v.getUint16(p + 10, true),
        crc32: v.getUint32(p + 16, true),
        compressedSize: v.getUint32(p + 20, true),
        size: v.getUint32(p + 24, true),
        localHeaderOffset: v.getUint32(p + 42, true),
      };
      // Zip64 extended information (header id 1): only the fields that overflowed, in this order.
      let e = p + 46 + nameLen;
      const end = e + extraLen;
      while (e + 4 <= end) {
        const id = v.getUint16(e, true);
        const len = v.getUint16(e + 2, true);
        if (id === 1) {
          let q = e + 4;
          if (entry.size === U32_MAX) {
            entry.size = u64(v, q);
            q += 8;
          }
          if (entry.compressedSize === U32_MAX) {
            entry.compressedSize = u64(v, q);
            q += 8;
          }
          if (entry.localHeaderOffset === U32_MAX) entry.localHeaderOffset = u64(v, q);
        }
        e += 4 + len;
      }
      out.set(entry.name, entry);
      p = end + commentLen;
    }
    return out;
  }

  private dataOffset(entry: ZipEntry): number {
    const h = this.handle().readAt(entry.localHeaderOffset, 30);
    const hv = new DataView(h.buffer, h.byteOffset, h.byteLength);
    if (h.length < 30 || hv.getUint32(0, true) !== LOCAL) throw bad(this.file, `corrupt local header of ${entry.name}`);
    return entry.localHeaderOffset + 30 + hv.getUint16(26, true) + hv.getUint16(28, true);
  }

  private checkMethod(entry: ZipEntry): void {
    if (entry.method !== 0 && entry.method !== 8) {
      throw bad(this.file, `member ${entry.name} uses zip method ${entry.method} (expected stored or deflated)`);
    }
  }

  /** A member's compressed bytes as stored (what the inflater gets), checked to be all there. */
  compressed(entry: ZipEntry): Uint8Array {
    this.checkMethod(entry);
    const raw = this.handle().readAt(this.dataOffset(entry), entry.compressedSize);
    if (raw.length < entry.compressedSize) {
      throw bad(this.file, `member ${entry.name} is truncated (${raw.length} of ${entry.compressedSize} bytes)`);
    }
    return raw;
  }

  /** A member's whole uncompressed content, its size and CRC-32 checked against the central directory. */
  read(entry: ZipEntry): Uint8Array {
    this.checkMethod(entry);
    const raw = this.handle().readAt(this.dataOffset(entry), entry.compressedSize);
    if (raw.length < entry.compressedSize) {
      throw bad(this.file, `member ${entry.name} is truncated (${raw.length} of ${entry.compressedSize} bytes)`);
    }
    let data: Uint8Array;
    if (entry.method === 0) data = raw;
    else {
      try {
        data = this.inflater.inflate(raw, entry);
      } catch (e) {
        throw bad(this.file, `member ${entry.name} is corrupt (deflate: ${(e as Error).message})`);
      }
    }
    if (data.length !== entry.size) {
      throw bad(this.file, `member ${entry.name} is corrupt (${data.length} bytes, the directory says ${entry.size})`);
    }
    const crc = crc32(data);
    if (crc !== entry.crc32) {
      throw bad(
        this.file,
        `member ${entry.name} is corrupt (CRC-32 ${hex32(crc)}, the directory says ${hex32(entry.crc32)})`,
      );
    }
    return data;
  }

  /** About the first `length` uncompressed bytes of a member (enough for a header), without reading it whole. */
  readPrefix(entry: ZipEntry, length: number): Uint8Array {
    this.checkMethod(entry);
    const offset = this.dataOffset(entry);
    if (entry.method === 0) return this.handle().readAt(offset, Math.min(length, entry.compressedSize));
    const raw = this.handle().readAt(offset, Math.min(entry.compressedSize, length + 1024));
    try {
      return this.inflater.inflatePrefix(raw, entry, length).subarray(0, length);
    } catch (e) {
      throw bad(this.file, `member ${entry.name} is corrupt (deflate: ${(e as Error).message})`);
    }
  }

  close(): void {
    this.source?.close();
    this.source = null;
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export const hex32 = (v: number) => `0x${v.toString(16).padStart(8, "0")}`;

let fastCrc32: ((data: Uint8Array) => number) | null = null;

/** zip.ts installs Node's own CRC-32 (zlib's, from Node 20.15 and 22.2); elsewhere the table below computes it. */
export function setFastCrc32(fn: ((data: Uint8Array) => number) | null): void {
  fastCrc32 = fn;
}

/** CRC-32 (the zip/PNG polynomial) of a byte array. */
export function crc32(bytes: Uint8Array): number {
  if (fastCrc32) return fastCrc32(bytes) >>> 0;
  return crc32Table(bytes);
}

/** CRC-32 by the byte table: what `crc32` falls back to where Node has no `zlib.crc32`. */
export function crc32Table(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
