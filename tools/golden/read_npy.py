#!/usr/bin/python3
"""Reads an .npy file with numpy and prints it as JSON, for the test that numpy reads what @tavt/core's encodeNpy
writes: {"shape": [...], "dtype": "...", "fortran": bool, "data_offset": int, "data": [...]}.

    /usr/bin/python3 tools/golden/read_npy.py PATH
"""
import json
import sys

import numpy as np


def main(path: str) -> None:
    a = np.load(path, allow_pickle=False)
    with open(path, "rb") as f:
        version = np.lib.format.read_magic(f)
        np.lib.format._read_array_header(f, version)
        offset = f.tell()
    print(
        json.dumps(
            {
                "shape": list(a.shape),
                "dtype": a.dtype.str,
                "fortran": bool(a.flags.f_contiguous and not a.flags.c_contiguous),
                "data_offset": offset,
                "data": [float(x) for x in a.reshape(-1)],
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
