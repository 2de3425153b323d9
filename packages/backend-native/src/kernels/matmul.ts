import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import type { NativeAddon } from "../addon";
import { pool } from "../pool";
import { valuesOf } from "./elementwise";
import { broadcastShapes } from "./strides";

/** For each output batch (row-major over `out`), the index of the matrix it reads in a batch of shape `dims`. */
function batchIndex(dims: readonly number[], out: readonly number[]): Int32Array {
  const total = out.reduce((p, d) => p * d, 1);
  const idx = new Int32Array(total);
  const offset = out.length - dims.length;
  for (let i = 0; i < total; i++) {
    let rest = i;
    let src = 0;
    let stride = 1;
    for (let d = out.length - 1; d >= 0; d--) {
      const coord = rest % out[d]!;
      rest = (rest - coord) / out[d]!;
      const dd = d - offset;
      if (dd >= 0) {
        src += (dims[dd] === 1 ? 0 : coord) * stride;
        stride *= dims[dd]!;
      }
    }
    idx[i] = src;
  }
  return idx;
}

const indexCache = new Map<string, Int32Array>();
function cachedBatchIndex(dims: readonly number[], out: readonly number[]): Int32Array {
  const key = `${dims.join(",")}|${out.join(",")}`;
  let v = indexCache.get(key);
  if (!v) {
    v = batchIndex(dims, out);
    if (indexCache.size > 4096) indexCache.clear();
    indexCache.set(key, v);
  }
  return v;
}

/**
 * a [..., M, K] (or [..., K, M] with transposeA) times b [..., K, N] (or [..., N, K] with transposeB), the batch
 * dimensions broadcast as numpy does; one BLAS sgemm per output matrix. Returns the output's shape and values.
 *
 * @param addon - The loaded addon.
 * @param a - `[..., M, K]` (`[..., K, M]` with `transposeA`): its shape and row-major values.
 * @param b - `[..., K, N]` (`[..., N, K]` with `transposeB`): its shape and row-major values.
 * @param transposeA - Whether `a`'s last two dimensions are swapped.
 * @param transposeB - Whether `b`'s last two dimensions are swapped.
 * @returns The output `[...batch, M, N]`: its shape and row-major values.
 * @throws Error for inputs of rank under 2, inner dimensions that differ, or batch dimensions that do not broadcast.
 */
export function nativeMatMul(
  addon: NativeAddon,
  a: { shape: readonly number[]; values: Float32Array },
  b: { shape: readonly number[]; values: Float32Array },
  transposeA: boolean,
  transposeB: boolean,
): { shape: number[]; values: Float32Array } {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) {
    throw new Error(`BatchMatMul (native): inputs must have rank >= 2, got a [${a.shape}] and b [${b.shape}]`);
  }
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const ka = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (ka !== kb) {
    throw new Error(
      `BatchMatMul (native): inner dimensions differ: a [${a.shape}]${transposeA ? "^T" : ""} and b [${b.shape}]${transposeB ? "^T" : ""} (${ka} vs ${kb})`,
    );
  }
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const outer = broadcastShapes(outerA, outerB);
  if (!outer) {
    throw new Error(`BatchMatMul (native): batch dimensions [${outerA}] and [${outerB}] do not broadcast`);
  }
  const batches = outer.reduce((p, d) => p * d, 1);
  const values = pool.take(batches * m * n);
  if (batches > 0) {
    addon.gemm(
      a.values,
      b.values,
      values,
      cachedBatchIndex(outerA, outer),
      cachedBatchIndex(outerB, outer),
      m,
      n,
      ka,
      transposeA,
      transposeB,
    );
  }
  return { shape: [...outer, m, n], values };
}

type CpuKernel = KernelFunc;

const f32 = valuesOf;

/** `BatchMatMul` on the native backend: float32 through BLAS, anything else through the cpu kernel. */
export function batchMatMulKernel(addon: NativeAddon, cpu: CpuKernel): KernelConfig {
  return {
    kernelName: "BatchMatMul",
    backendName: "native",
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (a.dtype !== "float32" || b.dtype !== "float32") return cpu(args);
      const backend = args.backend as MathBackendCPU;
      const out = nativeMatMul(
        addon,
        { shape: a.shape, values: f32(backend, a) },
        { shape: b.shape, values: f32(backend, b) },
        transposeA,
        transposeB,
      );
      return backend.makeTensorInfo(out.shape, "float32", out.values);
    },
  };
}

/**
 * `_FusedMatMul` (matMul + bias + activation) on the native backend: the product through BLAS, then the bias and
 * activation through the backend's own Add and activation kernels, exactly as the cpu kernel composes them.
 */
export function fusedMatMulKernel(
  addon: NativeAddon,
  cpu: CpuKernel,
  kernel: (name: string) => CpuKernel,
): KernelConfig {
  return {
    kernelName: "_FusedMatMul",
    backendName: "native",
    kernelFunc: (args) => {
      const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
      const attrs = args.attrs as NamedAttrMap & {
        transposeA: boolean;
        transposeB: boolean;
        activation?: string;
        leakyreluAlpha?: number;
      };
      if (a!.dtype !== "float32" || b!.dtype !== "float32") return cpu(args);
      const backend = args.backend as MathBackendCPU;
      const prod = nativeMatMul(
        addon,
        { shape: a!.shape, values: f32(backend, a!) },
        { shape: b!.shape, values: f32(backend, b!) },
        attrs.transposeA,
        attrs.transposeB,
      );
      let out = backend.makeTensorInfo(prod.shape, "float32", prod.values);
      const step = (next: TensorInfo) => {
        backend.disposeIntermediateTensorInfo(out);
        out = next;
      };
      if (bias) step(kernel("Add")({ inputs: { a: out, b: bias }, backend, attrs: {} }) as TensorInfo);
      const act = attrs.activation ?? "linear";
      if (act === "relu") step(kernel("Relu")({ inputs: { x: out }, backend, attrs: {} }) as TensorInfo);
      else if (act === "relu6") step(kernel("Relu6")({ inputs: { x: out }, backend, attrs: {} }) as TensorInfo);
      else if (act === "elu") step(kernel("Elu")({ inputs: { x: out }, backend, attrs: {} }) as TensorInfo);
      else if (act === "sigmoid") step(kernel("Sigmoid")({ inputs: { x: out }, backend, attrs: {} }) as TensorInfo);
      else if (act === "leakyrelu") {
        step(
          kernel("LeakyRelu")({
            inputs: { x: out },
            backend,
            attrs: { alpha: attrs.leakyreluAlpha ?? 0.2 },
          }) as TensorInfo,
        );
      } else if (act === "prelu") {
        step(kernel("Prelu")({ inputs: { x: out, alpha: preluActivationWeights! }, backend, attrs: {} }) as TensorInfo);
      } else if (act !== "linear") {
        throw new Error(`_FusedMatMul (native): unknown activation "${act}"`);
      }
      return out;
    },
  };
}
