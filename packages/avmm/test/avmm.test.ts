import { flatten, initBackend, isTavtError, type ParamTree, rng, tf, treeNames, valueAndGrad } from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type AvmmConfig,
  type AvmmParams,
  applyAvmm,
  avmmParamNames,
  clipPool,
  initAvmm,
  isAvmmParam,
  lossRec,
} from "../src";

const config: AvmmConfig = { visualDim: 6, audioDim: 3, dim: 8, heads: 2, clusters: 5, clips: 3, clipLength: 2 };

function inputs(seed: number) {
  const k = rng.splitNamed(rng.key(seed), ["v", "a", "m"]);
  // video 0: 6 real frames; video 1: 3 real frames (clip 2 empty)
  const mask = tf.tensor2d([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0], [2, 6]);
  return {
    visual: rng.normal(k.v, [2, 6, 6]).mul(mask.expandDims(2)),
    visualMask: mask,
    audio: rng.normal(k.a, [2, 6, 3]),
    audioMask: mask.clone(),
    bank: rng.normal(k.m, [5, 3]),
  };
}

beforeAll(async () => {
  await initBackend();
});

describe("clipPool (eq. 1)", () => {
  it("means each clip over its real frames only and masks empty clips", () => {
    const frames = tf.tensor3d([[[1], [3], [5], [100], [7], [9]]], [1, 6, 1]);
    const mask = tf.tensor2d([[1, 1, 1, 0, 0, 0]], [1, 6]);
    const { clips, clipMask } = clipPool(frames, mask, { clipLength: 2, clips: 3 });
    expect(Array.from(clips.dataSync())).toEqual([2, 5, 0]);
    expect(Array.from(clipMask.dataSync())).toEqual([1, 1, 0]);
  });

  it("pads short sequences as padding and drops frames after l*T", () => {
    const frames = tf.tensor3d([[[2], [4], [6]]], [1, 3, 1]);
    const mask = tf.ones([1, 3]);
    const short = clipPool(frames, mask, { clipLength: 2, clips: 3 });
    expect(Array.from(short.clips.dataSync())).toEqual([3, 6, 0]);
    expect(Array.from(short.clipMask.dataSync())).toEqual([1, 1, 0]);
    const long = clipPool(frames, mask, { clipLength: 1, clips: 2 });
    expect(Array.from(long.clips.dataSync())).toEqual([2, 4]);
  });

  it("names the tensor and the expected shape on a bad mask", () => {
    try {
      clipPool(tf.zeros([2, 4, 3]), tf.zeros([2, 5]), { clipLength: 2, clips: 2 });
      expect.unreachable();
    } catch (e) {
      expect(isTavtError(e)).toBe(true);
      expect((e as Error).message).toContain("avmm.clipPool: mask should have shape [2, 4]");
    }
  });
});

describe("applyAvmm", () => {
  it("gives the prefix, A_rec as a convex combination of the bank, and L_rec", () => {
    const params = initAvmm(rng.key(1), config);
    const x = inputs(2);
    const out = applyAvmm(params, x, config);
    expect(out.prefix.shape).toEqual([2, 3, 8]);
    expect(out.weights.shape).toEqual([2, 3, 5]);
    expect(out.aRec.shape).toEqual([2, 3, 3]);
    expect(Array.from(out.prefixMask.dataSync())).toEqual([1, 1, 1, 1, 1, 0]);
    for (const s of out.weights.sum(-1).dataSync()) expect(s).toBeCloseTo(1, 5);
    const want = tf.matMul(out.weights.reshape([6, 5]), x.bank).reshape([2, 3, 3]);
    expect(tf.abs(want.sub(out.aRec)).max().dataSync()[0]).toBeLessThan(1e-6);
    expect(out.encoderAudio).toBeDefined();
    expect(out.encoderAudio.shape).toEqual([2, 6, 3]); // real audio by default
    const l = lossRec(out.aRec, out.audioClips!, out.audioClipMask!).dataSync()[0]!;
    expect(out.lossRec!.dataSync()[0]).toBeCloseTo(l, 6);
    expect(l).toBeGreaterThan(0);
  });

  it("returns A_rec in place of audio when audio is absent or reconstructed audio is asked for", () => {
    const params = initAvmm(rng.key(1), config);
    const x = inputs(2);
    const absent = applyAvmm(params, { visual: x.visual, visualMask: x.visualMask, bank: x.bank }, config);
    expect(absent.encoderAudio.shape).toEqual([2, 3, 3]);
    expect(absent.lossRec).toBeUndefined();
    expect(Array.from(absent.encoderAudioMask.dataSync())).toEqual([1, 1, 1, 1, 1, 0]);
    const rec = applyAvmm(params, x, config, {}, { audioSource: "reconstructed" });
    expect(Array.from(rec.encoderAudio.dataSync())).toEqual(Array.from(rec.aRec.dataSync()));
    expect(() => applyAvmm(params, { ...x, audio: null }, config, {}, { audioSource: "real" })).toThrow(/audioSource/);
  });

  it("gives every parameter a gradient from L_rec, none to the bank, and none when frozen", () => {
    const params = initAvmm(rng.key(3), config);
    const x = inputs(4);
    const loss = (freeze: boolean) => (p: ParamTree) => applyAvmm(p as AvmmParams, x, config, {}, { freeze }).lossRec!;
    const g = flatten(valueAndGrad(loss(false), params).grads);
    for (const [name, t] of Object.entries(g)) expect(tf.abs(t).max().dataSync()[0], name).toBeGreaterThan(0);
    const frozen = flatten(valueAndGrad(loss(true), params).grads);
    for (const [name, t] of Object.entries(frozen)) expect(tf.abs(t).max().dataSync()[0], name).toBe(0);
    const gb = tf.grad((bank: tf.Tensor) => applyAvmm(params, { ...x, bank }, config).lossRec!)(x.bank);
    expect(tf.abs(gb).max().dataSync()[0]).toBe(0);
  });

  it("keeps a fully masked video finite", () => {
    const params = initAvmm(rng.key(5), config);
    const x = inputs(6);
    const mask = tf.tensor2d([1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0], [2, 6]);
    const out = applyAvmm(params, { ...x, visualMask: mask, audioMask: mask }, config);
    for (const t of [out.prefix, out.weights, out.aRec, out.lossRec!]) {
      expect(Array.from(t.dataSync()).every(Number.isFinite)).toBe(true);
    }
  });

  it("does not leak tensors over repeated steps", () => {
    const params = initAvmm(rng.key(7), config);
    const x = inputs(8);
    const step = () => {
      const { value, grads } = valueAndGrad((p) => applyAvmm(p as AvmmParams, x, config).lossRec!, params);
      tf.dispose([value, ...Object.values(flatten(grads))]);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("is deterministic and lists its parameter names for freezing", () => {
    const a = flatten(initAvmm(rng.key(9), { ...config, blocks: 2 }));
    const b = flatten(initAvmm(rng.key(9), { ...config, blocks: 2 }));
    for (const k of Object.keys(a)) expect(Array.from(a[k]!.dataSync())).toEqual(Array.from(b[k]!.dataSync()));
    const names = avmmParamNames({ ...config, blocks: 2 });
    expect(names).toEqual(
      treeNames(initAvmm(rng.key(0), { ...config, blocks: 2 }))
        .map((n) => `avmm.${n}`)
        .sort(),
    );
    expect(names.every((n) => isAvmmParam(n))).toBe(true);
    expect(isAvmmParam("encoder.visualProj.weight")).toBe(false);
  });

  it("rejects a bank of the wrong size with a clear message", () => {
    const params = initAvmm(rng.key(1), config);
    expect(() => applyAvmm(params, { ...inputs(2), bank: tf.zeros([4, 3]) }, config)).toThrow(
      "avmm.applyAvmm: bank (cluster centres M) should have shape [5, 3], got [4, 3]",
    );
    expect(() => initAvmm(rng.key(1), { ...config, heads: 3 })).toThrow(/heads/);
  });
});
