/*
 * Elementwise float32 kernels for tfjs-backend-wasm, in WebAssembly SIMD, in place on tfjs's heap (see sgemm.c for
 * the memory rules).
 *
 * relu: tfjs's cpu kernel computes Math.max(0, x), so relu(NaN) is NaN and relu(-0) is +0. tfjs-backend-wasm 4.22's
 * kernel turns a NaN whose sign bit is set (the NaN that x86 arithmetic produces, e.g. from inf - inf) into 0.
 */
#include <wasm_simd128.h>

__attribute__((export_name("reluF32"))) void relu_f32(const float *x, int n, float *out) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    const v128_t a = wasm_v128_load(x + i), b = wasm_v128_load(x + i + 4);
    /* keep x where x > 0 or x is NaN (x != x), else all bits 0 (+0) */
    const v128_t ka = wasm_v128_or(wasm_f32x4_gt(a, zero), wasm_f32x4_ne(a, a));
    const v128_t kb = wasm_v128_or(wasm_f32x4_gt(b, zero), wasm_f32x4_ne(b, b));
    wasm_v128_store(out + i, wasm_v128_and(a, ka));
    wasm_v128_store(out + i + 4, wasm_v128_and(b, kb));
  }
  for (; i < n; i++) {
    const float v = x[i];
    out[i] = v > 0.0f || v != v ? v : 0.0f;
  }
}
