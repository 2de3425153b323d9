import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend, rng, tf } from "../src";
import { wasmKernelsAvailable } from "../src/kernels/wasmModule";
import { wasmBatchMatMul } from "../src/kernels/wasmSgemm";
import { expectAllCloseArrays } from "./fixture";

/**
 * The wasm matMul kernels core registers (transpose once, then wasm's plain product) against tfjs's cpu kernels, on
 * seeded random shapes: all four transpose forms, batched and broadcast batches, fused bias and activation, size-1
 * and empty dimensions, NaN and infinity propagation. Compared as torch.allclose does (atol 1e-5, rtol 1e-5).
 */
const close = (got: Float32Array, want: Float32Array, what: string, atol = 1e-5) =>
  expectAllCloseArrays(got, want, what, atol);

async function compare(
  what: string,
  build: () => tf.Tensor,
  inputs: tf.Tensor[],
  atol = 1e-5,
  reference: () => tf.Tensor = build,
) {
  await initBackend({ backend: "cpu" });
  const want = tf.tidy(reference);
  const wantData = want.dataSync() as Float32Array;
  const shape = want.shape;
  want.dispose();
  await initBackend({ backend: "wasm" });
  const got = tf.tidy(build);
  expect(got.shape, what).toEqual(shape);
  close(got.dataSync() as Float32Array, wantData, what, atol);
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

  it("BatchMatMul runs core's SIMD product, across its block edges and with broadcast batches of any rank", async () => {
    expect(wasmKernelsAvailable()).toBe(true);
    const probe = [tf.ones([2, 3]), tf.ones([3, 4])];
    const out = wasmBatchMatMul(probe[0]!, probe[1]!, false, false, tf.backend());
    expect(out?.shape).toEqual([2, 4]);
    if (out) tf.backend().disposeData(out.dataId);
    tf.dispose(probe);
    const k = rng.key(12);
    // m crosses the 64-row block and 4-row tile, k the 256-deep block, n the 1024-column block and 8-column tile.
    const cases: [number[], number[], number, number, number][] = [
      [[], [], 70, 300, 1030],
      [[2, 3], [3], 5, 7, 9],
      [[1], [4], 6, 3, 10],
      [[3, 1], [1, 2], 4, 5, 6],
      [[5], [], 9, 17, 3],
    ];
    let trial = 0;
    for (const [batchA, batchB, m, kd, n] of cases) {
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        const kk = rng.split(rng.foldIn(k, trial++), 2);
        const a = rng.normal(kk[0]!, [...batchA, ...(ta ? [kd, m] : [m, kd])]);
        const b = rng.normal(kk[1]!, [...batchB, ...(tb ? [n, kd] : [kd, n])]);
        const [a0, b0] = [a.dataSync(), b.dataSync()];
        // tfjs's cpu kernel broadcasts only a batch of one against the other operand's whole batch, so the
        // reference tiles both operands to the output's batch first.
        const outer = tf.backend_util.assertAndGetBroadcastShape(batchA, batchB);
        const full = (x: tf.Tensor, batch: number[]) =>
          tf.tile(x.reshape([...new Array<number>(outer.length - batch.length).fill(1), ...x.shape]), [
            ...outer.map((d, i) =>
              outer.length - batch.length > i || batch[i - outer.length + batch.length] === 1 ? d : 1,
            ),
            1,
            1,
          ]);
        // Sums over 300 products: float32 rounding differs with the order of summation, so atol 1e-4 here.
        await compare(
          `a [${a.shape}]${ta ? "^T" : ""} b [${b.shape}]${tb ? "^T" : ""}`,
          () => tf.matMul(tf.tensor(a0, a.shape), tf.tensor(b0, b.shape), ta, tb),
          [a, b],
          1e-4,
          () => tf.matMul(full(tf.tensor(a0, a.shape), batchA), full(tf.tensor(b0, b.shape), batchB), ta, tb),
        );
      }
    }
  });

  it("works on tensors above the heap's 2 GB mark (tfjs's malloc returns a signed offset there)", async () => {
    await initBackend({ backend: "wasm" });
    const filler = tf.zeros([560_000_000]); // 2.24 GB of the 4 GB heap, so what follows lies above 2 GB
    const k = rng.key(13);
    const kk = rng.split(k, 2);
    const a = rng.normal(kk[0]!, [64, 40, 24]);
    const b = rng.normal(kk[1]!, [64, 40, 24]);
    const [a0, b0] = [a.dataSync(), b.dataSync()];
    tf.dispose([a, b]);
    await initBackend({ backend: "cpu" });
    const want = tf.tidy(() => tf.matMul(tf.tensor(a0, [64, 40, 24]), tf.tensor(b0, [64, 40, 24]), false, true));
    const wantData = want.dataSync() as Float32Array;
    want.dispose();
    await initBackend({ backend: "wasm" });
    const got = tf.tidy(() => tf.matMul(tf.tensor(a0, [64, 40, 24]), tf.tensor(b0, [64, 40, 24]), false, true));
    expect(
      (tf.backend() as unknown as { getMemoryOffset(d: object): number }).getMemoryOffset(got.dataId),
    ).toBeGreaterThan(2 ** 31);
    close(got.dataSync() as Float32Array, wantData, "above 2 GB", 1e-4);
    tf.dispose([got, filler]);
  });

  it("gives bit-identical products on 1 and 3 threads (each element summed in the same order)", async () => {
    const k = rng.key(14);
    const kk = rng.split(k, 4);
    // Large enough to be split: rows across threads (unbatched, transposed a) and items (batched attention).
    const shapes: [number[], number[], boolean, boolean][] = [
      [[300, 200], [200, 150], true, false],
      [[96, 40, 24], [96, 40, 24], false, true],
      [[4, 100, 64], [64, 90], false, false],
    ];
    const run = async (threads: string) => {
      await initBackend({ backend: "wasm", env: { TAVT_WASM_THREADS: threads } });
      return shapes.map(([sa, sb, ta, tb], i) => {
        const a = rng.normal(kk[i]!, ta ? [...sa.slice(0, -2), sa.at(-1)!, sa.at(-2)!] : sa);
        const b = rng.normal(rng.foldIn(kk[i]!, 1), sb);
        const y = tf.matMul(a, b, ta, tb);
        const out = y.dataSync() as Float32Array;
        tf.dispose([a, b, y]);
        return out;
      });
    };
    const one = await run("1");
    const three = await run("3");
    for (let i = 0; i < shapes.length; i++) {
      expect(three[i]!.length).toBe(one[i]!.length);
      let same = true;
      for (let j = 0; j < one[i]!.length && same; j++) same = Object.is(one[i]![j], three[i]![j]);
      expect(same, `product ${i}`).toBe(true);
    }
    await initBackend({ backend: "wasm", env: {} });
  });

  it("an empty inner dimension gives zeros, an empty outer one an empty result", async () => {
    await compare("k = 0", () => tf.matMul(tf.zeros([3, 0]), tf.zeros([4, 0]), false, true), []);
    await compare("m = 0", () => tf.matMul(tf.zeros([3, 0]), tf.ones([4, 3]), true, true), []);
    await compare("batched k = 0", () => tf.matMul(tf.zeros([2, 3, 0]), tf.zeros([1, 0, 4])), []);
    // An empty batch (tfjs's cpu kernel returns 12 values here, so this one is checked directly).
    await initBackend({ backend: "wasm" });
    const empty = tf.matMul(tf.zeros([0, 3, 2]), tf.ones([2, 4]));
    expect(empty.shape).toEqual([0, 3, 4]);
    expect(empty.dataSync().length).toBe(0);
    empty.dispose();
  });
});
