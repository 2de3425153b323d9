import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAddon, registerNativeBackend } from "../src";

/**
 * Every native kernel against tfjs's own cpu kernels (the reference) on random shapes: broadcast batches, size-1 and
 * empty dimensions, and NaN / infinity propagation. Compared as torch.allclose does: |got - want| <= atol + rtol |want|,
 * with NaN equal to NaN and infinities equal when of the same sign.
 */
const load = loadAddon();
const ready = load.ok;
const why = load.ok ? "" : load.reason;

let seed = 1;
function rand(): number {
  // mulberry32: seeded, so each run tests the same shapes and values
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randInt = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

function values(n: number, special = false): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rand() * 4 - 2;
  if (special && n > 0) {
    const s = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0];
    for (let i = 0; i < Math.min(n, 6); i++) v[randInt(0, n - 1)] = s[i % s.length]!;
  }
  return v;
}

/** Runs `build` on the cpu backend and on the native one, with the same input values, and compares. */
async function same(
  build: (make: (shape: number[], special?: boolean) => tf.Tensor) => tf.Tensor | tf.Tensor[],
  atol = 1e-6,
  rtol = 1e-5,
) {
  const inputs: { shape: number[]; v: Float32Array }[] = [];
  const recording = (shape: number[], special = false) => {
    const v = values(
      shape.reduce((p, d) => p * d, 1),
      special,
    );
    inputs.push({ shape, v });
    return tf.tensor(v, shape);
  };
  await tf.setBackend("cpu");
  const want = ([] as tf.Tensor[]).concat(tf.tidy(() => build(recording)));
  const wantData = want.map((t) => ({
    shape: t.shape,
    dtype: t.dtype,
    data: Array.from(t.dataSync() as Float32Array),
  }));
  tf.dispose(want);
  await tf.setBackend("native");
  let i = 0;
  const replay = (shape: number[]) => tf.tensor(inputs[i++]!.v, shape);
  const got = ([] as tf.Tensor[]).concat(tf.tidy(() => build(replay)));
  expect(got.length).toBe(wantData.length);
  got.forEach((t, k) => {
    const w = wantData[k]!;
    expect(t.shape).toEqual(w.shape);
    expect(t.dtype).toBe(w.dtype);
    const g = Array.from(t.dataSync() as Float32Array);
    for (let j = 0; j < g.length; j++) {
      const a = g[j]!;
      const b = w.data[j]!;
      if (Number.isNaN(b) || !Number.isFinite(b)) {
        expect(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)), `element ${j}: got ${a}, want ${b}`).toBe(true);
      } else {
        expect(Math.abs(a - b) <= atol + rtol * Math.abs(b), `element ${j}: got ${a}, want ${b}`).toBe(true);
      }
    }
  });
  tf.dispose(got);
}

function randomShape(rank: number, allowEmpty = false): number[] {
  return Array.from({ length: rank }, () => (allowEmpty && rand() < 0.1 ? 0 : rand() < 0.25 ? 1 : randInt(2, 6)));
}

/** A shape that broadcasts with `shape`: some dimensions set to 1, some leading ones dropped. */
function broadcastPartner(shape: number[]): number[] {
  const drop = randInt(0, shape.length);
  return shape.slice(drop).map((d) => (rand() < 0.4 ? 1 : d));
}

describe.skipIf(!ready)(`native kernels against tfjs's cpu kernels${why ? ` (skipped: ${why})` : ""}`, () => {
  beforeAll(async () => {
    const s = registerNativeBackend();
    expect(s.ok).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend("cpu");
  });

  it("BatchMatMul in all four transpose forms, broadcast batches, size-1 and empty dimensions", async () => {
    for (let trial = 0; trial < 60; trial++) {
      const [m, k, n] = [randInt(0, 7), randInt(0, 7), randInt(1, 7)].map((x) => (rand() < 0.1 ? 1 : x)) as [
        number,
        number,
        number,
      ];
      const ta = rand() < 0.5;
      const tb = rand() < 0.5;
      // tfjs's cpu kernel broadcasts a batch of one against any batch (and equal batches); test those forms
      const batch = randomShape(randInt(0, 2));
      const bBatch = rand() < 0.3 ? batch.map(() => 1) : rand() < 0.3 ? [] : batch;
      const aShape = [...batch, ...(ta ? [k, m] : [m, k])];
      const bShape = [...bBatch, ...(tb ? [n, k] : [k, n])];
      await same((mk) => tf.matMul(mk(aShape), mk(bShape), ta, tb), 1e-5, 1e-5);
    }
  });

  it("BatchMatMul broadcasts batch dimensions as numpy does where tfjs's cpu kernel cannot ([2,1] x [1,3])", async () => {
    await tf.setBackend("native");
    const a = tf.randomNormal([2, 1, 3, 4], 0, 1, "float32", 1);
    const b = tf.randomNormal([1, 3, 4, 5], 0, 1, "float32", 2);
    const got = tf.matMul(a, b);
    expect(got.shape).toEqual([2, 3, 3, 5]);
    // reference: tile both to the full batch, then an unbroadcast matmul
    const want = tf.matMul(tf.tile(a, [1, 3, 1, 1]), tf.tile(b, [2, 1, 1, 1]));
    const g = got.dataSync();
    const w = want.dataSync();
    for (let i = 0; i < w.length; i++)
      expect(Math.abs(g[i]! - w[i]!)).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(w[i]!));
    tf.dispose([a, b, got, want]);
  });

  it("fused matMul with bias and activation", async () => {
    for (const activation of ["linear", "relu", "elu", "sigmoid", "leakyrelu"] as const) {
      await same((mk) =>
        tf.fused.matMul({
          a: mk([5, 4]),
          b: mk([6, 4]),
          transposeB: true,
          bias: mk([6]),
          activation,
          leakyreluAlpha: 0.1,
        }),
      );
    }
  });

  it("binary ops with broadcasting, NaN and infinities", async () => {
    const ops = [tf.add, tf.sub, tf.mul, tf.div, tf.maximum, tf.minimum, tf.squaredDifference] as const;
    for (let trial = 0; trial < 80; trial++) {
      const op = ops[trial % ops.length]!;
      const shape = randomShape(randInt(0, 4), true);
      const other = broadcastPartner(shape);
      const [a, b] = rand() < 0.5 ? [shape, other] : [other, shape];
      await same((mk) => op(mk(a, true), mk(b, true)));
    }
    await same((mk) => tf.pow(tf.abs(mk([3, 4])), mk([4])));
  });

  it("comparisons give bool tensors", async () => {
    const ops = [tf.equal, tf.notEqual, tf.less, tf.lessEqual, tf.greater, tf.greaterEqual] as const;
    for (const op of ops) {
      await same((mk) => op(mk([3, 1, 4], true), mk([5, 1])));
      await same((mk) => {
        const x = mk([6]);
        return op(x, tf.reverse(x)); // equal values occur
      });
    }
  });

  it("int32 arithmetic and comparisons with broadcasting", async () => {
    const int = (t: tf.Tensor) => tf.cast(tf.mul(t, 1000), "int32");
    const ops = [
      tf.add,
      tf.sub,
      tf.mul,
      tf.maximum,
      tf.minimum,
      tf.equal,
      tf.notEqual,
      tf.less,
      tf.greaterEqual,
    ] as const;
    for (const op of ops) {
      await same((mk) => tf.cast(op(int(mk([4, 1, 3])), int(mk([5, 1]))), "float32"));
      await same((mk) => {
        const x = tf.cast(tf.floor(tf.mul(mk([7, 1]), 2)), "int32"); // small ids: equal values occur
        return tf.cast(op(x, tf.reshape(x, [1, 7])), "float32");
      });
    }
  });

  it("exp is within 2 ulp of the correctly rounded result over the float32 range", () => {
    // every 997th bit pattern of both signs (4.3 million floats: normals, subnormals, infinities, NaNs)
    const bits = new Uint32Array(Math.ceil(2 ** 32 / 997));
    for (let i = 0; i < bits.length; i++) bits[i] = i * 997;
    const x = new Float32Array(bits.buffer);
    const got = new Float32Array(x.length);
    (load as { ok: true; addon: { unary(op: number, x: Float32Array, o: Float32Array, a: number): void } }).addon.unary(
      1,
      x,
      got,
      0,
    );
    const gotBits = new Uint32Array(got.buffer);
    const w = new Float32Array(1);
    const wBits = new Uint32Array(w.buffer);
    let worst = 0;
    let worstAt = 0;
    for (let i = 0; i < x.length; i++) {
      w[0] = Math.exp(x[i]!);
      if (Number.isNaN(w[0])) {
        if (!Number.isNaN(got[i]!)) throw new Error(`exp(${x[i]}) = ${got[i]}, want NaN`);
        continue;
      }
      const d = Math.abs(gotBits[i]! - wBits[0]!); // both non-negative floats: bit distance = ulp distance
      if (d > worst) {
        worst = d;
        worstAt = x[i]!;
      }
    }
    expect(worst, `worst at exp(${worstAt})`).toBeLessThanOrEqual(2);
    const special = Float32Array.of(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, 89, -104);
    const out = new Float32Array(special.length);
    (load as { ok: true; addon: { unary(op: number, x: Float32Array, o: Float32Array, a: number): void } }).addon.unary(
      1,
      special,
      out,
      0,
    );
    expect(Array.from(out)).toEqual([Number.POSITIVE_INFINITY, 0, 1, 1, Number.POSITIVE_INFINITY, 0]);
  });

  it("unary ops, NaN and infinities included", async () => {
    const ops: ((x: tf.Tensor) => tf.Tensor)[] = [
      tf.neg,
      tf.exp,
      (x) => tf.log(tf.abs(x)),
      (x) => tf.sqrt(tf.abs(x)),
      (x) => tf.rsqrt(tf.abs(x)),
      tf.square,
      tf.abs,
      tf.relu,
      tf.sigmoid,
      tf.tanh,
      (x) => tf.step(x, 0.25),
      tf.reciprocal,
      (x) => tf.log1p(tf.abs(x)),
      tf.elu,
    ];
    for (const op of ops) {
      await same((mk) => op(mk([4, 7], true)), 1e-6, 2e-6);
      await same((mk) => op(mk([0, 3])));
    }
  });

  it("sum, mean, max and min over any axes, keepDims, empty and scalar inputs", async () => {
    for (let trial = 0; trial < 60; trial++) {
      const rank = randInt(0, 4);
      const shape = randomShape(rank, true);
      const axes = [...Array(rank).keys()].filter(() => rand() < 0.5);
      const axis = rand() < 0.2 ? undefined : axes.length === 1 && rand() < 0.5 ? axes[0]! - rank : axes;
      const keepDims = rand() < 0.3;
      const op = [tf.sum, tf.mean, tf.max, tf.min][trial % 4]!;
      if ((op === tf.max || op === tf.min) && shape.includes(0)) continue; // tfjs refuses max/min of nothing
      await same((mk) => op(mk(shape, trial % 3 === 0), axis, keepDims), 1e-5, 1e-5);
    }
  });

  it("transpose, slice and split (float32, int32 and bool)", async () => {
    for (let trial = 0; trial < 40; trial++) {
      const rank = randInt(1, 5);
      const shape = randomShape(rank);
      const perm = [...Array(rank).keys()].sort(() => rand() - 0.5);
      await same((mk) => tf.transpose(mk(shape), perm));
      await same((mk) => tf.cast(tf.transpose(tf.cast(mk(shape), "int32"), perm), "float32"));
      await same((mk) => tf.cast(tf.transpose(tf.greater(mk(shape), 0), perm), "float32"));
      const begin = shape.map((d) => randInt(0, d - 1));
      const size = shape.map((d, i) => (rand() < 0.2 ? -1 : randInt(0, d - begin[i]!)));
      await same((mk) => tf.slice(mk(shape), begin, size));
      const axis = randInt(0, rank - 1);
      await same((mk) =>
        tf.split(
          mk(shape),
          [1, shape[axis]! - 1].filter((s) => s >= 0),
          axis,
        ),
      );
    }
  });

  it("concat along any axis (float32, int32 and bool), empty parts included", async () => {
    for (let trial = 0; trial < 30; trial++) {
      const rank = randInt(1, 4);
      const shape = randomShape(rank);
      const axis = randInt(0, rank - 1);
      const parts = [0, 1, 2].map(() => shape.map((d, i) => (i === axis ? randInt(0, 3) : d)));
      const neg = trial % 2 === 0 ? axis - rank : axis;
      await same((mk) =>
        tf.concat(
          parts.map((s) => mk(s)),
          neg,
        ),
      );
      await same((mk) =>
        tf.cast(
          tf.concat(
            parts.map((s) => tf.cast(mk(s), "int32")),
            axis,
          ),
          "float32",
        ),
      );
      await same((mk) =>
        tf.cast(
          tf.concat(
            parts.map((s) => tf.greater(mk(s), 0)),
            axis,
          ),
          "float32",
        ),
      );
    }
  });

  it("fill (float32 in a pooled array, other dtypes through the cpu kernel), reused buffers included", async () => {
    for (const shape of [[3, 4], [0, 2], [7], []]) {
      for (const value of [1, -2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        // a disposed tensor of the same size first, so the pool hands its (non-constant) array to fill
        await same((mk) => {
          tf.dispose(tf.add(mk(shape), 1));
          return tf.fill(shape, value, "float32");
        });
      }
      await same(() => tf.cast(tf.fill(shape, 3, "int32"), "float32"));
    }
  });

  it("softmax over the last axis, with infinities", async () => {
    await same((mk) => tf.softmax(mk([3, 4, 9])), 1e-6, 1e-5);
    await same((mk) => tf.softmax(mk([2, 5], true)), 1e-6, 1e-5);
    await same((mk) => tf.softmax(mk([0, 5])));
  });

  it("gather, and unsorted segment sum (its gradient) with out-of-range ids dropped", async () => {
    await same((mk) => tf.gather(mk([7, 3]), tf.tensor1d([0, 6, 2, 2], "int32")));
    await same((mk) =>
      tf.gather(
        mk([2, 5, 3]),
        tf.tensor2d(
          [
            [4, 0],
            [1, 1],
          ],
          [2, 2],
          "int32",
        ),
        1,
      ),
    );
    await same((mk) => tf.unsortedSegmentSum(mk([6, 4]), tf.tensor1d([2, 0, 2, 9, -1, 1], "int32"), 4));
  });

  it("an out-of-range gather id is an error naming it", async () => {
    await tf.setBackend("native");
    expect(() => tf.gather(tf.ones([3, 2]), tf.tensor1d([5], "int32"))).toThrow(/index 5/);
  });
});
