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

/** The worst of |got - want| / max(1, |want|) must stay under `tol`. */
export function expectClose(got: tf.Tensor, want: Json, tol: number, what: string): void {
  expect(got.shape, what).toEqual(want.shape);
  const g = got.dataSync();
  let worst = 0;
  want.data.forEach((w, i) => {
    worst = Math.max(worst, Math.abs(g[i]! - w) / Math.max(1, Math.abs(w)));
  });
  expect(worst, `${what}: worst relative error`).toBeLessThan(tol);
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
