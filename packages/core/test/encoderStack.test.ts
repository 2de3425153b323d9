import { beforeAll, describe, expect, it } from "vitest";
import {
  applyEncoderBlock,
  applyEncoderStack,
  applyLayerNorm,
  applyLinear,
  applySequenceEncoder,
  disposeTree,
  flatten,
  initBackend,
  initEncoderBlock,
  initEncoderStack,
  initSequenceEncoder,
  isTavtError,
  type ParamTree,
  rng,
  sinusoidalPositions,
  tf,
  valueAndGrad,
} from "../src";

beforeAll(async () => {
  await initBackend();
});

const cfg = { dim: 8, heads: 2, ffn: 16, blocks: 2 };

function inputs(seed: number, b: number, t: number, d: number): { x: tf.Tensor; mask: tf.Tensor } {
  const x = rng.normal(rng.key(seed), [b, t, d]);
  const mask = tf.tensor2d(
    [
      [1, 1, 1, 0],
      [1, 1, 0, 0],
    ].map((r) => r.slice(0, t)),
    [b, t],
  );
  return { x, mask };
}

describe("encoder stack", () => {
  it("is the blocks applied in order, then the final layer norm, with block i from split(key, n)[i]", () => {
    const key = rng.key(3);
    const params = initEncoderStack(key, cfg);
    expect(Object.keys(params.blocks)).toEqual(["0", "1"]);
    const keys = rng.split(key, 2);
    const block1 = initEncoderBlock(keys[1]!, cfg);
    const same = flatten(block1 as unknown as ParamTree);
    for (const [name, t] of Object.entries(flatten(params.blocks["1"] as unknown as ParamTree))) {
      expect(Array.from(t.dataSync())).toEqual(Array.from(same[name]!.dataSync()));
    }
    const { x, mask } = inputs(4, 2, 4, 8);
    const got = applyEncoderStack(params, x, cfg, mask);
    expect(got.shape).toEqual([2, 4, 8]);
    const want = tf.tidy(() => {
      const h = applyEncoderBlock(params.blocks["1"]!, applyEncoderBlock(params.blocks["0"]!, x, cfg, mask), cfg, mask);
      return applyLayerNorm(params.lnOut, h);
    });
    expect(tf.max(tf.abs(got.sub(want))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([got, want, x, mask]);
    disposeTree(params as unknown as ParamTree);
    disposeTree(block1 as unknown as ParamTree);
  });

  it("with 0 blocks is just the layer norm", () => {
    const params = initEncoderStack(rng.key(1), { ...cfg, blocks: 0 });
    expect(Object.keys(params.blocks)).toEqual([]);
    const { x, mask } = inputs(2, 2, 4, 8);
    const got = applyEncoderStack(params, x, cfg, mask);
    const want = applyLayerNorm(params.lnOut, x);
    expect(tf.max(tf.abs(got.sub(want))).dataSync()[0]).toBeLessThan(1e-7);
    tf.dispose([got, want, x, mask]);
  });
});

describe("sequence encoder", () => {
  const scfg = { ...cfg, inDim: 5 };

  it("projects, adds positions, runs the stack; checks shapes by name", () => {
    const params = initSequenceEncoder(rng.key(5), scfg);
    expect(Object.keys(params).sort()).toEqual(["blocks", "lnOut", "proj"]);
    const { x, mask } = inputs(6, 2, 4, 5);
    const got = applySequenceEncoder(params, x, mask, scfg);
    expect(got.shape).toEqual([2, 4, 8]);
    const want = tf.tidy(() => {
      const h = applyLinear(params.proj, x).add(sinusoidalPositions(4, 8).expandDims(0));
      return applyEncoderStack({ blocks: params.blocks, lnOut: params.lnOut }, h, cfg, mask);
    });
    expect(tf.max(tf.abs(got.sub(want))).dataSync()[0]).toBeLessThan(1e-6);
    let error: unknown;
    try {
      applySequenceEncoder(params, x.slice([0, 0, 0], [2, 4, 4]), mask, scfg);
    } catch (e) {
      error = e;
    }
    expect(isTavtError(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/applySequenceEncoder.*x/);
    tf.dispose([got, want, x, mask]);
    disposeTree(params as unknown as ParamTree);
  });

  it("gradient with respect to the input matches central differences", () => {
    const params = initSequenceEncoder(rng.key(7), scfg);
    const { x, mask } = inputs(8, 2, 4, 5);
    const w = rng.normal(rng.key(9), [2, 4, 8]);
    const loss = (xi: tf.Tensor): tf.Scalar => tf.sum(applySequenceEncoder(params, xi, mask, scfg).mul(w)) as tf.Scalar;
    const { value, grads } = valueAndGrad((p) => loss(p.x as tf.Tensor), { x } as ParamTree);
    const g = (grads as { x: tf.Tensor }).x.dataSync();
    const xs = x.dataSync().slice();
    const eps = 1e-2;
    let worst = 0;
    for (const i of [0, 7, 13, 22, 31]) {
      const at = (delta: number): number => {
        const v = xs.slice();
        v[i] = v[i]! + delta;
        return tf.tidy(() => loss(tf.tensor3d(v, [2, 4, 5])).dataSync()[0]!);
      };
      const fd = (at(eps) - at(-eps)) / (2 * eps);
      worst = Math.max(worst, Math.abs(fd - g[i]!) / Math.max(1, Math.abs(fd)));
    }
    expect(worst).toBeLessThan(2e-2);
    tf.dispose([value, x, mask, w]);
    disposeTree(grads);
    disposeTree(params as unknown as ParamTree);
  });
});
