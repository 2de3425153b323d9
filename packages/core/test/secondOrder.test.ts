import { beforeAll, describe, expect, it } from "vitest";
import { initBackend, logSoftmax, tf } from "../src";

beforeAll(async () => {
  await initBackend();
});

// Second derivatives through nested tf.grad against central differences of the first derivative (float32).
const x = [0.3, -0.7, 1.2];
const w = [1, 0.5, 0.25];
/** t_i t_j [3, 3]: a matrix to reduce over one axis, every entry depending on t. */
const outer = (t: tf.Tensor) => t.reshape([3, 1]).mul(t.reshape([1, 3]));
const cases: [string, (t: tf.Tensor) => tf.Tensor][] = [
  ["tanh", (t) => tf.tanh(t)],
  ["sigmoid", (t) => tf.sigmoid(t)],
  ["exp", (t) => tf.exp(t)],
  ["elu", (t) => tf.elu(t)],
  ["softmax", (t) => tf.softmax(t.reshape([1, 3])).mul(tf.tensor2d([[1, 2, 3]]))],
  ["logSoftmax (core)", (t) => logSoftmax(t.reshape([1, 3])).mul(tf.tensor2d([[1, 2, 3]]))],
  ["max", (t) => tf.max(t).square()],
  ["logSumExp", (t) => tf.logSumExp(t)],
  // core's Sum and Mean gradients (secondOrderGrads.ts), over an axis and over everything
  ["sum over an axis", (t) => tf.sum(outer(t).sin(), 1).mul(tf.tensor1d([1, -2, 3]))],
  ["mean over an axis", (t) => tf.mean(outer(t).cos(), 0, true).mul(t)],
  ["mean", (t) => tf.mean(t.square().mul(t))],
];

describe("second-order gradients (nested tf.grad, as MAML uses them)", () => {
  it.each(cases)("%s matches central differences of its gradient", (_name, f) => {
    const firstWeighted = (v: tf.Tensor) =>
      tf
        .grad((u: tf.Tensor) => f(u).sum())(v)
        .mul(w)
        .sum();
    const got = tf.grad(firstWeighted)(tf.tensor1d(x)).dataSync();
    const eps = 1e-2;
    x.forEach((_, i) => {
      const at = (s: number) => firstWeighted(tf.tensor1d(x.map((v, j) => (j === i ? v + s : v)))).dataSync()[0]!;
      const fd = (at(eps) - at(-eps)) / (2 * eps);
      expect(Math.abs(got[i]! - fd), `coordinate ${i}: ${got[i]} vs ${fd}`).toBeLessThan(2e-3);
    });
  });

  it.each(cases)("%s: its first derivative matches central differences of the function", (_name, f) => {
    const value = (v: number[]) => f(tf.tensor1d(v)).sum().dataSync()[0]!;
    const got = tf
      .grad((u: tf.Tensor) => f(u).sum())(tf.tensor1d(x))
      .dataSync();
    const eps = 1e-2;
    x.forEach((_, i) => {
      const fd =
        (value(x.map((v, j) => (j === i ? v + eps : v))) - value(x.map((v, j) => (j === i ? v - eps : v)))) / (2 * eps);
      expect(Math.abs(got[i]! - fd), `coordinate ${i}: ${got[i]} vs ${fd}`).toBeLessThan(2e-3 + 2e-3 * Math.abs(fd));
    });
  });

  it("core logSoftmax has tf.logSoftmax's values, also on a row masked with the lowest float32", () => {
    const z = tf.tensor2d([
      [1, 2, 3],
      [-3.4028234663852886e38, 0.5, -3.4028234663852886e38],
    ]);
    const a = logSoftmax(z).dataSync();
    const b = tf.logSoftmax(z).dataSync();
    a.forEach((v, i) => {
      expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(v - b[i]!) / Math.max(1, Math.abs(b[i]!))).toBeLessThan(1e-6);
    });
  });
});
