// WebAssembly SIMD kernels for @tavt/clusters, written in AssemblyScript.
// Compiled by tools/clusters/build-kernels.mjs into src/kernels/wasmBytes.ts (the bytes are embedded in the package).
// All pointers are byte offsets into the imported memory; float data is float32, indices int32.

/**
 * out[r * kp + j] = x[idx[r]] . ct[:, j] for r < m (m a multiple of 4) and j < cols (a multiple of 4, <= kp).
 * x is [N, d] row-major; ct is the centres transposed, [d, kp]; out is [m, kp].
 * Register blocking: 4 rows x 12 centres (12 f32x4 accumulators), then 4 rows x 4 centres.
 */
export function dots(x: usize, idx: usize, m: i32, ct: usize, kp: i32, cols: i32, d: i32, out: usize): void {
  const rowStride = (<usize>d) << 2;
  const ctStride = (<usize>kp) << 2;
  for (let r = 0; r < m; r += 4) {
    const ip = idx + ((<usize>r) << 2);
    const x0 = x + <usize>load<i32>(ip) * rowStride;
    const x1 = x + <usize>load<i32>(ip, 4) * rowStride;
    const x2 = x + <usize>load<i32>(ip, 8) * rowStride;
    const x3 = x + <usize>load<i32>(ip, 12) * rowStride;
    const o0 = out + <usize>r * ctStride;
    let j = 0;
    for (; j + 12 <= cols; j += 12) {
      let a00 = f32x4.splat(0);
      let a01 = f32x4.splat(0);
      let a02 = f32x4.splat(0);
      let a10 = f32x4.splat(0);
      let a11 = f32x4.splat(0);
      let a12 = f32x4.splat(0);
      let a20 = f32x4.splat(0);
      let a21 = f32x4.splat(0);
      let a22 = f32x4.splat(0);
      let a30 = f32x4.splat(0);
      let a31 = f32x4.splat(0);
      let a32 = f32x4.splat(0);
      let cp = ct + ((<usize>j) << 2);
      for (let dd = 0; dd < d; dd++) {
        const c0 = v128.load(cp);
        const c1 = v128.load(cp, 16);
        const c2 = v128.load(cp, 32);
        const off = (<usize>dd) << 2;
        let xv = v128.load32_splat(x0 + off);
        a00 = f32x4.add(a00, f32x4.mul(xv, c0));
        a01 = f32x4.add(a01, f32x4.mul(xv, c1));
        a02 = f32x4.add(a02, f32x4.mul(xv, c2));
        xv = v128.load32_splat(x1 + off);
        a10 = f32x4.add(a10, f32x4.mul(xv, c0));
        a11 = f32x4.add(a11, f32x4.mul(xv, c1));
        a12 = f32x4.add(a12, f32x4.mul(xv, c2));
        xv = v128.load32_splat(x2 + off);
        a20 = f32x4.add(a20, f32x4.mul(xv, c0));
        a21 = f32x4.add(a21, f32x4.mul(xv, c1));
        a22 = f32x4.add(a22, f32x4.mul(xv, c2));
        xv = v128.load32_splat(x3 + off);
        a30 = f32x4.add(a30, f32x4.mul(xv, c0));
        a31 = f32x4.add(a31, f32x4.mul(xv, c1));
        a32 = f32x4.add(a32, f32x4.mul(xv, c2));
        cp += ctStride;
      }
      const p0 = o0 + ((<usize>j) << 2);
      v128.store(p0, a00);
      v128.store(p0, a01, 16);
      v128.store(p0, a02, 32);
      const p1 = p0 + ctStride;
      v128.store(p1, a10);
      v128.store(p1, a11, 16);
      v128.store(p1, a12, 32);
      const p2 = p1 + ctStride;
      v128.store(p2, a20);
      v128.store(p2, a21, 16);
      v128.store(p2, a22, 32);
      const p3 = p2 + ctStride;
      v128.store(p3, a30);
      v128.store(p3, a31, 16);
      v128.store(p3, a32, 32);
    }
    for (; j < cols; j += 4) {
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let a2 = f32x4.splat(0);
      let a3 = f32x4.splat(0);
      let cp = ct + ((<usize>j) << 2);
      for (let dd = 0; dd < d; dd++) {
        const c0 = v128.load(cp);
        const off = (<usize>dd) << 2;
        a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(x0 + off), c0));
        a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(x1 + off), c0));
        a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(x2 + off), c0));
        a3 = f32x4.add(a3, f32x4.mul(v128.load32_splat(x3 + off), c0));
        cp += ctStride;
      }
      const p0 = o0 + ((<usize>j) << 2);
      v128.store(p0, a0);
      v128.store(p0 + ctStride, a1);
      v128.store(p0 + 2 * ctStride, a2);
      v128.store(p0 + 3 * ctStride, a3);
    }
  }
}

/** The smallest lane of a float32 vector. */
function hmin(v: v128): f32 {
  const t = f32x4.min(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return min(f32x4.extract_lane(t, 0), f32x4.extract_lane(t, 1));
}

/**
 * For each row r < m: squared distances dist_j = xn[idx[r]] + cn[j] - 2 dots[r, j] over j < kp (clamped at 0; the
 * caller pads cn with +inf beyond k), written over the dot products; best[r] = the first j with the smallest
 * distance, d1[r] = that distance, d2[r] = the smallest distance to any other centre (+inf if k = 1).
 */
export function nearest2(
  dp: usize,
  idx: usize,
  m: i32,
  kp: i32,
  k: i32,
  xn: usize,
  cn: usize,
  best: usize,
  d1: usize,
  d2: usize,
): void {
  const stride = (<usize>kp) << 2;
  const cols = (k + 3) & ~3;
  const inf = f32x4.splat(Infinity);
  const zero = f32x4.splat(0);
  for (let r = 0; r < m; r++) {
    const row = dp + <usize>r * stride;
    const xr = f32x4.splat(load<f32>(xn + ((<usize>load<i32>(idx + ((<usize>r) << 2))) << 2)));
    let vmin = inf;
    for (let j = 0; j < cols; j += 4) {
      const off = (<usize>j) << 2;
      const dot = v128.load(row + off);
      const v = f32x4.max(f32x4.sub(f32x4.add(xr, v128.load(cn + off)), f32x4.add(dot, dot)), zero);
      v128.store(row + off, v);
      vmin = f32x4.min(vmin, v);
    }
    const m1 = hmin(vmin);
    // The first centre at that distance.
    let b: i32 = 0;
    const target = f32x4.splat(m1);
    for (let j = 0; j < cols; j += 4) {
      const mask = f32x4.eq(v128.load(row + ((<usize>j) << 2)), target);
      if (v128.any_true(mask)) {
        b = j + <i32>ctz(i32x4.bitmask(mask));
        break;
      }
    }
    store<f32>(row + ((<usize>b) << 2), Infinity);
    let vmin2 = inf;
    for (let j = 0; j < cols; j += 4) vmin2 = f32x4.min(vmin2, v128.load(row + ((<usize>j) << 2)));
    const o = (<usize>r) << 2;
    store<i32>(best + o, b);
    store<f32>(d1 + o, m1);
    store<f32>(d2 + o, hmin(vmin2));
  }
}

/** out[r] = ||x[idx[r]] - c[labels[idx[r]]]||^2 (direct form) for r < m; c is [K, d] row-major. */
export function distAssigned(x: usize, idx: usize, m: i32, c: usize, labels: usize, d: i32, out: usize): void {
  const rowStride = (<usize>d) << 2;
  const d4 = d & ~3;
  for (let r = 0; r < m; r++) {
    const i = <usize>load<i32>(idx + ((<usize>r) << 2));
    const xp = x + i * rowStride;
    const cp = c + <usize>load<i32>(labels + (i << 2)) * rowStride;
    let acc = f32x4.splat(0);
    let acc1 = f32x4.splat(0);
    let acc2 = f32x4.splat(0);
    let acc3 = f32x4.splat(0);
    let dd = 0;
    for (; dd + 16 <= d; dd += 16) {
      const off = (<usize>dd) << 2;
      const e0 = f32x4.sub(v128.load(xp + off), v128.load(cp + off));
      const e1 = f32x4.sub(v128.load(xp + off, 16), v128.load(cp + off, 16));
      const e2 = f32x4.sub(v128.load(xp + off, 32), v128.load(cp + off, 32));
      const e3 = f32x4.sub(v128.load(xp + off, 48), v128.load(cp + off, 48));
      acc = f32x4.add(acc, f32x4.mul(e0, e0));
      acc1 = f32x4.add(acc1, f32x4.mul(e1, e1));
      acc2 = f32x4.add(acc2, f32x4.mul(e2, e2));
      acc3 = f32x4.add(acc3, f32x4.mul(e3, e3));
    }
    acc = f32x4.add(f32x4.add(acc, acc1), f32x4.add(acc2, acc3));
    for (; dd < d4; dd += 4) {
      const off = (<usize>dd) << 2;
      const diff = f32x4.sub(v128.load(xp + off), v128.load(cp + off));
      acc = f32x4.add(acc, f32x4.mul(diff, diff));
    }
    let s: f32 =
      f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (; dd < d; dd++) {
      const off = (<usize>dd) << 2;
      const diff = load<f32>(xp + off) - load<f32>(cp + off);
      s += diff * diff;
    }
    store<f32>(out + ((<usize>r) << 2), s);
  }
}

/** x . z over d floats, with four independent f32x4 accumulators. */
function dot1(xp: usize, zp: usize, d: i32): f32 {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  let dd = 0;
  for (; dd + 16 <= d; dd += 16) {
    const off = (<usize>dd) << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(xp + off), v128.load(zp + off)));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(xp + off, 16), v128.load(zp + off, 16)));
    a2 = f32x4.add(a2, f32x4.mul(v128.load(xp + off, 32), v128.load(zp + off, 32)));
    a3 = f32x4.add(a3, f32x4.mul(v128.load(xp + off, 48), v128.load(zp + off, 48)));
  }
  for (; dd + 4 <= d; dd += 4) {
    const off = (<usize>dd) << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(xp + off), v128.load(zp + off)));
  }
  const a = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
  let s: f32 =
    f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3);
  for (; dd < d; dd++) {
    const off = (<usize>dd) << 2;
    s += load<f32>(xp + off) * load<f32>(zp + off);
  }
  return s;
}

/**
 * One k-means++ step over all n points: for point i (skipped when closest[i] <= limit[owner[i]], which the triangle
 * inequality shows no candidate can improve), the squared distances to the lc candidates z[l] (row-major [lc, d]),
 * out[i * lp + l] = xn[i] + zn[l] - 2 x_i . z_l (clamped at 0; lp >= lc is the row stride of out), and
 * gain[l] += closest[i] - out[i * lp + l] where that is positive. closest, limit and gain are float64.
 * Returns how many points were computed.
 */
export function ppStep(
  x: usize,
  n: i32,
  d: i32,
  z: usize,
  lc: i32,
  lp: i32,
  zn: usize,
  xn: usize,
  closest: usize,
  owner: usize,
  limit: usize,
  out: usize,
  gain: usize,
): i32 {
  const rowStride = (<usize>d) << 2;
  const d4 = d & ~3;
  let computed = 0;
  for (let i = 0; i < n; i++) {
    const ci = load<f64>(closest + ((<usize>i) << 3));
    const lim = load<f64>(limit + ((<usize>load<i32>(owner + ((<usize>i) << 2))) << 3));
    if (ci <= lim) continue;
    computed++;
    const xp = x + <usize>i * rowStride;
    const xr = load<f32>(xn + ((<usize>i) << 2));
    const op = out + <usize>i * ((<usize>lp) << 2);
    let l = 0;
    for (; l + 4 <= lc; l += 4) {
      const z0 = z + <usize>l * rowStride;
      const z1 = z0 + rowStride;
      const z2 = z1 + rowStride;
      const z3 = z2 + rowStride;
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let a2 = f32x4.splat(0);
      let a3 = f32x4.splat(0);
      let dd = 0;
      for (; dd < d4; dd += 4) {
        const off = (<usize>dd) << 2;
        const xv = v128.load(xp + off);
        a0 = f32x4.add(a0, f32x4.mul(xv, v128.load(z0 + off)));
        a1 = f32x4.add(a1, f32x4.mul(xv, v128.load(z1 + off)));
        a2 = f32x4.add(a2, f32x4.mul(xv, v128.load(z2 + off)));
        a3 = f32x4.add(a3, f32x4.mul(xv, v128.load(z3 + off)));
      }
      // Horizontal sums of the four accumulators at once: lanes of s are the dot products of z0..z3.
      const t01 = f32x4.add(v128.shuffle<f32>(a0, a1, 0, 2, 4, 6), v128.shuffle<f32>(a0, a1, 1, 3, 5, 7));
      const t23 = f32x4.add(v128.shuffle<f32>(a2, a3, 0, 2, 4, 6), v128.shuffle<f32>(a2, a3, 1, 3, 5, 7));
      let s = f32x4.add(v128.shuffle<f32>(t01, t23, 0, 2, 4, 6), v128.shuffle<f32>(t01, t23, 1, 3, 5, 7));
      for (; dd < d; dd++) {
        const off = (<usize>dd) << 2;
        const xv = load<f32>(xp + off);
        s = f32x4.add(
          s,
          f32x4.mul(
            f32x4.splat(xv),
            f32x4(load<f32>(z0 + off), load<f32>(z1 + off), load<f32>(z2 + off), load<f32>(z3 + off)),
          ),
        );
      }
      // dist = xn + zn - 2 dot, clamped at 0
      let dist = f32x4.sub(f32x4.add(f32x4.splat(xr), v128.load(zn + ((<usize>l) << 2))), f32x4.add(s, s));
      dist = f32x4.max(dist, f32x4.splat(0));
      v128.store(op + ((<usize>l) << 2), dist);
    }
    for (; l < lc; l++) {
      const v = <f32>(xr + load<f32>(zn + ((<usize>l) << 2)) - 2 * dot1(xp, z + <usize>l * rowStride, d));
      store<f32>(op + ((<usize>l) << 2), v > 0 ? v : 0);
    }
    for (let q = 0; q < lc; q++) {
      const v = <f64>load<f32>(op + ((<usize>q) << 2));
      if (v < ci) {
        const g = gain + ((<usize>q) << 3);
        store<f64>(g, load<f64>(g) + (ci - v));
      }
    }
  }
  return computed;
}
