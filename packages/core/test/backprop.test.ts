import { beforeAll, describe, expect, it } from "vitest";
import { initBackend, isTavtError, leanGradients, rng, tf, valueAndGrad } from "../src";

beforeAll(async () => {
  await initBackend();
});

type Grads = (f: () => tf.Scalar, xs: tf.Tensor[]) => { value: tf.Scalar; grads: (tf.Tensor | null)[] };
const lean: Grads = (f, xs) => leanGradients(f, xs);
const tfjs: Grads = (f, xs) => tf.engine().gradients(f, xs, undefined, true) as ReturnType<Grads>;

/** A small loss with matmul, broadcasting, tanh, softmax and an input used twice. */
const loss = (w: tf.Tensor, b: tf.Tensor, x: tf.Tensor): tf.Scalar =>
  tf.tidy(() => {
    const h = tf.tanh(tf.matMul(x, w).add(b)); // [4, 3]
    return tf
      .softmax(h.add(h.mul(b)))
      .square()
      .sum()
      .add(w.mul(w).mean()) as tf.Scalar;
  });

/** grad_w of loss after one SGD step on w (second order: differentiates through the inner gradient). */
function metaGrad(g: Grads, w: tf.Tensor, b: tf.Tensor, xs: tf.Tensor, xq: tf.Tensor): number[][] {
  return tf.tidy(() => {
    const r = g(() => {
      const inner = g(() => loss(w, b, xs), [w, b]);
      const w1 = w.sub(inner.grads[0]!.mul(0.3));
      const b1 = b.sub(inner.grads[1]!.mul(0.3));
      return loss(w1, b1, xq);
    }, [w, b]);
    return [r.value, ...r.grads].map((t) => Array.from(t!.dataSync()));
  });
}

describe("leanGradients", () => {
  it("gives tfjs' own first- and second-order gradients", () => {
    const w = tf.tensor2d([0.3, -0.2, 0.5, 0.1, 0.4, -0.6], [2, 3]);
    const b = tf.tensor1d([0.1, -0.3, 0.2]);
    const xs = tf.tensor2d([1, 2, -1, 0.5, 0.3, -2, 1.5, 1], [4, 2]);
    const xq = tf.tensor2d([-1, 1, 2, 0.5, 0.7, -0.2, 0, 1], [4, 2]);
    const before = tf.memory().numTensors;
    const first = (g: Grads) =>
      tf.tidy(() => g(() => loss(w, b, xs), [w, b]).grads.map((t) => Array.from(t!.dataSync())));
    const ours = first(lean);
    const theirs = first(tfjs);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < ours[i]!.length; j++) expect(ours[i]![j]).toBeCloseTo(theirs[i]![j]!, 6);
    const ours2 = metaGrad(lean, w, b, xs, xq);
    const theirs2 = metaGrad(tfjs, w, b, xs, xq);
    expect(ours2.flat().some((v) => v !== 0)).toBe(true);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < ours2[i]!.length; j++) expect(ours2[i]![j]).toBeCloseTo(theirs2[i]![j]!, 6);
    expect(tf.memory().numTensors).toBe(before);
    for (const t of [w, b, xs, xq]) t.dispose();
  });

  it("frees each node's output gradient and saved tensors once the node is back-propagated", () => {
    const x = rng.normal(rng.key(7), [4096]);
    // The gradient of `probe` runs last in the backward pass: measure what is still held then.
    const held = (g: Grads): number => {
      let bytes = 0;
      const probe = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
        value: (args[0] as tf.Tensor).mul(1),
        gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
          bytes = tf.memory().numBytes;
          return (dy as tf.Tensor).mul(1);
        },
      }));
      const base = tf.memory().numBytes;
      tf.tidy(() => {
        g(() => {
          let h: tf.Tensor = probe(x);
          for (let i = 0; i < 40; i++) h = tf.sin(h).mul(1.01); // each step saves and yields a [4096] tensor
          return h.sum() as tf.Scalar;
        }, [x]);
      });
      return bytes - base;
    };
    const ours = held(lean);
    const theirs = held(tfjs);
    expect(theirs).toBeGreaterThan(80 * 4096 * 4); // tfjs: every saved input and every gradient so far
    expect(ours).toBeLessThan(theirs / 8);
    x.dispose();
  });
});

describe("valueAndGrad on leanGradients", () => {
  it("names every parameter the loss does not reach, and leaves no tensors behind", () => {
    const params = { a: tf.scalar(2), b: { c: tf.ones([3]), d: tf.ones([2]) } };
    const before = tf.memory().numTensors;
    let error: unknown;
    try {
      valueAndGrad((p) => tf.mul(p.a as tf.Tensor, 3) as tf.Scalar, params);
    } catch (e) {
      error = e;
    }
    expect(isTavtError(error)).toBe(true);
    expect((error as Error).message).toContain("b.c, b.d");
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([params.a, params.b.c, params.b.d]);
  });

  it("refuses a loss that is not a scalar", () => {
    const params = { w: tf.ones([3]) };
    expect(() => valueAndGrad((p) => tf.mul(p.w as tf.Tensor, 2) as tf.Scalar, params)).toThrow(/must be a scalar/);
    params.w.dispose();
  });
});
