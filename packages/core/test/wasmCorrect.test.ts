import { afterAll, describe, expect, it } from "vitest";
import { initBackend, tf } from "../src";

/**
 * The tfjs-backend-wasm kernels core takes over (src/kernels/wasmCorrect.ts, and _FusedMatMul in wasm.ts): each case
 * against tfjs's cpu backend, and the heap corruption that bool Reverse and Select caused.
 */
type Make = () => tf.Tensor;

async function onBoth(make: Make): Promise<{ cpu: tf.Tensor; wasm: tf.Tensor }> {
  await initBackend({ backend: "cpu" });
  const c = tf.tidy(make);
  const cpu = tf.tensor(Array.from(c.dataSync() as ArrayLike<number>), c.shape, c.dtype);
  c.dispose();
  await initBackend({ backend: "wasm" });
  return { cpu, wasm: tf.tidy(make) };
}

/** Same shape and dtype, and the same values bit for bit (NaN equal to NaN, +0 apart from -0) or within rtol. */
async function expectLikeCpu(what: string, make: Make, rtol = 0): Promise<void> {
  const { cpu, wasm } = await onBoth(make);
  expect(wasm.shape, `${what}: shape`).toEqual(cpu.shape);
  expect(wasm.dtype, `${what}: dtype`).toBe(cpu.dtype);
  const w = Array.from(wasm.dataSync() as ArrayLike<number>);
  const c = Array.from(cpu.dataSync() as ArrayLike<number>);
  c.forEach((want, i) => {
    const got = w[i]!;
    const ok =
      Object.is(got, want) || (rtol > 0 && Number.isFinite(want) && Math.abs(got - want) <= rtol * Math.abs(want));
    expect(
      ok,
      `${what}: [${i}] got ${Object.is(got, -0) ? "-0" : got}, want ${Object.is(want, -0) ? "-0" : want}`,
    ).toBe(true);
  });
  cpu.dispose();
  wasm.dispose();
}

/**
 * Runs `op` with its output placed just before live sentinel tensors: holes of the output's size are freed right
 * before it, so the allocator hands one of them out and a kernel that writes past its output hits a sentinel.
 */
function writesPastOutput(op: () => tf.Tensor, outBytes: number): number {
  const holes = Array.from({ length: 8 }, () => tf.zeros([outBytes], "bool"));
  const sentinels = holes.map(() => tf.fill([16], 7.25));
  for (const h of holes) h.dispose();
  const out = op();
  out.dataSync();
  out.dispose();
  let changed = 0;
  for (const s of sentinels) {
    for (const v of s.dataSync()) if (v !== 7.25) changed++;
    s.dispose();
  }
  return changed;
}

describe("tfjs-backend-wasm kernels that core corrects", () => {
  afterAll(async () => {
    await initBackend({ backend: "cpu" });
  });

  it("Reverse and Select of bool write only their own output (they wrote 4 bytes per element and broke the heap)", async () => {
    await initBackend({ backend: "wasm" });
    const n = 64;
    const x = tf.tensor(
      Array.from({ length: n }, (_, i) => i % 3 === 0),
      [n],
      "bool",
    );
    const c = tf.tensor(
      Array.from({ length: n }, (_, i) => i % 2 === 0),
      [n],
      "bool",
    );
    expect(
      writesPastOutput(() => tf.reverse(x, 0), n),
      "reverse",
    ).toBe(0);
    expect(
      writesPastOutput(() => tf.where(c, x, tf.logicalNot(x)), n),
      "where",
    ).toBe(0);
    // and the allocator still works: many allocations of many sizes, each read back
    for (let i = 0; i < 200; i++) {
      const t = tf.fill([1 + ((i * 37) % 500)], i);
      expect(t.dataSync()[0]).toBe(i);
      t.dispose();
    }
    expect(Array.from(tf.reverse(tf.tensor([0, 1, 1], [3], "bool"), 0).dataSync())).toEqual([1, 1, 0]);
    x.dispose();
    c.dispose();
  });

  it("Select with an empty value tensor and a broadcast condition, and ops on empty inputs, match cpu", async () => {
    await expectLikeCpu("where empty", () =>
      tf.where(tf.ones([4, 1], "bool"), tf.zeros([0, 1, 4, 1]), tf.ones([0, 1, 4, 1])),
    );
    await expectLikeCpu("max empty", () => tf.max(tf.zeros([3, 0]), 1));
    await expectLikeCpu("min empty", () => tf.min(tf.zeros([3, 0]), 1));
    await expectLikeCpu("mean empty", () => tf.mean(tf.zeros([3, 0]), 1));
    await expectLikeCpu("prod empty", () => tf.prod(tf.zeros([3, 0]), 1));
    await expectLikeCpu("any empty", () => tf.any(tf.zeros([3, 0], "bool"), 1));
    await expectLikeCpu("all empty", () => tf.all(tf.zeros([3, 0], "bool"), 1));
    await expectLikeCpu("sum empty, scattered axes", () => tf.sum(tf.zeros([0, 4, 3, 1]), [1, 3]));
    await expectLikeCpu("logSumExp empty", () => tf.logSumExp(tf.zeros([3, 0]), 1));
    await expectLikeCpu("gather of nothing", () => tf.gather(tf.zeros([0, 2], "bool"), tf.tensor1d([], "int32")));
  });

  it("special values: relu6, maximum, minimum, clip, pow, sign, floorDiv, mod, cast to bool, sin and cos", async () => {
    const special = [
      Number.NaN,
      -0,
      0,
      1,
      -1,
      7,
      -7,
      1e-30,
      -1e-30,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ];
    const other = [1, 0, -0, Number.NaN, 2, Number.NaN, 3, -0, 0, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
    const a = () => tf.tensor(special);
    const b = () => tf.tensor(other);
    await expectLikeCpu("relu6", () => tf.relu6(a()));
    // a NaN with its sign bit set (inf - inf on x86), in a row long enough for the vector loop
    const negNaN = () => tf.sub(tf.fill([19], Number.POSITIVE_INFINITY), tf.fill([19], Number.POSITIVE_INFINITY));
    await expectLikeCpu("relu of a negative NaN", () => tf.relu(negNaN()));
    await expectLikeCpu("relu", () => tf.relu(tf.concat([a(), b(), negNaN()])));
    await expectLikeCpu("maximum", () => tf.maximum(a(), b()));
    await expectLikeCpu("minimum", () => tf.minimum(a(), b()));
    await expectLikeCpu("clipByValue", () => tf.clipByValue(a(), -1, 1));
    await expectLikeCpu("pow", () =>
      tf.pow(
        tf.tensor([1, 1, -1, 1, Number.NaN, 0, 2]),
        tf.tensor([
          Number.NaN,
          Number.POSITIVE_INFINITY,
          Number.NEGATIVE_INFINITY,
          Number.NEGATIVE_INFINITY,
          0,
          -1,
          0.5,
        ]),
      ),
    );
    await expectLikeCpu("sign", () => tf.sign(a()));
    await expectLikeCpu("cast float32 to bool", () => tf.cast(a(), "bool"));
    await expectLikeCpu("cast int32 to bool", () => tf.cast(tf.tensor([0, 253, -1, 256], [4], "int32"), "bool"));
    const i = () => tf.tensor([5, -5, 0, 7, -7], [5], "int32");
    const j = () => tf.tensor([0, 0, 0, 2, 2], [5], "int32");
    await expectLikeCpu("int32 floorDiv by 0", () => tf.floorDiv(i(), j()));
    await expectLikeCpu("int32 mod by 0", () => tf.mod(i(), j()));
    await expectLikeCpu("float32 floorDiv (an int32 result)", () =>
      tf.floorDiv(tf.tensor([5.5, -5.5, 1]), tf.tensor([2, 2, 0])),
    );
    await expectLikeCpu("sin", () => tf.sin(tf.tensor([1e30, -3e29, 0.5])), 1e-6);
    await expectLikeCpu("cos", () => tf.cos(tf.tensor([1e30, -3e29, 0.5])), 1e-6);
    await expectLikeCpu("stridedSlice int32", () =>
      tf.stridedSlice(tf.tensor([1, 2, 3, 2147483647], [4], "int32"), [0], [4], [1]),
    );
  });

  it("_FusedMatMul with batched inputs, a bias and an activation computes every batch item", async () => {
    const k = (seed: number, shape: number[]) => tf.randomNormal(shape, 0, 1, "float32", seed);
    for (const activation of ["relu", "relu6", "elu", "sigmoid", "leakyrelu", "linear"] as const) {
      await expectLikeCpu(
        `fused ${activation}`,
        () =>
          tf.fused.matMul({
            a: k(1, [3, 3, 2]),
            b: k(2, [3, 4, 2]),
            transposeB: true,
            bias: tf.tensor1d([0.5, -1, 2, -40]),
            activation,
            leakyreluAlpha: 0.1,
          }),
        1e-5,
      );
    }
    // NaN through relu6 stays NaN
    await expectLikeCpu("fused relu6 NaN", () =>
      tf.fused.matMul({ a: tf.tensor2d([[Number.NaN, 1]]), b: tf.tensor2d([[1], [1]]), activation: "relu6" }),
    );
  });
});
