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

/** The absolute part of every golden comparison (float32 holds about 7 digits). */
export const ATOL = 1e-6;

/**
 * As torch.allclose(got, want, rtol, atol): same shape and |got - want| <= atol + rtol * |want| everywhere (NaN
 * fails). The message names the worst element. (tools/test-utils/fixture.ts has the same check for the other
 * packages; core's tests keep their own helpers so that they need nothing outside the package.)
 */
export function expectClose(got: tf.Tensor, want: Json, rtol: number, what: string, atol = ATOL): void {
  expect(got.shape, `${what}: shape`).toEqual(want.shape);
  const g = got.dataSync();
  let worst = { i: -1, ratio: 0 };
  want.data.forEach((w, i) => {
    const d = Math.abs(g[i]! - w);
    const ratio = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d / (atol + rtol * Math.abs(w));
    if (ratio > worst.ratio || worst.i < 0) worst = { i, ratio };
  });
  const at = `[${worst.i}] got ${g[worst.i]}, want ${want.data[worst.i]} (atol ${atol}, rtol ${rtol})`;
  expect(worst.ratio, `${what}: ${at}`).toBeLessThanOrEqual(1);
}

/**
 * As torch.allclose(got, want, rtol, atol, equal_nan=True) on plain arrays, for kernels checked against tfjs's cpu
 * kernels: NaN where `want` has NaN, the same infinity where it has one, |got - want| <= atol + rtol * |want| elsewhere.
 */
export function expectAllCloseArrays(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  what: string,
  atol: number,
  rtol = 1e-5,
): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    const ok = Number.isNaN(w)
      ? Number.isNaN(g)
      : !Number.isFinite(w)
        ? g === w
        : Math.abs(g - w) <= atol + rtol * Math.abs(w);
    expect(ok, `${what}: element ${i}: got ${g}, want ${w}`).toBe(true);
  }
}
