"""Write small per-video feature files with numpy and h5py, in the layouts @tavt/datasets reads.

Run: /usr/bin/python3 tools/datasets/write_feature_fixtures.py
Writes tools/fixtures/datasets/{npy/, features.npz, features_compressed.npz, features.h5, features_group.h5,
expected.json}. The values are written by numpy/h5py (the real formats); expected.json holds the same values as
plain float32-rounded lists, which the TypeScript round-trip tests compare against.
"""

import json
import os
import shutil

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "datasets")


def main() -> None:
    rng = np.random.default_rng(20230709)
    # Visual-like features of different frame counts and one audio-like set, float32 unless said otherwise.
    feats = {
        "video0": rng.standard_normal((4, 6)).astype(np.float32),
        "video1": rng.standard_normal((5, 6)).astype(np.float32),
        "video17": (np.arange(18, dtype=np.float32).reshape(3, 6) / 7.0).astype(np.float32),
    }
    os.makedirs(OUT, exist_ok=True)
    npy_dir = os.path.join(OUT, "npy")
    shutil.rmtree(npy_dir, ignore_errors=True)
    os.makedirs(npy_dir)
    # .npy directory: one plain float32 file, one float64, one Fortran-ordered big-endian float32.
    np.save(os.path.join(npy_dir, "video0.npy"), feats["video0"])
    np.save(os.path.join(npy_dir, "video1.npy"), feats["video1"].astype(np.float64))
    np.save(os.path.join(npy_dir, "video17.npy"), np.asfortranarray(feats["video17"].astype(">f4")))

    np.savez(os.path.join(OUT, "features.npz"), **feats)
    np.savez_compressed(os.path.join(OUT, "features_compressed.npz"), **feats)

    with h5py.File(os.path.join(OUT, "features.h5"), "w") as f:
        for k, v in feats.items():
            f.create_dataset(k, data=v)
    with h5py.File(os.path.join(OUT, "features_group.h5"), "w") as f:
        g = f.create_group("feats")
        g.create_dataset("video0", data=feats["video0"].astype(np.float64))
        g.create_dataset("video1", data=feats["video1"], chunks=(1, 6), compression="gzip")
        g.create_dataset("video17", data=feats["video17"])

    expected = {k: {"shape": list(v.shape), "data": [float(x) for x in v.reshape(-1)]} for k, v in feats.items()}
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
