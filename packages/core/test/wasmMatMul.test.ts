import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend, rng, tf } from "../src";

/**
 * The wasm matMul kernels core registers (transpose once, then wasm's plain product) against tfjs's cpu kernels, on
 * seeded random shapes: all four transpose forms, batched and broadcast batches, fused bias and activation, size-1
 * and empty dimensions, NaN and infinity propagation. Compared as torch.allclose does (atol 1e-5, rtol 1e-5).
 */
function close(got: Float32Array, want: Float32Array, what: string) {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    const ok = Number.isNaN(w)
      ? Number.isNaN(g)
      : !Number.isFinite(w)
        ? g === w
        : Math.abs(g - w) <= 1e-5 + 1e-5 * Math.abs(w);
    expect(ok, `${what}: element ${i}: got ${g}, want ${w}`).toBe(true);
  }
}

async function compare(what: string, build: () => tf.Tensor, inputs: tf.Tensor[]) {
  await initBackend({ backend: "cpu" });
  const want = tf.tidy(build);
  const wantData = want.dataSync() as Float32Array;
  const shape = want.shape;
  want.dispose();
  await initBackend({ backend: "wasm" });
  const got = tf.tidy(build);
  expect(got.shape, what).toEqual(shape);
  close(got.dataSync() as Float32Array, wantData, what);
  got.dispose();
  tf.dispose(inputs);
}

describe("wasm matMul in every transpose form", () => {
  beforeAll(async () => {
    await initBackend({ backend: "wasm" });
  });
  afterAll(async () => {
    await initBackend({ backend: "cpu" });
  });

  it("BatchMatMul matches the cpu kernels on random shapes (batched, broadcast, size 1, empty)", async () => {
    const k = rng.key(11);
    for (let trial = 0; trial < 48; trial++) {
      const kk = rng.split(rng.foldIn(k, trial), 3);
      const [m, n, kd, batch] = Array.from(rng.randint(kk[0]!, 4, 6)).map((x, i) => (i === 3 ? x % 3 : x)) as [
        number,
        number,
        number,
        number,
      ];
      const ta = trial % 2 === 1;
      const tb = trial % 4 >= 2;
      const form = Math.floor(trial / 4) % 3; // 0 unbatched, 1 equal batches, 2 batch of one broadcast
      const batchA = form === 0 ? [] : [batch + 1];
      const batchB = form === 0 ? [] : form === 1 ? [batch + 1] : [1];
      const a = rng.normal(kk[1]!, [...batchA, ...(ta ? [kd, m] : [m, kd])]);
      const b = rng.normal(kk[2]!, [...batchB, ...(tb ? [n, kd] : [kd, n])]);
      const [a0, b0] = [a.dataSync(), b.dataSync()];
      if (a0.length > 0) a0[0] = trial % 5 === 0 ? Number.NaN : trial % 5 === 1 ? Number.POSITIVE_INFINITY : a0[0]!;
      await compare(
        `trial ${trial} a [${a.shape}]${ta ? "^T" : ""} b [${b.shape}]${tb ? "^T" : ""}`,
        () => tf.matMul(tf.tensor(a0, a.shape), tf.tensor(b0, b.shape), ta, tb),
        [a, b],
      );
    }
  });

  it("fused matMul with bias (NaN and infinity propagate) and with relu, transposed operands", async () => {
    const a = [
      [1, Number.NaN, 2],
      [0.5, -1, Number.POSITIVE_INFINITY],
    ];
    const b = [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
      [0, 1, 0],
    ];
    for (const [ta, tb, activation] of [
      [false, true, "linear"],
      [true, true, "linear"],
      [false, true, "relu"],
      [true, false, "relu"],
    ] as const) {
      const finite = activation === "relu"; // wasm's relu maps NaN to 0 (its own kernel, not ours): test it on finite input
      await compare(
        `fused ta=${ta} tb=${tb} ${activation}`,
        () =>
          tf.fused.matMul({
            a: ta
              ? tf.tensor2d(finite ? a.map((r) => r.map((x) => (Number.isFinite(x) ? x : 1))) : a).transpose()
              : tf.tensor2d(finite ? a.map((r) => r.map((x) => (Number.isFinite(x) ? x : 1))) : a),
            b: tb ? tf.tensor2d(b) : tf.tensor2d(b).transpose(),
            transposeA: ta,
            transposeB: tb,
            bias: tf.tensor1d([0.5, -0.5, 1, 0]),
            activation,
          }),
        [],
      );
    }
  });

  it("an empty inner dimension gives zeros, an empty outer one an empty result", async () => {
    await compare("k = 0", () => tf.matMul(tf.zeros([3, 0]), tf.zeros([4, 0]), false, true), []);
    await compare("m = 0", () => tf.matMul(tf.zeros([3, 0]), tf.ones([4, 3]), true, true), []);
  });
});
