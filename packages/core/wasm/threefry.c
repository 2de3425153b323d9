/*
 * Threefry-2x32, 20 rounds (Salmon et al. 2011), in WebAssembly SIMD: exactly the bits @tavt/core's rng.ts computes
 * in JS (and @tavt/backend-native in C), eight counters at a time in two i32x4 vectors. The module owns no memory
 * (see sgemm.c); the caller passes byte offsets into the memory it imports.
 *
 *   threefryFill(k0, k1, c1, first, out, n): out[2i], out[2i+1] = the hash of counter (first + i, c1), for 2i < n
 *   dropoutFill(k0, k1, c1, first, t, scale, out, n): out[w] = (word w of the above >> 8) >= t ? scale : 0
 */
#include <stdint.h>
#include <wasm_simd128.h>

static inline uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

#define S_ROUND(r) \
  x0 += x1;        \
  x1 = rotl32(x1, r) ^ x0;
#define S_FOUR_A S_ROUND(13) S_ROUND(15) S_ROUND(26) S_ROUND(6)
#define S_FOUR_B S_ROUND(17) S_ROUND(29) S_ROUND(16) S_ROUND(24)

static void threefry1(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t *o0, uint32_t *o1) {
  const uint32_t k2 = k0 ^ k1 ^ 0x1bd11bdau;
  uint32_t x0 = c0 + k0, x1 = c1 + k1;
  S_FOUR_A x0 += k1; x1 += k2 + 1;
  S_FOUR_B x0 += k2; x1 += k0 + 2;
  S_FOUR_A x0 += k0; x1 += k1 + 3;
  S_FOUR_B x0 += k1; x1 += k2 + 4;
  S_FOUR_A x0 += k2; x1 += k0 + 5;
  *o0 = x0;
  *o1 = x1;
}

#define ROTL(x, r) wasm_v128_or(wasm_i32x4_shl((x), (r)), wasm_u32x4_shr((x), 32 - (r)))
#define V_ROUND(r)                 \
  a0 = wasm_i32x4_add(a0, a1);     \
  b0 = wasm_i32x4_add(b0, b1);     \
  a1 = ROTL(a1, r) ^ a0;           \
  b1 = ROTL(b1, r) ^ b0;
#define V_FOUR_A V_ROUND(13) V_ROUND(15) V_ROUND(26) V_ROUND(6)
#define V_FOUR_B V_ROUND(17) V_ROUND(29) V_ROUND(16) V_ROUND(24)
#define V_INJECT(x, y, i)                                       \
  a0 = wasm_i32x4_add(a0, wasm_i32x4_splat(x));                 \
  b0 = wasm_i32x4_add(b0, wasm_i32x4_splat(x));                 \
  a1 = wasm_i32x4_add(a1, wasm_i32x4_splat((y) + (i)));         \
  b1 = wasm_i32x4_add(b1, wasm_i32x4_splat((y) + (i)));

/* The hash of counters (c0 .. c0+7, c1): words 0 of counters 0-3 in *w0a, 4-7 in *w0b, words 1 in *w1a, *w1b. */
static inline __attribute__((always_inline)) void threefry8(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1,
                                                            v128_t *w0a, v128_t *w0b, v128_t *w1a, v128_t *w1b) {
  const uint32_t k2 = k0 ^ k1 ^ 0x1bd11bdau;
  v128_t a0 = wasm_i32x4_add(wasm_i32x4_make(0, 1, 2, 3), wasm_i32x4_splat(c0 + k0));
  v128_t b0 = wasm_i32x4_add(wasm_i32x4_make(4, 5, 6, 7), wasm_i32x4_splat(c0 + k0));
  v128_t a1 = wasm_i32x4_splat(c1 + k1), b1 = a1;
  V_FOUR_A V_INJECT(k1, k2, 1)
  V_FOUR_B V_INJECT(k2, k0, 2)
  V_FOUR_A V_INJECT(k0, k1, 3)
  V_FOUR_B V_INJECT(k1, k2, 4)
  V_FOUR_A V_INJECT(k2, k0, 5)
  *w0a = a0;
  *w0b = b0;
  *w1a = a1;
  *w1b = b1;
}

__attribute__((export_name("threefryFill"))) void threefry_fill(uint32_t k0, uint32_t k1, uint32_t c1, uint32_t first,
                                                                uint32_t *out, uint32_t n) {
  uint32_t i = 0;
  for (; 2 * (i + 8) <= n; i += 8) {
    v128_t w0a, w0b, w1a, w1b;
    threefry8(k0, k1, first + i, c1, &w0a, &w0b, &w1a, &w1b);
    uint32_t *o = out + 2 * i; /* interleave: word 0 and word 1 of each counter side by side */
    wasm_v128_store(o, wasm_i32x4_shuffle(w0a, w1a, 0, 4, 1, 5));
    wasm_v128_store(o + 4, wasm_i32x4_shuffle(w0a, w1a, 2, 6, 3, 7));
    wasm_v128_store(o + 8, wasm_i32x4_shuffle(w0b, w1b, 0, 4, 1, 5));
    wasm_v128_store(o + 12, wasm_i32x4_shuffle(w0b, w1b, 2, 6, 3, 7));
  }
  for (; 2 * i < n; i++) {
    uint32_t w0, w1;
    threefry1(k0, k1, first + i, c1, &w0, &w1);
    out[2 * i] = w0;
    if (2 * i + 1 < n) out[2 * i + 1] = w1;
  }
}

__attribute__((export_name("dropoutFill"))) void dropout_fill(uint32_t k0, uint32_t k1, uint32_t c1, uint32_t first,
                                                              uint32_t t, float scale, float *out, uint32_t n) {
  const v128_t vt = wasm_i32x4_splat(t), vs = wasm_f32x4_splat(scale);
  uint32_t i = 0;
  for (; 2 * (i + 8) <= n; i += 8) {
    v128_t w0a, w0b, w1a, w1b;
    threefry8(k0, k1, first + i, c1, &w0a, &w0b, &w1a, &w1b);
    v128_t q[4] = {wasm_i32x4_shuffle(w0a, w1a, 0, 4, 1, 5), wasm_i32x4_shuffle(w0a, w1a, 2, 6, 3, 7),
                   wasm_i32x4_shuffle(w0b, w1b, 0, 4, 1, 5), wasm_i32x4_shuffle(w0b, w1b, 2, 6, 3, 7)};
    for (int j = 0; j < 4; j++)
      wasm_v128_store(out + 2 * i + 4 * j, wasm_v128_and(wasm_u32x4_ge(wasm_u32x4_shr(q[j], 8), vt), vs));
  }
  for (; 2 * i < n; i++) {
    uint32_t w[2];
    threefry1(k0, k1, first + i, c1, &w[0], &w[1]);
    for (uint32_t j = 0; j < 2 && 2 * i + j < n; j++) out[2 * i + j] = (w[j] >> 8) >= t ? scale : 0.0f;
  }
}
