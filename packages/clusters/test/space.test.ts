import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isTavtError, tf } from "@tavt/core";
import { describe, expect, it } from "vitest";
import {
  adjustedRandIndex,
  assignUnits,
  buildAuditorySpace,
  buildAuditorySpaceFromPoints,
  cutUnits,
  loadAuditorySpace,
  saveAuditorySpace,
} from "../src";
import { blobs } from "./blobs";

describe("units (section 3.2 and appendix D.1, pooled as eq. 1)", () => {
  it("cuts sequences into units of T frames and mean-pools them; a shorter last unit is the mean of its frames", () => {
    // dim 2, 5 frames: (1,10) (2,20) (3,30) (4,40) (5,50); T = 2 -> means of frames 0-1, 2-3, 4
    const a = { data: new Float32Array([1, 10, 2, 20, 3, 30, 4, 40, 5, 50]), frames: 5, dim: 2 };
    const b = { data: new Float32Array([7, 70, 9, 90]), frames: 2, dim: 2 };
    const empty = { data: new Float32Array(0), frames: 0, dim: 2 };
    const u = cutUnits([a, empty, b], 2);
    expect(u.n).toBe(4);
    expect(Array.from(u.data)).toEqual([1.5, 15, 3.5, 35, 5, 50, 8, 80]);
    expect(Array.from(u.sequence)).toEqual([0, 0, 0, 2]);
  });
});

describe("auditory space", () => {
  // Audio sequences whose units come from 6 planted sound types: each unit of T frames is one type plus noise.
  const T = 4;
  const { centres: protos } = blobs(21, 1, 16, 6, 6, 0); // 6 sound types, [6, 16]
  const { data: noise } = blobs(22, 40 * 3 * T, 16, 1, 0, 0.3);
  const truth: number[] = [];
  const sequences = Array.from({ length: 40 }, (_, s) => {
    const frames = 3 * T;
    const data = new Float32Array(frames * 16);
    for (let u = 0; u < 3; u++) {
      const type = (s * 3 + u) % 6;
      truth.push(type);
      for (let f = u * T; f < (u + 1) * T; f++) {
        for (let d = 0; d < 16; d++) {
          data[f * 16 + d] = protos[type * 16 + d]! + noise[(s * frames + f) * 16 + d]!;
        }
      }
    }
    return { data, frames, dim: 16 };
  });

  it("clusters the units into the planted prototypes and round-trips through safetensors", () => {
    const space = buildAuditorySpace(sequences, { k: 6, unit: T, seed: 4, nInit: 2, source: "planted test audio" });
    expect([space.k, space.dim, space.unit, space.n]).toEqual([6, 16, T, 120]);
    expect(space.seconds).toBeGreaterThanOrEqual(0);
    const labels = sequences.flatMap((s) => Array.from(assignUnits(space, s)));
    expect(adjustedRandIndex(labels, truth)).toBe(1);

    const dir = mkdtempSync(join(tmpdir(), "clusters-space-"));
    const path = join(dir, "space.safetensors");
    saveAuditorySpace(path, space);
    expect(readdirSync(dir)).toEqual(["space.safetensors"]); // written atomically, no temp file left
    const back = loadAuditorySpace(path);
    expect(Array.from(back.centers)).toEqual(Array.from(space.centers));
    expect(back).toMatchObject({
      k: 6,
      dim: 16,
      unit: T,
      inertia: space.inertia,
      seed: 4,
      source: "planted test audio",
      n: 120,
      iterations: space.iterations,
    });
  });

  it("saving and loading leave no tensors behind", () => {
    const space = buildAuditorySpace(sequences, { k: 6, unit: T, seed: 4 });
    const path = join(mkdtempSync(join(tmpdir(), "clusters-leak-")), "space.safetensors");
    saveAuditorySpace(path, space);
    loadAuditorySpace(path);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      saveAuditorySpace(path, space);
      loadAuditorySpace(path);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("builds from points that are already units", () => {
    const { data } = blobs(23, 300, 8, 3, 5, 1);
    const space = buildAuditorySpaceFromPoints({ data, n: 300, dim: 8 }, { k: 3, seed: 1 });
    expect([space.k, space.dim, space.unit, space.n]).toEqual([3, 8, 1, 300]);
  });

  it("loading reports missing files, non-safetensors files and files without the centres", () => {
    const dir = mkdtempSync(join(tmpdir(), "clusters-bad-"));
    const expectError = (path: string, code: string, pattern: RegExp) => {
      try {
        loadAuditorySpace(path);
        expect.unreachable();
      } catch (e) {
        expect(isTavtError(e) && e.code).toBe(code);
        expect((e as Error).message).toMatch(pattern);
      }
    };
    expectError(join(dir, "none.safetensors"), "NOT_FOUND", /auditory space file not found/);
    writeFileSync(join(dir, "text.safetensors"), "hello, world");
    expectError(join(dir, "text.safetensors"), "CHECKPOINT_CORRUPT", /not a valid safetensors file/);
    const other = join(dir, "other.safetensors");
    const header = Buffer.from(JSON.stringify({ w: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(header.length));
    writeFileSync(other, Buffer.concat([len, header, Buffer.alloc(4)]));
    expectError(other, "BAD_FILE", /expected a tensor "centers" \[K, D\]/);
    expect(existsSync(join(dir, "none.safetensors"))).toBe(false);
  });
});
