/*
 * OpenBLAS cblas_sgemm against oneDNN dnnl_sgemm on config S's matrix shapes, in the four transpose forms, one and
 * two threads: the measurement behind @tavt/backend-native's choice of BLAS (its README).
 *
 *   bash tools/speed/blas_compare.sh        (compiles this file against Debian's libopenblas-dev and libdnnl-dev)
 *
 * Prints GFLOP/s per shape, form, library and thread count (median of 15 timed calls after 3 warm-up calls, wall
 * clock). The thread count is set with OPENBLAS_NUM_THREADS / OMP_NUM_THREADS by the script.
 */
#include <cblas.h>
#include <dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmp(const void* a, const void* b) {
  const double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char** argv) {
  const char* lib = argc > 1 ? argv[1] : "openblas";
  const int shapes[][3] = {{768, 256, 256}, {768, 256, 1024}, {768, 1024, 256}, {608, 256, 3000}};
  for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
    const int m = shapes[s][0], k = shapes[s][1], n = shapes[s][2];
    float* a = malloc(sizeof(float) * m * k);
    float* b = malloc(sizeof(float) * k * n);
    float* c = malloc(sizeof(float) * m * n);
    for (int i = 0; i < m * k; i++) a[i] = (float)rand() / RAND_MAX - 0.5f;
    for (int i = 0; i < k * n; i++) b[i] = (float)rand() / RAND_MAX - 0.5f;
    printf("%s %dx%d . %dx%d", lib, m, k, k, n);
    for (int form = 0; form < 4; form++) {
      const int ta = form & 1, tb = form >> 1;
      double t[15];
      for (int r = 0; r < 18; r++) {
        const double t0 = now();
        if (lib[0] == 'o') {
          cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, 1.0f, a,
                      ta ? m : k, b, tb ? k : n, 0.0f, c, n);
        } else {
          dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, 1.0f, a, ta ? m : k, b, tb ? k : n, 0.0f, c, n);
        }
        if (r >= 3) t[r - 3] = now() - t0;
      }
      qsort(t, 15, sizeof(double), cmp);
      printf("  %s%s %6.1f", ta ? "T" : "N", tb ? "T" : "N", 2.0 * m * n * k / t[7] / 1e9);
    }
    printf(" GFLOP/s\n");
    free(a);
    free(b);
    free(c);
  }
  return 0;
}
