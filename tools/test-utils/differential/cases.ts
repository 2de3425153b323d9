/**
 * The differential suite's case generators: seeded random small computations, one generator per op family. A case
 * holds plain data (never tensors), so the same case runs on the reference backend and on the backend under test.
 */
import type { tf } from "../../../packages/core/src";

export type TF = typeof tf;
export type DType = "float32" | "int32" | "bool";

/** One input of a case: values and shape, made into a tensor on whichever backend runs the case. */
export interface Input {
  data: number[];
  shape: number[];
  dtype: DType;
}

/** A result as compared: shape, dtype and values. */
export interface Result {
  shape: number[];
  dtype: string;
  data: ArrayLike<number>;
}

export interface Case {
  family: string;
  /** What ran, for the failure message. */
  label: string;
  inputs: Input[];
  /** The computation, on the active backend (called inside tf.tidy). */
  run(tf: TF, xs: tf.Tensor[]): tf.Tensor | tf.Tensor[];
  /** A plain-JS reference, where tfjs's cpu backend is itself wrong (two-sided batch broadcast of matmul). */
  reference?: (inputs: Input[]) => Result[];
  atol: number;
  rtol: number;
  /** Whether +0 and -0 must match (exact elementwise ops and data movement; not sums in another order). */
  signedZero: boolean;
}

/** mulberry32: a small seeded generator of uniforms in [0, 1). */
export class Rand {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}

const SPECIAL = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1, -1, 1e30, -1e-30, 0.5];
const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

export interface GenOptions {
  /** Probability of a special value (NaN, ±Infinity, -0, ...) per float element. */
  special: number;
  /** Probability of a zero-size dimension per dimension. */
  empty: number;
}

export class Gen {
  constructor(
    readonly r: Rand,
    readonly opt: GenOptions,
  ) {}

  dim(max = 4, allowEmpty = true): number {
    if (allowEmpty && this.r.chance(this.opt.empty)) return 0;
    return this.r.chance(0.25) ? 1 : this.r.int(1, max);
  }

  shape(minRank = 0, maxRank = 4, allowEmpty = true): number[] {
    return Array.from({ length: this.r.int(minRank, maxRank) }, () => this.dim(4, allowEmpty));
  }

  floats(n: number, special = this.opt.special, scale = 2): number[] {
    return Array.from({ length: n }, () =>
      this.r.chance(special) ? this.r.pick(SPECIAL) : Math.fround(this.r.normal() * scale),
    );
  }

  ints(n: number, lo = -9, hi = 9): number[] {
    return Array.from({ length: n }, () =>
      this.r.chance(0.03) ? this.r.pick([2147483647, -2147483648, 0, 65536, -65536]) : this.r.int(lo, hi),
    );
  }

  input(shape: number[], dtype: DType = "float32", special?: number): Input {
    const n = size(shape);
    const data =
      dtype === "float32"
        ? this.floats(n, special)
        : dtype === "int32"
          ? this.ints(n)
          : Array.from({ length: n }, () => (this.r.chance(0.5) ? 1 : 0));
    return { data, shape, dtype };
  }

  /** A shape that broadcasts against `shape` (dimensions dropped from the front or set to 1). */
  broadcastOf(shape: readonly number[]): number[] {
    const drop = this.r.int(0, shape.length);
    return shape.slice(drop).map((d) => (this.r.chance(0.3) ? 1 : d));
  }
}

type Family = (g: Gen, i: number) => Case;

const exact = { atol: 0, rtol: 0, signedZero: true };
const close = { atol: 1e-6, rtol: 2e-6, signedZero: false };

const BINARY_FLOAT = [
  "add",
  "sub",
  "mul",
  "div",
  "maximum",
  "minimum",
  "pow",
  "squaredDifference",
  "floorDiv",
  "mod",
  "atan2",
] as const;

function binaryPair(g: Gen, dtype: DType): [Input, Input] {
  const s = g.shape(0, 4);
  const t = g.broadcastOf(s);
  return g.r.chance(0.5) ? [g.input(s, dtype), g.input(t, dtype)] : [g.input(t, dtype), g.input(s, dtype)];
}

const elementwiseFloat: Family = (g) => {
  const op = g.r.pick(BINARY_FLOAT);
  const [a, b] = binaryPair(g, "float32");
  // squaredDifference: tfjs's cpu kernel squares the difference in double and rounds once; a float32 kernel rounds
  // the difference first (within 1 ulp), which is the precision of float32 arithmetic, not a different semantics.
  const exactOps = new Set(["add", "sub", "mul", "div", "maximum", "minimum"]);
  return {
    family: "elementwise-float",
    label: `${op} [${a.shape}] [${b.shape}]`,
    inputs: [a, b],
    run: (tf, [x, y]) => (tf[op] as (p: tf.Tensor, q: tf.Tensor) => tf.Tensor)(x!, y!),
    ...(exactOps.has(op)
      ? exact
      : op === "squaredDifference"
        ? { atol: 0, rtol: 2.4e-7, signedZero: false }
        : { ...close, signedZero: op === "pow" }),
  };
};

const BINARY_INT = [
  "add",
  "sub",
  "mul",
  "maximum",
  "minimum",
  "floorDiv",
  "mod",
  "equal",
  "notEqual",
  "less",
  "lessEqual",
  "greater",
  "greaterEqual",
] as const;

const elementwiseInt: Family = (g) => {
  const op = g.r.pick(BINARY_INT);
  const [a, b] = binaryPair(g, "int32");
  return {
    family: "elementwise-int32",
    label: `${op} int32 [${a.shape}] [${b.shape}]`,
    inputs: [a, b],
    run: (tf, [x, y]) => (tf[op] as (p: tf.Tensor, q: tf.Tensor) => tf.Tensor)(x!, y!),
    ...exact,
  };
};

const UNARY = [
  "neg",
  "exp",
  "log",
  "sqrt",
  "rsqrt",
  "square",
  "abs",
  "relu",
  "relu6",
  "sigmoid",
  "tanh",
  "step",
  "reciprocal",
  "log1p",
  "elu",
  "expm1",
  "sign",
  "floor",
  "ceil",
  "round",
  "sin",
  "cos",
  "softplus",
  "selu",
  "leakyRelu",
  "isNaN",
  "isFinite",
  "isInf",
  "erf",
  "logSigmoid",
] as const;
const EXACT_UNARY = new Set(["neg", "square", "abs", "relu", "relu6", "step", "sign", "floor", "ceil", "round"]);

const unary: Family = (g) => {
  const op = g.r.pick(UNARY);
  const x = g.input(g.shape(0, 4), "float32", 0.25);
  if (g.r.chance(0.3)) x.data = x.data.map((v) => (g.r.chance(0.3) ? v * 1e-7 : v)); // near 0: expm1, elu, log1p
  return {
    family: "unary",
    label: `${op} [${x.shape}]`,
    inputs: [x],
    run: (tf, [t]) => (tf[op] as (p: tf.Tensor) => tf.Tensor)(t!),
    ...(EXACT_UNARY.has(op) ? exact : { atol: 1e-6, rtol: 1e-5, signedZero: false }),
  };
};

/** a [...batchA, m, k] (or transposed) times b [...batchB, k, n], bias and activation, in float64. */
function matmulReference(
  a: Input,
  b: Input,
  ta: boolean,
  tb: boolean,
  bias: Input | null,
  activation: string,
  alpha: number,
): Result {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = ta ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = ta ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const n = tb ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  const ba = a.shape.slice(0, -2);
  const bb = b.shape.slice(0, -2);
  const rank = Math.max(ba.length, bb.length);
  const outer: number[] = [];
  for (let d = 0; d < rank; d++) {
    const x = ba[ba.length - rank + d] ?? 1;
    const y = bb[bb.length - rank + d] ?? 1;
    outer.push(x === 1 ? y : x);
  }
  const index = (batch: readonly number[], t: number) => {
    let rest = t;
    let off = 0;
    let stride = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const i = rest % outer[d]!;
      rest = Math.floor(rest / outer[d]!);
      const bd = batch.length - rank + d;
      if (bd >= 0) {
        if (batch[bd]! !== 1) off += i * stride;
        stride *= batch[bd]!;
      }
    }
    return off;
  };
  const shape = [...outer, m, n];
  const out = new Array<number>(size(shape));
  const count = size(outer);
  for (let t = 0; t < count; t++) {
    const oa = index(ba, t) * m * k;
    const ob = index(bb, t) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const x = a.data[oa + (ta ? p * m + i : i * k + p)]!;
          const y = b.data[ob + (tb ? j * k + p : p * n + j)]!;
          s += Math.fround(x * y);
        }
        out[t * m * n + i * n + j] = s;
      }
    }
  }
  if (bias) {
    // bias broadcasts against the output shape
    const br = bias.shape.length;
    for (let e = 0; e < out.length; e++) {
      let rest = e;
      let off = 0;
      let stride = 1;
      for (let d = shape.length - 1; d >= 0; d--) {
        const i = rest % shape[d]!;
        rest = Math.floor(rest / shape[d]!);
        const bd = br - (shape.length - d);
        if (bd >= 0) {
          if (bias.shape[bd]! !== 1) off += i * stride;
          stride *= bias.shape[bd]!;
        }
      }
      out[e] = out[e]! + bias.data[off]!;
    }
  }
  const act: Record<string, (v: number) => number> = {
    linear: (v) => v,
    relu: (v) => (v < 0 ? 0 : v),
    relu6: (v) => (Number.isNaN(v) ? v : Math.min(Math.max(v, 0), 6)),
    elu: (v) => (v < 0 ? Math.expm1(v) : v),
    sigmoid: (v) => 1 / (1 + Math.exp(-v)),
    leakyrelu: (v) => (v < 0 ? alpha * v : v),
  };
  return { shape, dtype: "float32", data: out.map(act[activation]!) };
}

const ACTIVATIONS = ["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu"] as const;

const matmul: Family = (g) => {
  const m = g.dim(5);
  const k = g.dim(6);
  const n = g.dim(5);
  const ta = g.r.chance(0.5);
  const tb = g.r.chance(0.5);
  const batch = g.r.int(0, 3) === 0 ? [] : Array.from({ length: g.r.int(1, 2) }, () => g.dim(3));
  const fused = g.r.chance(0.5);
  // 0: both full, 1: a's batch broadcast, 2: b's, 3: two-sided. tfjs-core's fused.matMul op reshapes both operands
  // to rank 3 before any kernel runs, so it pairs a two-sided broadcast's batches on every backend: not a kernel's
  // doing, and left out of the fused cases.
  const side = g.r.int(0, fused ? 2 : 3);
  const bA = batch.map((d, i) => (side === 1 || (side === 3 && i % 2 === 0) ? 1 : d));
  const bB = batch.map((d, i) => (side === 2 || (side === 3 && i % 2 === 1) ? 1 : d));
  const dropA = side === 1 && g.r.chance(0.5) ? bA.length : 0; // a with no batch dims at all
  const aShape = [...bA.slice(dropA), ...(ta ? [k, m] : [m, k])];
  const bShape = [...bB, ...(tb ? [n, k] : [k, n])];
  const a = g.input(aShape, "float32", g.opt.special / 4);
  const b = g.input(bShape, "float32", g.opt.special / 4);
  const activation = fused ? g.r.pick(ACTIVATIONS) : "linear";
  const outShape = [...(batch.length ? batch.map((_, i) => Math.max(bA[i]!, bB[i]!)) : []), m, n];
  // a [n] bias, or one over the whole output (some dims 1)
  const bias = fused && g.r.chance(0.7) ? g.input(g.r.chance(0.6) ? [n] : g.broadcastOf(outShape), "float32", 0) : null;
  const alpha = 0.2;
  const inputs = bias ? [a, b, bias] : [a, b];
  return {
    family: "matmul",
    label: `${fused ? `fused ${activation}${bias ? ` bias [${bias.shape}]` : ""} ` : ""}matMul [${aShape}]${ta ? "^T" : ""} [${bShape}]${tb ? "^T" : ""}`,
    inputs,
    run: (tf, [x, y, z]) =>
      fused
        ? tf.fused.matMul({
            a: x!,
            b: y!,
            transposeA: ta,
            transposeB: tb,
            ...(z ? { bias: z } : {}),
            activation: activation as tf.fused.Activation,
            leakyreluAlpha: alpha,
          })
        : tf.matMul(x!, y!, ta, tb),
    reference: () => [matmulReference(a, b, ta, tb, bias, activation, alpha)],
    atol: 1e-4,
    rtol: 1e-4,
    signedZero: false,
  };
};

const REDUCE = ["sum", "mean", "max", "min", "prod", "logSumExp", "argMax", "argMin", "any", "all"] as const;

const reductions: Family = (g) => {
  const op = g.r.pick(REDUCE);
  const shape = g.shape(op === "argMax" || op === "argMin" ? 1 : 0, 4);
  const bool = op === "any" || op === "all";
  const x = g.input(shape, bool ? "bool" : g.r.chance(0.15) && op !== "logSumExp" ? "int32" : "float32");
  if (op === "prod") x.data = x.data.map((v) => (Number.isFinite(v) && Math.abs(v) > 4 ? v / 4 : v));
  const rank = shape.length;
  const axes = [...Array(rank).keys()].filter(() => g.r.chance(0.5));
  const axis =
    op === "argMax" || op === "argMin"
      ? g.r.int(-rank, rank - 1)
      : g.r.chance(0.15)
        ? undefined
        : axes.length === 1 && g.r.chance(0.5)
          ? axes[0]! - (g.r.chance(0.3) ? rank : 0)
          : axes;
  const keep = g.r.chance(0.3);
  const argOk = (op !== "argMax" && op !== "argMin") || size(shape) > 0;
  return {
    family: "reductions",
    label: `${op} ${x.dtype} [${shape}] axis ${JSON.stringify(axis)}${keep ? " keepDims" : ""}`,
    inputs: [x],
    run: (tf, [t]) => {
      if (!argOk) return tf.zeros([0]);
      if (op === "argMax" || op === "argMin") return tf[op](t!, axis as number);
      return (tf[op] as (p: tf.Tensor, a?: number | number[], k?: boolean) => tf.Tensor)(t!, axis, keep);
    },
    atol: 1e-5,
    rtol: 1e-5,
    signedZero: false,
  };
};

const softmax: Family = (g) => {
  const shape = g.shape(1, 4);
  const x = g.input(shape, "float32", g.opt.special / 2);
  const log = g.r.chance(0.4);
  return {
    family: "softmax",
    label: `${log ? "logSoftmax" : "softmax"} [${shape}]`,
    inputs: [x],
    run: (tf, [t]) => (log ? tf.logSoftmax(t!) : tf.softmax(t!)),
    atol: 1e-6,
    rtol: 1e-5,
    signedZero: false,
  };
};

const MOVE = [
  "tile",
  "reverse",
  "pad",
  "concat",
  "gather",
  "slice",
  "transpose",
  "stack",
  "split",
  "stridedSlice",
  "broadcastTo",
  "oneHot",
] as const;

const movement: Family = (g) => {
  const op = g.r.pick(MOVE);
  const dtype: DType = g.r.pick(["float32", "float32", "int32", "bool"] as const);
  const shape = g.shape(1, 4);
  const rank = shape.length;
  const x = g.input(shape, dtype);
  // A float32 tensor cast from int32 or bool keeps its integer storage on the cpu and native backends.
  const castFirst = dtype !== "float32" && g.r.chance(0.4);
  const inputs: Input[] = [x];
  let run: Case["run"];
  let label = `${op} ${dtype}${castFirst ? "->float32" : ""} [${shape}]`;
  const first = (t: tf.Tensor) => (castFirst ? t.cast("float32") : t);
  const ax = g.r.int(0, rank - 1);
  switch (op) {
    case "tile": {
      const reps = shape.map(() => g.r.int(0, 3));
      label += ` reps [${reps}]`;
      run = (tf, [t]) => tf.tile(first(t!), reps);
      break;
    }
    case "reverse": {
      const axes = [...Array(rank).keys()].filter(() => g.r.chance(0.5));
      label += ` axes [${axes}]`;
      run = (tf, [t]) => tf.reverse(first(t!), axes);
      break;
    }
    case "pad": {
      const pads = shape.map(() => [g.r.int(0, 2), g.r.int(0, 2)] as [number, number]);
      const value = dtype === "bool" ? 0 : g.r.pick([0, 1.5, -2]);
      label += ` pads ${JSON.stringify(pads)} value ${value}`;
      run = (tf, [t]) => tf.pad(first(t!), pads, castFirst || dtype === "float32" ? value : Math.round(value));
      break;
    }
    case "concat": {
      const count = g.r.int(1, 3);
      for (let i = 0; i < count; i++) {
        const s = [...shape];
        s[ax] = g.dim(3);
        // the others are float32 with fractions when the first is a cast: a concat must not follow its storage
        inputs.push(g.input(s, castFirst ? "float32" : dtype));
      }
      label += ` axis ${ax} with ${inputs
        .slice(1)
        .map((t) => `[${t.shape}]`)
        .join(" ")}`;
      run = (tf, [t, ...rest]) => tf.concat([first(t!), ...rest], ax);
      break;
    }
    case "gather": {
      const ids = g.input([g.dim(5)], "int32");
      ids.data = ids.data.map(() => g.r.int(0, Math.max(0, shape[ax]! - 1)));
      if (shape[ax] === 0) ids.shape = [0];
      if (shape[ax] === 0) ids.data = [];
      inputs.push(ids);
      label += ` axis ${ax} ids [${ids.data}]`;
      run = (tf, [t, i]) => tf.gather(first(t!), i!, ax);
      break;
    }
    case "slice": {
      const begin = shape.map((d) => g.r.int(0, d));
      const sz = shape.map((d, i) => g.r.int(0, d - begin[i]!));
      label += ` begin [${begin}] size [${sz}]`;
      run = (tf, [t]) => tf.slice(first(t!), begin, sz);
      break;
    }
    case "transpose": {
      const perm = [...Array(rank).keys()].sort(() => g.r.next() - 0.5);
      label += ` perm [${perm}]`;
      run = (tf, [t]) => tf.transpose(first(t!), perm);
      break;
    }
    case "stack": {
      const other = g.input(shape, dtype);
      inputs.push(other);
      const sax = g.r.int(0, rank);
      label += ` axis ${sax}`;
      run = (tf, [t, u]) => tf.stack([first(t!), first(u!)], sax);
      break;
    }
    case "split": {
      const d = shape[ax]!;
      const cut = g.r.int(0, d);
      label += ` axis ${ax} at ${cut}`;
      run = (tf, [t]) => tf.split(first(t!), [cut, d - cut], ax);
      break;
    }
    case "stridedSlice": {
      const begin = shape.map((d) => g.r.int(0, d));
      const end = shape.map((d, i) => g.r.int(begin[i]!, d));
      const strides = shape.map(() => g.r.int(1, 2));
      label += ` begin [${begin}] end [${end}] strides [${strides}]`;
      run = (tf, [t]) => tf.stridedSlice(first(t!), begin, end, strides);
      break;
    }
    case "broadcastTo": {
      const ones = shape.map((d) => (g.r.chance(0.5) ? 1 : d));
      x.shape = ones;
      x.data = g.input(ones, dtype).data;
      const target = [g.dim(2), ...shape];
      label = `broadcastTo ${dtype}${castFirst ? "->float32" : ""} [${ones}] to [${target}]`;
      run = (tf, [t]) => tf.broadcastTo(first(t!), target);
      break;
    }
    case "oneHot": {
      const ids = g.input([g.dim(5)], "int32");
      ids.data = ids.data.map(() => g.r.int(-1, 4));
      inputs[0] = ids;
      label = `oneHot ids [${ids.data}] depth 4`;
      run = (tf, [t]) => tf.oneHot(t!, 4);
      break;
    }
  }
  return { family: "movement", label, inputs, run, ...exact };
};

const COMPARE = ["equal", "notEqual", "less", "lessEqual", "greater", "greaterEqual"] as const;

const whereCompare: Family = (g) => {
  const kind = g.r.int(0, 2);
  if (kind === 0) {
    const op = g.r.pick(COMPARE);
    const [a, b] = binaryPair(g, "float32");
    return {
      family: "where-compare",
      label: `${op} [${a.shape}] [${b.shape}]`,
      inputs: [a, b],
      run: (tf, [x, y]) => (tf[op] as (p: tf.Tensor, q: tf.Tensor) => tf.Tensor)(x!, y!),
      ...exact,
    };
  }
  if (kind === 1) {
    const op = g.r.pick(["logicalAnd", "logicalOr", "logicalXor"] as const);
    const [a, b] = binaryPair(g, "bool");
    return {
      family: "where-compare",
      label: `${op} [${a.shape}] [${b.shape}]`,
      inputs: [a, b],
      run: (tf, [x, y]) => tf[op](x!, y!),
      ...exact,
    };
  }
  // where: tfjs needs a and b of one shape and the condition broadcastable
  const dtype: DType = g.r.pick(["float32", "int32", "bool"] as const);
  const s = g.shape(0, 4);
  const c = g.input(g.r.chance(0.5) ? s : g.broadcastOf(s), "bool");
  const a = g.input(s, dtype);
  const b = g.input(s, dtype);
  return {
    family: "where-compare",
    label: `where ${dtype} cond [${c.shape}] [${s}]`,
    inputs: [c, a, b],
    run: (tf, [p, x, y]) => tf.where(p!, x!, y!),
    ...exact,
  };
};

const cast: Family = (g) => {
  const from: DType = g.r.pick(["float32", "int32", "bool"] as const);
  const to: DType = g.r.pick(["float32", "int32", "bool"] as const);
  const x = g.input(g.shape(0, 4), from);
  if (from === "float32" && to === "int32")
    x.data = x.data.map((v) => (Number.isFinite(v) && Math.abs(v) < 1e9 ? v : 3.5));
  const then = g.r.pick(["none", "add", "concat", "transpose"] as const);
  return {
    family: "cast",
    label: `cast ${from} [${x.shape}] to ${to} then ${then}`,
    inputs: [x],
    run: (tf, [t]) => {
      const c = tf.cast(t!, to);
      if (then === "add" && to !== "bool") return tf.add(c, tf.scalar(to === "int32" ? 1 : 0.25, to));
      if (then === "concat" && c.rank > 0) return tf.concat([c, c], 0);
      if (then === "transpose") return tf.transpose(c);
      return c;
    },
    ...exact,
  };
};

/** One step of a random graph on a float32 tensor (shape-changing steps keep rank >= 1). */
type Step = (tf: TF, t: tf.Tensor) => tf.Tensor;

function randomStep(g: Gen): [string, Step] {
  const c = Math.fround(g.r.normal());
  const steps: [string, Step][] = [
    ["exp", (tf, t) => tf.exp(t)],
    ["tanh", (tf, t) => tf.tanh(t)],
    ["sigmoid", (tf, t) => tf.sigmoid(t)],
    ["relu", (tf, t) => tf.relu(t)],
    ["square", (tf, t) => tf.square(t)],
    ["abs+1 log", (tf, t) => tf.log(tf.add(tf.abs(t), 1))],
    [`mul ${c}`, (tf, t) => tf.mul(t, c)],
    [`add ${c}`, (tf, t) => tf.add(t, c)],
    ["softmax", (tf, t) => (t.rank > 0 ? tf.softmax(t) : t)],
    ["sum keep last", (tf, t) => (t.rank > 0 ? tf.sum(t, -1, true) : t)],
    ["max keep last", (tf, t) => (t.rank > 0 ? tf.max(t, -1, true) : t)],
    ["mean keep 0", (tf, t) => (t.rank > 0 ? tf.mean(t, 0, true) : t)],
    ["transpose", (tf, t) => tf.transpose(t)],
    ["x x^T", (tf, t) => (t.rank >= 2 ? tf.matMul(t, t, false, true) : t)],
    ["concat self", (tf, t) => (t.rank > 0 ? tf.concat([t, tf.neg(t)], -1) : t)],
    ["reverse 0", (tf, t) => (t.rank > 0 ? tf.reverse(t, 0) : t)],
    ["x*x+x", (tf, t) => tf.add(tf.mul(t, t), t)],
    ["sub mean", (tf, t) => tf.sub(t, tf.mean(t))],
    ["where >0", (tf, t) => tf.where(tf.greater(t, 0), t, tf.mul(t, 0.1))],
    ["cast int then float", (tf, t) => tf.cast(tf.cast(tf.clipByValue(t, -100, 100), "int32"), "float32")],
  ];
  return g.r.pick(steps);
}

const randomGraph: Family = (g) => {
  const x = g.input(g.shape(1, 3), "float32", g.opt.special / 2);
  const steps = Array.from({ length: g.r.int(2, 6) }, () => randomStep(g));
  return {
    family: "random-graph",
    label: `graph [${x.shape}]: ${steps.map((s) => s[0]).join(" > ")}`,
    inputs: [x],
    run: (tf, [t]) => steps.reduce((v, [, f]) => f(tf, v), t!),
    atol: 1e-4,
    rtol: 1e-4,
    signedZero: false,
  };
};

/** A scalar function of x for the gradient families (inputs finite; ops differentiable twice where it matters). */
function scalarFn(g: Gen, shape: number[]): [string, (tf: TF, x: tf.Tensor, w: tf.Tensor) => tf.Tensor] {
  const last = shape[shape.length - 1]!;
  const ids = Array.from({ length: g.r.int(1, 6) }, () => g.r.int(0, Math.max(0, shape[0]! - 1)));
  const pool: [string, (tf: TF, x: tf.Tensor, w: tf.Tensor) => tf.Tensor][] = [
    ["sum(w*tanh(x))", (tf, x, w) => tf.sum(tf.mul(w, tf.tanh(x)))],
    ["sum(w*sigmoid(x)*x)", (tf, x, w) => tf.sum(tf.mul(w, tf.mul(tf.sigmoid(x), x)))],
    ["sum(w*exp(x/4))", (tf, x, w) => tf.sum(tf.mul(w, tf.exp(tf.div(x, 4))))],
    ["sum(softmax(x)*w)", (tf, x, w) => tf.sum(tf.mul(tf.softmax(x), w))],
    ["logSumExp(x*w)", (tf, x, w) => tf.logSumExp(tf.mul(x, w))],
    ["sum((x W)^2)", (tf, x, w) => tf.sum(tf.square(tf.matMul(x, tf.reshape(w, [-1, last]), false, true)))],
    ["sum(gather(x)^3)", (tf, x) => tf.sum(tf.pow(tf.gather(x, tf.tensor1d(ids, "int32")), 3))],
    ["mean(concat(x, x*w)^2)", (tf, x, w) => tf.mean(tf.square(tf.concat([x, tf.mul(x, w)], -1)))],
    ["sum(max(x, -1)*sum(w))", (tf, x, w) => tf.mul(tf.sum(tf.max(x, -1)), tf.sum(w))],
    ["sum(elu(x)*w)", (tf, x, w) => tf.sum(tf.mul(tf.elu(x), w))],
    ["sum(slice(x)^2*w)", (tf, x, w) => tf.sum(tf.mul(tf.square(x.slice(0, 1)), w.slice(0, 1)))],
    ["sum(x^T x)", (tf, x) => tf.sum(tf.matMul(x, x, true, false))],
    [
      "sum(layer norm(x)*w)",
      (tf, x, w) => {
        const m = tf.mean(x, -1, true);
        const v = tf.mean(tf.square(tf.sub(x, m)), -1, true);
        return tf.sum(tf.mul(tf.div(tf.sub(x, m), tf.sqrt(tf.add(v, 1e-3))), w));
      },
    ],
  ];
  return g.r.pick(pool);
}

function gradCase(g: Gen, order: 1 | 2): Case {
  const shape = [g.r.int(1, 4), g.r.int(1, 5)];
  const x = g.input(shape, "float32", 0);
  const w = g.input(shape, "float32", 0);
  const v = g.input(shape, "float32", 0);
  const [name, f] = scalarFn(g, shape);
  return {
    family: order === 1 ? "gradients" : "second-order",
    label: `${order === 1 ? "grad" : "grad of <grad, v>"} of ${name} at [${shape}]`,
    inputs: [x, w, v],
    run: (tf, [xt, wt, vt]) => {
      if (order === 1) return tf.grad((t: tf.Tensor) => f(tf, t, wt!))(xt!);
      const inner = tf.grad((t: tf.Tensor) => f(tf, t, wt!));
      return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(inner(t), vt!)))(xt!);
    },
    atol: 1e-4,
    rtol: 1e-4,
    signedZero: false,
  };
}

export const FAMILIES: Record<string, Family> = {
  "elementwise-float": elementwiseFloat,
  "elementwise-int32": elementwiseInt,
  unary,
  matmul,
  reductions,
  softmax,
  movement,
  "where-compare": whereCompare,
  cast,
  "random-graph": randomGraph,
  gradients: (g) => gradCase(g, 1),
  "second-order": (g) => gradCase(g, 2),
};
