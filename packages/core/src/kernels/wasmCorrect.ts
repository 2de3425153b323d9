import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { tf } from "../tf";

/**
 * Where a tfjs-backend-wasm 4.22 kernel computes a wrong result (or writes outside its output), the op runs on tfjs's
 * cpu kernel instead: the inputs are copied off the wasm heap into a private cpu backend, the cpu kernel runs, and its
 * outputs are copied into fresh wasm tensors. Each rule below names the inputs it takes over (the rest keep wasm's own
 * kernel, so the model's hot path is untouched):
 *
 * - Reverse of bool: wasm's kernel copies 4-byte elements, so it reads and writes 4 bytes per 1-byte bool element:
 *   it overwrites whatever the heap holds after the output (other tensors, the allocator's own records), and a later
 *   allocation fails with "memory access out of bounds".
 * - Select (where) of bool values: the same 4-byte copy over 1-byte elements, with the same heap corruption.
 * - StridedSlice of int32 or bool: the output is always float32 (int32 bits read as floats; bool bytes read 4 at a
 *   time past the input).
 * - Max, Min, Mean, Prod, Any, All with an empty input: the output is left as uninitialised memory (cpu: NaN for max
 *   and min, 0 for mean, 1 for prod, false for any, true for all); Sum over scattered axes of an empty input traps
 *   ("divide by zero").
 * - GatherV2 with an empty input or no indices: a wrong output shape.
 * - Relu6: NaN becomes 0 (cpu keeps NaN).
 * - Maximum and Minimum: a NaN operand is dropped, not propagated, and max(+0, -0) is -0 (cpu: Math.max/Math.min).
 * - FloorDiv: float32 inputs give a float32 result (cpu: int32, as tfjs's op declares), and int32 division by 0 gives
 *   -2147483648 (cpu: 0).
 * - Pow: pow(1, NaN) and pow(±1, ±Infinity) are 1 (C's pow; cpu: NaN, as Math.pow).
 * - Mod of int32 by 0: a WebAssembly trap ("remainder by zero") in the middle of the kernel, which skips the stack
 *   restore of emscripten's call wrapper (cpu: 0).
 * - Multiply of int32: the exact product wrapped to 32 bits (cpu: the product in double, then wrapped, which differs
 *   once the product passes 2^53).
 * - Sin and Cos of large arguments (|x| around 1e30): a range reduction that loses every digit (cpu: Math.sin/cos).
 * - Sign: ±1e-30 and other small values give 0 (cpu: ±1).
 * - ClipByValue: NaN becomes the lower bound (cpu keeps NaN).
 * - Cast to bool from float32 or int32: the low byte of the value, or garbage (cpu: x != 0).
 */
export interface CorrectionRule {
  kernel: string;
  /** Whether this call must run on the cpu kernel. */
  when(args: tf.NamedTensorInfoMap | tf.TensorInfo[], attrs: tf.NamedAttrMap): boolean;
}

interface WasmHeapBackend {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);
/** The first input's dtype (no allocation: rules run on every call of their kernel). */
function firstDtype(inputs: tf.NamedTensorInfoMap | tf.TensorInfo[]): string | undefined {
  const map = inputs as Record<string, tf.TensorInfo | null | undefined>;
  for (const key in map) return map[key]?.dtype;
  return undefined;
}
/** Whether an input has a zero-size dimension (runs on every wasm kernel call: no allocation). */
function anyEmpty(inputs: tf.NamedTensorInfoMap | tf.TensorInfo[]): boolean {
  const map = inputs as Record<string, tf.TensorInfo | null | undefined>;
  for (const key in map) {
    const shape = map[key]?.shape;
    if (shape) for (let d = 0; d < shape.length; d++) if (shape[d] === 0) return true;
  }
  return false;
}
const always = () => true;

export const CORRECTIONS: readonly CorrectionRule[] = [
  { kernel: "Reverse", when: (i) => firstDtype(i) === "bool" },
  { kernel: "Select", when: (i) => (i as { t: tf.TensorInfo }).t.dtype === "bool" },
  { kernel: "StridedSlice", when: (i) => firstDtype(i) !== "float32" },
  ...["Sum", "Max", "Min", "Mean", "Prod", "Any", "All"].map((kernel) => ({ kernel, when: anyEmpty })),
  { kernel: "GatherV2", when: anyEmpty },
  { kernel: "Relu6", when: always },
  { kernel: "Maximum", when: always },
  { kernel: "Minimum", when: always },
  { kernel: "FloorDiv", when: always },
  { kernel: "Pow", when: always },
  { kernel: "Sign", when: always },
  { kernel: "Mod", when: (i) => firstDtype(i) === "int32" },
  { kernel: "Multiply", when: (i) => firstDtype(i) === "int32" },
  { kernel: "Sin", when: always },
  { kernel: "Cos", when: always },
  { kernel: "ClipByValue", when: always },
  { kernel: "Cast", when: (i, a) => (a as { dtype?: string }).dtype === "bool" && firstDtype(i) !== "bool" },
];

let cpu: MathBackendCPU | null = null;

/** Runs kernel `name` of tfjs's cpu backend on wasm tensors: inputs copied off the heap, outputs copied onto it. */
export function runOnCpu(name: string, args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | tf.TensorInfo[] {
  const kernel = tf.getKernel(name, "cpu");
  if (!kernel) throw new Error(`@tavt/core: the cpu backend has no "${name}" kernel`);
  cpu ??= new MathBackendCPU();
  const c = cpu;
  const be = args.backend as unknown as WasmHeapBackend;
  const made: tf.TensorInfo[] = [];
  const move = (t: tf.TensorInfo): tf.TensorInfo => {
    const values = be.readSync(t.dataId) as tf.backend_util.BackendValues;
    const info = { dataId: c.write(values, t.shape, t.dtype), shape: t.shape, dtype: t.dtype };
    made.push(info);
    return info;
  };
  const raw = args.inputs as tf.NamedTensorInfoMap | tf.TensorInfo[];
  const inputs = Array.isArray(raw)
    ? raw.map(move)
    : Object.fromEntries(Object.entries(raw).map(([k, t]) => [k, t == null ? t : move(t)]));
  try {
    const out = kernel.kernelFunc({
      inputs: inputs as tf.NamedTensorInfoMap,
      attrs: args.attrs ?? {},
      backend: c,
    }) as tf.TensorInfo | tf.TensorInfo[];
    const back = (t: tf.TensorInfo): tf.TensorInfo => {
      made.push(t);
      const o = be.makeOutput([...t.shape], t.dtype);
      if (size(t.shape) > 0) be.typedArrayFromHeap(o).set(c.readSync(t.dataId) as ArrayLike<number>);
      return o;
    };
    return Array.isArray(out) ? out.map(back) : back(out);
  } finally {
    for (const t of made) c.disposeData(t.dataId, true);
  }
}

let registered = false;

/** Kernels core registers itself on wasm (they handle empty tensors), left as they are. */
const OWN = new Set(["BatchMatMul", "_FusedMatMul", "Identity", "UnsortedSegmentSum"]);

/**
 * Wraps wasm's kernels so that the calls CORRECTIONS picks, and every call with an empty input, run on the cpu kernel.
 * tfjs-backend-wasm's C kernels were written for non-empty tensors: with a zero-size input some leave their output
 * uninitialised, some trap, and Select (where) with an empty value tensor writes past its zero-byte output. Empty
 * tensors cost nothing to copy, so all of them go to the cpu kernels, which define tfjs's semantics.
 */
export function registerWasmCorrections(): void {
  if (registered) return;
  registered = true;
  const rules = new Map(CORRECTIONS.map((r) => [r.kernel, r.when]));
  for (const original of tf.getKernelsForBackend("wasm")) {
    const name = original.kernelName;
    if (OWN.has(name) || !tf.getKernel(name, "cpu")) continue;
    const rule = rules.get(name);
    tf.unregisterKernel(name, "wasm");
    tf.registerKernel({
      ...original,
      kernelFunc: (args) => {
        const inputs = args.inputs as tf.NamedTensorInfoMap;
        return anyEmpty(inputs) || rule?.(inputs, args.attrs ?? {}) ? runOnCpu(name, args) : original.kernelFunc(args);
      },
    });
  }
}
