import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
// Core by path, not by name: this file is outside every package, so "@tavt/core" would not resolve for tsc; vitest's
// alias maps "@tavt/core" to the same packages/core/src/index.ts, so tests and these helpers share one tfjs instance.
import { type FlatParams, flatten, type ParamTree, tf, unflatten, valueAndGrad } from "../../packages/core/src";

/*
 * Test helpers shared by the golden tests of @tavt/avmm, @tavt/encoder, @tavt/dccl and @tavt/decoder (imported by
 * relative path, so no package depends on anything for them). `loadFixture(area, name)` reads
 * tools/fixtures/<area>/<name>.json, written by PyTorch in float64: `/usr/bin/python3 tools/golden/tavt_modules.py`
 * (avmm, encoder, dccl) and `/usr/bin/python3 tools/golden/tavt_model.py` (decoder).
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../fixtures");

export interface Json {
  shape: number[];
  data: number[];
}

export const loadFixture = <T>(area: string, name: string): T =>
  JSON.parse(readFileSync(join(ROOT, area, `${name}.json`), "utf8")) as T;

export const fromJson = (j: Json, dtype: "float32" | "int32" = "float32") => tf.tensor(j.data, j.shape, dtype);

export function paramsFromJson(params: Record<string, Json>): ParamTree {
  const flat: FlatParams = {};
  for (const [k, v] of Object.entries(params)) flat[k] = fromJson(v);
  return unflatten(flat);
}

/** The absolute part of every golden comparison: float32 holds about 7 digits, so values near 1e-2 round to ~1e-9. */
export const ATOL = 1e-6;

export interface Worst {
  /** flat index of the element furthest outside its bound (or the largest ratio when all are inside) */
  index: number;
  got: number;
  want: number;
  /** |got - want| / (atol + rtol * |want|): at most 1 where torch.allclose holds; Infinity for NaN */
  ratio: number;
}

/** The element of `got` furthest from `want`, measured against torch.allclose's bound atol + rtol * |want|. */
export function worstAllClose(got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol = ATOL): Worst {
  let worst: Worst = { index: -1, got: Number.NaN, want: Number.NaN, ratio: 0 };
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    const d = Math.abs(g - w);
    const ratio = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d / (atol + rtol * Math.abs(w));
    if (ratio > worst.ratio || worst.index < 0) worst = { index: i, got: g, want: w, ratio };
  }
  return worst;
}

/** As torch.allclose(got, want, rtol, atol): same shape and |got - want| <= atol + rtol * |want| everywhere. */
export function expectClose(got: tf.Tensor, want: Json, rtol: number, what: string, atol = ATOL): void {
  expect(got.shape, what).toEqual(want.shape);
  const w = worstAllClose(got.dataSync(), want.data, rtol, atol);
  expect(
    w.ratio,
    `${what}: [${w.index}] got ${w.got}, want ${w.want} (atol ${atol}, rtol ${rtol})`,
  ).toBeLessThanOrEqual(1);
}

/** expectClose for one number. */
export function expectScalarClose(got: number, want: number, rtol: number, what: string, atol = ATOL): void {
  const w = worstAllClose([got], [want], rtol, atol);
  expect(w.ratio, `${what}: got ${got}, want ${want} (atol ${atol}, rtol ${rtol})`).toBeLessThanOrEqual(1);
}

/** Second order (MAML): the gradient of loss(theta - alpha * grad loss(theta)) with respect to theta, flattened. */
export function mamlGrads(loss: (p: ParamTree) => tf.Scalar, params: ParamTree, alpha: number): FlatParams {
  const { value, grads } = valueAndGrad((p) => {
    const inner = valueAndGrad(loss, p);
    const g = flatten(inner.grads);
    const stepped = Object.fromEntries(Object.entries(flatten(p)).map(([k, v]) => [k, v.sub(g[k]!.mul(alpha))]));
    return loss(unflatten(stepped));
  }, params);
  value.dispose();
  return flatten(grads);
}
