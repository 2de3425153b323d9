import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openFeatureStore, writeFeatureStore } from "../src";
import { crc32, crc32Table, writeZipStored, ZipReader } from "../src/stores/zip";

const PYTHON = "/usr/bin/python3";
const tmp = mkdtempSync(join(tmpdir(), "tavt-zip-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function thrown(f: () => unknown): Error & { code?: string } {
  try {
    f();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error("expected a throw");
}

/** Three members of different sizes, a fixed pattern. */
const members = () =>
  [5, 300, 70_000].map((n, m) => ({
    name: `m${m}.bin`,
    data: Uint8Array.from({ length: n }, (_, i) => (i * 31 + m * 7) & 0xff),
  }));

describe("zip members are checked when read", () => {
  it("CRC-32 is the zip polynomial (check value of APPNOTE / ISO 3309: 0xCBF43926 for '123456789')", () => {
    const check = new TextEncoder().encode("123456789");
    expect(crc32(check)).toBe(0xcbf43926);
    expect(crc32Table(check)).toBe(0xcbf43926);
    const big = members()[2]!.data;
    expect(crc32(big)).toBe(crc32Table(big));
  });

  it("a member whose bytes changed: a BAD_FILE error naming the archive, the member and the CRC", async () => {
    const file = join(tmp, "flip.npz");
    await writeFeatureStore(file, "npz", [
      { id: "a", data: Float32Array.from({ length: 12 }, (_, i) => i), shape: [3, 4] },
      { id: "b", data: Float32Array.from({ length: 12 }, (_, i) => -i), shape: [3, 4] },
    ]);
    const bytes = readFileSync(file);
    // the last float of member b.npy: stored members lie in order, b's data ends just before the central directory
    const zip = new ZipReader(file);
    const b = zip.entries.get("b.npy")!;
    zip.close();
    const at = b.localHeaderOffset + 30 + "b.npy".length + b.compressedSize - 1;
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(file, bytes);
    const store = await openFeatureStore(file);
    expect(Array.from(store.read("a"))).toEqual(Array.from({ length: 12 }, (_, i) => i)); // a is intact
    const e = thrown(() => store.read("b"));
    store.close();
    expect(e.code).toBe("BAD_FILE");
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/member b\.npy is corrupt \(CRC-32 0x[0-9a-f]{8}, the directory says 0x[0-9a-f]{8}\)/);
  });

  it("a deflated member (np.savez_compressed) whose bytes changed is a BAD_FILE error, never garbage", async () => {
    const src = join(__dirname, "..", "..", "..", "tools", "fixtures", "datasets", "features_compressed.npz");
    const bytes = readFileSync(src);
    const zip = new ZipReader(src);
    const [name, entry] = [...zip.entries].find(([n]) => n.endsWith(".npy"))!;
    zip.close();
    const at = entry.localHeaderOffset + 30 + new TextEncoder().encode(name).length + (entry.compressedSize >> 1);
    bytes[at] = bytes[at]! ^ 0x5a;
    const file = join(tmp, "deflated.npz");
    writeFileSync(file, bytes);
    const bad = new ZipReader(file);
    const e = thrown(() => bad.read(bad.entries.get(name)!));
    bad.close();
    expect(e.code).toBe("BAD_FILE");
    expect(e.message).toContain(file);
    expect(e.message).toContain(`member ${name} is corrupt`);
  });

  it("an archive cut off in the middle of a member is a BAD_FILE error at open", () => {
    const file = join(tmp, "whole.zip");
    writeZipStored(file, members());
    const bytes = readFileSync(file);
    const zip = new ZipReader(file);
    const last = zip.entries.get("m2.bin")!;
    zip.close();
    const cut = join(tmp, "cut.zip");
    writeFileSync(cut, bytes.subarray(0, last.localHeaderOffset + 30 + 6 + 1000));
    const e = thrown(() => new ZipReader(cut));
    expect(e.code).toBe("BAD_FILE");
    expect(e.message).toContain(cut);
    expect(e.message).toMatch(/truncated or not a zip/);
  });
});

describe("Zip64 on write", () => {
  it("an archive written with Zip64 records reads back through ZipReader, every member checked", () => {
    const file = join(tmp, "z64.zip");
    writeZipStored(file, members(), { zip64: "always" });
    const zip = new ZipReader(file);
    for (const m of members()) expect(zip.read(zip.entries.get(m.name)!)).toEqual(m.data);
    zip.close();
    // the end of the archive: Zip64 end record, its locator, then the classic record with 0xffff / 0xffffffff
    const bytes = readFileSync(file);
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(v.getUint32(bytes.length - 22, true)).toBe(0x06054b50);
    expect(v.getUint16(bytes.length - 22 + 10, true)).toBe(0xffff);
    expect(v.getUint32(bytes.length - 42, true)).toBe(0x07064b50);
    expect(v.getUint32(bytes.length - 98, true)).toBe(0x06064b50);
  });

  it.skipIf(!existsSync(PYTHON))(
    "Python's zipfile reads the Zip64 archive and finds every CRC right (needs /usr/bin/python3)",
    () => {
      const file = join(tmp, "z64-py.zip");
      writeZipStored(file, members(), { zip64: "always" });
      const out = execFileSync(
        PYTHON,
        [
          "-c",
          [
            "import sys, zipfile, hashlib",
            "z = zipfile.ZipFile(sys.argv[1])",
            "assert z.testzip() is None",
            "print(' '.join(f'{i.filename}:{i.file_size}:{hashlib.sha256(z.read(i)).hexdigest()[:16]}' for i in z.infolist()))",
          ].join("\n"),
          file,
        ],
        { encoding: "utf8" },
      ).trim();
      const want = members()
        .map((m) => `${m.name}:${m.data.length}:${createHash("sha256").update(m.data).digest("hex").slice(0, 16)}`)
        .join(" ");
      expect(out).toBe(want);
    },
  );

  it("without Zip64 needs (auto), the archive is classic zip, as before", () => {
    const file = join(tmp, "classic.zip");
    writeZipStored(file, members());
    const bytes = readFileSync(file);
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(v.getUint16(bytes.length - 22 + 10, true)).toBe(3);
    expect(v.getUint32(bytes.length - 42, true)).not.toBe(0x07064b50);
  });
});
