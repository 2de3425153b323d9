/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d]!;
  }
  return s;
}

/**
 * Merges neighbouring dimensions that every operand walks contiguously (stride[d] = stride[d+1] * shape[d+1]) and
 * drops size-1 dimensions, so the C loops run over few, long dimensions. Returns rank >= 1, as Float64Arrays: merged
 * sizes and strides of tensors above 2^31 elements stay exact (an Int32Array would wrap them).
 *
 * @param shape - The iteration shape.
 * @param strides - Each operand's strides over `shape`.
 * @returns The merged shape and each operand's merged strides (rank at least 1).
 */
export function collapse(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): {
  shape: Float64Array;
  strides: Float64Array[];
} {
  const dims: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && strides.every((s, i) => st[i]![last] === s[d]! * n)) {
      dims[last] = dims[last]! * n;
      strides.forEach((s, i) => {
        st[i]![last] = s[d]!;
      });
      continue;
    }
    dims.push(n);
    strides.forEach((s, i) => {
      st[i]!.push(s[d]!);
    });
  }
  if (dims.length === 0) {
    dims.push(1);
    for (const s of st) s.push(1);
  }
  return { shape: Float64Array.from(dims), strides: st.map((s) => Float64Array.from(s)) };
}

/** The numpy broadcast of two shapes, or null. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** The strides with which an operand of `shape` is read when broadcast to `out` (0 along broadcast dimensions). */
export function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const own = stridesOf(shape);
  const offset = out.length - shape.length;
  return out.map((_, d) => {
    const dd = d - offset;
    return dd < 0 || shape[dd] === 1 ? 0 : own[dd]!;
  });
}
