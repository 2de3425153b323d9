#!/usr/bin/python3
"""scikit-learn's k-means on a .npy file, for benchmarks/src/kmeans.ts (one thread, timed around fit() only).

usage: /usr/bin/python3 tools/clusters/sklearn_kmeans.py DATA.npy K SEED [INIT.npy]
Prints one JSON line: {"inertia", "seconds", "iterations", "sklearn"}. With INIT.npy the run starts from those
centres (init=array); otherwise from scikit-learn's own k-means++ with random_state=SEED. n_init=1, lloyd.
"""
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402


def main():
    data = np.load(sys.argv[1])
    k = int(sys.argv[2])
    seed = int(sys.argv[3])
    init = np.load(sys.argv[4]) if len(sys.argv) > 4 else "k-means++"
    with threadpool_limits(limits=1):
        km = KMeans(n_clusters=k, n_init=1, init=init, algorithm="lloyd", random_state=seed)
        start = time.perf_counter()
        km.fit(data)
        seconds = time.perf_counter() - start
    print(json.dumps({"inertia": float(km.inertia_), "seconds": seconds, "iterations": int(km.n_iter_),
                      "sklearn": sklearn.__version__}))


if __name__ == "__main__":
    main()
