/*
 * @tavt/backend-native: the hot tfjs kernels in C through Node-API.
 *
 * Every function works in place on the Float32Array / Int32Array buffers of the tfjs cpu backend's tensors (no copy
 * in, no copy out): JS allocates the output, C fills it. Matrix products go to a BLAS (cblas_sgemm); the rest are
 * plain loops the compiler vectorises. Shapes are checked on the JS side; C trusts the sizes it is given but still
 * refuses a buffer shorter than the product it is asked to compute.
 */
#include <math.h>
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#define CHECK(call)                                                                                      \
  do {                                                                                                   \
    if ((call) != napi_ok) {                                                                             \
      napi_throw_error(env, NULL, "tavt_native: Node-API call failed: " #call);                          \
      return NULL;                                                                                       \
    }                                                                                                    \
  } while (0)

#define FAIL(msg)                                \
  do {                                           \
    napi_throw_error(env, NULL, "tavt_native: " msg); \
    return NULL;                                 \
  } while (0)

/* Loops built twice, for SSE2 (every x86-64) and AVX2 (chosen at load time where the processor has it). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define MULTIVERSION __attribute__((target_clones("avx2", "default")))
#else
#define MULTIVERSION
#endif

static int typed(napi_env env, napi_value v, napi_typedarray_type want, void** data, size_t* len) {
  bool is;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return 0;
  napi_typedarray_type t;
  if (napi_get_typedarray_info(env, v, &t, len, data, NULL, NULL) != napi_ok) return 0;
  return t == want;
}

/* Number arguments, checked: a value that is not a number fails the call instead of reading as 0. */
static int get_i64(napi_env env, napi_value v, int64_t* x) { return napi_get_value_int64(env, v, x) == napi_ok; }
static int get_f64(napi_env env, napi_value v, double* x) { return napi_get_value_double(env, v, x) == napi_ok; }

#define I64(var, v)                                                        \
  int64_t var;                                                             \
  if (!get_i64(env, (v), &var)) FAIL("argument " #var " must be a number")
#define F64(var, v)                                                        \
  double var;                                                              \
  if (!get_f64(env, (v), &var)) FAIL("argument " #var " must be a number")

/* The addon's interface version: the JS side refuses an addon built from other sources (scripts/build-addon.mjs). */
#define TAVT_NATIVE_ABI 2

/*
 * gemm(a, b, c, aIndex, bIndex, m, n, k, transA, transB)
 * For each output matrix i (c holds aIndex.length of them, each [m, n]):
 *   c[i] = op(a[aIndex[i]]) . op(b[bIndex[i]])
 * where a holds matrices of m*k floats ([m, k], or [k, m] when transA) and b matrices of k*n ([k, n] or [n, k]).
 * aIndex / bIndex carry the broadcast of the batch dimensions, worked out in JS.
 */
static napi_value Gemm(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 10) FAIL("gemm expects 10 arguments");
  float *a, *b, *c;
  int32_t *ai, *bi;
  size_t na, nb, nc, nai, nbi;
  if (!typed(env, argv[0], napi_float32_array, (void**)&a, &na)) FAIL("gemm: a must be a Float32Array");
  if (!typed(env, argv[1], napi_float32_array, (void**)&b, &nb)) FAIL("gemm: b must be a Float32Array");
  if (!typed(env, argv[2], napi_float32_array, (void**)&c, &nc)) FAIL("gemm: c must be a Float32Array");
  if (!typed(env, argv[3], napi_int32_array, (void**)&ai, &nai)) FAIL("gemm: aIndex must be an Int32Array");
  if (!typed(env, argv[4], napi_int32_array, (void**)&bi, &nbi)) FAIL("gemm: bIndex must be an Int32Array");
  I64(m, argv[5]);
  I64(n, argv[6]);
  I64(k, argv[7]);
  if (m < 0 || n < 0 || k < 0) FAIL("gemm: negative size");
  bool ta = false, tb = false;
  CHECK(napi_get_value_bool(env, argv[8], &ta));
  CHECK(napi_get_value_bool(env, argv[9], &tb));
  if (nai != nbi) FAIL("gemm: aIndex and bIndex differ in length");
  if ((size_t)(m * n) * nai > nc) FAIL("gemm: c is shorter than the product");
  for (size_t i = 0; i < nai; i++) {
    if (ai[i] < 0 || (size_t)(ai[i] + 1) * (size_t)(m * k) > na) FAIL("gemm: aIndex out of range");
    if (bi[i] < 0 || (size_t)(bi[i] + 1) * (size_t)(k * n) > nb) FAIL("gemm: bIndex out of range");
  }
  if (m == 0 || n == 0) return NULL;
  if (k == 0) {
    memset(c, 0, sizeof(float) * (size_t)(m * n) * nai);
    return NULL;
  }
  const int lda = ta ? (int)m : (int)k;
  const int ldb = tb ? (int)k : (int)n;
  for (size_t i = 0; i < nai; i++) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)m, (int)n,
                (int)k, 1.0f, a + (size_t)ai[i] * (size_t)(m * k), lda, b + (size_t)bi[i] * (size_t)(k * n), ldb,
                0.0f, c + i * (size_t)(m * n), (int)n);
  }
  return NULL;
}

/* ---------------------------------------------------------------------------------------------------------------
 * Elementwise, reductions and data movement. The JS side collapses shapes and works out strides (0 where a dimension
 * is broadcast), so each kernel here is an odometer over the outer dimensions and a tight loop over the last one.
 */

#define MAXRANK 12

/*
 * A shape or strides argument: a Float64Array of at most MAXRANK integers (doubles hold every size up to 2^53, so
 * tensors above 2^31 elements neither fail nor wrap), copied into out.
 */
static int dims(napi_env env, napi_value v, int64_t* out, size_t* rank) {
  double* d;
  if (!typed(env, v, napi_float64_array, (void**)&d, rank) || *rank > MAXRANK) return 0;
  for (size_t i = 0; i < *rank; i++) {
    if (!(d[i] >= 0 && d[i] <= 9007199254740992.0) || d[i] != (double)(int64_t)d[i]) return 0;
    out[i] = (int64_t)d[i];
  }
  return 1;
}

/* Advances the odometer idx over shape[0..rank-2] (the last dimension is the inner loop); returns 0 when done. */
static int next_outer(int64_t* idx, const int64_t* shape, int rank, const int64_t* sa, const int64_t* sb,
                      int64_t* oa, int64_t* ob) {
  for (int d = rank - 2; d >= 0; d--) {
    idx[d]++;
    oa[0] += sa[d];
    ob[0] += sb[d];
    if (idx[d] < shape[d]) return 1;
    oa[0] -= sa[d] * shape[d];
    ob[0] -= sb[d] * shape[d];
    idx[d] = 0;
  }
  return 0;
}

static inline float fmaxnan(float a, float b) { return a != a ? a : (b != b ? b : (a > b ? a : b)); }
static inline float fminnan(float a, float b) { return a != a ? a : (b != b ? b : (a < b ? a : b)); }

/* JavaScript's Math.max / Math.min (tfjs's cpu kernels): NaN if either is NaN, and +0 is above -0. */
static inline float jsmax(float a, float b) {
  return a > b ? a : (b > a ? b : (a == b ? (signbit(a) ? b : a) : a + b));
}
static inline float jsmin(float a, float b) {
  return a < b ? a : (b < a ? b : (a == b ? (signbit(a) ? a : b) : a + b));
}

/* JavaScript's Math.pow: as C's pow except that a NaN exponent, and (+-1) ** (+-Infinity), give NaN. */
static inline float jspow(float x, float y) {
  if (y != y || (isinf(y) && fabsf(x) == 1.0f)) return NAN;
  return (float)pow((double)x, (double)y);
}

/*
 * One row of a float32 binary op: o[j] = f(a[j * ia], b[j * ib]), j < n, where ia and ib are 1 or 0 (a broadcast
 * scalar) or any stride. A function per op with restrict pointers (an output never aliases its inputs: it is a fresh
 * or pooled buffer no live tensor holds), so each contiguous form compiles to vector instructions; IEEE arithmetic
 * gives the same bits as the scalar loop.
 */
#define BINARY_ROW(NAME, EXPR)                                                                            \
  MULTIVERSION static void NAME(int64_t n, const float* restrict pa, int64_t ia, const float* restrict pb,     \
                                int64_t ib, float* restrict po) {                                        \
    if (ia == 1 && ib == 1) {                                                                             \
      for (int64_t j = 0; j < n; j++) { const float x = pa[j], y = pb[j]; po[j] = (EXPR); }             \
    } else if (ia == 1 && ib == 0) {                                                                      \
      const float y = pb[0];                                                                              \
      for (int64_t j = 0; j < n; j++) { const float x = pa[j]; po[j] = (EXPR); }                        \
    } else if (ia == 0 && ib == 1) {                                                                      \
      const float x = pa[0];                                                                              \
      for (int64_t j = 0; j < n; j++) { const float y = pb[j]; po[j] = (EXPR); }                        \
    } else {                                                                                              \
      for (int64_t j = 0; j < n; j++) { const float x = pa[j * ia], y = pb[j * ib]; po[j] = (EXPR); }   \
    }                                                                                                     \
  }

BINARY_ROW(row_add, x + y)
BINARY_ROW(row_sub, x - y)
BINARY_ROW(row_mul, x * y)
BINARY_ROW(row_div, x / y)
BINARY_ROW(row_max, jsmax(x, y))
BINARY_ROW(row_min, jsmin(x, y))
BINARY_ROW(row_sqdiff, (x - y) * (x - y))
BINARY_ROW(row_pow, jspow(x, y))

typedef void (*binary_row)(int64_t, const float*, int64_t, const float*, int64_t, float*);
static const binary_row BINARY_ROWS[8] = {row_add, row_sub, row_mul, row_div, row_max, row_min, row_sqdiff, row_pow};

#define CMP_LOOP(EXPR)                                                                    \
  do {                                                                                    \
    for (int64_t j = 0; j < inner; j++) { const float x = pa[j * ia], y = pb[j * ib]; pc[j] = (EXPR) ? 1 : 0; } \
  } while (0)

/*
 * binary(op, a, b, out, shape, aStrides, bStrides): out (row-major over shape) = a op b, where a and b are read at
 * the given strides (0 along broadcast dimensions). out is a Float32Array, or a Uint8Array for comparisons (op >= 10).
 * ops: 0 add, 1 sub, 2 mul, 3 div, 4 maximum, 5 minimum, 6 squared difference, 7 pow;
 *      10 equal, 11 not equal, 12 less, 13 less-equal, 14 greater, 15 greater-equal.
 */
static napi_value Binary(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 7) FAIL("binary expects 7 arguments");
  I64(opcode, argv[0]);
  const int op = (int)opcode;
  float *a, *b, *o = NULL;
  uint8_t* c = NULL;
  size_t na, nb, no, rank, r2, r3;
  int64_t shape[MAXRANK], sa[MAXRANK], sb[MAXRANK];
  if (!typed(env, argv[1], napi_float32_array, (void**)&a, &na)) FAIL("binary: a must be a Float32Array");
  if (!typed(env, argv[2], napi_float32_array, (void**)&b, &nb)) FAIL("binary: b must be a Float32Array");
  if (op < 10) {
    if (!typed(env, argv[3], napi_float32_array, (void**)&o, &no)) FAIL("binary: out must be a Float32Array");
  } else if (!typed(env, argv[3], napi_uint8_array, (void**)&c, &no)) {
    FAIL("binary: out must be a Uint8Array for a comparison");
  }
  if (!dims(env, argv[4], shape, &rank) || !dims(env, argv[5], sa, &r2) || !dims(env, argv[6], sb, &r3) ||
      rank != r2 || rank != r3 || rank == 0)
    FAIL("binary: shape and strides must be Float64Arrays of integers, of one rank (1..12)");
  int64_t total = 1, lastA = 0, lastB = 0;
  for (size_t d = 0; d < rank; d++) {
    total *= shape[d];
    lastA += sa[d] * (shape[d] - 1);
    lastB += sb[d] * (shape[d] - 1);
  }
  if ((size_t)total > no) FAIL("binary: out is too short");
  if (total == 0) return NULL;
  if ((size_t)lastA >= na || (size_t)lastB >= nb) FAIL("binary: strides read past an input");
  if (op < 0 || (op > 7 && op < 10) || op > 15) FAIL("binary: unknown op");
  const binary_row row = op < 10 ? BINARY_ROWS[op] : NULL;
  const int64_t inner = shape[rank - 1];
  const int64_t ia = sa[rank - 1], ib = sb[rank - 1];
  int64_t idx[MAXRANK] = {0};
  int64_t oa = 0, ob = 0, oo = 0;
  do {
    const float* pa = a + oa;
    const float* pb = b + ob;
    if (op < 10) {
      row(inner, pa, ia, pb, ib, o + oo);
    } else {
      uint8_t* pc = c + oo;
      switch (op) {
        case 10: CMP_LOOP(x == y); break;
        case 11: CMP_LOOP(x != y); break;
        case 12: CMP_LOOP(x < y); break;
        case 13: CMP_LOOP(x <= y); break;
        case 14: CMP_LOOP(x > y); break;
        case 15: CMP_LOOP(x >= y); break;
        default: FAIL("binary: unknown op");
      }
    }
    oo += inner;
  } while (next_outer(idx, shape, (int)rank, sa, sb, &oa, &ob));
  return NULL;
}

#define INT_LOOP(EXPR)                                                                    \
  do {                                                                                    \
    for (int64_t j = 0; j < inner; j++) { const int32_t x = pa[j * ia], y = pb[j * ib]; po[j] = (EXPR); } \
  } while (0)

/*
 * binaryInt(op, a, b, out, shape, aStrides, bStrides): the int32 forms of binary(): add, sub, mul, maximum,
 * minimum (ops 0, 1, 2, 4, 5; int32 out, wrapping as tfjs's Int32Array stores do) and the comparisons (10-15, Uint8 out).
 */
static napi_value BinaryInt(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 7) FAIL("binaryInt expects 7 arguments");
  I64(opcode, argv[0]);
  const int op = (int)opcode;
  int32_t *a, *b, *oi = NULL;
  uint8_t* oc = NULL;
  size_t na, nb, no, rank, r2, r3;
  int64_t shape[MAXRANK], sa[MAXRANK], sb[MAXRANK];
  if (!typed(env, argv[1], napi_int32_array, (void**)&a, &na)) FAIL("binaryInt: a must be an Int32Array");
  if (!typed(env, argv[2], napi_int32_array, (void**)&b, &nb)) FAIL("binaryInt: b must be an Int32Array");
  if (op < 10) {
    if (!typed(env, argv[3], napi_int32_array, (void**)&oi, &no)) FAIL("binaryInt: out must be an Int32Array");
  } else if (!typed(env, argv[3], napi_uint8_array, (void**)&oc, &no)) {
    FAIL("binaryInt: out must be a Uint8Array for a comparison");
  }
  if (!dims(env, argv[4], shape, &rank) || !dims(env, argv[5], sa, &r2) || !dims(env, argv[6], sb, &r3) ||
      rank != r2 || rank != r3 || rank == 0)
    FAIL("binaryInt: shape and strides must be Float64Arrays of integers, of one rank (1..12)");
  int64_t total = 1, lastA = 0, lastB = 0;
  for (size_t d = 0; d < rank; d++) {
    total *= shape[d];
    lastA += sa[d] * (shape[d] - 1);
    lastB += sb[d] * (shape[d] - 1);
  }
  if ((size_t)total > no) FAIL("binaryInt: out is too short");
  if (total == 0) return NULL;
  if ((size_t)lastA >= na || (size_t)lastB >= nb) FAIL("binaryInt: strides read past an input");
  const int64_t inner = shape[rank - 1];
  const int64_t ia = sa[rank - 1], ib = sb[rank - 1];
  int64_t idx[MAXRANK] = {0};
  int64_t oa = 0, ob = 0, oo = 0;
  do {
    const int32_t* pa = a + oa;
    const int32_t* pb = b + ob;
    if (op < 10) {
      int32_t* po = oi + oo;
      switch (op) {
        case 0: INT_LOOP((int32_t)((uint32_t)x + (uint32_t)y)); break;
        case 1: INT_LOOP((int32_t)((uint32_t)x - (uint32_t)y)); break;
        /* as tfjs's cpu kernel: the product in double, then wrapped into int32 (a product above 2^53 rounds first) */
        case 2: INT_LOOP((int32_t)(uint32_t)(int64_t)((double)x * (double)y)); break;
        case 4: INT_LOOP(x > y ? x : y); break;
        case 5: INT_LOOP(x < y ? x : y); break;
        default: FAIL("binaryInt: unsupported op");
      }
    } else {
      uint8_t* po = oc + oo;
      switch (op) {
        case 10: INT_LOOP(x == y); break;
        case 11: INT_LOOP(x != y); break;
        case 12: INT_LOOP(x < y); break;
        case 13: INT_LOOP(x <= y); break;
        case 14: INT_LOOP(x > y); break;
        case 15: INT_LOOP(x >= y); break;
        default: FAIL("binaryInt: unsupported op");
      }
    }
    oo += inner;
  } while (next_outer(idx, shape, (int)rank, sa, sb, &oa, &ob));
  return NULL;
}

/*
 * exp(x) in float32 that vectorises: x = n ln2 + r (ln2 in two parts, Cody and Waite), e^r by Cephes' expf
 * polynomial on |r| <= ln2 / 2, times 2^n built in the exponent bits (in two factors, so results that underflow to
 * subnormals round once more instead of flushing to zero). Within 2 ulp of the correctly rounded exp over the whole
 * float range (test/kernels.test.ts checks every 997th float32 bit pattern against double-precision exp); inf -> inf,
 * -inf -> 0, NaN -> NaN.
 */
static inline float vexpf(float x) {
  const float xc = x > 88.8f ? 88.8f : (x < -110.0f ? -110.0f : x);  /* NaN passes through as NaN */
  const float big = 12582912.0f;                                     /* 1.5 * 2^23: adding it rounds to an integer */
  const float t = xc * 1.44269504088896341f + big;
  const float nf = t - big;
  const float r = (xc - nf * 0.693359375f) - nf * -2.12194440e-4f;
  const float z = r * r;
  const float y =
      ((((((1.9875691500e-4f * r + 1.3981999507e-3f) * r + 8.3334519073e-3f) * r + 4.1665795894e-2f) * r +
         1.6666665459e-1f) * r + 5.0000001201e-1f) * z + r) + 1.0f;
  const int32_t n = (int32_t)(nf == nf ? nf : 0.0f);
  const int32_t n1 = n / 2, n2 = n - n1;                              /* each in [-80, 65]: 2^n1, 2^n2 are normal */
  union { int32_t i; float f; } s1 = {(n1 + 127) << 23}, s2 = {(n2 + 127) << 23};
  const float e = (y * s1.f) * s2.f;
  return x != x ? x : e;
}

#define UNARY_ROW(NAME, EXPR) \
  MULTIVERSION static void NAME(int64_t n, const float* restrict px, float* restrict o, float alpha) { \
    (void)alpha;                                                                                      \
    for (int64_t i = 0; i < n; i++) { const float x = px[i]; o[i] = (EXPR); }                        \
  }

UNARY_ROW(un_neg, -x)
UNARY_ROW(un_exp, vexpf(x))
UNARY_ROW(un_log, (float)log((double)x))
UNARY_ROW(un_sqrt, sqrtf(x))
UNARY_ROW(un_rsqrt, (float)(1.0 / sqrt((double)x)))
UNARY_ROW(un_square, x * x)
UNARY_ROW(un_abs, fabsf(x))
UNARY_ROW(un_relu, x <= 0.0f ? 0.0f : x) /* relu(-0) = +0, relu(NaN) = NaN */
UNARY_ROW(un_sigmoid, 1.0f / (1.0f + vexpf(-x)))
UNARY_ROW(un_tanh, (float)tanh((double)x))
UNARY_ROW(un_step, x != x ? x : (x > 0 ? 1.0f : alpha))
UNARY_ROW(un_reciprocal, 1.0f / x)
UNARY_ROW(un_log1p, (float)log1p((double)x))
UNARY_ROW(un_elu, x >= 0 ? x : (float)expm1((double)x)) /* expm1: exp(x) - 1 cancels near 0 */
UNARY_ROW(un_copy, x)

typedef void (*unary_row)(int64_t, const float*, float*, float);
static const unary_row UNARY_ROWS[15] = {un_neg,  un_exp,  un_log,     un_sqrt,       un_rsqrt,
                                         un_square, un_abs, un_relu,  un_sigmoid,    un_tanh,
                                         un_step, un_reciprocal, un_log1p, un_elu, un_copy};

/*
 * unary(op, x, out, alpha): out = f(x), elementwise over equal lengths.
 * ops: 0 neg, 1 exp, 2 log, 3 sqrt, 4 rsqrt, 5 square, 6 abs, 7 relu, 8 sigmoid, 9 tanh, 10 step (alpha where x <= 0),
 *      11 reciprocal, 12 log1p, 13 elu, 14 copy (cast float32 -> float32).
 * exp and sigmoid use vexpf (float32, within 2 ulp); log, rsqrt, tanh, log1p and elu (expm1) compute in double and round once,
 * as tfjs's cpu kernels do; the rest are exact.
 */
static napi_value Unary(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 4) FAIL("unary expects 4 arguments");
  I64(opcode, argv[0]);
  const int op = (int)opcode;
  float *x, *o;
  size_t nx, no;
  if (!typed(env, argv[1], napi_float32_array, (void**)&x, &nx)) FAIL("unary: x must be a Float32Array");
  if (!typed(env, argv[2], napi_float32_array, (void**)&o, &no)) FAIL("unary: out must be a Float32Array");
  if (no < nx) FAIL("unary: out is too short");
  if (op < 0 || op > 14) FAIL("unary: unknown op");
  F64(alpha64, argv[3]);
  const float alpha = (float)alpha64;
  UNARY_ROWS[op]((int64_t)nx, x, o, alpha);
  return NULL;
}

/*
 * reduce(op, x, out, shape, outStrides, scale): out[j] = reduction over the x elements mapped to j, where x is
 * row-major over shape and an element at index i lands at sum_d i_d * outStrides[d] (0 along reduced dimensions).
 * Sums accumulate in double. ops: 0 sum (times scale: mean passes 1/n), 1 max, 2 min.
 */
static napi_value Reduce(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 6) FAIL("reduce expects 6 arguments");
  I64(opcode, argv[0]);
  const int op = (int)opcode;
  float *x, *o;
  size_t nx, no, rank, r2;
  int64_t shape[MAXRANK], so[MAXRANK];
  if (!typed(env, argv[1], napi_float32_array, (void**)&x, &nx)) FAIL("reduce: x must be a Float32Array");
  if (!typed(env, argv[2], napi_float32_array, (void**)&o, &no)) FAIL("reduce: out must be a Float32Array");
  if (!dims(env, argv[3], shape, &rank) || !dims(env, argv[4], so, &r2) || rank != r2 || rank == 0)
    FAIL("reduce: shape and strides must be Float64Arrays of integers, of one rank (1..12)");
  F64(scale, argv[5]);
  int64_t total = 1, last = 0;
  for (size_t d = 0; d < rank; d++) {
    total *= shape[d];
    last += so[d] * (shape[d] - 1);
  }
  if ((size_t)total > nx) FAIL("reduce: x is too short");
  if (no == 0) return NULL;
  if ((size_t)last >= no) FAIL("reduce: out strides write past out");
  const int64_t inner = shape[rank - 1], io = so[rank - 1];
  int64_t idx[MAXRANK] = {0};
  int64_t zero[MAXRANK] = {0};
  int64_t ox = 0, oo = 0;
  if (op == 0) {
    double* acc = (double*)calloc(no, sizeof(double));
    if (!acc) FAIL("reduce: out of memory");
    if (total > 0) {
      do {
        const float* px = x + ox;
        if (io == 0) {
          double s = 0;
          for (int64_t j = 0; j < inner; j++) s += px[j];
          acc[oo] += s;
        } else {
          double* pa = acc + oo;
          for (int64_t j = 0; j < inner; j++) pa[j * io] += px[j];
        }
        ox += inner;
      } while (next_outer(idx, shape, (int)rank, zero, so, &ox, &oo) || 0);
    }
    for (size_t j = 0; j < no; j++) o[j] = (float)(acc[j] * scale);
    free(acc);
    return NULL;
  }
  const float init = op == 1 ? -INFINITY : INFINITY;
  for (size_t j = 0; j < no; j++) o[j] = init;
  if (total == 0) return NULL;
  do {
    const float* px = x + ox;
    float* po = o + oo;
    if (op == 1) {
      for (int64_t j = 0; j < inner; j++) po[j * io] = fmaxnan(po[j * io], px[j]);
    } else {
      for (int64_t j = 0; j < inner; j++) po[j * io] = fminnan(po[j * io], px[j]);
    }
    ox += inner;
  } while (next_outer(idx, shape, (int)rank, zero, so, &ox, &oo));
  return NULL;
}

/*
 * copy(x, offset, out, shape, strides): out (row-major over shape) = x[offset + sum_d i_d * strides[d]].
 * Transpose (permuted strides), slice (offset, the input's strides) and broadcast (stride 0) are all this.
 * Works on any element size: x and out are typed arrays of one type (4-byte or 1-byte elements).
 */
static napi_value Copy(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 5) FAIL("copy expects 5 arguments");
  void *xv, *ov;
  size_t nx, no, rank, r2;
  napi_typedarray_type tx, to;
  CHECK(napi_get_typedarray_info(env, argv[0], &tx, &nx, &xv, NULL, NULL));
  CHECK(napi_get_typedarray_info(env, argv[2], &to, &no, &ov, NULL, NULL));
  if (tx != to) FAIL("copy: x and out differ in element type");
  I64(offset, argv[1]);
  int64_t shape[MAXRANK], sx[MAXRANK];
  if (!dims(env, argv[3], shape, &rank) || !dims(env, argv[4], sx, &r2) || rank != r2 || rank == 0)
    FAIL("copy: shape and strides must be Float64Arrays of integers, of one rank (1..12)");
  int64_t total = 1, last = offset;
  for (size_t d = 0; d < rank; d++) {
    total *= shape[d];
    last += sx[d] * (shape[d] - 1);
  }
  if ((size_t)total > no) FAIL("copy: out is too short");
  if (total == 0) return NULL;
  if (offset < 0 || (size_t)last >= nx) FAIL("copy: strides read past x");
  const int64_t inner = shape[rank - 1], ix = sx[rank - 1];
  int64_t idx[MAXRANK] = {0};
  int64_t zero[MAXRANK] = {0};
  int64_t ox = offset, oo = 0;
  const int size = (tx == napi_uint8_array || tx == napi_int8_array || tx == napi_uint8_clamped_array) ? 1 : 4;
  if (size == 4 && !(tx == napi_float32_array || tx == napi_int32_array || tx == napi_uint32_array))
    FAIL("copy: unsupported element type");
  do {
    if (size == 4) {
      const uint32_t* px = (const uint32_t*)xv + ox;
      uint32_t* po = (uint32_t*)ov + oo;
      if (ix == 1) memcpy(po, px, 4 * (size_t)inner);
      else for (int64_t j = 0; j < inner; j++) po[j] = px[j * ix];
    } else {
      const uint8_t* px = (const uint8_t*)xv + ox;
      uint8_t* po = (uint8_t*)ov + oo;
      for (int64_t j = 0; j < inner; j++) po[j] = px[j * ix];
    }
    oo += inner;
  } while (next_outer(idx, shape, (int)rank, sx, zero, &ox, &oo) || 0);
  return NULL;
}

/* One softmax row: the max subtracted, vexpf, the sum in double, each term divided by it. */
MULTIVERSION static void softmax_row(int64_t cols, const float* restrict px, float* restrict po) {
  float m = -INFINITY;
  for (int64_t j = 0; j < cols; j++) m = fmaxnan(m, px[j]);
  for (int64_t j = 0; j < cols; j++) po[j] = vexpf(px[j] - m);
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int64_t j = 0;
  for (; j + 4 <= cols; j += 4) {
    s0 += po[j];
    s1 += po[j + 1];
    s2 += po[j + 2];
    s3 += po[j + 3];
  }
  for (; j < cols; j++) s0 += po[j];
  const float sf = (float)((s0 + s1) + (s2 + s3));
  for (int64_t k = 0; k < cols; k++) po[k] = po[k] / sf;
}

/* softmax(x, out, rows, cols): row-wise softmax over the last axis, max subtracted first (as tfjs does). */
static napi_value Softmax(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 4) FAIL("softmax expects 4 arguments");
  float *x, *o;
  size_t nx, no;
  if (!typed(env, argv[0], napi_float32_array, (void**)&x, &nx)) FAIL("softmax: x must be a Float32Array");
  if (!typed(env, argv[1], napi_float32_array, (void**)&o, &no)) FAIL("softmax: out must be a Float32Array");
  I64(rows, argv[2]);
  I64(cols, argv[3]);
  if (rows < 0 || cols < 0) FAIL("softmax: negative size");
  if ((size_t)(rows * cols) > nx || (size_t)(rows * cols) > no) FAIL("softmax: arrays shorter than rows x cols");
  for (int64_t r = 0; r < rows; r++) {
    const float* px = x + r * cols;
    float* po = o + r * cols;
    softmax_row(cols, px, po);
  }
  return NULL;
}

/*
 * segmentSum(x, ids, out, rows, inner, numSegments): out [numSegments, inner] = 0, then out[ids[r]] += x[r] for
 * each row r of x [rows, inner]; ids outside [0, numSegments) are dropped (as tfjs does).
 */
static napi_value SegmentSum(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 6) FAIL("segmentSum expects 6 arguments");
  float *x, *o;
  int32_t* ids;
  size_t nx, ni, no;
  if (!typed(env, argv[0], napi_float32_array, (void**)&x, &nx)) FAIL("segmentSum: x must be a Float32Array");
  if (!typed(env, argv[1], napi_int32_array, (void**)&ids, &ni)) FAIL("segmentSum: ids must be an Int32Array");
  if (!typed(env, argv[2], napi_float32_array, (void**)&o, &no)) FAIL("segmentSum: out must be a Float32Array");
  I64(rows, argv[3]);
  I64(inner, argv[4]);
  I64(segs, argv[5]);
  if (rows < 0 || inner < 0 || segs < 0) FAIL("segmentSum: negative size");
  if ((size_t)rows > ni || (size_t)(rows * inner) > nx || (size_t)(segs * inner) > no)
    FAIL("segmentSum: arrays shorter than the sizes given");
  /* accumulated in double, as the reductions and tfjs's cpu kernel sum: an embedding row gathered a million times
     gets a million gradient rows, and float32 adds would lose their low digits */
  double* acc = (double*)calloc((size_t)(segs * inner) + 1, sizeof(double));
  if (!acc) FAIL("segmentSum: out of memory");
  for (int64_t r = 0; r < rows; r++) {
    const int32_t s = ids[r];
    if (s < 0 || s >= segs) continue;
    double* pa = acc + (int64_t)s * inner;
    const float* px = x + r * inner;
    for (int64_t j = 0; j < inner; j++) pa[j] += px[j];
  }
  for (int64_t j = 0; j < segs * inner; j++) o[j] = (float)acc[j];
  free(acc);
  return NULL;
}

/*
 * gather(x, ids, out, outer, axisLen, inner): x [outer, axisLen, inner], out [outer, n, inner] with
 * out[o, i] = x[o, ids[i]] (n = ids.length); 4-byte elements. Returns the first out-of-range id, or -1.
 */
static napi_value Gather(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 6) FAIL("gather expects 6 arguments");
  void *xv, *ov;
  int32_t* ids;
  size_t nx, ni, no;
  napi_typedarray_type tx, to;
  CHECK(napi_get_typedarray_info(env, argv[0], &tx, &nx, &xv, NULL, NULL));
  CHECK(napi_get_typedarray_info(env, argv[2], &to, &no, &ov, NULL, NULL));
  if (tx != to || !(tx == napi_float32_array || tx == napi_int32_array)) FAIL("gather: x and out must be float32 or int32");
  if (!typed(env, argv[1], napi_int32_array, (void**)&ids, &ni)) FAIL("gather: ids must be an Int32Array");
  I64(outer, argv[3]);
  I64(axisLen, argv[4]);
  I64(inner, argv[5]);
  if (outer < 0 || axisLen < 0 || inner < 0) FAIL("gather: negative size");
  if ((size_t)(outer * axisLen * inner) > nx || (size_t)(outer * (int64_t)ni * inner) > no)
    FAIL("gather: arrays shorter than the sizes given");
  napi_value res;
  for (size_t i = 0; i < ni; i++) {
    if (ids[i] < 0 || ids[i] >= axisLen) {
      CHECK(napi_create_int64(env, ids[i], &res));
      return res;
    }
  }
  const uint32_t* x = (const uint32_t*)xv;
  uint32_t* o = (uint32_t*)ov;
  for (int64_t a = 0; a < outer; a++) {
    for (size_t i = 0; i < ni; i++) {
      memcpy(o + (a * (int64_t)ni + (int64_t)i) * inner, x + (a * axisLen + ids[i]) * inner, 4 * (size_t)inner);
    }
  }
  CHECK(napi_create_int32(env, -1, &res));
  return res;
}

/* ---------------------------------------------------------------------------------------------------------------
 * Threefry-2x32, 20 rounds (Salmon et al. 2011), exactly as @tavt/core's rng.ts computes it in JS:
 * threefryBits(k0, k1, c1, out) fills out[2j], out[2j+1] with the hash of the counter (j, c1) under the key (k0, k1).
 */
static inline uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

#define TF_ROUND(r) \
  x0 += x1;         \
  x1 = rotl32(x1, r) ^ x0;
#define TF_FOUR_A TF_ROUND(13) TF_ROUND(15) TF_ROUND(26) TF_ROUND(6)
#define TF_FOUR_B TF_ROUND(17) TF_ROUND(29) TF_ROUND(16) TF_ROUND(24)

static inline void threefry2x32(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t* o0, uint32_t* o1) {
  const uint32_t k2 = k0 ^ k1 ^ 0x1bd11bdau;
  uint32_t x0 = c0 + k0, x1 = c1 + k1;
  TF_FOUR_A x0 += k1; x1 += k2 + 1;
  TF_FOUR_B x0 += k2; x1 += k0 + 2;
  TF_FOUR_A x0 += k0; x1 += k1 + 3;
  TF_FOUR_B x0 += k1; x1 += k2 + 4;
  TF_FOUR_A x0 += k2; x1 += k0 + 5;
  *o0 = x0;
  *o1 = x1;
}

/*
 * The same hash for LANES consecutive counters c0 .. c0+LANES-1 at once, written lane by lane so the compiler turns
 * it into vector instructions (SSE2 everywhere; AVX2 where the processor has it, through target_clones).
 */
#define LANES 8
#define TF_VROUND(r)                                                   \
  for (int l = 0; l < LANES; l++) {                                    \
    x0[l] += x1[l];                                                    \
    x1[l] = ((x1[l] << (r)) | (x1[l] >> (32 - (r)))) ^ x0[l];          \
  }
#define TF_VFOUR_A TF_VROUND(13) TF_VROUND(15) TF_VROUND(26) TF_VROUND(6)
#define TF_VFOUR_B TF_VROUND(17) TF_VROUND(29) TF_VROUND(16) TF_VROUND(24)
#define TF_VINJECT(a, b, i)                                            \
  for (int l = 0; l < LANES; l++) {                                    \
    x0[l] += (a);                                                      \
    x1[l] += (b) + (i);                                                \
  }

static inline __attribute__((always_inline)) void threefry2x32_lanes(uint32_t k0, uint32_t k1, uint32_t c0,
                                                                     uint32_t c1, uint32_t* o0, uint32_t* o1) {
  const uint32_t k2 = k0 ^ k1 ^ 0x1bd11bdau;
  uint32_t x0[LANES], x1[LANES];
  for (int l = 0; l < LANES; l++) {
    x0[l] = c0 + (uint32_t)l + k0;
    x1[l] = c1 + k1;
  }
  TF_VFOUR_A TF_VINJECT(k1, k2, 1)
  TF_VFOUR_B TF_VINJECT(k2, k0, 2)
  TF_VFOUR_A TF_VINJECT(k0, k1, 3)
  TF_VFOUR_B TF_VINJECT(k1, k2, 4)
  TF_VFOUR_A TF_VINJECT(k2, k0, 5)
  for (int l = 0; l < LANES; l++) {
    o0[l] = x0[l];
    o1[l] = x1[l];
  }
}

/* threefryBits' whole blocks: out[2 LANES b + 2 l], out[... + 1] = the two words of counter LANES b + l. */
MULTIVERSION static void threefry_fill(uint32_t k0, uint32_t k1, uint32_t c1, uint32_t* restrict out, size_t blocks) {
  for (size_t b = 0; b < blocks; b++) {
    uint32_t w0[LANES], w1[LANES];
    threefry2x32_lanes(k0, k1, (uint32_t)(b * LANES), c1, w0, w1);
    for (int l = 0; l < LANES; l++) {
      out[2 * LANES * b + 2 * l] = w0[l];
      out[2 * LANES * b + 2 * l + 1] = w1[l];
    }
  }
}

/* dropoutMask's whole blocks: scale where (bits >> 8) >= t, else 0 (see DropoutMask). */
MULTIVERSION static void dropout_fill(uint32_t k0, uint32_t k1, uint32_t c1, uint32_t t, float scale,
                                      float* restrict out, size_t blocks) {
  for (size_t b = 0; b < blocks; b++) {
    uint32_t w0[LANES], w1[LANES];
    threefry2x32_lanes(k0, k1, (uint32_t)(b * LANES), c1, w0, w1);
    for (int l = 0; l < LANES; l++) {
      out[2 * LANES * b + 2 * l] = (w0[l] >> 8) >= t ? scale : 0.0f;
      out[2 * LANES * b + 2 * l + 1] = (w1[l] >> 8) >= t ? scale : 0.0f;
    }
  }
}

static napi_value ThreefryBits(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 4) FAIL("threefryBits expects 4 arguments");
  uint32_t k0, k1, c1;
  CHECK(napi_get_value_uint32(env, argv[0], &k0));
  CHECK(napi_get_value_uint32(env, argv[1], &k1));
  CHECK(napi_get_value_uint32(env, argv[2], &c1));
  uint32_t* out;
  size_t n;
  if (!typed(env, argv[3], napi_uint32_array, (void**)&out, &n)) FAIL("threefryBits: out must be a Uint32Array");
  if (n % 2) FAIL("threefryBits: out must have an even length");
  const size_t blocks = n / (2 * LANES);
  threefry_fill(k0, k1, c1, out, blocks);
  for (size_t j = blocks * 2 * LANES; j < n; j += 2) threefry2x32(k0, k1, (uint32_t)(j >> 1), c1, out + j, out + j + 1);
  return NULL;
}

/*
 * dropoutMask(k0, k1, c1, rate, scale, out): out[i] = u_i >= rate ? scale : 0, where u_i = (bits_i >> 8) * 2^-24 and
 * bits_i is word i of threefryBits(k0, k1, c1) -- exactly @tavt/core's dropout mask (its uniformArray, then the
 * comparison in double precision), without the two intermediate arrays.
 */
static napi_value DropoutMask(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 6) FAIL("dropoutMask expects 6 arguments");
  uint32_t k0, k1, c1;
  CHECK(napi_get_value_uint32(env, argv[0], &k0));
  CHECK(napi_get_value_uint32(env, argv[1], &k1));
  CHECK(napi_get_value_uint32(env, argv[2], &c1));
  F64(rate, argv[3]);
  F64(scale64, argv[4]);
  const float scale = (float)scale64;
  float* out;
  size_t n;
  if (!typed(env, argv[5], napi_float32_array, (void**)&out, &n)) FAIL("dropoutMask: out must be a Float32Array");
  uint32_t w[2];
  /* u = (bits >> 8) * 2^-24 >= rate  <=>  (bits >> 8) >= ceil(rate * 2^24): rate * 2^24 is exact in double */
  const double th = ceil(rate * 16777216.0);
  const uint32_t t = th != th ? 16777216u : th <= 0 ? 0u : th >= 16777216.0 ? 16777216u : (uint32_t)th; /* NaN: none */
  const size_t blocks = n / (2 * LANES);
  dropout_fill(k0, k1, c1, t, scale, out, blocks);
  for (size_t j = blocks * 2 * LANES; j < n; j += 2) {
    threefry2x32(k0, k1, (uint32_t)(j >> 1), c1, &w[0], &w[1]);
    for (size_t t = 0; t < 2 && j + t < n; t++) {
      const double u = (double)(w[t] >> 8) * (1.0 / 16777216.0);
      out[j + t] = u >= rate ? scale : 0.0f;
    }
  }
  return NULL;
}

/*
 * adam(p, g, m, v, pOut, mOut, vOut, b1, 1-b1, b2, 1-b2, eps, wd, sqrt(bc2), lr/bc1): one Adam step, each operation
 * rounded to float32 in the order @tavt/core's adamStep composes its tfjs ops, so the result equals those ops on the
 * cpu backend bit for bit (a float32 +, -, *, / or sqrt computed in double and rounded once is the correctly rounded
 * float32 result; the build turns off FMA contraction):
 *   g' = g + p*wd;  m' = m*b1 + g'*(1-b1);  v' = v*b2 + g'^2*(1-b2);  p' = p - (m' / (sqrt(v')/sqrt(bc2) + eps)) * lr/bc1
 * The scalars arrive as the float32 values tfjs's scalar tensors hold.
 */
/* The Adam loop, vectorised (IEEE float32 +, *, / and sqrt round the same in vector registers). */
MULTIVERSION
static void adam_loop(size_t n, const float* restrict p, const float* restrict g, const float* restrict m,
                      const float* restrict v, float* restrict po, float* restrict mo, float* restrict vo, float b1,
                      float omb1, float b2, float omb2, float eps, float wd, float sbc2, float lrbc1) {
  if (wd != 0) {
    for (size_t i = 0; i < n; i++) {
      const float gi = g[i] + p[i] * wd;
      const float mi = m[i] * b1 + gi * omb1;
      const float vi = v[i] * b2 + (gi * gi) * omb2;
      po[i] = p[i] - (mi / (sqrtf(vi) / sbc2 + eps)) * lrbc1;
      mo[i] = mi;
      vo[i] = vi;
    }
  } else {
    for (size_t i = 0; i < n; i++) {
      const float gi = g[i];
      const float mi = m[i] * b1 + gi * omb1;
      const float vi = v[i] * b2 + (gi * gi) * omb2;
      po[i] = p[i] - (mi / (sqrtf(vi) / sbc2 + eps)) * lrbc1;
      mo[i] = mi;
      vo[i] = vi;
    }
  }
}

static napi_value Adam(napi_env env, napi_callback_info info) {
  size_t argc = 15;
  napi_value argv[15];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 15) FAIL("adam expects 15 arguments");
  float* a[7];
  size_t n[7];
  for (int i = 0; i < 7; i++) {
    if (!typed(env, argv[i], napi_float32_array, (void**)&a[i], &n[i])) FAIL("adam: arrays must be Float32Arrays");
    if (n[i] != n[0]) FAIL("adam: arrays differ in length");
  }
  float c[8];
  for (int i = 0; i < 8; i++) {
    double d;
    if (!get_f64(env, argv[7 + i], &d)) FAIL("adam: the scalars must be numbers");
    c[i] = (float)d;
  }
  const float b1 = c[0], omb1 = c[1], b2 = c[2], omb2 = c[3], eps = c[4], wd = c[5], sbc2 = c[6], lrbc1 = c[7];
  for (int i = 4; i < 7; i++)
    for (int j = 0; j < i; j++)
      if (n[0] > 0 && a[i] == a[j]) FAIL("adam: the outputs must be arrays of their own");
  adam_loop(n[0], a[0], a[1], a[2], a[3], a[4], a[5], a[6], b1, omb1, b2, omb2, eps, wd, sbc2, lrbc1);
  return NULL;
}

/* setThreads(n): BLAS threads (0 = the BLAS's default). */
extern void openblas_set_num_threads(int);
extern int openblas_get_num_threads(void);
extern char* openblas_get_config(void);

static napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int64_t n = 0;
  if (argc > 0 && !get_i64(env, argv[0], &n)) FAIL("setThreads: n must be a number");
  if (n > 0) openblas_set_num_threads((int)n);
  napi_value out;
  CHECK(napi_create_int32(env, openblas_get_num_threads(), &out));
  return out;
}

static napi_value AbiVersion(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  CHECK(napi_create_int32(env, TAVT_NATIVE_ABI, &out));
  return out;
}

static napi_value BlasInfo(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  const char* cfg = openblas_get_config();
  CHECK(napi_create_string_utf8(env, cfg ? cfg : "OpenBLAS", NAPI_AUTO_LENGTH, &out));
  return out;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"gemm", NULL, Gemm, NULL, NULL, NULL, napi_default, NULL},
      {"binary", NULL, Binary, NULL, NULL, NULL, napi_default, NULL},
      {"binaryInt", NULL, BinaryInt, NULL, NULL, NULL, napi_default, NULL},
      {"unary", NULL, Unary, NULL, NULL, NULL, napi_default, NULL},
      {"reduce", NULL, Reduce, NULL, NULL, NULL, napi_default, NULL},
      {"copy", NULL, Copy, NULL, NULL, NULL, napi_default, NULL},
      {"softmax", NULL, Softmax, NULL, NULL, NULL, napi_default, NULL},
      {"segmentSum", NULL, SegmentSum, NULL, NULL, NULL, napi_default, NULL},
      {"gather", NULL, Gather, NULL, NULL, NULL, napi_default, NULL},
      {"threefryBits", NULL, ThreefryBits, NULL, NULL, NULL, napi_default, NULL},
      {"dropoutMask", NULL, DropoutMask, NULL, NULL, NULL, napi_default, NULL},
      {"adam", NULL, Adam, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, SetThreads, NULL, NULL, NULL, napi_default, NULL},
      {"blasInfo", NULL, BlasInfo, NULL, NULL, NULL, napi_default, NULL},
      {"abiVersion", NULL, AbiVersion, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
