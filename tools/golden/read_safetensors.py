#!/usr/bin/python3
"""Reads a .safetensors file with numpy alone, checking the layout as the reference implementation does, and prints
its metadata and tensors as JSON: {"metadata": {...}, "tensors": {name: {"dtype", "shape", "data": [...]}}}.
@tavt/core's checkpoint test runs it on a file saveCheckpoint wrote.

    /usr/bin/python3 tools/golden/read_safetensors.py FILE.safetensors
"""
import json
import struct
import sys

import numpy as np

NP = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?"}


def read(path):
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError(f"{path}: {len(blob)} bytes, no header length")
    (n,) = struct.unpack("<Q", blob[:8])
    if 8 + n > len(blob):
        raise ValueError(f"{path}: header length {n} exceeds the file")
    raw = blob[8 : 8 + n]
    if not raw.startswith(b"{"):
        raise ValueError(f"{path}: header does not start with '{{'")
    header = json.loads(raw.decode("utf-8"))
    data = blob[8 + n :]
    metadata = header.pop("__metadata__", {})
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        raise ValueError(f"{path}: __metadata__ must map strings to strings")
    # the reference implementation requires the tensors to tile the data section exactly, in offset order
    end = 0
    for name, e in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        a, b = e["data_offsets"]
        if a != end:
            raise ValueError(f"{path}: {name} starts at {a}, expected {end}")
        count = int(np.prod(e["shape"], dtype=np.int64))
        if b - a != count * np.dtype(NP[e["dtype"]]).itemsize:
            raise ValueError(f"{path}: {name} has {b - a} bytes for shape {e['shape']} {e['dtype']}")
        end = b
    if end != len(data):
        raise ValueError(f"{path}: tensors cover {end} of {len(data)} data bytes")
    tensors = {}
    for name, e in header.items():
        a, b = e["data_offsets"]
        arr = np.frombuffer(data[a:b], dtype=NP[e["dtype"]]).reshape(e["shape"])
        tensors[name] = {"dtype": e["dtype"], "shape": list(arr.shape), "data": arr.reshape(-1).tolist()}
    return {"metadata": metadata, "tensors": tensors}


if __name__ == "__main__":
    json.dump(read(sys.argv[1]), sys.stdout)
    sys.stdout.write("\n")
