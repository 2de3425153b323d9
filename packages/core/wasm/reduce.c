/*
 * Float32 sums for tfjs-backend-wasm, in WebAssembly SIMD, in place on tfjs's heap (see sgemm.c for the memory
 * rules). tfjs-wasm sums only innermost axes: any other reduction (a bias gradient sums over rows) first transposes
 * the whole input. Here the reduced axes only need to be contiguous: x is viewed as [outer, red, inner] and
 *
 *   out[o, i] = sum_r x[o, r, i]
 *
 * is summed over r in ascending order (four interleaved partial sums when inner is 1), so results are deterministic.
 */
#include <stddef.h>
#include <wasm_simd128.h>

__attribute__((export_name("sumMiddle"))) void sum_middle(const float *x, int outer, int red, int inner, float *out) {
  if (inner == 1) {
    for (int o = 0; o < outer; o++) {
      const float *row = x + (size_t)o * red;
      v128_t s0 = wasm_f32x4_splat(0.0f), s1 = s0;
      int r = 0;
      for (; r + 8 <= red; r += 8) {
        s0 = wasm_f32x4_add(s0, wasm_v128_load(row + r));
        s1 = wasm_f32x4_add(s1, wasm_v128_load(row + r + 4));
      }
      s0 = wasm_f32x4_add(s0, s1);
      float s = (wasm_f32x4_extract_lane(s0, 0) + wasm_f32x4_extract_lane(s0, 1)) +
                (wasm_f32x4_extract_lane(s0, 2) + wasm_f32x4_extract_lane(s0, 3));
      for (; r < red; r++) s += row[r];
      out[o] = s;
    }
    return;
  }
  for (int o = 0; o < outer; o++) {
    float *dst = out + (size_t)o * inner;
    const float *src = x + (size_t)o * red * inner;
    int i = 0;
    for (; i + 4 <= inner; i += 4) wasm_v128_store(dst + i, wasm_f32x4_splat(0.0f));
    for (; i < inner; i++) dst[i] = 0.0f;
    for (int r = 0; r < red; r++, src += inner) {
      i = 0;
      for (; i + 8 <= inner; i += 8) {
        wasm_v128_store(dst + i, wasm_f32x4_add(wasm_v128_load(dst + i), wasm_v128_load(src + i)));
        wasm_v128_store(dst + i + 4, wasm_f32x4_add(wasm_v128_load(dst + i + 4), wasm_v128_load(src + i + 4)));
      }
      for (; i < inner; i++) dst[i] += src[i];
    }
  }
}
