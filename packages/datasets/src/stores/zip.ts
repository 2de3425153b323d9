import { closeSync, fstatSync, openSync, readSync, writeSync } from "node:fs";
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
    if (at < 0) throw bad(this.file, "not a zip/.npz archive (no end-of-central-directory record)");
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

  /** A member's whole uncompressed content. */
  read(entry: ZipEntry): Uint8Array {
    this.checkMethod(entry);
    const raw = readAt(this.handle(), this.dataOffset(entry), entry.compressedSize);
    if (raw.length < entry.compressedSize) throw bad(this.file, `member ${entry.name} is truncated`);
    return entry.method === 0 ? raw : new Uint8Array(inflateRawSync(raw));
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

/** CRC-32 (the zip/PNG polynomial) of a byte array. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Write a zip archive of stored (uncompressed) members atomically, one member at a time (as numpy's `savez`
 * does, without compression). Archives must stay under 4 GiB (no Zip64 on write): use HDF5 or `.npy` for more.
 */
export function writeZipStored(file: string, members: Iterable<{ name: string; data: Uint8Array }>): void {
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
      if (offset + 30 + nameBytes.length + data.length >= U32_MAX) {
        throw new TavtError("BAD_INPUT", `${file}: archive would exceed 4 GiB; write HDF5 or a .npy directory`, {
          file,
        });
      }
      const crc = crc32(data);
      const local = new Uint8Array(30 + nameBytes.length);
      const lv = new DataView(local.buffer);
      lv.setUint32(0, LOCAL, true);
      lv.setUint16(4, 20, true); // version needed: 2.0
      lv.setUint16(8, 0, true); // stored
      lv.setUint32(14, crc, true);
      lv.setUint32(18, data.length, true);
      lv.setUint32(22, data.length, true);
      lv.setUint16(26, nameBytes.length, true);
      local.set(nameBytes, 30);
      const rec = new Uint8Array(46 + nameBytes.length);
      const rv = new DataView(rec.buffer);
      rv.setUint32(0, CENTRAL, true);
      rv.setUint16(4, 20, true);
      rv.setUint16(6, 20, true);
      rv.setUint32(16, crc, true);
      rv.setUint32(20, data.length, true);
      rv.setUint32(24, data.length, true);
      rv.setUint16(28, nameBytes.length, true);
      rv.setUint32(42, offset, true);
      rec.set(nameBytes, 46);
      central.push(rec);
      put(local);
      put(data);
      count++;
    }
    if (count > 0xfffe) throw new TavtError("BAD_INPUT", `${file}: more than 65534 members; write HDF5 instead`);
    const cdOffset = offset;
    let cdSize = 0;
    for (const rec of central) {
      put(rec);
      cdSize += rec.length;
    }
    const end = new Uint8Array(22);
    const ev = new DataView(end.buffer);
    ev.setUint32(0, EOCD, true);
    ev.setUint16(8, count, true);
    ev.setUint16(10, count, true);
    ev.setUint32(12, cdSize, true);
    ev.setUint32(16, cdOffset, true);
    put(end);
  });
}
