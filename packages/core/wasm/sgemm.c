/*
 * A float32 matrix product for tfjs-backend-wasm, in WebAssembly SIMD (128-bit), working in place on tfjs's own
 * wasm heap: the module imports that heap's memory and owns no data, globals or stack of its own (the build script
 * checks this), so every pointer below is an offset into tfjs's heap and the caller's workspace is malloc'd there.
 *
 *   C[i, j] = sum_k A(i, k) B(k, j),   A(i, k) = a[i*ars + k*acs],   B(k, j) = b[k*brs + j*bcs],   C row-major (ldc)
 *
 * Strides make every transpose form the same code: both operands are packed into panels (Goto/BLIS layout), so the
 * 4x8 register tile below reads contiguous memory whatever the form. 4 rows x 8 columns keeps 8 accumulators plus
 * 2 B vectors and one broadcast A value in 11 of the 13 xmm registers V8 leaves to wasm on x64; 6x8 spilled.
 * Sums run over k in ascending order within each KC block, blocks in ascending order, so results are deterministic.
 *
 * Build: node packages/core/scripts/build-wasm-kernels.mjs (clang and lld, Debian's `clang lld`), which writes the
 * module into src/kernels/wasmKernelsModule.ts.
 */
#include <stddef.h>
#include <wasm_simd128.h>

#define KC 256  /* k block: a packed 4 x KC A panel and 8 x KC B panel stay in L1 */
#define NC 1024 /* column block: the packed KC x NC B block (1 MB) stays in L2 */
#define MC 64   /* row block: the packed MC x KC A block (64 KB) */
#define MR 4
#define NR 8

/** Floats of workspace sgemm needs: the packed B block, the packed A block and one edge tile. */
__attribute__((export_name("workspaceFloats"))) int workspace_floats(void) { return KC * NC + MC * KC + MR * NR; }

static void pack_b(const float *b, int brs, int bcs, int k0, int kc, int j0, int nc, float *dst) {
  for (int jp = 0; jp < nc; jp += NR) {
    int w = nc - jp < NR ? nc - jp : NR;
    float *d = dst + (size_t)jp * kc;
    for (int k = 0; k < kc; k++, d += NR) {
      const float *src = b + (size_t)(k0 + k) * brs + (size_t)(j0 + jp) * bcs;
      if (w == NR && bcs == 1) {
        wasm_v128_store(d, wasm_v128_load(src));
        wasm_v128_store(d + 4, wasm_v128_load(src + 4));
      } else {
        int j = 0;
        for (; j < w; j++) d[j] = src[(size_t)j * bcs];
        for (; j < NR; j++) d[j] = 0.0f;
      }
    }
  }
}

static void pack_a(const float *a, int ars, int acs, int i0, int mc, int k0, int kc, float *dst) {
  for (int ip = 0; ip < mc; ip += MR) {
    int h = mc - ip < MR ? mc - ip : MR;
    float *d = dst + (size_t)ip * kc;
    for (int k = 0; k < kc; k++, d += MR) {
      const float *src = a + (size_t)(i0 + ip) * ars + (size_t)(k0 + k) * acs;
      int i = 0;
      for (; i < h; i++) d[i] = src[(size_t)i * ars];
      for (; i < MR; i++) d[i] = 0.0f;
    }
  }
}

#define ROW(r)                                                                                                  \
  a = wasm_v128_load32_splat(ap + r);                                                                           \
  c##r##0 = wasm_f32x4_add(c##r##0, wasm_f32x4_mul(a, b0));                                                     \
  c##r##1 = wasm_f32x4_add(c##r##1, wasm_f32x4_mul(a, b1));

/* One MR x NR tile of C from kc packed columns of A and rows of B; adds to C when accumulate (k blocks after the
 * first). A tile cut by the matrix's edge (h < MR or w < NR) goes through `tile` so only real elements are written. */
static void kernel(int kc, const float *ap, const float *bp, float *c, int ldc, int h, int w, int accumulate,
                   float *tile) {
  v128_t c00 = wasm_f32x4_splat(0.0f), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (int k = 0; k < kc; k++, ap += MR, bp += NR) {
    v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4), a;
    ROW(0) ROW(1) ROW(2) ROW(3)
  }
  if (h == MR && w == NR) {
    if (accumulate) {
      c00 = wasm_f32x4_add(wasm_v128_load(c), c00);
      c01 = wasm_f32x4_add(wasm_v128_load(c + 4), c01);
      c10 = wasm_f32x4_add(wasm_v128_load(c + ldc), c10);
      c11 = wasm_f32x4_add(wasm_v128_load(c + ldc + 4), c11);
      c20 = wasm_f32x4_add(wasm_v128_load(c + 2 * ldc), c20);
      c21 = wasm_f32x4_add(wasm_v128_load(c + 2 * ldc + 4), c21);
      c30 = wasm_f32x4_add(wasm_v128_load(c + 3 * ldc), c30);
      c31 = wasm_f32x4_add(wasm_v128_load(c + 3 * ldc + 4), c31);
    }
    wasm_v128_store(c, c00);
    wasm_v128_store(c + 4, c01);
    wasm_v128_store(c + ldc, c10);
    wasm_v128_store(c + ldc + 4, c11);
    wasm_v128_store(c + 2 * ldc, c20);
    wasm_v128_store(c + 2 * ldc + 4, c21);
    wasm_v128_store(c + 3 * ldc, c30);
    wasm_v128_store(c + 3 * ldc + 4, c31);
    return;
  }
  wasm_v128_store(tile, c00);
  wasm_v128_store(tile + 4, c01);
  wasm_v128_store(tile + 8, c10);
  wasm_v128_store(tile + 12, c11);
  wasm_v128_store(tile + 16, c20);
  wasm_v128_store(tile + 20, c21);
  wasm_v128_store(tile + 24, c30);
  wasm_v128_store(tile + 28, c31);
  for (int i = 0; i < h; i++)
    for (int j = 0; j < w; j++) c[(size_t)i * ldc + j] = accumulate ? c[(size_t)i * ldc + j] + tile[i * NR + j] : tile[i * NR + j];
}

/** C = A B for one m x k by k x n product (see the top of the file); `work` holds workspaceFloats() floats. k > 0. */
__attribute__((export_name("sgemm"))) void sgemm(int m, int n, int k, const float *a, int ars, int acs, const float *b,
                                                 int brs, int bcs, float *c, int ldc, float *work) {
  float *bp = work, *ap = work + KC * NC, *tile = ap + MC * KC;
  for (int j0 = 0; j0 < n; j0 += NC) {
    int nc = n - j0 < NC ? n - j0 : NC;
    for (int k0 = 0; k0 < k; k0 += KC) {
      int kc = k - k0 < KC ? k - k0 : KC;
      pack_b(b, brs, bcs, k0, kc, j0, nc, bp);
      for (int i0 = 0; i0 < m; i0 += MC) {
        int mc = m - i0 < MC ? m - i0 : MC;
        pack_a(a, ars, acs, i0, mc, k0, kc, ap);
        for (int jp = 0; jp < nc; jp += NR)
          for (int ip = 0; ip < mc; ip += MR)
            kernel(kc, ap + (size_t)ip * kc, bp + (size_t)jp * kc, c + (size_t)(i0 + ip) * ldc + j0 + jp, ldc,
                   mc - ip < MR ? mc - ip : MR, nc - jp < NR ? nc - jp : NR, k0 > 0, tile);
      }
    }
  }
}

/**
 * A batch of products: for each of `count` items, C_t = A_t B_t with A_t at a + aOff[t], B_t at b + bOff[t] and C_t
 * at c + t*m*ldc... (offsets in floats, from int32 arrays in the heap), so broadcast batches cost no copies.
 */
__attribute__((export_name("sgemmBatch"))) void sgemm_batch(int count, int m, int n, int k, const float *a,
                                                            const int *aoff, int ars, int acs, const float *b,
                                                            const int *boff, int brs, int bcs, float *c,
                                                            float *work) {
  for (int t = 0; t < count; t++)
    sgemm(m, n, k, a + aoff[t], ars, acs, b + boff[t], brs, bcs, c + (size_t)t * m * n, n, work);
}
