import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { type FlatParams, type ParamTree, tf, unflatten } from "../src";

// Fixtures written by tools/golden/core.py (PyTorch, float64): `/usr/bin/python3 tools/golden/core.py`.
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../../tools/fixtures/core");

export interface Json {
  shape: number[];
  data: number[];
}

export const loadFixture = <T>(name: string): T =>
  JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8")) as T;

export const fromJson = (j: Json, dtype: "float32" | "int32" = "float32"): tf.Tensor =>
  tf.tensor(j.data, j.shape, dtype);

export function treeFromJson(flat: Record<string, Json>): ParamTree {
  const out: FlatParams = {};
  for (const [k, v] of Object.entries(flat)) out[k] = fromJson(v);
  return unflatten(out);
}

/** The largest |got - want| over all elements. */
export function maxAbsErr(got: tf.Tensor, want: Json): number {
  const g = got.dataSync();
  let worst = 0;
  want.data.forEach((w, i) => {
    const d = Math.abs(g[i]! - w);
    worst = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(worst, d);
  });
  return worst;
}

/** Same shape, and max abs error at most `tol` (NaN counts as infinitely wrong). */
export function expectClose(got: tf.Tensor, want: Json, tol: number, what: string): void {
  expect(got.shape, `${what}: shape`).toEqual(want.shape);
  expect(maxAbsErr(got, want), `${what}: max abs error`).toBeLessThanOrEqual(tol);
}
