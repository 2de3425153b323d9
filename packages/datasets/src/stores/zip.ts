import { closeSync, fstatSync, openSync, readSync, writeSync } from "node:fs";
import * as zlib from "node:zlib";
import { constants, inflateRawSync } from "node:zlib";
import { TavtError } from "@tavt/core";
import { writeFileAtomicStream } from "./atomicFile";

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

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32_MAX = 0xffffffff;

function bad(file: string, what: string): TavtError {
  return new TavtError("BAD_FILE", `${file}: ${what}`, { file });
}

function readAt(fd: number, position: number, length: number): Uint8Array {
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? buf : buf.subarray(0, got);
}

const u64 = (v: DataView, at: number) => Number(v.getBigUint64(at, true));

/**
 * A zip archive read lazily through a file descriptor: opening reads only the end-of-central-directory record
 * and the central directory (Zip64 included, which numpy's `savez` writes); members are read on demand.
 */
export class ZipReader {
  readonly file: string;
  readonly entries: Map<string, ZipEntry>;
  private fd: number | null;

  constructor(file: string) {
    this.file = file;
    try {
      this.fd = openSync(file, "r");
    } catch {
      throw new TavtError("NOT_FOUND", `${file}: file not found`, { file });
    }
    try {
      this.entries = this.readCentralDirectory();
    } catch (e) {
      this.close();
      throw e;
    }
  }

  private handle(): number {
    if (this.fd === null) throw new TavtError("BAD_INPUT", `${this.file}: archive is closed`, { file: this.file });
    return this.fd;
  }

  private readCentralDirectory(): Map<string, ZipEntry> {
    const fd = this.handle();
    const size = fstatSync(fd).size;
    const tailLen = Math.min(size, 22 + 65535);
    const tail = readAt(fd, size - tailLen, tailLen);
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
      const rec = readAt(fd, u64(tv, loc + 8), 56);
      const rv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
      if (rec.length < 56 || rv.getUint32(0, true) !== EOCD64) throw bad(this.file, "Zip64 end record missing");
      count = u64(rv, 32);
      cdSize = u64(rv, 40);
      cdOffset = u64(rv, 48);
    }
    const cd = readAt(fd, cdOffset, cdSize);
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
    const h = readAt(this.handle(), entry.localHeaderOffset, 30);
    const hv = new DataView(h.buffer, h.byteOffset, h.byteLength);
    if (h.length < 30 || hv.getUint32(0, true) !== LOCAL) throw bad(this.file, `corrupt local header of ${entry.name}`);
    return entry.localHeaderOffset + 30 + hv.getUint16(26, true) + hv.getUint16(28, true);
  }

  private checkMethod(entry: ZipEntry): void {
    if (entry.method !== 0 && entry.method !== 8) {
      throw bad(this.file, `member ${entry.name} uses zip method ${entry.method} (expected stored or deflated)`);
    }
  }

  /** A member's whole uncompressed content, its size and CRC-32 checked against the central directory. */
  read(entry: ZipEntry): Uint8Array {
    this.checkMethod(entry);
    const raw = readAt(this.handle(), this.dataOffset(entry), entry.compressedSize);
    if (raw.length < entry.compressedSize) {
      throw bad(this.file, `member ${entry.name} is truncated (${raw.length} of ${entry.compressedSize} bytes)`);
    }
    let data: Uint8Array;
    if (entry.method === 0) data = raw;
    else {
      try {
        data = new Uint8Array(inflateRawSync(raw));
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
    if (entry.method === 0) return readAt(this.handle(), offset, Math.min(length, entry.compressedSize));
    const raw = readAt(this.handle(), offset, Math.min(entry.compressedSize, length + 1024));
    return new Uint8Array(inflateRawSync(raw, { finishFlush: constants.Z_SYNC_FLUSH })).subarray(0, length);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
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

const hex32 = (v: number) => `0x${v.toString(16).padStart(8, "0")}`;

/** Node's own CRC-32 (zlib's, from Node 20.15 and 22.2), else the table below. */
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** CRC-32 (the zip/PNG polynomial) of a byte array. */
export function crc32(bytes: Uint8Array): number {
  if (nativeCrc32) return nativeCrc32(bytes) >>> 0;
  return crc32Table(bytes);
}

/** CRC-32 by the byte table: what `crc32` falls back to where Node has no `zlib.crc32`. */
export function crc32Table(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface WriteZipOptions {
  /**
   * "auto" (default): Zip64 records only where a size or offset reaches 4 GiB or there are more than 65534
   * members, as Python's zipfile does; "always": Zip64 records for every member and the end of the archive.
   */
  zip64?: "auto" | "always";
}

/** A little-endian record builder. */
function record(length: number): { bytes: Uint8Array; v: DataView } {
  const bytes = new Uint8Array(length);
  return { bytes, v: new DataView(bytes.buffer) };
}

/**
 * Write a zip archive of stored (uncompressed) members atomically, one member at a time (as numpy's `savez`
 * does, without compression). Past 4 GiB (a member, an offset or the directory) or 65534 members, the archive
 * uses Zip64 records, which numpy, Python's zipfile and `ZipReader` read.
 */
export function writeZipStored(
  file: string,
  members: Iterable<{ name: string; data: Uint8Array }>,
  options: WriteZipOptions = {},
): void {
  const always = options.zip64 === "always";
  writeFileAtomicStream(file, (fd) => {
    const central: Uint8Array[] = [];
    let offset = 0;
    let count = 0;
    const put = (b: Uint8Array) => {
      writeSync(fd, b);
      offset += b.length;
    };
    for (const { name, data } of members) {
      const nameBytes = new TextEncoder().encode(name);
      const crc = crc32(data);
      const size = data.length;
      const bigSize = always || size >= U32_MAX;
      const bigOffset = always || offset >= U32_MAX;
      const version = bigSize || bigOffset ? 45 : 20; // 4.5: Zip64; 2.0: plain
      // Local header: a Zip64 extra field there holds both sizes (APPNOTE 4.5.3).
      const localExtra = bigSize ? 20 : 0;
      const local = record(30 + nameBytes.length + localExtra);
      local.v.setUint32(0, LOCAL, true);
      local.v.setUint16(4, version, true);
      local.v.setUint16(8, 0, true); // stored
      local.v.setUint32(14, crc, true);
      local.v.setUint32(18, bigSize ? U32_MAX : size, true);
      local.v.setUint32(22, bigSize ? U32_MAX : size, true);
      local.v.setUint16(26, nameBytes.length, true);
      local.v.setUint16(28, localExtra, true);
      local.bytes.set(nameBytes, 30);
      if (bigSize) {
        const at = 30 + nameBytes.length;
        local.v.setUint16(at, 1, true);
        local.v.setUint16(at + 2, 16, true);
        local.v.setBigUint64(at + 4, BigInt(size), true);
        local.v.setBigUint64(at + 12, BigInt(size), true);
      }
      // Central record: the Zip64 extra field holds only the fields that overflowed, in the order of APPNOTE 4.5.3.
      const extra: number[] = [...(bigSize ? [size, size] : []), ...(bigOffset ? [offset] : [])];
      const centralExtra = extra.length ? 4 + 8 * extra.length : 0;
      const rec = record(46 + nameBytes.length + centralExtra);
      rec.v.setUint32(0, CENTRAL, true);
      rec.v.setUint16(4, version, true);
      rec.v.setUint16(6, version, true);
      rec.v.setUint32(16, crc, true);
      rec.v.setUint32(20, bigSize ? U32_MAX : size, true);
      rec.v.setUint32(24, bigSize ? U32_MAX : size, true);
      rec.v.setUint16(28, nameBytes.length, true);
      rec.v.setUint16(30, centralExtra, true);
      rec.v.setUint32(42, bigOffset ? U32_MAX : offset, true);
      rec.bytes.set(nameBytes, 46);
      if (extra.length) {
        const at = 46 + nameBytes.length;
        rec.v.setUint16(at, 1, true);
        rec.v.setUint16(at + 2, 8 * extra.length, true);
        for (const [i, x] of extra.entries()) rec.v.setBigUint64(at + 4 + 8 * i, BigInt(x), true);
      }
      central.push(rec.bytes);
      put(local.bytes);
      put(data);
      count++;
    }
    const cdOffset = offset;
    let cdSize = 0;
    for (const rec of central) {
      put(rec);
      cdSize += rec.length;
    }
    const big = always || count > 0xfffe || cdSize >= U32_MAX || cdOffset >= U32_MAX;
    if (big) {
      const eocd64At = offset;
      const e64 = record(56);
      e64.v.setUint32(0, EOCD64, true);
      e64.v.setBigUint64(4, 44n, true); // size of the rest of this record
      e64.v.setUint16(12, 45, true);
      e64.v.setUint16(14, 45, true);
      e64.v.setBigUint64(24, BigInt(count), true);
      e64.v.setBigUint64(32, BigInt(count), true);
      e64.v.setBigUint64(40, BigInt(cdSize), true);
      e64.v.setBigUint64(48, BigInt(cdOffset), true);
      put(e64.bytes);
      const loc = record(20);
      loc.v.setUint32(0, EOCD64_LOCATOR, true);
      loc.v.setBigUint64(8, BigInt(eocd64At), true);
      loc.v.setUint32(16, 1, true); // total number of disks
      put(loc.bytes);
    }
    const end = record(22);
    end.v.setUint32(0, EOCD, true);
    end.v.setUint16(8, big ? 0xffff : count, true);
    end.v.setUint16(10, big ? 0xffff : count, true);
    end.v.setUint32(12, big ? U32_MAX : cdSize, true);
    end.v.setUint32(16, big ? U32_MAX : cdOffset, true);
    put(end.bytes);
  });
}
