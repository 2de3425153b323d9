import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
// tfjs's gradients (the gather gradient below); vitest bundles this ES module file (vitest.base.ts)
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADDON_ABI,
  addonMismatch,
  collapse,
  loadAddon,
  type NativeAddon,
  nativeThreadCount,
  registerNativeBackend,
} from "../src";

/**
 * The native kernels where tfjs's cpu backend defines the semantics: dtypes of outputs, empty axes, NaN, signed
 * zeros, pow's special cases, elu near 0, the gather gradient's precision; and the addon's own guards (sizes above
 * 2^31, argument checks, the interface version, TAVT_NATIVE_THREADS).
 */
const load = loadAddon();
const why = load.ok ? "" : load.reason;

/** Values on the native backend and on cpu, for the same computation. */
async function both(make: () => tf.Tensor): Promise<{ native: number[]; cpu: number[]; dtype: [string, string] }> {
  await tf.setBackend("cpu");
  const c = tf.tidy(make);
  const cpu = Array.from(c.dataSync() as ArrayLike<number>);
  const cd = c.dtype;
  c.dispose();
  await tf.setBackend("native");
  const n = tf.tidy(make);
  const native = Array.from(n.dataSync() as ArrayLike<number>);
  const nd = n.dtype;
  n.dispose();
  return { native, cpu, dtype: [nd, cd] };
}

/** Bit for bit: NaN equals NaN, +0 differs from -0; float32 values as float32 holds them. */
async function expectSame(what: string, make: () => tf.Tensor): Promise<void> {
  const { native, cpu, dtype } = await both(make);
  expect(dtype[0], `${what}: dtype`).toBe(dtype[1]);
  const f = (v: number) => (dtype[1] === "float32" ? Math.fround(v) : v);
  expect(native.length, what).toBe(cpu.length);
  cpu.forEach((w, i) => {
    const g = native[i]!;
    expect(
      Object.is(f(g), f(w)),
      `${what}: [${i}] got ${Object.is(g, -0) ? "-0" : g}, want ${Object.is(w, -0) ? "-0" : w}`,
    ).toBe(true);
  });
}

describe.skipIf(!load.ok)(`native kernel semantics${why ? ` (skipped: ${why})` : ""}`, () => {
  beforeAll(async () => {
    const s = registerNativeBackend(tf);
    if (!s.ok) throw new Error(s.reason);
  });
  afterAll(async () => {
    await tf.setBackend("cpu");
  });

  it("concat, transpose, slice and gather of a float32 tensor cast from int32 or bool keep the other inputs' fractions", async () => {
    const fromInt = () => tf.cast(tf.tensor([1, -1], [2], "int32"), "float32");
    const fromBool = () => tf.cast(tf.greater(tf.tensor([1, -1]), 0), "float32");
    await expectSame("concat int32 cast", () => tf.concat([fromInt(), tf.tensor([0.5, 300.7])]));
    await expectSame("concat bool cast", () => tf.concat([fromBool(), tf.tensor([0.5, 44.7, -1])]));
    await expectSame("concat along 1", () =>
      tf.concat([tf.reshape(fromInt(), [2, 1]), tf.tensor([[0.25], [-0.75]])], 1),
    );
    await expectSame("transpose then concat", () =>
      tf.concat([tf.transpose(tf.reshape(fromBool(), [1, 2])), tf.tensor([[0.5]])], 0),
    );
    await expectSame("slice then concat", () => tf.concat([tf.slice(fromInt(), [0], [1]), tf.tensor([0.5])]));
    await expectSame("gather then concat", () => tf.concat([tf.gather(fromInt(), [1, 0]), tf.tensor([0.5])]));
    const c = tf.concat([tf.cast(tf.tensor([1, 2], [2], "int32"), "float32"), tf.tensor([0.5, 300.7])]);
    expect(Array.from(c.dataSync())).toEqual([1, 2, 0.5, Math.fround(300.7)]);
    c.dispose();
  });

  it("max and min over an empty axis are NaN, as on cpu (and logSumExp follows)", async () => {
    await expectSame("max", () => tf.max(tf.zeros([3, 0]), 1));
    await expectSame("min", () => tf.min(tf.zeros([3, 0]), 1));
    await expectSame("max keepDims", () => tf.max(tf.zeros([0, 2]), 0, true));
    await expectSame("logSumExp", () => tf.logSumExp(tf.zeros([3, 0]), 1));
    await expectSame("mean (0, as cpu)", () => tf.mean(tf.zeros([3, 0]), 1));
  });

  it("maximum, minimum and relu as Math.max / Math.min: NaN propagates and +0 is above -0", async () => {
    const a = () => tf.tensor([Number.NaN, 1, 0, -0, Number.NaN, 0, -0]);
    const b = () => tf.tensor([1, Number.NaN, -0, 0, Number.NaN, 0, -0]);
    await expectSame("maximum", () => tf.maximum(a(), b()));
    await expectSame("minimum", () => tf.minimum(a(), b()));
    await expectSame("relu", () => tf.relu(tf.tensor([-0, 0, Number.NaN, -1, 2])));
    const m = tf.maximum(tf.tensor([0]), tf.tensor([-0]));
    expect(Object.is(m.dataSync()[0], 0)).toBe(true);
    m.dispose();
  });

  it("pow's special cases are Math.pow's", async () => {
    const x = [1, 1, -1, 1, -1, Number.NaN, 0, 2, -8, 1];
    const y = [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      0,
      -1,
      0.5,
      1 / 3,
      0,
    ];
    await expectSame("pow", () => tf.pow(tf.tensor(x), tf.tensor(y)));
  });

  it("elu keeps its precision near 0 (expm1, not exp - 1)", async () => {
    const xs = [-1e-6, -3e-8, -1e-10, -1e-3, -1, -20];
    const got = await both(() => tf.elu(tf.tensor(xs)));
    xs.forEach((x, i) => {
      const want = Math.expm1(Math.fround(x));
      expect(Math.abs(got.native[i]! - want), `elu(${x})`).toBeLessThanOrEqual(1.2e-7 * Math.abs(want));
    });
  });

  it("the gather gradient sums a million equal rows in double precision (float64 reference)", async () => {
    await tf.setBackend("native");
    const rows = 1_000_000;
    const value = 0.1;
    const g = tf.tidy(() => {
      const table = tf.zeros([3, 2]);
      const ids = tf.zeros([rows], "int32"); // every row gathers token 0
      const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), value));
      return tf.grad(f)(table);
    });
    const got = g.dataSync();
    // float64: a million times the float32 value 0.1 (each row's gradient), rounded once to float32
    const want = Math.fround(rows * Math.fround(value));
    expect(Math.abs(got[0]! - want), `got ${got[0]}, want ${want}`).toBeLessThanOrEqual(1.2e-7 * want);
    expect(got[1]).toBeCloseTo(want, 0);
    expect(Array.from(got.slice(2))).toEqual([0, 0, 0, 0]);
    g.dispose();
  });

  it("merged sizes and strides above 2^31 stay exact (Float64Array, not a wrapping Int32Array)", () => {
    const c = collapse([65536, 65536], [[65536, 1]]);
    expect(c.shape).toBeInstanceOf(Float64Array);
    expect(Array.from(c.shape)).toEqual([2 ** 32]);
    const d = collapse(
      [3, 2 ** 31],
      [
        [2 ** 31, 1],
        [0, 1],
      ],
    );
    expect(Array.from(d.shape)).toEqual([3, 2 ** 31]);
    expect(Array.from(d.strides[0]!)).toEqual([2 ** 31, 1]);
    // and the C side reads them as 64-bit sizes: a copy whose stride is 2^32 is refused as reading past x, not wrapped
    const addon = (load as { addon: NativeAddon }).addon;
    const x = new Float32Array(4);
    const out = new Float32Array(2);
    expect(() => addon.copy(x, 0, out, Float64Array.of(2), Float64Array.of(2 ** 32))).toThrow(/past x/);
    addon.copy(x.fill(5), 0, out, Float64Array.of(2), Float64Array.of(2));
    expect(Array.from(out)).toEqual([5, 5]);
  });

  it("checks its Node-API arguments: a value of the wrong type throws instead of reading as 0", () => {
    const addon = (load as { addon: NativeAddon }).addon;
    const x = new Float32Array(2);
    expect(() => addon.unary("1" as unknown as number, x, x.slice(), 0)).toThrow(/must be a number/);
    expect(() => addon.softmax(x, x.slice(), {} as unknown as number, 2)).toThrow(/must be a number/);
    expect(() => addon.copy(x, 0, x.slice(), Int32Array.of(2) as unknown as Float64Array, Float64Array.of(1))).toThrow(
      /Float64Array/,
    );
  });

  it("refuses an addon from other sources: a missing function or another interface version", () => {
    const addon = (load as { addon: NativeAddon }).addon;
    expect(addon.abiVersion()).toBe(ADDON_ABI);
    expect(addonMismatch(addon)).toBeNull();
    const names = ["gemm", "binary", "unary", "reduce", "copy", "softmax", "segmentSum", "gather", "threefryBits"];
    const stale = Object.fromEntries(
      [...names, "dropoutMask", "adam", "setThreads", "blasInfo", "abiVersion"].map((f) => [
        f,
        (addon as unknown as Record<string, unknown>)[f],
      ]),
    );
    expect(addonMismatch(stale)).toMatch(/lacks binaryInt$/);
    expect(addonMismatch({ ...stale, binaryInt: addon.binaryInt, abiVersion: () => 1 })).toMatch(
      /interface version is 1/,
    );
  });

  it("TAVT_NATIVE_THREADS: a positive integer, or unset; anything else is an error", () => {
    expect(nativeThreadCount({})).toBe(0);
    expect(nativeThreadCount({ TAVT_NATIVE_THREADS: "" })).toBe(0);
    expect(nativeThreadCount({ TAVT_NATIVE_THREADS: "2" })).toBe(2);
    for (const bad of ["two", "1.5", "-1", "0"]) {
      expect(() => nativeThreadCount({ TAVT_NATIVE_THREADS: bad }), bad).toThrow(/TAVT_NATIVE_THREADS/);
    }
  });
});
