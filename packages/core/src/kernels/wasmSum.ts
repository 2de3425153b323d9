import { tf } from "../tf";
import { bindWasmKernels, type WasmBackendLike } from "./wasmModule";

/**
 * Sum on tfjs-backend-wasm with core's SIMD reduction (wasm/reduce.c), in place on tfjs's heap. tfjs-wasm sums only
 * innermost axes and transposes the whole input first for any other reduction: the bias gradients of training
 * (a sum over rows, [768, 256] -> [256]) took about 1 ms each that way. Here any contiguous run of axes reduces
 * without a copy. Returns null where this kernel does not apply (not float32, axes not contiguous, no SIMD) and the
 * caller uses tfjs's own kernel.
 */
export function wasmSum(
  x: tf.TensorInfo,
  axis: number | number[],
  keepDims: boolean,
  backend: unknown,
): tf.TensorInfo | null {
  if (x.dtype !== "float32") return null;
  const rank = x.shape.length;
  const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
  if (axes.length === 0) return null;
  for (let i = 1; i < axes.length; i++) if (axes[i] !== axes[i - 1]! + 1) return null;
  const be = backend as WasmBackendLike;
  const kernels = bindWasmKernels(be.wasm);
  if (!kernels) return null;
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  const size = (from: number, to: number) => x.shape.slice(from, to).reduce((p, d) => p * d, 1);
  const outer = size(0, first);
  const red = size(first, last + 1);
  const inner = size(last + 1, rank);
  const kept = x.shape.filter((_, i) => i < first || i > last);
  const shape = keepDims ? x.shape.map((d, i) => (i >= first && i <= last ? 1 : d)) : kept;
  const out = be.makeOutput(shape, "float32");
  if (outer * inner === 0) return out;
  const outPtr = be.getMemoryOffset(out.dataId);
  if (red === 0) {
    new Float32Array(kernels.memory.buffer, outPtr, outer * inner).fill(0);
    return out;
  }
  kernels.exports.sumMiddle(be.getMemoryOffset(x.dataId), outer, red, inner, outPtr);
  return out;
}
