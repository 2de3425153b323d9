import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import type { NativeAddon } from "../addon";
import { pool } from "../pool";
import { BINARY, COMPARE, UNARY } from "./codes";
import { broadcastShapes, broadcastStrides, collapse } from "./strides";

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/**
 * A float32 tensor's values as a Float32Array. The cpu backend's Cast to float32 shares an int32 or bool tensor's
 * Int32Array / Uint8Array (a widening cast keeps the data), so such values are converted here.
 */
export function valuesOf(backend: MathBackendCPU, t: TensorInfo): Float32Array {
  const v = backend.data.get(t.dataId).values;
  return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
}

/** Ops with an int32 form in C (the rest of int32 arithmetic, e.g. division, goes through the cpu kernel). */
const INT_OPS = new Set<number>([0, 1, 2, 4, 5, 10, 11, 12, 13, 14, 15]);

/** A broadcasting binary kernel (float32, and int32 where INT_OPS has it, in C; other dtypes through the cpu kernel). */
function binaryKernel(addon: NativeAddon, name: string, op: number, compare: boolean, cpu: KernelFunc): KernelConfig {
  return {
    kernelName: name,
    backendName: "native",
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      const backend = args.backend as MathBackendCPU;
      const int = a.dtype === "int32" && b.dtype === "int32" && INT_OPS.has(op);
      const av = backend.data.get(a.dataId).values;
      const bv = backend.data.get(b.dataId).values;
      if (
        int ? !(av instanceof Int32Array && bv instanceof Int32Array) : a.dtype !== "float32" || b.dtype !== "float32"
      ) {
        return cpu(args);
      }
      const shape = broadcastShapes(a.shape, b.shape);
      if (!shape) {
        throw new Error(`${name} (native): shapes [${a.shape}] and [${b.shape}] do not broadcast`);
      }
      const n = size(shape);
      const out = compare ? new Uint8Array(n) : int ? new Int32Array(n) : pool.take(n);
      if (n > 0) {
        const c = collapse(shape, [broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)]);
        if (int) {
          addon.binaryInt(
            op,
            av as Int32Array,
            bv as Int32Array,
            out as Int32Array | Uint8Array,
            c.shape,
            c.strides[0]!,
            c.strides[1]!,
          );
        } else {
          const o = out as Float32Array | Uint8Array;
          addon.binary(op, valuesOf(backend, a), valuesOf(backend, b), o, c.shape, c.strides[0]!, c.strides[1]!);
        }
      }
      return backend.makeTensorInfo(shape, compare ? "bool" : int ? "int32" : "float32", out);
    },
  };
}

/** An elementwise unary kernel (float32 in C; other dtypes through the cpu kernel). */
function unaryKernel(addon: NativeAddon, name: string, op: number, cpu: KernelFunc): KernelConfig {
  return {
    kernelName: name,
    backendName: "native",
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      if (x.dtype !== "float32") return cpu(args);
      const backend = args.backend as MathBackendCPU;
      const xs = valuesOf(backend, x);
      const out = pool.take(xs.length);
      const alpha = name === "Step" ? Number((args.attrs as { alpha?: number }).alpha ?? 0) : 0;
      addon.unary(op, xs, out, alpha);
      return backend.makeTensorInfo(x.shape, "float32", out);
    },
  };
}

export function elementwiseKernels(addon: NativeAddon, cpu: (name: string) => KernelFunc): KernelConfig[] {
  return [
    ...Object.entries(BINARY).map(([name, op]) => binaryKernel(addon, name, op, false, cpu(name))),
    ...Object.entries(COMPARE).map(([name, op]) => binaryKernel(addon, name, op, true, cpu(name))),
    ...Object.entries(UNARY).map(([name, op]) => unaryKernel(addon, name, op, cpu(name))),
  ];
}
