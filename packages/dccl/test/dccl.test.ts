import { initBackend, rng, tf } from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import { counterfactualAudio, counterfactualWeights, lossDep, lossDis, modalityAwareWeights, psi } from "../src";

const arr = (t: tf.Tensor) => Array.from(t.dataSync());
const close = (got: number[], want: number[], tol = 1e-6) => {
  got.forEach((g, i) => {
    expect(Math.abs(g - want[i]!), `index ${i}: ${g} vs ${want[i]}`).toBeLessThan(tol);
  });
};
const maxAbs = (t: tf.Tensor) => tf.abs(t).max().dataSync()[0]!;

beforeAll(async () => {
  await initBackend();
});

describe("counterfactual weights and audio (section 3.3)", () => {
  const w = tf.tensor3d(
    [
      [
        [0.5, 0.2, 0.3],
        [0.1, 0.6, 0.3],
      ],
    ],
    [1, 2, 3],
  );

  it("rank-inverse pairs the largest weight with the lowest-ranked prototype", () => {
    // clip 0: ranks 0 (0.5), 2 (0.2), 1 (0.3) -> prototype 0 gets 0.2, prototype 1 gets 0.5, prototype 2 keeps 0.3
    close(arr(counterfactualWeights(w)), [0.2, 0.5, 0.3, 0.6, 0.1, 0.3]);
  });

  it("breaks ties by ranking the lower prototype index first", () => {
    close(arr(counterfactualWeights(tf.tensor2d([[0.2, 0.2, 0.6]], [1, 3]))), [0.2, 0.6, 0.2]);
  });

  it("reverse and complement are the documented alternatives", () => {
    close(arr(counterfactualWeights(w, { counterfactual: "reverse" })), [0.3, 0.2, 0.5, 0.3, 0.6, 0.1]);
    close(arr(counterfactualWeights(w, { counterfactual: "complement" })), [0.25, 0.4, 0.35, 0.45, 0.2, 0.35]);
    expect(() => counterfactualWeights(w, { counterfactual: "shuffle" as never })).toThrow(/counterfactual must be/);
  });

  it("is differentiable with respect to w and builds A- = w- M with the bank held constant", () => {
    const bank = tf.tensor2d([1, 0, 0, 1, 2, 2], [3, 2]);
    close(arr(counterfactualAudio(w, bank)), [0.2 + 0.6, 0.5 + 0.6, 0.6 + 0.6, 0.1 + 0.6]);
    for (const mode of ["rank-inverse", "reverse", "complement"] as const) {
      const g = tf.grad((x: tf.Tensor) =>
        counterfactualWeights(x, { counterfactual: mode })
          .mul(tf.range(0, 6).reshape([1, 2, 3]))
          .sum(),
      )(w);
      expect(maxAbs(g), mode).toBeGreaterThan(0);
    }
    const gb = tf.grad((m: tf.Tensor) => counterfactualAudio(w, m).sum())(bank);
    expect(maxAbs(gb)).toBe(0);
  });
});

describe("L_dis (eq. 6) and L_dep (eq. 7)", () => {
  it("equals -log softmax over (positive, negative) of cosine / tau", () => {
    const a = tf.tensor3d([[[1, 0]], [[0, 2]]], [2, 1, 2]);
    const pos = tf.tensor3d([[[1, 1]], [[0, 1]]], [2, 1, 2]);
    const neg = tf.tensor3d([[[-1, 0]], [[1, 0]]], [2, 1, 2]);
    const mask = tf.ones([2, 1]);
    const l = (sp: number, sn: number) => -Math.log(Math.exp(sp / 0.4) / (Math.exp(sp / 0.4) + Math.exp(sn / 0.4)));
    const want = (l(Math.SQRT1_2, -1) + l(1, 0)) / 2;
    expect(lossDis(a, pos, neg, mask).dataSync()[0]).toBeCloseTo(want, 5);
    // the padded second anchor drops out
    expect(lossDis(a, pos, neg, tf.tensor2d([1, 0], [2, 1])).dataSync()[0]).toBeCloseTo(l(Math.SQRT1_2, -1), 5);
    // in-batch negatives add the other anchor's positive and negative to the denominator
    const sIn = (x: number[], ys: number[][]) =>
      ys.map((y) => (x[0]! * y[0]! + x[1]! * y[1]!) / Math.hypot(...x) / Math.hypot(...y) / 0.4);
    const cands = [
      [1, 1],
      [0, 1],
      [-1, 0],
      [1, 0],
    ];
    const lse = (v: number[]) => Math.log(v.reduce((s, x) => s + Math.exp(x), 0));
    const s0 = sIn([1, 0], cands);
    const s1 = sIn([0, 2], cands);
    const wantIn = (lse(s0) - s0[0]! + lse(s1) - s1[1]!) / 2;
    expect(lossDis(a, pos, neg, mask, { inBatchNegatives: true }).dataSync()[0]).toBeCloseTo(wantIn, 5);
  });

  it("L_dep compares per-token dependence scores masked by the tokens", () => {
    const r = tf.tensor2d([[1, 2, 9]], [1, 3]);
    const rp = tf.tensor2d([[1, 2, -9]], [1, 3]);
    const rn = tf.tensor2d([[2, -1, 5]], [1, 3]);
    const mask = tf.tensor2d([[1, 1, 0]], [1, 3]);
    // token 3 is padding: s(r, r+) = 1, s(r, r-) = 0
    const want = -Math.log(Math.exp(1 / 0.4) / (Math.exp(1 / 0.4) + 1));
    expect(lossDep(r, rp, rn, mask).dataSync()[0]).toBeCloseTo(want, 5);
    // [B, L, d] scores are reduced over d by the mean
    const r3 = tf.stack([r, r], 2);
    expect(lossDep(r3, tf.stack([rp, rp], 2), tf.stack([rn, rn], 2), mask).dataSync()[0]).toBeCloseTo(want, 5);
    expect(() => lossDep(r, rp, rn, tf.ones([1, 4]))).toThrow(
      "dccl.lossDep: rAnchor should have shape [1, 4], got [1, 3]",
    );
    expect(() => lossDep(r, rp, rn, mask, { tau: 0 })).toThrow(/tau/);
  });

  it("keeps fully masked rows finite and gives gradients to the scores", () => {
    const k = rng.split(rng.key(1), 3);
    const [r, rp, rn] = k.map((kk) => rng.uniform(kk, [2, 4, 3], 0.1, 1));
    const zero = tf.zeros([2, 4]);
    expect(Number.isFinite(lossDep(r!, rp!, rn!, zero).dataSync()[0]!)).toBe(true);
    expect(Math.abs(lossDep(r!, rp!, rn!, zero).dataSync()[0]!)).toBe(0);
    const a = rng.normal(k[0]!, [2, 3, 4]);
    expect(Number.isFinite(lossDis(a, a, a, tf.zeros([2, 3])).dataSync()[0]!)).toBe(true);
    const g = tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => lossDep(x, y, z, tf.ones([2, 4])))([r!, rp!, rn!]);
    for (const t of g) expect(maxAbs(t)).toBeGreaterThan(0);
  });
});

describe("psi and W_ma (eq. 7-8)", () => {
  it("psi = alpha_av / (alpha_va + eps)", () => {
    close(arr(psi(tf.tensor2d([[0.5, 0.2]], [1, 2]), tf.tensor2d([[0.25, 0.8]], [1, 2]), 0)), [2, 0.25]);
  });

  it("averages the gate ratio over every occurrence of a word in the batch", () => {
    const tokens = tf.tensor2d([5, 6, 5, 0, 6, 7, 0, 0], [2, 4], "int32");
    const mask = tf.tensor2d([1, 1, 1, 0, 1, 1, 0, 0], [2, 4]);
    const av = tf.tensor2d([0.2, 0.4, 0.6, 0.9, 0.8, 0.3, 0.9, 0.9], [2, 4]);
    const va = tf.tensor2d([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], [2, 4]);
    // ratios 0.4 0.8 1.2 - | 1.6 0.6 - -; word 5: (0.4+1.2)/2 = 0.8, word 6: (0.8+1.6)/2 = 1.2, word 7: 0.6
    const w = modalityAwareWeights(av, va, tokens, mask, { eps: 0 });
    close(arr(w), [0.8, 1.2, 0.8, 0, 1.2, 0.6, 0, 0], 1e-6);
    const norm = modalityAwareWeights(av, va, tokens, mask, { eps: 0, normalize: true });
    const mean = (0.8 + 1.2 + 0.8 + 1.2 + 0.6) / 5;
    close(
      arr(norm),
      [0.8, 1.2, 0.8, 0, 1.2, 0.6, 0, 0].map((x) => x / mean),
      1e-6,
    );
    // d-vector gates: psi then the mean over d
    const w3 = modalityAwareWeights(tf.stack([av, av], 2), tf.stack([va, va], 2), tokens, mask, { eps: 0 });
    close(arr(w3), arr(w));
  });

  it("carries no gradient by default and one when asked", () => {
    const tokens = tf.tensor2d([5, 6], [1, 2], "int32");
    const mask = tf.ones([1, 2]);
    const va = tf.tensor2d([0.5, 0.4], [1, 2]);
    const f = (stop: boolean) => (x: tf.Tensor) =>
      modalityAwareWeights(x, va, tokens, mask, { stopGradient: stop }).sum();
    expect(maxAbs(tf.grad(f(true))(tf.tensor2d([0.3, 0.7], [1, 2])))).toBe(0);
    expect(maxAbs(tf.grad(f(false))(tf.tensor2d([0.3, 0.7], [1, 2])))).toBeGreaterThan(0);
  });

  it("does not leak tensors", () => {
    const w = rng.uniform(rng.key(2), [2, 3, 5], 0.01, 1);
    const bank = rng.normal(rng.key(3), [5, 4]);
    const step = () =>
      tf
        .tidy(() => {
          const g = tf.grad((x: tf.Tensor) => {
            const wn = x.div(x.sum(-1, true));
            const neg = counterfactualAudio(wn, bank);
            return lossDis(neg, tf.matMul(wn.reshape([6, 5]), bank).reshape([2, 3, 4]), neg.mul(2), tf.ones([2, 3]));
          })(w);
          return g.sum();
        })
        .dispose();
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });
});
