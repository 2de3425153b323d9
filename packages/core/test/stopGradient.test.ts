import { beforeAll, describe, expect, it } from "vitest";
import { grad, initBackend, stopGradient, tf, valueAndGrad } from "../src";

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

  it("stays stopped under a second derivative: d2/dx2 [x * stop(x^2)] = 0 (it would be 6x unstopped)", () => {
    const x = tf.tensor1d([1.5, -1]);
    const first = (t: tf.Tensor) => tf.grad((u: tf.Tensor) => u.mul(stopGradient(u.square())).sum())(t);
    const second = tf.grad((t: tf.Tensor) => first(t).sum())(x);
    expect(Array.from(first(x).dataSync())).toEqual([2.25, 1]);
    expect(Array.from(second.dataSync())).toEqual([0, 0]);
  });
});
