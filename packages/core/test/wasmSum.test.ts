import { afterAll, describe, expect, it } from "vitest";
import { initBackend, rng, tf } from "../src";
import { expectAllCloseArrays } from "./fixture";

/**
 * The wasm Sum kernel core registers (wasm/reduce.c over contiguous axes, tfjs's own kernel otherwise) against
 * tfjs's cpu kernel: seeded random shapes and axes (leading, middle, trailing, all, negative, non-contiguous), with
 * and without keepDims, size-1 and empty dimensions, NaN and infinity. Compared as torch.allclose does (atol 1e-4
 * for sums of up to a few hundred terms in another order, rtol 1e-5).
 */
async function compare(what: string, x: tf.Tensor, axis: number | number[], keepDims: boolean) {
  const data = x.dataSync().slice();
  const shape = x.shape;
  const dtype = x.dtype;
  await initBackend({ backend: "cpu" });
  const want = tf.tidy(() => tf.sum(tf.tensor(data, shape, dtype), axis, keepDims));
  const wantData = want.dataSync();
  const wantShape = want.shape;
  want.dispose();
  await initBackend({ backend: "wasm" });
  const got = tf.tidy(() => tf.sum(tf.tensor(data, shape, dtype), axis, keepDims));
  expect(got.shape, what).toEqual(wantShape);
  expectAllCloseArrays(got.dataSync(), wantData, what, 1e-4);
  got.dispose();
}

describe("wasm Sum", () => {
  afterAll(async () => {
    await initBackend({ backend: "cpu" });
  });

  it("matches the cpu kernel over contiguous and scattered axes, with keepDims, NaN and infinity", async () => {
    await initBackend({ backend: "wasm" });
    const k = rng.key(21);
    const cases: [number[], number | number[]][] = [
      [[768, 256], 0],
      [[32, 24, 256], -1],
      [
        [32, 24, 256],
        [0, 1],
      ],
      [
        [4, 5, 6, 7],
        [1, 2],
      ],
      [
        [4, 5, 6, 7],
        [0, 2],
      ], // not contiguous: tfjs's kernel
      [
        [9, 13],
        [0, 1],
      ],
      [[3, 1, 5], 1],
      [[17], 0],
      [[2, 3, 37], 2],
    ];
    let t = 0;
    for (const [shape, axis] of cases) {
      for (const keepDims of [false, true]) {
        const x = rng.normal(rng.foldIn(k, t), shape);
        const v = x.dataSync();
        if (t % 3 === 1) v[t % v.length] = Number.NaN;
        if (t % 3 === 2) v[(t * 7) % v.length] = Number.POSITIVE_INFINITY;
        await compare(`[${shape}] axis ${JSON.stringify(axis)} keepDims ${keepDims}`, x, axis, keepDims);
        x.dispose();
        t++;
      }
    }
  });

  it("sums empty dimensions to zeros, keeps empty outputs empty, and leaves int32 to tfjs's kernel", async () => {
    await initBackend({ backend: "wasm" });
    await compare("reduce over an empty axis", tf.zeros([3, 0, 4]), 1, false);
    await compare("empty kept axis", tf.zeros([0, 5]), 1, true);
    await compare(
      "int32",
      tf.tensor2d(
        [
          [1, 2],
          [3, 4],
        ],
        [2, 2],
        "int32",
      ),
      0,
      false,
    );
  });
});
