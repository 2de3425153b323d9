import { beforeAll, describe, expect, it } from "vitest";
import { initBackend, tf } from "../src";

describe("wasm Identity (tf.clone) shares its input's buffer", () => {
  beforeAll(async () => {
    await initBackend({ backend: "wasm" });
  });

  it("adds no data buffer, and the clone outlives its source", () => {
    const x = tf.tensor1d([1, 2, 3]);
    const before = tf.memory().numDataBuffers;
    const y = x.clone();
    expect(tf.memory().numDataBuffers).toBe(before);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
    expect(tf.memory().numDataBuffers).toBe(before - 1);
  });

  it("keeps gradients through a clone", () => {
    const g = tf.grad((x: tf.Tensor) => x.clone().square().sum())(tf.tensor1d([1, -2]));
    expect(Array.from(g.dataSync())).toEqual([2, -4]);
    g.dispose();
  });
});
