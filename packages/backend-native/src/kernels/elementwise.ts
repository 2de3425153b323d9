import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import type { NativeAddon } from "../addon";
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

/** A broadcasting binary kernel (float32 in C; other dtypes through the cpu kernel). */
function binaryKernel(addon: NativeAddon, name: string, op: number, compare: boolean, cpu: KernelFunc): KernelConfig {
  return {
    kernelName: name,
    backendName: "native",
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      if (a.dtype !== "float32" || b.dtype !== "float32") return cpu(args);
      const shape = broadcastShapes(a.shape, b.shape);
      if (!shape) {
        throw new Error(`${name} (native): shapes [${a.shape}] and [${b.shape}] do not broadcast`);
      }
      const backend = args.backend as MathBackendCPU;
      const n = size(shape);
      const out = compare ? new Uint8Array(n) : new Float32Array(n);
      if (n > 0) {
        const c = collapse(shape, [broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)]);
        addon.binary(op, valuesOf(backend, a), valuesOf(backend, b), out, c.shape, c.strides[0]!, c.strides[1]!);
      }
      return backend.makeTensorInfo(shape, compare ? "bool" : "float32", out);
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
      const out = new Float32Array(xs.length);
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
