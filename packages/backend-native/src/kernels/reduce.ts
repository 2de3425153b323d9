import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import type { NativeAddon } from "../addon";
import { pool } from "../pool";
import { REDUCE } from "./codes";
import { valuesOf } from "./elementwise";
import { collapse, stridesOf } from "./strides";

/** Normalised, sorted, distinct reduction axes (tfjs: undefined or null = all axes). */
export function parseAxes(axis: number | number[] | null | undefined, rank: number, name: string): number[] {
  const list = axis === undefined || axis === null ? [...Array(rank).keys()] : Array.isArray(axis) ? axis : [axis];
  const out = new Set<number>();
  for (const a of list) {
    const v = a < 0 ? a + rank : a;
    if (!Number.isInteger(v) || v < 0 || v >= rank) {
      throw new Error(`${name} (native): axis ${a} is out of range for rank ${rank}`);
    }
    out.add(v);
  }
  return [...out].sort((x, y) => x - y);
}

/**
 * Sum, Mean, Max and Min over any axes: out's strides are laid over x's shape (0 along reduced axes) and one pass
 * over x accumulates (sums in double precision).
 */
function reduceKernel(addon: NativeAddon, name: "Sum" | "Mean" | "Max" | "Min", cpu: KernelFunc): KernelConfig {
  return {
    kernelName: name,
    backendName: "native",
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      if (x.dtype !== "float32") return cpu(args);
      const attrs = args.attrs as {
        axis?: number | number[];
        reductionIndices?: number | number[];
        keepDims?: boolean;
      };
      const axes = parseAxes(name === "Max" ? attrs.reductionIndices : attrs.axis, x.shape.length, name);
      const reduced = new Set(axes);
      const kept = x.shape.filter((_, d) => !reduced.has(d));
      const outShape = attrs.keepDims ? x.shape.map((n, d) => (reduced.has(d) ? 1 : n)) : kept;
      const backend = args.backend as MathBackendCPU;
      const count = kept.reduce((p, d) => p * d, 1);
      const out = pool.take(count);
      const total = x.shape.reduce((p, d) => p * d, 1);
      const reduceSize = count === 0 ? 0 : total / count;
      if (count > 0 && reduceSize === 0 && (name === "Max" || name === "Min")) {
        out.fill(Number.NaN); // as tfjs's cpu kernel: the max or min of nothing is NaN (its sum is 0, its mean 0)
      } else if (count > 0) {
        // out strides over x's dimensions: row-major over the kept ones, 0 along the reduced ones
        const outStrides = new Array<number>(x.shape.length).fill(0);
        let acc = 1;
        for (let d = x.shape.length - 1; d >= 0; d--) {
          if (reduced.has(d)) continue;
          outStrides[d] = acc;
          acc *= x.shape[d]!;
        }
        const c = x.shape.length === 0 ? null : collapse(x.shape, [stridesOf(x.shape), outStrides]);
        const shape = c ? c.shape : Float64Array.of(1);
        const strides = c ? c.strides[1]! : Float64Array.of(0);
        // tfjs takes the mean as sum(x * (1 / n)): 0 (not NaN) over an empty axis
        const scale = name === "Mean" ? (reduceSize === 0 ? 0 : 1 / reduceSize) : 1;
        addon.reduce(REDUCE[name], valuesOf(backend, x), out, shape, strides, scale);
      }
      return backend.makeTensorInfo(outShape, "float32", out);
    },
  };
}

export function reduceKernels(addon: NativeAddon, cpu: (name: string) => KernelFunc): KernelConfig[] {
  return (["Sum", "Mean", "Max", "Min"] as const).map((name) => reduceKernel(addon, name, cpu(name)));
}
