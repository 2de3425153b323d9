import { beforeAll, describe, expect, it } from "vitest";
import { grad, initBackend, logSoftmax, stopGradient, tf, valueAndGrad } from "../src";

beforeAll(async () => {
  await initBackend();
});

describe("stopGradient", () => {
  it("passes the value and stops the gradient: d/dx [x^2 + stop(x)^3] = 2x", () => {
    const x = tf.tensor1d([0.5, -2, 3]);
    const { value, grads } = valueAndGrad(
      (p) => {
        const t = p.x as tf.Tensor;
        return t.square().add(stopGradient(t).pow(3)).sum() as tf.Scalar;
      },
      { x },
    );
    expect(value.dataSync()[0]).toBeCloseTo(0.25 + 4 + 9 + 0.125 - 8 + 27, 5);
    expect(Array.from((grads.x as tf.Tensor).dataSync())).toEqual([1, -4, 6]);
    expect(stopGradient(x).dataSync()).toEqual(x.dataSync());
  });

  it("a tensor that only reaches the loss through stopGradient gets a zero gradient, not an error", () => {
    const g = grad(
      (p) =>
        stopGradient(p.w as tf.Tensor)
          .mul(tf.tensor1d([1, 2]))
          .sum() as tf.Scalar,
      {
        w: tf.tensor1d([3, 4]),
      },
    );
    expect(Array.from((g.w as tf.Tensor).dataSync())).toEqual([0, 0]);
  });

  it("never differentiates what computed a stopped tensor (logSoftmax's max: no equality mask in the backward pass)", async () => {
    const x = tf.tensor2d([
      [1, 3, 2],
      [0, -1, 5],
    ]);
    const w = tf.tensor2d([
      [1, 0, 2],
      [0.5, 1, 0],
    ]);
    let g: tf.Tensor | null = null;
    const profile = await tf.profile(() => {
      g = grad(
        (p) =>
          logSoftmax(p.x as tf.Tensor)
            .mul(w)
            .sum() as tf.Scalar,
        { x },
      ).x as tf.Tensor;
    });
    const kernels = profile.kernels.map((k) => k.name);
    expect(kernels).toContain("Max"); // the forward pass
    expect(kernels).not.toContain("Equal"); // Max's gradient
    // d/dx_j sum_i w_i log softmax(x)_i = w_j - softmax(x)_j * sum_i w_i, row by row
    const want = [
      [1, 3, 2],
      [0, -1, 5],
    ].map((row, r) => {
      const e = row.map((v) => Math.exp(v));
      const z = e.reduce((a, b) => a + b, 0);
      const wr = [
        [1, 0, 2],
        [0.5, 1, 0],
      ][r]!;
      const sw = wr.reduce((a, b) => a + b, 0);
      return row.map((_, j) => wr[j]! - (e[j]! / z) * sw);
    });
    const got = (g as unknown as tf.Tensor).arraySync() as number[][];
    for (let r = 0; r < 2; r++) for (let j = 0; j < 3; j++) expect(got[r]![j]).toBeCloseTo(want[r]![j]!, 5);
    tf.dispose([x, w, g as unknown as tf.Tensor]);
  });

  it("stays stopped under a second derivative: d2/dx2 [x * stop(x^2)] = 0 (it would be 6x unstopped)", () => {
    const x = tf.tensor1d([1.5, -1]);
    const first = (t: tf.Tensor) => tf.grad((u: tf.Tensor) => u.mul(stopGradient(u.square())).sum())(t);
    const second = tf.grad((t: tf.Tensor) => first(t).sum())(x);
    expect(Array.from(first(x).dataSync())).toEqual([2.25, 1]);
    expect(Array.from(second.dataSync())).toEqual([0, 0]);
  });
});
