#!/usr/bin/python3
"""Writes tools/fixtures/core/interop.safetensors (and interop.json, the values it holds) from Python, independently
of @tavt/core, so a test can check that loadCheckpoint reads a file written elsewhere.

Uses the `safetensors` package when it is installed; otherwise (as on Debian, which does not package it) writes the
format's documented layout (https://github.com/huggingface/safetensors#format) with numpy: an 8-byte little-endian
header length N, N bytes of JSON header {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}
padded with spaces to a multiple of 8, then the tensors' raw little-endian bytes, offsets relative to the data start.
The tensors are made with torch (F32, F64, I64, F16 and a 0-d scalar) and converted with .numpy().

    /usr/bin/python3 tools/golden/write_safetensors.py
"""
import json
import os
import struct

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(os.path.dirname(HERE), "fixtures", "core")

DTYPES = {np.float32: "F32", np.float64: "F64", np.int64: "I64", np.float16: "F16", np.int32: "I32"}


def tensors():
    g = torch.Generator().manual_seed(4)
    return {
        # dotted names, natural order: blocks.2 must come before blocks.10 once loaded into a tree
        "encoder.blocks.10.weight": torch.randn(2, 3, generator=g, dtype=torch.float32),
        "encoder.blocks.2.weight": torch.randn(3, 2, generator=g, dtype=torch.float32),
        "encoder.scale": torch.tensor(1.5, dtype=torch.float32),  # 0-d
        "stats.mean": torch.tensor([0.1, -1e-3, 3.141592653589793, 1e10], dtype=torch.float64),
        "tokens.ids": torch.tensor([[0, 1, 2], [-7, 2**31 - 1, -(2**31)]], dtype=torch.int64),
        # F16: ordinary values, the largest half (65504), the smallest normal (2^-14), a subnormal (2^-24), -0
        "half.values": torch.tensor([0.5, -2.25, 65504.0, 2.0**-14, 2.0**-24, -0.0, 1 / 3], dtype=torch.float16),
    }


METADATA = {"format": "pt", "written_by": "tools/golden/write_safetensors.py", "note": "päd ✓"}


def encode(arrays, metadata):
    header = {"__metadata__": metadata}
    chunks = []
    offset = 0
    # as the reference writer does: larger dtypes first, then by name, so every tensor stays aligned
    for name, a in sorted(arrays.items(), key=lambda kv: (-kv[1].dtype.itemsize, kv[0])):
        raw = np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": DTYPES[a.dtype.type], "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    head += b" " * ((8 - len(head) % 8) % 8)
    return struct.pack("<Q", len(head)) + head + b"".join(chunks)


def main():
    ts = tensors()
    arrays = {k: v.numpy() for k, v in ts.items()}
    path = os.path.join(OUT_DIR, "interop.safetensors")
    os.makedirs(OUT_DIR, exist_ok=True)
    try:
        from safetensors.numpy import save_file  # noqa: PLC0415

        save_file(arrays, path, metadata=METADATA)
        how = "safetensors.numpy.save_file"
    except ImportError:
        with open(path, "wb") as f:
            f.write(encode(arrays, METADATA))
        how = "the documented layout (numpy)"
    expected = {
        "metadata": METADATA,
        "tensors": {
            k: {"dtype": DTYPES[a.dtype.type], "shape": list(a.shape), "data": [float(x) if a.dtype.kind == "f" else int(x) for x in a.reshape(-1)]}
            for k, a in arrays.items()
        },
    }
    with open(os.path.join(OUT_DIR, "interop.json"), "w") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes) with {how}")


if __name__ == "__main__":
    main()
