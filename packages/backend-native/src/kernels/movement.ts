import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { backend_util, type KernelConfig, type KernelFunc, slice_util, type TensorInfo } from "@tensorflow/tfjs-core";
import type { NativeAddon } from "../addon";
import { pool } from "../pool";
import { valuesOf } from "./elementwise";
import { collapse, stridesOf } from "./strides";

type Values = Float32Array | Int32Array | Uint8Array;
const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/**
 * A tensor's values in the typed array of its dtype (float32: Float32Array, int32: Int32Array, bool: Uint8Array), or
 * null for other dtypes. The cpu backend's Cast to float32 keeps an int32 or bool tensor's own array, so such values
 * are converted here: a kernel's output array follows its dtype, never the storage of its first input.
 */
function anyValues(backend: MathBackendCPU, t: TensorInfo): Values | null {
  const v = backend.data.get(t.dataId).values;
  if (t.dtype === "float32") return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
  if (t.dtype === "int32") return v instanceof Int32Array ? v : Int32Array.from(v as ArrayLike<number>);
  if (t.dtype === "bool") return v instanceof Uint8Array ? v : Uint8Array.from(v as ArrayLike<number>);
  return null;
}

function emptyLike(v: Values, n: number): Values {
  return v instanceof Float32Array ? pool.take(n) : v instanceof Int32Array ? new Int32Array(n) : new Uint8Array(n);
}

/** out (row-major over `shape`) = x[offset + index . strides], through the C copy. */
function strided(addon: NativeAddon, x: Values, offset: number, shape: readonly number[], strides: readonly number[]) {
  const out = emptyLike(x, size(shape));
  if (out.length === 0) return out;
  const c = collapse(shape, [strides, stridesOf(shape)]);
  addon.copy(x, offset, out, c.shape, c.strides[0]!);
  return out;
}

function sliceInfo(
  addon: NativeAddon,
  backend: MathBackendCPU,
  x: TensorInfo,
  xs: Values,
  begin: number[],
  sizes: number[],
): TensorInfo {
  const xStrides = stridesOf(x.shape);
  const offset = begin.reduce((p, b, d) => p + b * xStrides[d]!, 0);
  return backend.makeTensorInfo(sizes, x.dtype, strided(addon, xs, offset, sizes, xStrides));
}

export function movementKernels(addon: NativeAddon, cpu: (name: string) => KernelFunc): KernelConfig[] {
  const transpose: KernelConfig = {
    kernelName: "Transpose",
    backendName: "native",
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      const { perm } = args.attrs as unknown as { perm: number[] };
      const backend = args.backend as MathBackendCPU;
      const xs = anyValues(backend, x);
      if (!xs) return cpu("Transpose")(args);
      const xStrides = stridesOf(x.shape);
      const shape = perm.map((p) => x.shape[p]!); // out[i] runs along x's axis perm[i]
      return backend.makeTensorInfo(
        shape,
        x.dtype,
        strided(
          addon,
          xs,
          0,
          shape,
          perm.map((p) => xStrides[p]!),
        ),
      );
    },
  };
  const slice: KernelConfig = {
    kernelName: "Slice",
    backendName: "native",
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      const { begin, size: sz } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
      const backend = args.backend as MathBackendCPU;
      const xs = anyValues(backend, x);
      if (!xs) return cpu("Slice")(args);
      const [b, s] = slice_util.parseSliceParams(x as never, begin, sz);
      slice_util.assertParamsValid(x as never, b, s);
      return sliceInfo(addon, backend, x, xs, b, s);
    },
  };
  const splitV: KernelConfig = {
    kernelName: "SplitV",
    backendName: "native",
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
      const backend = args.backend as MathBackendCPU;
      const xs = anyValues(backend, x);
      if (!xs) return cpu("SplitV")(args);
      const ax = axis < 0 ? axis + x.shape.length : axis;
      const sizes = backend_util.prepareSplitSize(x as never, numOrSizeSplits, ax);
      const begin = new Array<number>(x.shape.length).fill(0);
      return sizes.map((s) => {
        const shape = [...x.shape];
        shape[ax] = s;
        const t = sliceInfo(addon, backend, x, xs, [...begin], shape);
        begin[ax]! += s;
        return t;
      });
    },
  };
  const softmax: KernelConfig = {
    kernelName: "Softmax",
    backendName: "native",
    kernelFunc: (args) => {
      const { logits } = args.inputs as { logits: TensorInfo };
      const { dim } = args.attrs as unknown as { dim: number };
      const rank = logits.shape.length;
      if (logits.dtype !== "float32" || rank === 0 || (dim !== -1 && dim !== rank - 1)) return cpu("Softmax")(args);
      const backend = args.backend as MathBackendCPU;
      const xs = valuesOf(backend, logits);
      const cols = logits.shape[rank - 1]!;
      const out = pool.take(xs.length);
      if (cols > 0) addon.softmax(xs, out, xs.length / cols, cols);
      return backend.makeTensorInfo(logits.shape, "float32", out);
    },
  };
  const segmentSum: KernelConfig = {
    kernelName: "UnsortedSegmentSum",
    backendName: "native",
    kernelFunc: (args) => {
      const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
      const { numSegments } = args.attrs as unknown as { numSegments: number };
      const backend = args.backend as MathBackendCPU;
      const ids = backend.data.get(segmentIds.dataId).values;
      if (x.dtype !== "float32" || !(ids instanceof Int32Array)) return cpu("UnsortedSegmentSum")(args);
      const rows = size(segmentIds.shape);
      const inner = rows === 0 ? size(x.shape.slice(segmentIds.shape.length)) : size(x.shape) / rows;
      const out = pool.take(numSegments * inner);
      addon.segmentSum(valuesOf(backend, x), ids, out, rows, inner, numSegments);
      return backend.makeTensorInfo([numSegments, ...x.shape.slice(segmentIds.shape.length)], "float32", out);
    },
  };
  const gather: KernelConfig = {
    kernelName: "GatherV2",
    backendName: "native",
    kernelFunc: (args) => {
      const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
      const { axis, batchDims } = args.attrs as unknown as { axis: number; batchDims: number };
      const backend = args.backend as MathBackendCPU;
      const xs = anyValues(backend, x);
      const ids = backend.data.get(indices.dataId).values;
      if (
        (batchDims ?? 0) !== 0 ||
        !(ids instanceof Int32Array) ||
        !(xs instanceof Float32Array || xs instanceof Int32Array)
      ) {
        return cpu("GatherV2")(args);
      }
      const ax = axis < 0 ? axis + x.shape.length : axis;
      const outer = size(x.shape.slice(0, ax));
      const axisLen = x.shape[ax]!;
      const inner = size(x.shape.slice(ax + 1));
      const outShape = [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)];
      const out = xs instanceof Float32Array ? pool.take(size(outShape)) : new Int32Array(size(outShape));
      const bad = addon.gather(xs, ids, out, outer, axisLen, inner);
      if (bad >= 0) throw new Error(`GatherV2: index ${bad} is not in [0, ${axisLen - 1}]`);
      return backend.makeTensorInfo(outShape, x.dtype, out);
    },
  };
  const concat: KernelConfig = {
    kernelName: "Concat",
    backendName: "native",
    kernelFunc: (args) => {
      const inputs = args.inputs as unknown as TensorInfo[];
      const backend = args.backend as MathBackendCPU;
      const first = inputs[0];
      const all = inputs.map((t) => anyValues(backend, t));
      if (!first || first.shape.length === 0 || all.some((v, i) => !v || inputs[i]!.dtype !== first.dtype)) {
        return cpu("Concat")(args);
      }
      const rank = first.shape.length;
      const raw = (args.attrs as unknown as { axis: number | number[] }).axis;
      const a0 = Array.isArray(raw) ? raw[0]! : raw;
      const axis = a0 < 0 ? a0 + rank : a0;
      if (!(axis >= 0 && axis < rank)) throw new Error(`Concat (native): axis ${a0} is out of range for rank ${rank}`);
      for (const t of inputs) {
        if (t.shape.length !== rank || t.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
          throw new Error(`Concat (native): shapes [${first.shape}] and [${t.shape}] differ off axis ${axis}`);
        }
      }
      const outShape = [...first.shape];
      outShape[axis] = inputs.reduce((p, t) => p + t.shape[axis]!, 0);
      const outer = size(first.shape.slice(0, axis));
      const inner = size(first.shape.slice(axis + 1));
      const row = outShape[axis]! * inner; // one outer index's span in the output
      const out = emptyLike(all[0]!, outer * row);
      let offset = 0;
      inputs.forEach((t, i) => {
        const xs = all[i]!;
        const chunk = t.shape[axis]! * inner; // one outer index's span in this input
        if (chunk > 0) {
          for (let o = 0; o < outer; o++) out.set(xs.subarray(o * chunk, (o + 1) * chunk), o * row + offset);
        }
        offset += chunk;
      });
      return backend.makeTensorInfo(outShape, first.dtype, out);
    },
  };
  const fill: KernelConfig = {
    kernelName: "Fill",
    backendName: "native",
    kernelFunc: (args) => {
      const { shape, value, dtype } = args.attrs as unknown as { shape: number[]; value: number; dtype: string };
      if (dtype !== "float32") return cpu("Fill")(args);
      const out = pool.take(size(shape)); // a pooled array instead of fresh zeroed memory, then one native fill
      out.fill(value);
      return (args.backend as MathBackendCPU).makeTensorInfo(shape, "float32", out);
    },
  };
  return [transpose, slice, splitV, softmax, segmentSum, gather, concat, fill];
}
