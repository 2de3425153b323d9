import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeNpy, isTavtError } from "@tavt/core";
import { describe, expect, it } from "vitest";
import {
  adjustedRandIndex,
  buildAuditorySpaceFromFile,
  type KMeansProgress,
  kmeans,
  kmeansStream,
  memoryPoints,
  openNpyPoints,
  type PointSource,
  predict,
  readNpy,
} from "../src";
import { blobs } from "./blobs";

const dir = mkdtempSync(join(tmpdir(), "clusters-stream-"));

/** A .npy header (format 1.0) for the given dtype, order and shape, padded to 64 bytes as numpy does. */
function npyHeader(descr: string, fortran: boolean, shape: number[]): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? "True" : "False"}, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const text = `${dict.padEnd(total - 10 - 1, " ")}\n`;
  const out = new Uint8Array(total);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, text.length, true);
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  return out;
}

function write(name: string, ...parts: Uint8Array[]): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
  return path;
}

/** A source that records the largest read and the rows read, to show the data is never held whole. */
function watched(inner: PointSource) {
  const seen = { largest: 0, rows: 0 };
  const source: PointSource = {
    ...inner,
    read(start, count, out) {
      seen.largest = Math.max(seen.largest, count);
      seen.rows += count;
      inner.read(start, count, out);
    },
  };
  return { source, seen };
}

describe("kmeansStream (mini-batch k-means over points read in chunks)", () => {
  const n = 30000;
  const dim = 8;
  const { data, truth } = blobs(8, n, dim, 10, 8, 1);

  it("finds the planted clusters and comes within 1% of full-batch Lloyd's inertia, reading small chunks", () => {
    const { source, seen } = watched(memoryPoints(data, n, dim));
    const events: KMeansProgress[] = [];
    // 4 blocks of 256 rows per chunk: 1,024 of the 30,000 rows in memory at once.
    const r = kmeansStream(source, {
      k: 10,
      seed: 1,
      batchSize: 512,
      chunkBytes: 4 * 256 * dim * 4,
      blockRows: 256,
      onProgress: (p) => events.push(p),
    });
    expect(r.chunkRows).toBe(1024);
    expect(seen.largest).toBeLessThanOrEqual(r.chunkRows);
    expect(seen.rows).toBe(r.rowsRead);
    expect(r.rowsRead).toBeGreaterThanOrEqual(n); // at least the final inertia pass
    const full = kmeans(data, n, dim, { k: 10, seed: 1 });
    const labels = predict(data, n, dim, r.centers);
    expect(adjustedRandIndex(labels, truth)).toBeGreaterThan(0.99);
    expect(r.inertia / full.inertia).toBeLessThan(1.01);
    expect(r.inertia / full.inertia).toBeGreaterThan(0.999);
    expect(r.converged).toBe(true);
    expect(events.filter((e) => e.phase === "mini-batch").length).toBe(r.steps);
    expect(events.at(-1)).toMatchObject({ phase: "run-done", inertia: r.inertia });
  });

  it("gives the inertia of its centres over all points (direct form)", () => {
    const r = kmeansStream(memoryPoints(data, n, dim), { k: 10, seed: 2, batchSize: 256, chunkBytes: 1 << 16 });
    const labels = predict(data, n, dim, r.centers);
    let want = 0;
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < dim; d++) want += (data[i * dim + d]! - r.centers[labels[i]! * dim + d]!) ** 2;
    }
    expect(Math.abs(r.inertia - want)).toBeLessThanOrEqual(1e-3 * want);
  });

  it("is deterministic under a seed, and the seed matters", () => {
    const o = { k: 10, batchSize: 256, chunkBytes: 1 << 16, blockRows: 128 };
    const a = kmeansStream(memoryPoints(data, n, dim), { ...o, seed: 5 });
    const b = kmeansStream(memoryPoints(data, n, dim), { ...o, seed: 5 });
    const c = kmeansStream(memoryPoints(data, n, dim), { ...o, seed: 6 });
    expect(Array.from(b.centers)).toEqual(Array.from(a.centers));
    expect(b.inertia).toBe(a.inertia);
    expect(Array.from(c.centers)).not.toEqual(Array.from(a.centers));
  });

  it("rejects k larger than N and a bad batch size, naming the field", () => {
    const src = memoryPoints(data.subarray(0, 5 * dim), 5, dim);
    expect(() => kmeansStream(src, { k: 6 })).toThrow(/k=6 is larger than the number of points \(5\)/);
    expect(() => kmeansStream(src, { k: 2, batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
  });
});

describe("openNpyPoints and buildAuditorySpaceFromFile", () => {
  const n = 5000;
  const dim = 6;
  const { data } = blobs(3, n, dim, 7, 6, 1);

  it("reads rows of float32 and float64 files as readNpy does", () => {
    const f4 = write("f4.npy", encodeNpy(data, [n, dim]));
    const f8 = write("f8.npy", npyHeader("<f8", false, [n, dim]), new Uint8Array(Float64Array.from(data).buffer));
    for (const path of [f4, f8]) {
      const file = openNpyPoints(path);
      try {
        expect([file.n, file.dim]).toEqual([n, dim]);
        const out = new Float32Array(3 * dim);
        file.read(1234, 3, out);
        expect(Array.from(out)).toEqual(Array.from(data.subarray(1234 * dim, 1237 * dim)));
        const whole = new Float32Array(n * dim);
        file.read(0, n, whole);
        expect(Array.from(whole)).toEqual(Array.from(readNpy(path).data));
      } finally {
        file.close();
      }
    }
  });

  it("builds the same space from the file as kmeansStream over the same points in memory", () => {
    const path = write("units.npy", encodeNpy(data, [n, dim]));
    const space = buildAuditorySpaceFromFile(path, { k: 7, seed: 4, miniBatch: 256, chunkBytes: 1 << 14 });
    const mem = kmeansStream(memoryPoints(data, n, dim), { k: 7, seed: 4, batchSize: 256, chunkBytes: 1 << 14 });
    expect(Array.from(space.centers)).toEqual(Array.from(mem.centers));
    expect(space.inertia).toBe(mem.inertia);
    expect([space.k, space.dim, space.n, space.unit, space.source]).toEqual([7, dim, n, 1, path]);
    expect(space.chunkRows).toBeLessThan(n);
  });

  it("names the file, row and column of a non-finite value", () => {
    const bad = Float32Array.from(data);
    bad[4321 * dim + 2] = Number.NaN;
    const path = write("nan.npy", encodeNpy(bad, [n, dim]));
    let caught: unknown;
    try {
      buildAuditorySpaceFromFile(path, { k: 7, miniBatch: 256 });
    } catch (e) {
      caught = e;
    }
    expect(isTavtError(caught) && caught.code).toBe("BAD_INPUT");
    expect((caught as Error).message).toBe(`${path}: NaN at row 4321, column 2; k-means needs finite values`);
  });

  it("rejects Fortran order, other dtypes, other ranks and truncated files with the file and the reason", () => {
    const body = new Uint8Array(data.buffer);
    const cases: [string, Uint8Array[], RegExp][] = [
      ["fortran.npy", [npyHeader("<f4", true, [n, dim]), body], /Fortran-order .* needs C order/],
      ["int.npy", [npyHeader("<i4", false, [n, dim]), body], /dtype '<i4'.*'<f4'.*'<f8'/],
      ["big-endian.npy", [npyHeader(">f4", false, [n, dim]), body], /dtype '>f4'/],
      [
        "rank3.npy",
        [npyHeader("<f4", false, [10, 5, dim]), body],
        /expected a 2-D array \[N, D\] of points, got shape \(10, 5, 6\)/,
      ],
      [
        "short.npy",
        [npyHeader("<f4", false, [n, dim]), body.subarray(0, 100)],
        /truncated data: \[5000, 6\] '<f4' needs/,
      ],
    ];
    for (const [name, parts, message] of cases) {
      const path = write(name, ...parts);
      expect(() => openNpyPoints(path)).toThrow(message);
      expect(() => openNpyPoints(path)).toThrow(path);
    }
    expect(() => openNpyPoints(join(dir, "missing.npy"))).toThrow(/file not found/);
  });
});
