#!/usr/bin/python3
"""Reference values for @tavt/clusters from scikit-learn (the independent implementation the package is checked
against). Writes tools/fixtures/clusters/*.json; the tests in packages/clusters/test read them.

Run from the repository root:  /usr/bin/python3 tools/clusters/make_fixtures.py

- lloyd.json: small float32 data sets and fixed initial centres; scikit-learn's KMeans(init=centres, n_init=1,
  algorithm="lloyd") on the same values (as float64, so its arithmetic is exact to double precision) gives the
  final centres, labels, inertia, iteration count and the absolute tolerance it used. One case starts with a centre
  far from all data, so its cluster is empty after the first assignment and is re-seeded from the farthest point.
- ari.json: label pairs and sklearn.metrics.adjusted_rand_score.
- points_f64.npy ([5, 3] float64), points_f32_fortran.npy ([4, 2] float32, Fortran order) and points_3d.npy
  ([2, 2, 2]): .npy files written by numpy itself, with their values in npy.json.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.cluster._kmeans import _tolerance
from sklearn.metrics import adjusted_rand_score

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "clusters")


def blobs(rng, n, d, k, spread, noise):
    centres = rng.normal(size=(k, d)) * spread
    labels = rng.integers(0, k, n)
    x = centres[labels] + rng.normal(size=(n, d)) * noise
    return x.astype(np.float32)


def f32(a):
    """float32 values as the shortest decimals that read back to the same float32 (keeps the JSON small)."""
    return [float(np.format_float_positional(v, unique=True)) for v in np.asarray(a, dtype=np.float32).ravel()]


def lloyd_case(name, x, init, tol, max_iter=300):
    x64 = x.astype(np.float64)
    init64 = init.astype(np.float64)
    km = KMeans(n_clusters=init.shape[0], init=init64, n_init=1, algorithm="lloyd", tol=tol, max_iter=max_iter)
    km.fit(x64)
    return {
        "name": name,
        "n": int(x.shape[0]),
        "dim": int(x.shape[1]),
        "k": int(init.shape[0]),
        "tol": tol,
        "maxIter": max_iter,
        "data": f32(x),
        "init": f32(init),
        "centers": [float(v) for v in km.cluster_centers_.ravel()],
        "labels": [int(v) for v in km.labels_],
        "inertia": float(km.inertia_),
        "iterations": int(km.n_iter_),
        "tolAbs": float(_tolerance(x64, tol)),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20230709)
    cases = []
    # Overlapping blobs: several iterations before the tolerance stops it.
    x = blobs(rng, 600, 5, 6, 2.0, 1.0)
    init = x[rng.choice(600, 6, replace=False)]
    cases.append(lloyd_case("overlapping-tol1e-4", x, init, 1e-4))
    # The same run to strict convergence (labels stop changing), and one the tolerance stops early.
    cases.append(lloyd_case("overlapping-tol0", x, init, 0.0))
    cases.append(lloyd_case("overlapping-tol1e-2", x, init, 1e-2))
    # Higher dimension (as VGGish audio, 128-d), more clusters.
    x = blobs(rng, 240, 128, 8, 0.5, 1.0)
    init = x[rng.choice(240, 8, replace=False)]
    cases.append(lloyd_case("dim128", x, init, 1e-4))
    # An initial centre far from every point: its cluster is empty and re-seeded from the farthest point.
    x = blobs(rng, 300, 3, 4, 3.0, 1.0)
    init = np.concatenate([x[rng.choice(300, 3, replace=False)], np.full((1, 3), 100.0, dtype=np.float32)])
    cases.append(lloyd_case("empty-cluster", x, init, 1e-4))
    with open(os.path.join(OUT, "lloyd.json"), "w") as f:
        json.dump({"sklearn": sklearn.__version__, "numpy": np.__version__, "cases": cases}, f)

    ari = []
    a = rng.integers(0, 4, 50)
    b = a.copy()
    b[:10] = rng.integers(0, 4, 10)
    for left, right in [
        (a, b),
        (a, (a + 1) % 4),
        (a, rng.integers(0, 3, 50)),
        ([0, 0, 1, 1], [1, 1, 0, 0]),
        ([0, 0, 1, 2], [0, 0, 1, 1]),
        ([0, 1, 2, 3], [0, 0, 0, 0]),
        ([0, 0, 0, 0], [0, 0, 0, 0]),
    ]:
        left = [int(v) for v in left]
        right = [int(v) for v in right]
        ari.append({"a": left, "b": right, "ari": float(adjusted_rand_score(left, right))})
    with open(os.path.join(OUT, "ari.json"), "w") as f:
        json.dump({"sklearn": sklearn.__version__, "cases": ari}, f)
    f64 = rng.normal(size=(5, 3))
    np.save(os.path.join(OUT, "points_f64.npy"), f64)
    fortran = np.asfortranarray(rng.normal(size=(4, 2)).astype(np.float32))
    np.save(os.path.join(OUT, "points_f32_fortran.npy"), fortran)
    np.save(os.path.join(OUT, "points_3d.npy"), np.zeros((2, 2, 2), dtype=np.float32))
    with open(os.path.join(OUT, "npy.json"), "w") as f:
        json.dump({"points_f64": [float(v) for v in f64.ravel()], "points_f32_fortran": f32(fortran)}, f)
    print("wrote", os.path.join(OUT, "lloyd.json"), "and ari.json:", [(c["name"], c["iterations"], round(c["inertia"], 4)) for c in cases])


if __name__ == "__main__":
    main()
