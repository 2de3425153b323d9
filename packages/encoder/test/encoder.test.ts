import { flatten, initBackend, type ParamTree, rng, tf, valueAndGrad } from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import { applyEncoder, type EncoderConfig, type EncoderParams, initEncoder, toDecoderMemory } from "../src";

const config: EncoderConfig = { visualDim: 6, audioDim: 4, dim: 8, heads: 2, blocks: 2, ffn: 16 };

function inputs(seed: number) {
  const k = rng.splitNamed(rng.key(seed), ["v", "a", "p"]);
  return {
    visual: rng.normal(k.v, [2, 5, 6]),
    visualMask: tf.tensor2d([1, 1, 1, 1, 1, 1, 1, 1, 0, 0], [2, 5]),
    prefix: rng.normal(k.p, [2, 3, 8]),
    prefixMask: tf.tensor2d([1, 1, 1, 1, 1, 0], [2, 3]),
    audio: rng.normal(k.a, [2, 4, 4]),
    audioMask: tf.tensor2d([1, 1, 1, 1, 1, 1, 0, 0], [2, 4]),
  };
}

const maxAbs = (t: tf.Tensor) => tf.abs(t).max().dataSync()[0]!;

beforeAll(async () => {
  await initBackend();
});

describe("applyEncoder (eq. 12-17)", () => {
  it("gives x_av over [p; V] and x_va over A with concatenated masks", () => {
    const params = initEncoder(rng.key(1), config);
    const out = applyEncoder(params, inputs(2), config);
    expect(out.xAv.shape).toEqual([2, 8, 8]);
    expect(out.xVa!.shape).toEqual([2, 4, 8]);
    expect(Array.from(out.avMask.dataSync())).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0]);
    expect(Array.from(out.vaMask!.dataSync())).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
    const mem = toDecoderMemory(out);
    expect(mem.xAvMask).toBe(out.avMask);
    expect(mem.xVa).toBe(out.xVa);
  });

  it("ignores whatever sits in padded positions of either stream", () => {
    const params = initEncoder(rng.key(1), config);
    const x = inputs(2);
    const a = applyEncoder(params, x, config);
    const noise = (t: tf.Tensor, m: tf.Tensor) => t.add(tf.scalar(1).sub(m).expandDims(2).mul(50));
    const b = applyEncoder(
      params,
      {
        ...x,
        visual: noise(x.visual, x.visualMask),
        audio: noise(x.audio, x.audioMask),
        prefix: noise(x.prefix, x.prefixMask),
      },
      config,
    );
    const realAv = a.avMask.expandDims(2);
    const realVa = a.vaMask!.expandDims(2);
    expect(maxAbs(a.xAv.sub(b.xAv).mul(realAv))).toBeLessThan(1e-4);
    expect(maxAbs(a.xVa!.sub(b.xVa!).mul(realVa))).toBeLessThan(1e-4);
  });

  it("runs visual-only without audio: x_av = self-attended V', x_va null", () => {
    const params = initEncoder(rng.key(1), config);
    const x = inputs(2);
    const out = applyEncoder(params, { visual: x.visual, visualMask: x.visualMask, prefix: x.prefix }, config);
    expect(out.xAv.shape).toEqual([2, 8, 8]);
    expect(out.xVa).toBeNull();
    expect(out.vaMask).toBeNull();
    const vo = { ...config, visualOnly: true };
    const p2 = initEncoder(rng.key(1), vo);
    expect(Object.keys(p2).sort()).toEqual(["selfV", "visualProj"]);
    const o2 = applyEncoder(p2, { visual: x.visual, visualMask: x.visualMask }, vo);
    expect(o2.xAv.shape).toEqual([2, 5, 8]);
    // the visual-only output equals the dual encoder's f'_v (same selfV weights, same seed)
    expect(maxAbs(applyEncoder(params, { visual: x.visual, visualMask: x.visualMask }, config).xAv.sub(o2.xAv))).toBe(
      0,
    );
  });

  it("gives every parameter a non-zero gradient", () => {
    const params = initEncoder(rng.key(3), config);
    const x = inputs(4);
    const k = rng.splitNamed(rng.key(5), ["av", "va"]);
    const rAv = rng.normal(k.av, [2, 8, 8]);
    const rVa = rng.normal(k.va, [2, 4, 8]);
    const { grads } = valueAndGrad((p: ParamTree) => {
      const o = applyEncoder(p as EncoderParams, x, config);
      return o.xAv.mul(rAv).sum().add(o.xVa!.mul(rVa).sum()) as tf.Scalar;
    }, params);
    for (const [name, g] of Object.entries(flatten(grads))) expect(maxAbs(g), name).toBeGreaterThan(0);
  });

  it("keeps fully masked rows finite and does not leak tensors", () => {
    const params = initEncoder(rng.key(6), config);
    const x = inputs(7);
    const zero = tf.zeros([2, 4]);
    const out = applyEncoder(
      params,
      { ...x, audioMask: zero, visualMask: tf.zeros([2, 5]), prefixMask: tf.zeros([2, 3]) },
      config,
    );
    expect(Array.from(out.xAv.dataSync()).every(Number.isFinite)).toBe(true);
    expect(Array.from(out.xVa!.dataSync()).every(Number.isFinite)).toBe(true);
    const step = () => {
      const { value, grads } = valueAndGrad((p: ParamTree) => {
        const o = applyEncoder(p as EncoderParams, x, config, { training: true, key: rng.key(1) });
        return o.xAv.square().mean().add(o.xVa!.square().mean()) as tf.Scalar;
      }, params);
      tf.dispose([value, ...Object.values(flatten(grads))]);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("checks shapes with clear messages", () => {
    const params = initEncoder(rng.key(1), config);
    const x = inputs(2);
    expect(() => applyEncoder(params, { ...x, prefix: tf.zeros([2, 3, 7]) }, config)).toThrow(
      "encoder.applyEncoder: prefix should have shape [2, *, 8], got [2, 3, 7]",
    );
    expect(() => applyEncoder(params, { ...x, audioMask: tf.ones([2, 5]) }, config)).toThrow(
      /audioMask should have shape \[2, 4\]/,
    );
    expect(() => initEncoder(rng.key(1), { ...config, heads: 3 })).toThrow(/heads/);
  });
});
