/*
 * Float32 sums for tfjs-backend-wasm, in WebAssembly SIMD, in place on tfjs's heap (see sgemm.c for the memory
 * rules). tfjs-wasm sums only innermost axes: any other reduction (a bias gradient sums over rows) first transposes
 * the whole input. Here the reduced axes only need to be contiguous: x is viewed as [outer, red, inner] and
 *
 *   out[o, i] = sum_r x[o, r, i]
 *
 * is summed in groups of GROUP consecutive terms (each group in order, then the group sums in order), so the rounding
 * error grows with GROUP + red / GROUP instead of red, and results are deterministic.
 */
#include <stddef.h>
#include <wasm_simd128.h>

#define GROUP 32

__attribute__((export_name("sumMiddle"))) void sum_middle(const float *x, int outer, int red, int inner, float *out) {
  if (inner == 1) {
    /* A contiguous row: eight running sums (two vectors) within each group of 8 * GROUP terms. */
    for (int o = 0; o < outer; o++) {
      const float *row = x + (size_t)o * red;
      v128_t t0 = wasm_f32x4_splat(0.0f), t1 = t0;
      int r = 0;
      while (r + 8 <= red) {
        v128_t g0 = wasm_f32x4_splat(0.0f), g1 = g0;
        for (int j = 0; j < GROUP && r + 8 <= red; j++, r += 8) {
          g0 = wasm_f32x4_add(g0, wasm_v128_load(row + r));
          g1 = wasm_f32x4_add(g1, wasm_v128_load(row + r + 4));
        }
        t0 = wasm_f32x4_add(t0, g0);
        t1 = wasm_f32x4_add(t1, g1);
      }
      t0 = wasm_f32x4_add(t0, t1);
      float s = (wasm_f32x4_extract_lane(t0, 0) + wasm_f32x4_extract_lane(t0, 1)) +
                (wasm_f32x4_extract_lane(t0, 2) + wasm_f32x4_extract_lane(t0, 3));
      float tail = 0.0f;
      for (; r < red; r++) tail += row[r];
      out[o] = s + tail;
    }
    return;
  }
  /* Rows of `inner` values: 16 columns at a time in four vectors, a group sum and a total per column. */
  for (int o = 0; o < outer; o++) {
    const float *src = x + (size_t)o * red * inner;
    float *dst = out + (size_t)o * inner;
    int i = 0;
    for (; i + 16 <= inner; i += 16) {
      v128_t t0 = wasm_f32x4_splat(0.0f), t1 = t0, t2 = t0, t3 = t0;
      for (int r0 = 0; r0 < red; r0 += GROUP) {
        v128_t g0 = wasm_f32x4_splat(0.0f), g1 = g0, g2 = g0, g3 = g0;
        const int r1 = red - r0 < GROUP ? red : r0 + GROUP;
        for (int r = r0; r < r1; r++) {
          const float *p = src + (size_t)r * inner + i;
          g0 = wasm_f32x4_add(g0, wasm_v128_load(p));
          g1 = wasm_f32x4_add(g1, wasm_v128_load(p + 4));
          g2 = wasm_f32x4_add(g2, wasm_v128_load(p + 8));
          g3 = wasm_f32x4_add(g3, wasm_v128_load(p + 12));
        }
        t0 = wasm_f32x4_add(t0, g0);
        t1 = wasm_f32x4_add(t1, g1);
        t2 = wasm_f32x4_add(t2, g2);
        t3 = wasm_f32x4_add(t3, g3);
      }
      wasm_v128_store(dst + i, t0);
      wasm_v128_store(dst + i + 4, t1);
      wasm_v128_store(dst + i + 8, t2);
      wasm_v128_store(dst + i + 12, t3);
    }
    for (; i < inner; i++) {
      float t = 0.0f;
      for (int r0 = 0; r0 < red; r0 += GROUP) {
        float g = 0.0f;
        const int r1 = red - r0 < GROUP ? red : r0 + GROUP;
        for (int r = r0; r < r1; r++) g += src[(size_t)r * inner + i];
        t += g;
      }
      dst[i] = t;
    }
  }
}
