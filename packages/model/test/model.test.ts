import { disposeTree, flatten, initBackend, type ParamTree, rng, tf, treeNames, valueAndGrad } from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Ablation,
  type CaptionBatch,
  captionBatch,
  initTavt,
  makeConfig,
  randomBatch,
  type TavtConfig,
  tavt,
  tavtLoss,
  tavtLossFn,
} from "../src";
import { randomBank, teacherForced } from "./helpers";

beforeAll(async () => {
  await initBackend();
});

const tiny = makeConfig("tiny");
const num = (t: tf.Tensor) => t.dataSync()[0]!;

function parts(config: TavtConfig, batch: CaptionBatch, params?: ParamTree) {
  const p = params ?? initTavt(rng.key(0), config);
  const l = tavtLoss(p, batch, rng.key(1), { bank: randomBank(config), config, training: false });
  return { cap: num(l.cap), rec: num(l.rec), dis: num(l.dis), dep: num(l.dep), total: num(l.total), params: p };
}

function grads(config: TavtConfig, batch: CaptionBatch) {
  const p = initTavt(rng.key(0), config);
  const bank = randomBank(config);
  const { grads: g } = valueAndGrad((q) => tavtLoss(q, batch, rng.key(1), { bank, config, training: false }).total, p);
  const out: Record<string, number> = {};
  for (const [n, t] of Object.entries(flatten(g))) out[n] = t.abs().max().dataSync()[0]!;
  return out;
}

const variant = (ablation: Partial<Ablation>, rest: Partial<TavtConfig> = {}) =>
  makeConfig(tiny, { ...rest, ablation });

describe("tavtLoss (eq. 10)", () => {
  let batch: CaptionBatch;
  beforeAll(() => {
    batch = randomBatch(rng.key(3), tiny, { batch: 3 });
  });

  it("returns finite parts that add up as eq. 10 says, every part active", () => {
    const l = parts(tiny, batch);
    for (const v of [l.cap, l.rec, l.dis, l.dep]) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThan(0);
    }
    expect(l.total).toBeCloseTo(l.cap + l.rec + 1e-4 * l.dis + 1e-2 * l.dep, 5);
  });

  it("gives every parameter a non-zero gradient from the total loss", () => {
    const g = grads(tiny, batch);
    const dead = Object.entries(g).filter(([, v]) => !(v > 0));
    expect(dead).toEqual([]);
  });

  it("is deterministic and the LossFn (contract 4) returns the total", () => {
    const config = tiny;
    const p = initTavt(rng.key(0), config);
    const fn = tavtLossFn({ bank: randomBank(config), config, training: false });
    expect(num(fn(p, batch, rng.key(1)))).toBeCloseTo(parts(config, batch, p).total, 6);
    // dropout makes the training loss depend on the key
    const drop = makeConfig(tiny, { dropout: 0.3 });
    const fd = tavtLossFn({ bank: randomBank(drop), config: drop, training: true });
    expect(num(fd(p, batch, rng.key(1)))).toBe(num(fd(p, batch, rng.key(1))));
    expect(num(fd(p, batch, rng.key(1)))).not.toBe(num(fd(p, batch, rng.key(2))));
  });

  it("audio-absent batches: A_rec stands in for audio, L = L_cap, AVMM frozen (zero gradient)", () => {
    const absent = { ...batch, audio: null, audioMask: null };
    const l = parts(tiny, absent);
    expect([l.rec, l.dis, l.dep]).toEqual([0, 0, 0]);
    expect(l.total).toBeCloseTo(l.cap, 6);
    const g = grads(tiny, absent);
    expect(Object.entries(g).filter(([n, v]) => n.startsWith("avmm.") && v !== 0)).toEqual([]);
    expect(g["decoder.out.weight"]).toBeGreaterThan(0);
  });

  it("does not leak tensors over repeated forward/backward steps", () => {
    const p = initTavt(rng.key(0), tiny);
    const fn = tavtLossFn({ bank: randomBank(tiny), config: tiny });
    const step = (i: number) => {
      const { value, grads: g } = valueAndGrad((q) => fn(q, batch, rng.key(i)), p);
      value.dispose();
      disposeTree(g);
    };
    step(0);
    const before = tf.memory().numTensors;
    for (let i = 1; i < 4; i++) step(i);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("ablation switches (Tables 4-5) change the computation", () => {
  let batch: CaptionBatch;
  let full: ReturnType<typeof parts>;
  beforeAll(() => {
    batch = randomBatch(rng.key(3), tiny, { batch: 3 });
    full = parts(tiny, batch);
  });

  it("w/o AVMM: no avmm parameters, no prefix, L_rec = L_dis = L_dep = 0", () => {
    const c = variant({ noAvmm: true });
    const l = parts(c, batch);
    expect(treeNames(l.params).some((n) => n.startsWith("avmm."))).toBe(false);
    expect([l.rec, l.dis, l.dep]).toEqual([0, 0, 0]);
    expect(l.cap).not.toBeCloseTo(full.cap, 6);
  });

  it("w/o L_rec: the rec part is 0 and the rest unchanged", () => {
    const l = parts(variant({ noRec: true }), batch);
    expect(l.rec).toBe(0);
    expect([l.cap, l.dis, l.dep]).toEqual([full.cap, full.dis, full.dep]);
    expect(l.total).toBeCloseTo(full.total - full.rec, 5);
  });

  it("w/o DCCL: L_dis = L_dep = 0", () => {
    const l = parts(variant({ noDccl: true }), batch);
    expect([l.dis, l.dep]).toEqual([0, 0]);
    expect([l.cap, l.rec]).toEqual([full.cap, full.rec]);
  });

  it("w/o L_dis: only L_dis is 0", () => {
    const l = parts(variant({ noDis: true }), batch);
    expect(l.dis).toBe(0);
    expect([l.cap, l.rec, l.dep]).toEqual([full.cap, full.rec, full.dep]);
  });

  it("w/o L_dep: only L_dep is 0", () => {
    const l = parts(variant({ noDep: true }), batch);
    expect(l.dep).toBe(0);
    expect([l.cap, l.rec, l.dis]).toEqual([full.cap, full.rec, full.dis]);
  });

  it("w/o ma: L_cap is the plain cross-entropy, not the W_ma-weighted one", () => {
    const c = variant({ noWma: true });
    const l = parts(c, batch);
    expect(l.cap).not.toBeCloseTo(full.cap, 4);
    expect([l.rec, l.dis, l.dep]).toEqual([full.rec, full.dis, full.dep]);
    // Plain token cross-entropy, by hand from the teacher-forced (V, A) pass: -sum log p(target) / #real targets.
    const plain = tf.tidy(() => {
      const [b, len] = batch.tokens.shape;
      const input = batch.tokens.slice([0, 0], [b, len - 1]) as tf.Tensor2D; // [B, L-1]
      const target = batch.tokens.slice([0, 1], [b, len - 1]); // [B, L-1]
      const logits = teacherForced(l.params, batch, c, randomBank(c), input).logits; // [B, L-1, V]
      const logp = tf.logSoftmax(logits, -1).mul(tf.oneHot(target.toInt(), c.vocab)).sum(-1); // [B, L-1]
      const mask = tf.notEqual(target, 0).toFloat();
      return logp.mul(mask).sum().neg().div(mask.sum()).dataSync()[0]!;
    });
    expect(Math.abs(l.cap - plain), `L_cap ${l.cap} vs plain cross-entropy ${plain}`).toBeLessThanOrEqual(
      1e-6 + 1e-5 * Math.abs(plain),
    );
  });

  it("fusion 'sum': no gate parameters, a different caption loss", () => {
    const c = makeConfig(tiny, { fusion: "sum" });
    const l = parts(c, batch);
    expect(treeNames(l.params).some((n) => n.includes("gate"))).toBe(false);
    expect(l.cap).not.toBeCloseTo(full.cap, 4);
  });

  it("w/o audio (visualOnly): no avmm or audio parameters, the loss ignores the audio", () => {
    const c = variant({ visualOnly: true });
    const l = parts(c, batch);
    const names = treeNames(l.params);
    expect(names.some((n) => n.startsWith("avmm.") || n.includes("audio") || n.includes("crossVa"))).toBe(false);
    const other = { ...batch, audio: rng.normal(rng.key(11), [3, tiny.audioFrames, tiny.audioDim]) as tf.Tensor3D };
    expect(parts(c, other, l.params).total).toBe(l.total);
    expect([l.rec, l.dis, l.dep]).toEqual([0, 0, 0]);
  });

  it("w/o real audio: A_rec replaces A, so the audio values no longer matter; L = L_cap", () => {
    const c = variant({ realAudio: false });
    const l = parts(c, batch, full.params);
    const other = { ...batch, audio: rng.normal(rng.key(12), [3, tiny.audioFrames, tiny.audioDim]) as tf.Tensor3D };
    expect(parts(c, other, full.params).total).toBe(l.total);
    expect(parts(tiny, other, full.params).total).not.toBe(full.total);
    expect(l.total).toBe(l.cap);
  });
});

describe("captionBatch and the Captioner interface", () => {
  it("captions a batch with beam search, with per-word alpha traces", () => {
    const batch = randomBatch(rng.key(3), tiny, { batch: 2 });
    const p = initTavt(rng.key(0), tiny);
    const bank = randomBank(tiny);
    const out = captionBatch(p, batch, { bank, config: tiny, beam: 2 });
    expect(out).toHaveLength(2);
    for (const o of out) {
      expect(o.ids.length).toBeLessThanOrEqual(tiny.captionLen - 2);
      expect(o.alphaAv).toHaveLength(o.ids.length);
    }
    // Width 1 is greedy: the same words, and traces that are the teacher-forced gates of those words.
    const beam1 = captionBatch(p, batch, { bank, config: tiny, beam: 1 });
    const greedy = captionBatch(p, batch, { bank, config: tiny, greedy: true });
    expect(beam1.map((o) => o.ids)).toEqual(greedy.map((o) => o.ids));
    expect(
      greedy.some((o) => o.ids.length > 1),
      "some caption has several words",
    ).toBe(true);
    const longest = Math.max(...greedy.map((o) => o.ids.length));
    // <bos> w1 .. w(n-1): word j is generated at position j, after the previous word
    const rows = greedy.map((o) => [1, ...o.ids.slice(0, -1), ...Array(longest - o.ids.length).fill(0)]);
    const gates = tf.tidy(() => {
      const g = teacherForced(p, batch, tiny, bank, tf.tensor2d(rows, [2, longest], "int32"));
      return [g.alphaAv.mean(-1).arraySync(), g.alphaVa.mean(-1).arraySync()] as number[][][]; // [B, L] each
    });
    greedy.forEach((o, i) => {
      for (const [k, got] of [
        [0, o.alphaAv],
        [0, beam1[i]!.alphaAv],
        [1, o.alphaVa],
        [1, beam1[i]!.alphaVa],
      ] as const) {
        const want = gates[k]![i]!.slice(0, o.ids.length);
        got.forEach((x, j) => {
          expect(Math.abs(x - want[j]!), `caption ${i} word ${j}`).toBeLessThanOrEqual(1e-5);
        });
      }
    });
    const absent = { ...batch, audio: null, audioMask: null };
    expect(tavt(tiny, { bank: randomBank(tiny) }).caption(p, absent, { greedy: true })).toHaveLength(2);
    expect(tavt(tiny).frozenWhenAudioAbsent).toEqual(["avmm."]);
  });

  it("needs the bank and names it", () => {
    const batch = randomBatch(rng.key(3), tiny, { batch: 2 });
    const p = initTavt(rng.key(0), tiny);
    expect(() => tavtLoss(p, batch, rng.key(0), { config: tiny })).toThrow(/bank/);
  });
});
