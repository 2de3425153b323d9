import { closeSync, fstatSync, openSync, readSync, writeSync } from "node:fs";
import * as zlib from "node:zlib";
import { constants, inflateRawSync } from "node:zlib";
import { TavtError } from "@tavt/core";
import { writeFileAtomicStream } from "./atomicFile";
import {
  CENTRAL,
  crc32,
  EOCD,
  EOCD64,
  EOCD64_LOCATOR,
  LOCAL,
  setFastCrc32,
  U32_MAX,
  ZipArchive,
  type ZipInflater,
  type ZipSource,
} from "./zipRead";

export { bytesSource, crc32, crc32Table, ZipArchive, type ZipEntry, type ZipInflater, type ZipSource } from "./zipRead";

/** Node's own CRC-32 (zlib's, from Node 20.15 and 22.2), else zipRead.ts's table. */
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
if (nativeCrc32) setFastCrc32((b) => nativeCrc32(b));

/** zlib's raw inflate, synchronous. */
export const zlibInflater: ZipInflater = {
  inflate: (raw) => new Uint8Array(inflateRawSync(raw)),
  inflatePrefix: (raw) => new Uint8Array(inflateRawSync(raw, { finishFlush: constants.Z_SYNC_FLUSH })),
};

function fdSource(file: string): ZipSource {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    throw new TavtError("NOT_FOUND", `${file}: file not found`, { file });
  }
  return {
    size: fstatSync(fd).size,
    readAt(position, length) {
      const buf = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const n = readSync(fd, buf, got, length - got, position + got);
        if (n === 0) break;
        got += n;
      }
      return got === length ? buf : buf.subarray(0, got);
    },
    close: () => closeSync(fd),
  };
}

/**
 * A zip archive file read lazily through a file descriptor: opening reads only the end-of-central-directory record
 * and the central directory (Zip64 included, which numpy's `savez` writes); members are read on demand.
 */
export class ZipReader extends ZipArchive {
  constructor(file: string) {
    super(file, fdSource(file), zlibInflater);
  }
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
