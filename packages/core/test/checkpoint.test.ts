import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itWithPython, PYTHON, pythonWith } from "../../../tools/test-utils/python";
import {
  decodeCheckpoint,
  decodeSafetensors,
  disposeTree,
  encodeSafetensors,
  flatten,
  initBackend,
  isTavtError,
  loadCheckpoint,
  type ParamTree,
  saveCheckpoint,
  type TavtError,
  tf,
  treeNames,
  writeFileAtomic,
} from "../src";
import { FIXTURES } from "./fixture";

const READER = join(dirname(fileURLToPath(import.meta.url)), "../../../tools/golden/read_safetensors.py");
const numpy = pythonWith("numpy");

let dir: string;

beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), "tavt-core-ckpt-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Run `fn` and return the TavtError it throws (failing the test if it throws anything else or nothing). */
function caught(fn: () => unknown): TavtError {
  try {
    fn();
  } catch (e) {
    expect(isTavtError(e), `expected a TavtError, got ${String(e)}`).toBe(true);
    return e as TavtError;
  }
  throw new Error("expected a TavtError, nothing was thrown");
}

const model = (): ParamTree => ({
  blocks: {
    "2": { w: tf.tensor2d([[1, 2, 3]]) },
    "10": { w: tf.tensor2d([[4, 5, 6]]) },
  },
  emb: { weight: tf.tensor2d([0.5, -1.25, 3e-8, 7e20], [2, 2]) },
  steps: tf.tensor1d([3, -4, 2147483647], "int32"),
});

interface PyTensor {
  dtype: string;
  shape: number[];
  data: number[];
}

describe("safetensors written by Python (tools/golden/write_safetensors.py)", () => {
  it("loads F32, F64, I64, F16 and a 0-d tensor with their values and the metadata", () => {
    const want = JSON.parse(readFileSync(join(FIXTURES, "interop.json"), "utf8")) as {
      metadata: Record<string, string>;
      tensors: Record<string, PyTensor>;
    };
    const before = tf.memory().numTensors;
    const { params, metadata } = loadCheckpoint(join(FIXTURES, "interop.safetensors"));
    expect(metadata).toEqual(want.metadata);
    // natural order of dotted names: blocks.2 before blocks.10
    expect(treeNames(params)).toEqual([
      "encoder.blocks.2.weight",
      "encoder.blocks.10.weight",
      "encoder.scale",
      "half.values",
      "stats.mean",
      "tokens.ids",
    ]);
    const flat = flatten(params);
    for (const [name, t] of Object.entries(want.tensors)) {
      const got = flat[name]!;
      expect(got.shape, name).toEqual(t.shape);
      expect(got.dtype, name).toBe(t.dtype.startsWith("I") ? "int32" : "float32");
      const g = Array.from(got.dataSync());
      if (t.dtype === "F64") {
        // rounded to float32 on load
        expect(g, name).toEqual(Array.from(new Float32Array(t.data)));
      } else {
        expect(g, name).toEqual(t.data); // F32, F16 (exact in float32, including the subnormal and -0) and I64
      }
    }
    expect(Object.is(flat["half.values"]!.dataSync()[5], -0)).toBe(true);
    disposeTree(params);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("saveCheckpoint / loadCheckpoint", () => {
  it("round-trips names, shapes, dtypes, values and metadata", () => {
    const path = join(dir, "roundtrip.safetensors");
    const p = model();
    saveCheckpoint(path, p, { step: "12", note: "ünïcode" });
    const { params, metadata } = loadCheckpoint(path, { expect: p });
    expect(metadata).toEqual({ step: "12", note: "ünïcode" });
    const a = flatten(p);
    const b = flatten(params);
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const n of Object.keys(a)) {
      expect(b[n]!.dtype, n).toBe(a[n]!.dtype);
      expect(Array.from(b[n]!.dataSync()), n).toEqual(Array.from(a[n]!.dataSync()));
    }
    disposeTree(p);
    disposeTree(params);
  });

  itWithPython(numpy, "is read back by Python with numpy (tools/golden/read_safetensors.py)", () => {
    const path = join(dir, "for-python.safetensors");
    const p = model();
    saveCheckpoint(path, p, { producer: "@tavt/core", note: "päd ✓" });
    const out = JSON.parse(execFileSync(PYTHON, [READER, path], { encoding: "utf8" })) as {
      metadata: Record<string, string>;
      tensors: Record<string, PyTensor>;
    };
    expect(out.metadata).toEqual({ producer: "@tavt/core", note: "päd ✓" });
    const flat = flatten(p);
    expect(Object.keys(out.tensors).sort()).toEqual(Object.keys(flat).sort());
    for (const [n, t] of Object.entries(flat)) {
      const py = out.tensors[n]!;
      expect(py.dtype, n).toBe(t.dtype === "int32" ? "I32" : "F32");
      expect(py.shape, n).toEqual(t.shape);
      expect(py.data, n).toEqual(Array.from(t.dataSync()));
    }
    disposeTree(p);
  });

  it("names the file in a CHECKPOINT_CORRUPT error for a truncated file", () => {
    const path = join(dir, "truncated.safetensors");
    const p = model();
    saveCheckpoint(path, p);
    const bytes = readFileSync(path);
    const before = tf.memory().numTensors;
    for (const cut of [bytes.length - 4, 8 + 10, 5]) {
      writeFileSync(path, bytes.subarray(0, cut));
      const e = caught(() => loadCheckpoint(path));
      expect(e.code, `cut at ${cut}`).toBe("CHECKPOINT_CORRUPT");
      expect(e.message).toContain(path);
    }
    expect(tf.memory().numTensors, "nothing allocated for a bad file").toBe(before);
    disposeTree(p);
  });

  it("names the file in a CHECKPOINT_CORRUPT error for a corrupt header", () => {
    const p = model();
    const good = encodeSafetensors(flatten(p));
    disposeTree(p);
    const n = Number(new DataView(good.buffer).getBigUint64(0, true));
    const cases: [string, Uint8Array][] = [];
    const notJson = Uint8Array.from(good);
    notJson[8] = "#".charCodeAt(0);
    cases.push(["not JSON", notJson]);
    const hugeLength = Uint8Array.from(good);
    new DataView(hugeLength.buffer).setBigUint64(0, 1n << 40n, true);
    cases.push(["header length past the end", hugeLength]);
    const text = Buffer.from(good.subarray(8, 8 + n)).toString("utf8");
    /** The same file with an edited header (its length prefix rewritten to match). */
    const edit = (from: string, to: string) => {
      expect(text).toContain(from);
      const h = Buffer.from(text.trimEnd().replace(from, to));
      const b = new Uint8Array(8 + h.length + good.length - 8 - n);
      new DataView(b.buffer).setBigUint64(0, BigInt(h.length), true);
      b.set(h, 8);
      b.set(good.subarray(8 + n), 8 + h.length);
      return b;
    };
    cases.push(["unknown dtype", edit('"dtype":"F32"', '"dtype":"Q32"')]);
    cases.push(["offsets beyond the data", edit('"data_offsets":[0,12]', '"data_offsets":[9000,9012]')]);
    cases.push(["metadata not strings", edit("{", '{"__metadata__":{"step":12},')]);
    cases.push(["shape and bytes disagree", edit('"shape":[1,3]', '"shape":[1,4]')]);
    for (const [what, bytes] of cases) {
      const path = join(dir, "corrupt.safetensors");
      writeFileSync(path, bytes);
      const e = caught(() => loadCheckpoint(path));
      expect(e.code, what).toBe("CHECKPOINT_CORRUPT");
      expect(e.message, what).toContain(path);
      expect(e.details.file, what).toBe(path);
    }
  });

  it("reports a name or shape mismatch with `expect` as CHECKPOINT_MISMATCH naming the file and the tensor", () => {
    const path = join(dir, "mismatch.safetensors");
    const p = model();
    saveCheckpoint(path, p);
    const wrongShape: ParamTree = { ...p, emb: { weight: tf.zeros([3, 2]) } };
    let e = caught(() => loadCheckpoint(path, { expect: wrongShape }));
    expect(e.code).toBe("CHECKPOINT_MISMATCH");
    expect(e.message).toContain(path);
    expect(e.message).toContain('"emb.weight" has shape [2,2] but the model expects [3,2]');
    const renamed: ParamTree = { ...p, extra: tf.zeros([1]) };
    e = caught(() => loadCheckpoint(path, { expect: renamed }));
    expect(e.code).toBe("CHECKPOINT_MISMATCH");
    expect(e.message).toContain('missing "extra"');
    const { steps: _dropped, ...fewer } = p;
    e = caught(() => loadCheckpoint(path, { expect: fewer }));
    expect(e.message).toContain('unexpected "steps"');
    e = caught(() => loadCheckpoint(join(dir, "absent.safetensors")));
    expect(e.code).toBe("NOT_FOUND");
    disposeTree(p);
    disposeTree(wrongShape.emb as ParamTree);
    (renamed.extra as tf.Tensor).dispose();
  });

  it("refuses I64 values outside int32 instead of wrapping them", () => {
    const header = JSON.stringify({ big: { dtype: "I64", shape: [1], data_offsets: [0, 8] } }).padEnd(64, " ");
    const bytes = new Uint8Array(8 + 64 + 8);
    const dv = new DataView(bytes.buffer);
    dv.setBigUint64(0, 64n, true);
    bytes.set(Buffer.from(header), 8);
    dv.setBigInt64(72, 1n << 40n, true);
    const e = caught(() => decodeSafetensors(bytes, "big.safetensors"));
    expect(e.code).toBe("BAD_FILE");
    expect(e.message).toContain("big.safetensors");
    expect(e.message).toContain('"big"');
  });
});

describe("writeFileAtomic", () => {
  it("leaves exactly the target file, no temp files, and replaces an existing file whole", () => {
    const sub = join(dir, "atomic");
    const p = model();
    saveCheckpoint(join(sub, "a.safetensors"), p);
    saveCheckpoint(join(sub, "a.safetensors"), p, { again: "yes" });
    writeFileAtomic(join(sub, "b.txt"), "hello");
    expect(readdirSync(sub).sort()).toEqual(["a.safetensors", "b.txt"]);
    expect(loadCheckpoint(join(sub, "a.safetensors")).metadata).toEqual({ again: "yes" });
    disposeTree(p);
  });

  it("removes its temp file when the rename fails", () => {
    const sub = join(dir, "atomic-fail");
    mkdirSync(join(sub, "target"), { recursive: true });
    writeFileSync(join(sub, "target", "keep"), "x"); // a non-empty directory cannot be replaced by a file
    expect(() => writeFileAtomic(join(sub, "target"), "data")).toThrow();
    expect(readdirSync(sub)).toEqual(["target"]);
  });
});

describe("decodeCheckpoint: loadCheckpoint on bytes (a browser's File)", () => {
  it("gives the same tree, metadata and mismatch message as loadCheckpoint", () => {
    const params: ParamTree = { a: { w: tf.tensor2d([1, 2, 3, 4], [2, 2]) }, b: tf.tensor1d([5, 6]) };
    const file = join(dir, "bytes.safetensors");
    saveCheckpoint(file, params, { kind: "test" });
    const bytes = new Uint8Array(readFileSync(file));
    const fromBytes = decodeCheckpoint(bytes, file);
    const fromFile = loadCheckpoint(file);
    expect(fromBytes.metadata).toEqual(fromFile.metadata);
    expect(treeNames(fromBytes.params)).toEqual(treeNames(fromFile.params));
    expect(Array.from(flatten(fromBytes.params)["a.w"]!.dataSync())).toEqual([1, 2, 3, 4]);
    const expect2 = { a: { w: tf.zeros([2, 3]) }, b: tf.zeros([2]) };
    const msg = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as TavtError).message;
      }
      return "no error";
    };
    expect(msg(() => decodeCheckpoint(bytes, file, { expect: expect2 }))).toBe(
      msg(() => loadCheckpoint(file, { expect: expect2 })),
    );
    for (const t of [fromBytes.params, fromFile.params, params, expect2]) disposeTree(t);
  });
});
