import { tf } from "../tf";
import { registerWasmCorrections } from "./wasmCorrect";
import { bindWasmKernels, type WasmBackendLike as WasmHeap } from "./wasmModule";
import { wasmBatchMatMul } from "./wasmSgemm";
import { wasmSum } from "./wasmSum";

interface WasmBackendLike {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array;
  incRef(dataId: object): void;
}

let wasmGapsRegistered = false;

/**
 * tfjs-backend-wasm 4.22 lacks `UnsortedSegmentSum`, the gradient of `gather` (embeddings). This adds it as a
 * plain kernel over the wasm heap: out[ids[i], :] += x[i, :].
 *
 * It also makes wasm's `Identity` (`tf.clone`) share the input's buffer, as the cpu backend's does, instead of
 * copying it: tfjs saves every tensor a gradient needs as a clone, so with copying clones the tape of a training step
 * held each saved activation twice (config S, batch 32: 2.7 GB instead of 2.0 GB), and second-order MAML ran out of
 * the 4 GB wasm heap. Tensors are immutable, so a shared buffer is safe (it is freed when its last tensor is).
 */
export function registerWasmKernels(): void {
  if (wasmGapsRegistered) return;
  wasmGapsRegistered = true;
  registerWasmMatMul();
  registerWasmFusedMatMul();
  registerWasmSum();
  registerWasmRelu();
  registerWasmCorrections();
  tf.unregisterKernel("Identity", "wasm");
  tf.registerKernel({
    kernelName: "Identity",
    backendName: "wasm",
    kernelFunc: ({ inputs, backend }) => {
      const { x } = inputs as { x: tf.TensorInfo };
      (backend as unknown as WasmBackendLike).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
  if (tf.getKernel("UnsortedSegmentSum", "wasm")) return;
  tf.registerKernel({
    kernelName: "UnsortedSegmentSum",
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      const be = backend as unknown as WasmBackendLike;
      const xv = be.readSync(x.dataId);
      const ids = be.readSync(segmentIds.dataId);
      const rows = ids.length;
      const inner = rows === 0 ? 0 : xv.length / rows;
      const out = be.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
      const ov = be.typedArrayFromHeap(out);
      ov.fill(0);
      for (let r = 0; r < rows; r++) {
        const s = ids[r]!;
        if (s < 0 || s >= numSegments) continue;
        const o = s * inner;
        const i0 = r * inner;
        for (let j = 0; j < inner; j++) ov[o + j]! += xv[i0 + j];
      }
      return out;
    },
  });
}

interface WasmDisposer {
  disposeData(dataId: object): boolean;
}

/** Swaps the last two axes of a tensor of rank >= 2 with the backend's Transpose kernel. */
function swapLastTwo(transpose: tf.KernelFunc, x: tf.TensorInfo, backend: unknown): tf.TensorInfo {
  const r = x.shape.length;
  const perm = [...Array(r).keys()];
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return transpose({ inputs: { x }, backend: backend as tf.KernelBackend, attrs: { perm } }) as tf.TensorInfo;
}

/** a . b with an empty inner dimension: zeros (wasm's own kernel leaves the output's memory as it found it). */
function zeroProduct(
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  attrs: { transposeA: boolean; transposeB: boolean },
  backend: unknown,
): tf.TensorInfo {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = attrs.transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const n = attrs.transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  const outer = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const be = backend as WasmBackendLike;
  const out = be.makeOutput([...outer, m, n], "float32");
  be.typedArrayFromHeap(out).fill(0);
  return out;
}

/**
 * tfjs-backend-wasm 4.22 multiplies with a transposed operand 10-35 times slower than without (0.9 GFLOP/s for
 * transposeA, 3.1 for transposeB, against 30-37 for the plain form on config S's shapes), and training multiplies
 * mostly in those forms (x W^T forward, dy W and x^T dy backward); batched products (attention) run a scalar loop.
 * BatchMatMul therefore runs core's WebAssembly SIMD product (wasmSgemm.ts: every form and batch at the same speed).
 * Where that cannot run (no SIMD), this kernel transposes the operand once with wasm's Transpose (O(n^2) against the
 * product's O(n^3)) and calls wasm's own kernel in its plain form.
 */
function registerWasmMatMul(): void {
  const transpose = tf.getKernel("Transpose", "wasm")?.kernelFunc;
  for (const name of ["BatchMatMul"]) {
    const original = tf.getKernel(name, "wasm");
    const plain = original?.kernelFunc;
    if (!plain || !transpose) continue;
    tf.unregisterKernel(name, "wasm");
    tf.registerKernel({
      kernelName: name,
      backendName: "wasm",
      setupFunc: original.setupFunc, // binds the wasm function when the backend starts
      kernelFunc: (args) => {
        const attrs = args.attrs as { transposeA: boolean; transposeB: boolean };
        const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
        if (name === "BatchMatMul") {
          const simd = wasmBatchMatMul(a, b, attrs.transposeA, attrs.transposeB, args.backend);
          if (simd) return simd;
        }
        const inner = attrs.transposeA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
        if (inner === 0 && name === "BatchMatMul") return zeroProduct(a, b, attrs, args.backend);
        if (!attrs.transposeA && !attrs.transposeB) return plain(args);
        const inputs = { ...(args.inputs as Record<string, tf.TensorInfo>) };
        const temps: tf.TensorInfo[] = [];
        if (attrs.transposeA) {
          inputs.a = swapLastTwo(transpose, inputs.a!, args.backend);
          temps.push(inputs.a);
        }
        if (attrs.transposeB) {
          inputs.b = swapLastTwo(transpose, inputs.b!, args.backend);
          temps.push(inputs.b);
        }
        try {
          return plain({ ...args, inputs, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
        } finally {
          for (const t of temps) (args.backend as unknown as WasmDisposer).disposeData(t.dataId);
        }
      },
    });
  }
}

/** Sum over any contiguous run of axes with core's SIMD reduction (wasmSum.ts); tfjs's own kernel otherwise. */
function registerWasmSum(): void {
  const original = tf.getKernel("Sum", "wasm");
  if (!original) return;
  tf.unregisterKernel("Sum", "wasm");
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
      return wasmSum(x, axis, keepDims, args.backend) ?? original.kernelFunc(args);
    },
  });
}

/**
 * _FusedMatMul as BatchMatMul, then the bias added and the activation applied by the backend's own kernels.
 * tfjs-backend-wasm 4.22's fused kernel (XNNPACK) computes only the first batch item of a batched product with a bias
 * and an activation (the others stay as the heap had them), refuses a bias of rank above 1, and clamps NaN to 0 in
 * relu6. None of the model's code calls it; the decomposition costs one extra pass over the output.
 */
function registerWasmFusedMatMul(): void {
  const original = tf.getKernel("_FusedMatMul", "wasm");
  if (!original) return;
  tf.unregisterKernel("_FusedMatMul", "wasm");
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const { a, b, bias, preluActivationWeights } = args.inputs as {
        a: tf.TensorInfo;
        b: tf.TensorInfo;
        bias?: tf.TensorInfo;
        preluActivationWeights?: tf.TensorInfo;
      };
      const attrs = args.attrs as unknown as {
        transposeA: boolean;
        transposeB: boolean;
        activation?: string;
        leakyreluAlpha?: number;
      };
      const run = (name: string, inputs: Record<string, tf.TensorInfo>, kernelAttrs: tf.NamedAttrMap = {}) => {
        const k = tf.getKernel(name, "wasm");
        if (!k) throw new Error(`@tavt/core: tfjs-backend-wasm has no "${name}" kernel`);
        return k.kernelFunc({ inputs, attrs: kernelAttrs, backend: args.backend }) as tf.TensorInfo;
      };
      const dispose = (t: tf.TensorInfo) => (args.backend as unknown as WasmDisposer).disposeData(t.dataId);
      let out = run("BatchMatMul", { a, b }, { transposeA: attrs.transposeA, transposeB: attrs.transposeB });
      const step = (next: tf.TensorInfo) => {
        dispose(out);
        out = next;
      };
      if (bias) step(run("Add", { a: out, b: bias }));
      switch (attrs.activation ?? "linear") {
        case "linear":
          break;
        case "relu":
          step(run("Relu", { x: out }));
          break;
        case "relu6":
          step(run("Relu6", { x: out }));
          break;
        case "elu":
          step(run("Elu", { x: out }));
          break;
        case "sigmoid":
          step(run("Sigmoid", { x: out }));
          break;
        case "leakyrelu":
          step(run("LeakyRelu", { x: out }, { alpha: attrs.leakyreluAlpha ?? 0.2 }));
          break;
        case "prelu":
          if (!preluActivationWeights) throw new Error("_FusedMatMul: prelu needs preluActivationWeights");
          step(run("Prelu", { x: out, alpha: preluActivationWeights }));
          break;
        default:
          throw new Error(`_FusedMatMul: unknown activation "${attrs.activation}"`);
      }
      return out;
    },
  });
}

/**
 * Relu with core's SIMD kernel (wasm/unary.c): Math.max(0, x) as tfjs's cpu kernel computes it. tfjs-backend-wasm
 * 4.22's kernel turns a NaN with its sign bit set (what x86 arithmetic produces, e.g. inf - inf) into 0. Other dtypes
 * and runtimes without SIMD keep tfjs's kernel.
 */
function registerWasmRelu(): void {
  const original = tf.getKernel("Relu", "wasm");
  if (!original) return;
  tf.unregisterKernel("Relu", "wasm");
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const be = args.backend as unknown as WasmHeap;
      const kernels = x.dtype === "float32" ? bindWasmKernels(be.wasm) : null;
      if (!kernels) return original.kernelFunc(args);
      const out = be.makeOutput([...x.shape], "float32");
      const n = x.shape.reduce((p, d) => p * d, 1);
      if (n > 0) kernels.exports.reluF32(be.getMemoryOffset(x.dataId), n, be.getMemoryOffset(out.dataId));
      return out;
    },
  });
}
