import { TavtError } from "../errors";
import { halfToFloat } from "./float16";

/** What an `.npy` header says: element type, memory order and shape. */
export interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the data after the magic, version, header length and header text. */
  dataOffset: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Element types read into float32 (numpy `descr` strings; `<` little-endian, `>` big-endian, `|` not applicable). */
const ELEMENT_BYTES: Record<string, number> = { f2: 2, f4: 4, f8: 8, i1: 1, u1: 1, i2: 2, u2: 2, i4: 4, u4: 4, i8: 8 };

function bad(file: string, what: string, details: Record<string, unknown> = {}): TavtError {
  return new TavtError("BAD_FILE", `${file}: ${what}`, { file, ...details });
}

/**
 * Parse the header of an `.npy` file (format versions 1.0, 2.0 and 3.0, as numpy's `lib.format` writes them).
 * `bytes` needs only to hold the header (the first few hundred bytes); returns null if it is too short to.
 *
 * @param bytes - The start of the file (at least the whole header).
 * @param file - The file's name, for errors.
 * @returns The header, or null when `bytes` is too short to hold it.
 * @throws `TavtError` `BAD_FILE` for a file that is not a valid `.npy` header.
 */
export function parseNpyHeader(bytes: Uint8Array, file: string): NpyHeader | null {
  if (bytes.length < 10) return null;
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw bad(file, "not an .npy file (missing the \\x93NUMPY magic)");
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) return null;
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    throw bad(file, `unsupported .npy format version ${major}.${bytes[7]}`);
  }
  if (bytes.length < start + headerLen) return null;
  const text = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw bad(file, `malformed .npy header ${JSON.stringify(text.trim())}`);
  }
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Number.parseInt(s.replace(/L$/, ""), 10));
  if (shape.some((n) => !Number.isSafeInteger(n) || n < 0)) throw bad(file, `bad shape (${shapeText}) in .npy header`);
  return { descr, fortranOrder: fortran === "True", shape, dataOffset: start + headerLen };
}

/** Bytes per element of a numpy `descr` this reader supports; throws naming the file otherwise. */
function npyElementBytes(descr: string, file: string): number {
  const n = ELEMENT_BYTES[descr.slice(1)];
  if (n === undefined || !"<>|=".includes(descr[0]!)) {
    throw bad(file, `unsupported dtype '${descr}' (expected a float or integer type such as '<f4')`, { descr });
  }
  return n;
}

/** Convert raw element bytes in a numpy dtype to float32, in file order. */
function decodeElements(raw: Uint8Array, descr: string, count: number, file: string): Float32Array {
  const size = npyElementBytes(descr, file);
  if (raw.length < count * size) {
    throw bad(file, `truncated data: expected ${count * size} bytes, found ${raw.length}`);
  }
  const little = descr[0] !== ">";
  const kind = descr.slice(1);
  if (kind === "f4" && little && raw.byteOffset % 4 === 0) {
    return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + count * 4));
  }
  const view = new DataView(raw.buffer, raw.byteOffset, count * size);
  const out = new Float32Array(count);
  const read: (at: number) => number = {
    f2: (at: number) => halfToFloat(view.getUint16(at, little)),
    f4: (at: number) => view.getFloat32(at, little),
    f8: (at: number) => view.getFloat64(at, little),
    i1: (at: number) => view.getInt8(at),
    u1: (at: number) => view.getUint8(at),
    i2: (at: number) => view.getInt16(at, little),
    u2: (at: number) => view.getUint16(at, little),
    i4: (at: number) => view.getInt32(at, little),
    u4: (at: number) => view.getUint32(at, little),
    i8: (at: number) => Number(view.getBigInt64(at, little)),
  }[kind]!;
  for (let i = 0; i < count; i++) out[i] = read(i * size);
  return out;
}

/** Reorder a Fortran-order (column-major, first axis fastest) array of any rank into C order (last axis fastest). */
function fromFortranOrder(data: Float32Array, shape: readonly number[]): Float32Array {
  if (shape.length < 2) return data;
  const out = new Float32Array(data.length);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0); // the C-order index of out[i]
  const fStride = new Array<number>(rank);
  fStride[0] = 1;
  for (let d = 1; d < rank; d++) fStride[d] = fStride[d - 1]! * shape[d - 1]!;
  for (let i = 0; i < out.length; i++) {
    let at = 0;
    for (let d = 0; d < rank; d++) at += index[d]! * fStride[d]!;
    out[i] = data[at]!;
    for (let d = rank - 1; d >= 0; d--) {
      if (++index[d]! < shape[d]!) break;
      index[d] = 0;
    }
  }
  return out;
}

/**
 * Decode a whole `.npy` file held in memory into float32 data in C (row-major) order and its shape. Reads numpy's
 * float (f2, f4, f8) and integer (i1, u1, i2, u2, i4, u4, i8) types in either byte order and either memory order;
 * `file` names the source in errors (BAD_FILE for a file that is not a valid .npy, truncated, or of another dtype).
 *
 * @param bytes - The whole file.
 * @param file - The file's name, for errors.
 * @returns The values as float32 in C order and the shape.
 * @throws `TavtError` `BAD_FILE` for a file that is not a valid `.npy`, is truncated, or holds another dtype.
 */
export function decodeNpy(bytes: Uint8Array, file: string): { data: Float32Array; shape: number[] } {
  const header = parseNpyHeader(bytes, file);
  if (!header) throw bad(file, "truncated .npy header");
  const count = header.shape.reduce((a, b) => a * b, 1);
  let data = decodeElements(bytes.subarray(header.dataOffset), header.descr, count, file);
  if (header.fortranOrder) data = fromFortranOrder(data, header.shape);
  return { data, shape: header.shape };
}

/**
 * Encode float32 data as an `.npy` file (format 1.0, little-endian `<f4`, C order), with the header padded so the
 * data starts on a 64-byte boundary, as numpy >= 1.26 writes it.
 *
 * @param data - The values in C (row-major) order.
 * @param shape - The array's shape.
 * @returns The file's bytes.
 * @throws `TavtError` `SHAPE_MISMATCH` when `shape` does not hold `data.length` values.
 */
export function encodeNpy(data: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new TavtError(
      "SHAPE_MISMATCH",
      `encodeNpy: shape [${shape.join(", ")}] holds ${count} values, got ${data.length}`,
    );
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 10 + header.length + 1;
  header += " ".repeat((64 - (unpadded % 64)) % 64);
  header += "\n";
  const out = new Uint8Array(10 + header.length + data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const body = new Uint8Array(data.buffer, data.byteOffset, data.length * 4);
  // float32 arrays are little-endian on every platform Node runs on.
  out.set(body, 10 + header.length);
  return out;
}
