import { existsSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeNpy } from "@tavt/core";
import { loadMsrvttAnnotations, loadMsvdAnnotations, writeFeatureStore } from "@tavt/datasets";

/** The shared data directory beside the repository (absent from a user's clone: tests that need it skip). */
export const SHARED_DATA = resolve(fileURLToPath(new URL("../../..", import.meta.url)), "..", "shared", "data");
export const MSRVTT_DIR = join(SHARED_DATA, "msrvtt");
export const MSVD_DIR = join(SHARED_DATA, "msvd");

/** Why the real-data tests cannot run here, or null when the annotation releases are present. */
export function missingData(): string | null {
  for (const d of [MSRVTT_DIR, MSVD_DIR]) {
    if (!existsSync(d))
      return `${d} is absent (the MSR-VTT and MSVD annotation releases; see docs/reproduce-msrvtt.md)`;
  }
  return null;
}

export type StoreFormat = "hdf5" | "npy" | "npz";

/** A seeded stream of uniform numbers (mulberry32): the same features on every run and machine. */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Stand-in features of one video: `[frames, dim]`, uniform in [-1, 1), seeded by the video's index and `seed`. */
export function fakeFeatures(index: number, frames: number, dim: number, seed: number): Float32Array {
  const next = uniform(index * 7919 + seed * 104729 + 1);
  const out = new Float32Array(frames * dim);
  for (let i = 0; i < out.length; i++) out[i] = next() * 2 - 1;
  return out;
}

/**
 * Write stand-in features for `ids` in one of the documented layouts (@tavt/datasets `writeFeatureStore`): an HDF5
 * file with one dataset per id at the root, a directory of `<id>.npy`, or an `.npz`. Returns the path written.
 */
export async function writeFakeStore(
  format: StoreFormat,
  path: string,
  ids: readonly string[],
  shape: { frames: number; dim: number; seed: number },
): Promise<string> {
  await writeFeatureStore(
    path,
    format,
    (function* () {
      for (let i = 0; i < ids.length; i++) {
        yield {
          id: ids[i]!,
          data: fakeFeatures(i, shape.frames, shape.dim, shape.seed),
          shape: [shape.frames, shape.dim] as const,
        };
      }
    })(),
  );
  return path;
}

/** Every MSR-VTT video id of the release ("video0" ... "video9999"). */
export function msrvttIds(): string[] {
  return loadMsrvttAnnotations(MSRVTT_DIR).map((v) => v.id);
}

/** Every MSVD video id of the caption release ("vid1" ... "vid1970"). */
export function msvdIds(): string[] {
  return loadMsvdAnnotations(MSVD_DIR).map((v) => v.id);
}

/** A 2-D `.npy` of pooled audio units [n, dim]: an external audio corpus for `space.corpus`. */
export function writeFakeCorpus(path: string, n: number, dim: number, seed: number): string {
  writeFileSync(path, encodeNpy(fakeFeatures(0, n, dim, seed), [n, dim]));
  return path;
}
