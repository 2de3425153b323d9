import { writeFileAtomic } from "./atomic";
import { TavtError } from "./errors";
import { existsSync, readFileSync } from "./fs";
import { halfToFloat } from "./io/float16";
import { tf } from "./tf";
import { type FlatParams, flatten, type ParamTree, unflatten } from "./tree";

/** String metadata stored in the safetensors header under `__metadata__`. */
export type CheckpointMetadata = Record<string, string>;

type DType = "F32" | "F64" | "F16" | "BF16" | "I32" | "I64" | "I16" | "I8" | "U8" | "BOOL";
const BYTES: Record<DType, number> = { F32: 4, F64: 8, F16: 2, BF16: 2, I32: 4, I64: 8, I16: 2, I8: 1, U8: 1, BOOL: 1 };

interface HeaderEntry {
  dtype: DType;
  shape: number[];
  data_offsets: [number, number];
}

/**
 * Encode tensors in the safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
 * header length, a JSON header (padded with spaces to 8 bytes), then the raw little-endian data.
 * float32 tensors are stored as F32 and int32 as I32.
 *
 * @param tensors - The tensors under their names (float32, int32 or bool).
 * @param metadata - String key-value pairs stored under `__metadata__` (omitted when empty).
 * @returns The file's bytes.
 * @throws {@link TavtError} `BAD_INPUT` for a tensor of another dtype.
 */
export function encodeSafetensors(tensors: FlatParams, metadata: CheckpointMetadata = {}): Uint8Array {
  const names = Object.keys(tensors);
  const header: Record<string, HeaderEntry | CheckpointMetadata> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const datas: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const t = tensors[name]!;
    let bytes: Uint8Array;
    let dtype: DType;
    if (t.dtype === "float32") {
      bytes = new Uint8Array(new Float32Array(t.dataSync() as Float32Array).buffer);
      dtype = "F32";
    } else if (t.dtype === "int32") {
      bytes = new Uint8Array(new Int32Array(t.dataSync() as Int32Array).buffer);
      dtype = "I32";
    } else if (t.dtype === "bool") {
      bytes = new Uint8Array(t.dataSync() as Uint8Array);
      dtype = "BOOL";
    } else {
      throw new TavtError("BAD_INPUT", `safetensors: tensor "${name}" has unsupported dtype ${t.dtype}`);
    }
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    datas.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  const pad = (8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8;
  json += " ".repeat(pad);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const d of datas) {
    out.set(d, at);
    at += d.length;
  }
  return out;
}

function fail(source: string, why: string): never {
  throw new TavtError("CHECKPOINT_CORRUPT", `${source}: not a valid safetensors file: ${why}`, { file: source });
}

/**
 * Decode safetensors bytes; `source` names the file in errors. F64/F16/BF16 become float32, I64/I16/I8/U8 int32.
 *
 * @param bytes - The whole file.
 * @param source - The file's name, for errors.
 * @returns The tensors under their names (new tensors, which the caller disposes) and the header's metadata.
 * @throws {@link TavtError} `CHECKPOINT_CORRUPT` for a malformed file (naming `source`).
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  source = "<bytes>",
): { tensors: FlatParams; metadata: CheckpointMetadata } {
  if (bytes.length < 8) fail(source, `only ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n <= 0 || 8 + n > bytes.length) fail(source, `header length ${n} exceeds the file (${bytes.length} bytes)`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch {
    fail(source, "the header is not JSON");
  }
  if (typeof header !== "object" || header === null || Array.isArray(header))
    fail(source, "the header is not an object");
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const metadata = header.__metadata__ ?? {};
  if (
    typeof metadata !== "object" ||
    metadata === null ||
    Array.isArray(metadata) ||
    !Object.values(metadata).every((v) => typeof v === "string")
  ) {
    fail(source, "__metadata__ must map strings to strings");
  }
  // Validate every entry before building any tensor, so a bad file leaves nothing allocated.
  const entries: [string, HeaderEntry, number][] = [];
  let covered = 0;
  for (const [name, raw] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const e = raw as HeaderEntry;
    if (
      !e ||
      typeof e !== "object" ||
      !(e.dtype in BYTES) ||
      !Array.isArray(e.shape) ||
      !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0) ||
      !Array.isArray(e.data_offsets) ||
      e.data_offsets.length !== 2
    ) {
      fail(source, `entry "${name}" is malformed`);
    }
    const [a, b] = e.data_offsets;
    const count = e.shape.reduce((x, y) => x * y, 1);
    if (!(Number.isSafeInteger(a) && Number.isSafeInteger(b) && a >= 0 && b >= a && b <= dataLen)) {
      fail(source, `"${name}" points outside the data (truncated file?)`);
    }
    if (b - a !== count * BYTES[e.dtype]) fail(source, `"${name}" has ${b - a} bytes for shape [${e.shape}]`);
    if (e.dtype === "I64") {
      const dv = new DataView(bytes.buffer, bytes.byteOffset + dataStart + a, b - a);
      for (let i = 0; i < count; i++) {
        const v = dv.getBigInt64(i * 8, true);
        if (v < -2147483648n || v > 2147483647n) {
          throw new TavtError(
            "BAD_FILE",
            `${source}: I64 tensor "${name}" holds ${v} at index ${i}, outside the int32 range of tensors here`,
            { file: source, tensor: name },
          );
        }
      }
    }
    covered += b - a;
    entries.push([name, e, count]);
  }
  if (covered !== dataLen) fail(source, `the data section has ${dataLen} bytes but the header describes ${covered}`);
  const tensors: FlatParams = {};
  for (const [name, e, count] of entries) {
    const [a, b] = e.data_offsets;
    const buf = new Uint8Array(bytes.subarray(dataStart + a, dataStart + b)); // a copy, aligned for the typed arrays below
    const dv = new DataView(buf.buffer);
    let t: tf.Tensor;
    switch (e.dtype) {
      case "F32":
        t = tf.tensor(new Float32Array(buf.buffer), e.shape, "float32");
        break;
      case "F64": {
        const f = new Float32Array(count);
        for (let i = 0; i < count; i++) f[i] = dv.getFloat64(i * 8, true);
        t = tf.tensor(f, e.shape, "float32");
        break;
      }
      case "F16":
      case "BF16": {
        const f = new Float32Array(count);
        for (let i = 0; i < count; i++) {
          const h = dv.getUint16(i * 2, true);
          f[i] = e.dtype === "F16" ? halfToFloat(h) : new Float32Array(new Uint32Array([h << 16]).buffer)[0]!;
        }
        t = tf.tensor(f, e.shape, "float32");
        break;
      }
      case "I32":
        t = tf.tensor(new Int32Array(buf.buffer), e.shape, "int32");
        break;
      case "BOOL":
        t = tf.tensor(new Uint8Array(buf.buffer), e.shape, "bool");
        break;
      default: {
        const f = new Int32Array(count);
        for (let i = 0; i < count; i++) {
          f[i] =
            e.dtype === "I64"
              ? Number(dv.getBigInt64(i * 8, true))
              : e.dtype === "I16"
                ? dv.getInt16(i * 2, true)
                : e.dtype === "I8"
                  ? dv.getInt8(i)
                  : dv.getUint8(i);
        }
        t = tf.tensor(f, e.shape, "int32");
      }
    }
    tensors[name] = t;
  }
  return { tensors, metadata: metadata as CheckpointMetadata };
}

/**
 * Save a parameter tree (dotted names) with string metadata, atomically (temp file, then rename).
 *
 * @param path - The safetensors file to write.
 * @param params - The tree; its leaves are saved under their dotted names (`encoder.ln.weight`).
 * @param metadata - String key-value pairs stored in the file's header.
 */
export function saveCheckpoint(path: string, params: ParamTree, metadata: CheckpointMetadata = {}): void {
  writeFileAtomic(path, encodeSafetensors(flatten(params), metadata));
}

/** Options of `loadCheckpoint`. */
export interface LoadCheckpointOptions {
  /** A tree whose names and shapes the file must match exactly (a CHECKPOINT_MISMATCH error names the difference). */
  expect?: ParamTree;
}

/**
 * Load a parameter tree and its metadata from a safetensors file.
 *
 * @param path - A file written by {@link saveCheckpoint} (or by Python's safetensors).
 * @param options - `expect`: a tree whose names and shapes the file must match.
 * @returns The tree (new tensors, which the caller disposes) and the header's metadata.
 * @throws {@link TavtError} `NOT_FOUND` for a missing file, `CHECKPOINT_CORRUPT` for a malformed one,
 *   `CHECKPOINT_MISMATCH` when it does not match `expect` (naming the tensor).
 */
export function loadCheckpoint(
  path: string,
  options: LoadCheckpointOptions = {},
): { params: ParamTree; metadata: CheckpointMetadata } {
  if (!existsSync(path)) throw new TavtError("NOT_FOUND", `${path}: checkpoint file not found`, { file: path });
  return decodeCheckpoint(readFileSync(path), path, options);
}

/**
 * `loadCheckpoint` on bytes already read (a browser's File, a fetch): the same checks and the same errors, naming
 * `source` as the file.
 *
 * @param bytes - The whole safetensors file.
 * @param source - The file's name, for errors.
 * @param options - `expect`: a tree whose names and shapes the file must match.
 * @returns The tree (new tensors, which the caller disposes) and the header's metadata.
 * @throws {@link TavtError} `CHECKPOINT_CORRUPT` for a malformed file, `CHECKPOINT_MISMATCH` when it does not match
 *   `expect`.
 */
export function decodeCheckpoint(
  bytes: Uint8Array,
  source = "<bytes>",
  options: LoadCheckpointOptions = {},
): { params: ParamTree; metadata: CheckpointMetadata } {
  const path = source;
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  if (options.expect) {
    const want = flatten(options.expect);
    const problems: string[] = [];
    for (const [n, t] of Object.entries(want)) {
      const got = tensors[n];
      if (!got) problems.push(`missing "${n}"`);
      else if (got.shape.join(",") !== t.shape.join(",")) {
        problems.push(`"${n}" has shape [${got.shape}] but the model expects [${t.shape}]`);
      }
    }
    for (const n of Object.keys(tensors)) if (!(n in want)) problems.push(`unexpected "${n}"`);
    if (problems.length > 0) {
      for (const t of Object.values(tensors)) t.dispose();
      throw new TavtError(
        "CHECKPOINT_MISMATCH",
        `${path}: checkpoint does not match the model: ${problems.slice(0, 5).join("; ")}${problems.length > 5 ? `; and ${problems.length - 5} more` : ""}`,
        { file: path },
      );
    }
  }
  return { params: unflatten(tensors), metadata };
}
