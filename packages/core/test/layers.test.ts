import { beforeAll, describe, expect, it } from "vitest";
import {
  type AttentionParams,
  applyAttention,
  applyEncoderBlock,
  applyLayerNorm,
  applyLinear,
  assertRank,
  assertShape,
  disposeTree,
  dropout,
  FLOAT32_LOWEST,
  grad,
  initAttention,
  initBackend,
  initEncoderBlock,
  initLayerNorm,
  initLinear,
  isTavtError,
  leaves,
  type ParamTree,
  rng,
  sinusoidalPositions,
  type TavtError,
  tf,
} from "../src";

beforeAll(async () => {
  await initBackend();
});

function thrown(fn: () => unknown): TavtError {
  try {
    fn();
  } catch (e) {
    expect(isTavtError(e), String(e)).toBe(true);
    return e as TavtError;
  }
  throw new Error("expected a TavtError");
}

describe("shape checks", () => {
  it("name the function, the tensor and both shapes", () => {
    const t = tf.zeros([2, 3, 4]);
    const e = thrown(() => assertShape("encoder.apply", "visual", t, [null, 3, 8]));
    expect(e.code).toBe("SHAPE_MISMATCH");
    expect(e.message).toBe("encoder.apply: visual should have shape [*, 3, 8], got [2, 3, 4]");
    expect(e.details).toEqual({ fn: "encoder.apply", name: "visual", expected: [null, 3, 8], actual: [2, 3, 4] });
    expect(() => assertShape("f", "t", t, [2, null, 4])).not.toThrow();
    expect(thrown(() => assertRank("f", "mask", t, 2)).message).toBe("f: mask should have rank 2, got shape [2, 3, 4]");
    t.dispose();
  });

  it("guard the layers: a wrong width or mask names the layer, the input and the shapes", () => {
    const lin = initLinear(rng.key(1), { inDim: 4, outDim: 2 });
    const x = tf.zeros([2, 5]);
    expect(thrown(() => applyLinear(lin, x)).message).toBe(
      "linear.apply: x (last axis) should have shape [4], got [5]",
    );
    const ln = initLayerNorm({ dim: 4 });
    expect(thrown(() => applyLayerNorm(ln, x)).message).toContain("layerNorm.apply");
    const att = initAttention(rng.key(2), { dim: 4, heads: 2 });
    const q = tf.zeros([2, 3, 4]);
    let e = thrown(() => applyAttention(att, { query: q, key: x.reshape([2, 1, 5]), value: q }, { dim: 4, heads: 2 }));
    expect(e.message).toBe("attention.apply: key should have shape [2, 1, 4], got [2, 1, 5]");
    e = thrown(() =>
      applyAttention(att, { query: q, key: q, value: q, keyMask: tf.ones([2, 4]) }, { dim: 4, heads: 2 }),
    );
    expect(e.message).toBe("attention.apply: keyMask should have shape [2, 3], got [2, 4]");
    expect(thrown(() => initAttention(rng.key(3), { dim: 6, heads: 4 })).code).toBe("BAD_CONFIG");
    for (const t of [x, q]) t.dispose();
    disposeTree(lin);
    disposeTree(ln);
    disposeTree(att);
  });
});

describe("dropout", () => {
  const x = () => tf.ones([64, 64]);

  it("is the identity unless training with a key", () => {
    const t = x();
    expect(dropout(t, 0.5)).toBe(t);
    expect(dropout(t, 0.5, { training: true })).toBe(t);
    expect(dropout(t, 0.5, { key: rng.key(1) })).toBe(t);
    expect(dropout(t, 0, { training: true, key: rng.key(1) })).toBe(t);
    expect(thrown(() => dropout(t, 1, { training: true, key: rng.key(1) })).code).toBe("BAD_CONFIG");
    t.dispose();
  });

  it("is deterministic under a key, differs across keys, scales kept values by 1/(1-rate)", () => {
    const t = x();
    const ctx = (seed: number) => ({ training: true, key: rng.key(seed) });
    const a = dropout(t, 0.25, ctx(7)).dataSync();
    const b = dropout(t, 0.25, ctx(7)).dataSync();
    const c = dropout(t, 0.25, ctx(8)).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(new Set(a)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
    const dropped = a.filter((v) => v === 0).length / a.length;
    expect(dropped).toBeGreaterThan(0.22);
    expect(dropped).toBeLessThan(0.28);
    t.dispose();
  });

  it("makes a whole encoder block deterministic under a key", () => {
    const config = { dim: 8, heads: 2, dropout: 0.3 };
    const p = initEncoderBlock(rng.key(4), config);
    const h = rng.normal(rng.key(5), [2, 3, 8]);
    const run = (seed: number, training = true) =>
      Array.from(applyEncoderBlock(p, h, config, undefined, { training, key: rng.key(seed) }).dataSync());
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
    expect(run(1, false)).toEqual(Array.from(applyEncoderBlock(p, h, config).dataSync()));
    disposeTree(p);
    h.dispose();
  });
});

describe("masks", () => {
  const config = { dim: 4, heads: 2 };

  it("a fully masked attention row gives finite uniform weights and finite gradients, never NaN", () => {
    const p = initAttention(rng.key(9), config);
    const x = rng.normal(rng.key(10), [2, 3, 4]);
    const keyMask = tf.tensor2d([
      [0, 0, 0], // every key of batch 0 is padding
      [0, 1, 1], // with causal: query 0 of batch 1 sees only key 0, which is padding
    ]);
    const { out, weights } = applyAttention(p, { query: x, key: x, value: x, keyMask, causal: true }, config);
    expect(out.dataSync().every(Number.isFinite)).toBe(true);
    const w = weights.arraySync() as number[][][][];
    for (const head of w[0]!) for (const row of head) for (const v of row) expect(v).toBeCloseTo(1 / 3, 6);
    for (const head of w[1]!) {
      expect(head[0]).toEqual(head[0]!.map(() => head[0]![0]!)); // uniform
      expect(head[2]![0]).toBe(0); // a real query never attends to the padded key
    }
    const g = grad(
      (q: ParamTree) =>
        applyAttention(q as AttentionParams, { query: x, key: x, value: x, keyMask, causal: true }, config)
          .out.square()
          .sum() as tf.Scalar,
      p,
    );
    expect(leaves(g).every((t) => t.dataSync().every(Number.isFinite))).toBe(true);
    for (const t of [x, keyMask, out, weights]) t.dispose();
    disposeTree(p);
    disposeTree(g);
  });

  it("masks with the lowest finite float32, not -Infinity", () => {
    expect(FLOAT32_LOWEST).toBe(-3.4028234663852886e38);
    expect(Math.fround(FLOAT32_LOWEST)).toBe(FLOAT32_LOWEST);
    expect(Number.isFinite(FLOAT32_LOWEST)).toBe(true);
  });
});

describe("sinusoidal positions", () => {
  it("gives sin(p / 10000^(2i/d)) on even and cos on odd columns", () => {
    const pe = sinusoidalPositions(3, 6).arraySync();
    expect(pe[0]).toEqual([0, 1, 0, 1, 0, 1]);
    expect(pe[2]![0]).toBeCloseTo(Math.sin(2), 6);
    expect(pe[2]![3]).toBeCloseTo(Math.cos(2 / 10000 ** (2 / 6)), 6);
    expect(pe[1]![4]).toBeCloseTo(Math.sin(1 / 10000 ** (4 / 6)), 6);
  });
});
