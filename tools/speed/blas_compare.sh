#!/usr/bin/env bash
# OpenBLAS against oneDNN sgemm on config S's shapes at 1 and 2 threads (see blas_compare.c).
# Needs Debian's libopenblas-dev and libdnnl-dev.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
cc -O2 -o "$out/blas_compare" "$here/blas_compare.c" -I/usr/include/x86_64-linux-gnu/openblas-pthread \
  -L/usr/lib/x86_64-linux-gnu/openblas-pthread -lopenblas -ldnnl
for threads in 1 2; do
  echo "== $threads thread(s)"
  OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads "$out/blas_compare" openblas
  OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads "$out/blas_compare" onednn
done
rm -rf "$out"
