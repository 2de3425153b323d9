"""Read a feature file written by @tavt/datasets with numpy/h5py and print it as JSON (used by the round-trip test).

Run: /usr/bin/python3 tools/datasets/read_features.py PATH
PATH: a directory of <id>.npy files, an .npz archive or an HDF5 file with one dataset per id.
Prints {"<id>": {"shape": [...], "dtype": "...", "data": [...]}, ...}.
"""

import json
import os
import sys

import numpy as np


def main(path: str) -> None:
    out = {}
    if os.path.isdir(path):
        for name in sorted(os.listdir(path)):
            if name.endswith(".npy"):
                a = np.load(os.path.join(path, name))
                out[name[:-4]] = a
    elif path.endswith(".npz"):
        with np.load(path) as z:
            for k in z.files:
                out[k] = z[k]
    else:
        import h5py

        with h5py.File(path, "r") as f:
            for k in f.keys():
                out[k] = f[k][()]
    print(
        json.dumps(
            {
                k: {"shape": list(a.shape), "dtype": str(a.dtype), "data": [float(x) for x in a.reshape(-1)]}
                for k, a in out.items()
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
