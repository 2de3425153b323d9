#!/usr/bin/python3
"""Writes tools/fixtures/core/npy/*.npy with numpy itself (np.save / np.lib.format.write_array), and npy.json with
the values each holds as float32-rounded C-order lists, so @tavt/core's .npy decoder is checked against files it did
not write: every dtype it reads, both byte orders, Fortran order in 2-D and 3-D, a 0-d scalar, an empty array, and
format versions 1.0, 2.0 and 3.0. Also two dtypes it must refuse (complex64, bool).

    /usr/bin/python3 tools/golden/npy.py
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "fixtures", "core", "npy")


def cases(rng):
    base = rng.standard_normal((2, 3, 4))
    return {
        # name: (array, format version or None for np.save's choice)
        "f4_le": (base[0].astype("<f4"), None),
        "f2_le": (base[1].astype("<f2"), None),
        "f8_be": (base[0].T.copy().astype(">f8"), None),
        "i1": (np.array([-128, -1, 0, 1, 127], dtype="i1"), None),
        "u1": (np.array([[0, 1], [200, 255]], dtype="u1"), None),
        "i2_be": (np.array([[-32768, -2], [3, 32767]], dtype=">i2"), None),
        "u2": (np.array([0, 40000, 65535], dtype="<u2"), None),
        "i4": (np.array([[-(2**31), 7], [123456, 2**31 - 1]], dtype="<i4"), None),
        "u4": (np.array([0, 3, 2**32 - 1], dtype="<u4"), None),
        "i8": (np.array([-(2**40), -1, 0, 2**40], dtype="<i8"), None),
        "f4_fortran_2d": (np.asfortranarray(base[1].astype("<f4")), None),
        "f8_fortran_3d_be": (np.asfortranarray(base.astype(">f8")), None),
        "scalar": (np.array(2.5, dtype="<f4"), None),
        "empty": (np.zeros((0, 4), dtype="<f4"), None),
        "v2": (base[1, :2].astype("<f4"), (2, 0)),
        "v3": (base[0, 1:].astype("<f8"), (3, 0)),
    }


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20230709)
    expected = {}
    for name, (a, version) in cases(rng).items():
        path = os.path.join(OUT, f"{name}.npy")
        if version is None:
            np.save(path, a)
        else:
            with open(path, "wb") as f:
                np.lib.format.write_array(f, a, version=version)
        back = np.load(path)
        assert back.dtype == a.dtype and back.shape == a.shape
        expected[name] = {
            "shape": list(a.shape),
            "descr": np.lib.format.dtype_to_descr(a.dtype),
            "fortran": bool(a.flags.f_contiguous and not a.flags.c_contiguous),
            "data": [float(x) for x in np.ascontiguousarray(a).astype(np.float32).reshape(-1)],
        }
    np.save(os.path.join(OUT, "complex64.npy"), np.array([1 + 2j], dtype=np.complex64))
    np.save(os.path.join(OUT, "bool.npy"), np.array([True, False]))
    with open(os.path.join(OUT, "npy.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
