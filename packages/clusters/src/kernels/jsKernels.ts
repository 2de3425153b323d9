import type { Kernels } from "./kernels";

/**
 * The kernels of assembly/kernels.ts in plain JavaScript over the same memory layout (byte offsets into one
 * buffer), for runtimes without WebAssembly SIMD. Same results up to float32 rounding order.
 */
export function jsKernels(buffer: ArrayBuffer): Kernels {
  const f32 = new Float32Array(buffer);
  const i32 = new Int32Array(buffer);
  const f64 = new Float64Array(buffer);
  return {
    dots(x, idx, m, ct, kp, cols, d, out) {
      const xb = x >> 2;
      const cb = ct >> 2;
      const ib = idx >> 2;
      const ob = out >> 2;
      const acc = new Float64Array(cols);
      for (let r = 0; r < m; r++) {
        const xo = xb + i32[ib + r]! * d;
        acc.fill(0);
        for (let dd = 0; dd < d; dd++) {
          const xv = f32[xo + dd]!;
          const co = cb + dd * kp;
          for (let j = 0; j < cols; j++) acc[j]! += xv * f32[co + j]!;
        }
        const oo = ob + r * kp;
        for (let j = 0; j < cols; j++) f32[oo + j] = acc[j]!;
      }
    },
    nearest2(dp, idx, m, kp, k, xn, cn, best, d1, d2) {
      const db = dp >> 2;
      for (let r = 0; r < m; r++) {
        const xr = f32[(xn >> 2) + i32[(idx >> 2) + r]!]!;
        let b = 0;
        let m1 = Number.POSITIVE_INFINITY;
        let m2 = Number.POSITIVE_INFINITY;
        const row = db + r * kp;
        for (let j = 0; j < k; j++) {
          let v = Math.fround(xr + f32[(cn >> 2) + j]! - 2 * f32[row + j]!);
          if (v < 0) v = 0;
          f32[row + j] = v;
          if (v < m1) {
            m2 = m1;
            m1 = v;
            b = j;
          } else if (v < m2) {
            m2 = v;
          }
        }
        i32[(best >> 2) + r] = b;
        f32[(d1 >> 2) + r] = m1;
        f32[(d2 >> 2) + r] = m2;
      }
    },
    distAssigned(x, idx, m, c, labels, d, out) {
      for (let r = 0; r < m; r++) {
        const i = i32[(idx >> 2) + r]!;
        const xo = (x >> 2) + i * d;
        const co = (c >> 2) + i32[(labels >> 2) + i]! * d;
        let s = 0;
        for (let dd = 0; dd < d; dd++) {
          const diff = f32[xo + dd]! - f32[co + dd]!;
          s += diff * diff;
        }
        f32[(out >> 2) + r] = s;
      }
    },
    ppStep(x, n, d, z, lc, lp, zn, xn, closest, owner, limit, out, gain) {
      let computed = 0;
      for (let i = 0; i < n; i++) {
        const ci = f64[(closest >> 3) + i]!;
        if (ci <= f64[(limit >> 3) + i32[(owner >> 2) + i]!]!) continue;
        computed++;
        const xo = (x >> 2) + i * d;
        const xr = f32[(xn >> 2) + i]!;
        for (let l = 0; l < lc; l++) {
          const zo = (z >> 2) + l * d;
          let s = 0;
          for (let dd = 0; dd < d; dd++) s += f32[xo + dd]! * f32[zo + dd]!;
          const v = Math.max(0, Math.fround(xr + f32[(zn >> 2) + l]! - 2 * s));
          f32[(out >> 2) + i * lp + l] = v;
          if (v < ci) f64[(gain >> 3) + l]! += ci - v;
        }
      }
      return computed;
    },
  };
}
