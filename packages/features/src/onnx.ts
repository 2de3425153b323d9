import { TavtError } from "@tavt/core";

/** The parts of onnxruntime-node's API used here (the package is optional: it is loaded on first use). */
interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
  readonly type: string;
}
interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release?(): Promise<void>;
}
interface Ort {
  InferenceSession: { create(path: string, options?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: "float32", data: Float32Array, dims: readonly number[]) => OrtTensor;
}

/** How to get onnxruntime-node, named when it cannot be loaded. */
export const ORT_INSTALL =
  "install onnxruntime-node beside @tavt/features (pnpm add onnxruntime-node; with npm: npm install onnxruntime-node --ignore-scripts, since its install script tries to download GPU providers, and the CPU binaries ship in the package)";

let ort: Promise<Ort> | null = null;

/**
 * Load onnxruntime-node once; a clear error where it is not installed.
 *
 * @returns The onnxruntime-node module (the same promise on later calls).
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` with install instructions when it cannot be loaded (the promise
 *   rejects).
 */
export function loadOnnxRuntime(): Promise<Ort> {
  ort ??= import("onnxruntime-node").then(
    (m) => ((m as { default?: Ort }).default ?? m) as unknown as Ort,
    (e: Error) => {
      ort = null;
      throw new TavtError(
        "NOT_FOUND",
        `onnxruntime-node cannot be loaded (${e.message.split("\n")[0]}); ${ORT_INSTALL}`,
      );
    },
  );
  return ort;
}

/** A user's ONNX model with one float32 input, run on batches; `output` selects which output to keep. */
export class OnnxModel {
  private constructor(
    readonly path: string,
    private readonly ort: Ort,
    private readonly session: OrtSession,
    readonly input: string,
    readonly output: string,
  ) {}

  /**
   * Open `path`; `output` (default the model's first output) must be one of its output names.
   *
   * @param path - The `.onnx` file.
   * @param output - The output to keep (the model's first by default).
   * @returns The model.
   * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` when onnxruntime-node is missing, `BAD_FILE` for a model that
   *   does not load or has more than one input, `BAD_INPUT` when it has no output `output`.
   */
  static async open(path: string, output?: string): Promise<OnnxModel> {
    const rt = await loadOnnxRuntime();
    let session: OrtSession;
    try {
      session = await rt.InferenceSession.create(path, { intraOpNumThreads: 1 });
    } catch (e) {
      throw new TavtError("BAD_FILE", `${path}: not a loadable ONNX model (${(e as Error).message.split("\n")[0]})`, {
        file: path,
      });
    }
    if (session.inputNames.length !== 1) {
      throw new TavtError("BAD_FILE", `${path}: expected a model with one input, it has ${session.inputNames.length}`, {
        file: path,
      });
    }
    const out = output ?? session.outputNames[0]!;
    if (!session.outputNames.includes(out)) {
      throw new TavtError("BAD_INPUT", `${path}: no output "${out}" (outputs: ${session.outputNames.join(", ")})`, {
        file: path,
        field: "output",
      });
    }
    return new OnnxModel(path, rt, session, session.inputNames[0]!, out);
  }

  /**
   * Run on `[n, ...itemShape]` float32 input; returns `[n, dim]` (the output flattened per item).
   *
   * @param data - The input, row-major.
   * @param dims - Its shape `[n, ...itemShape]`.
   * @returns The output flattened per item: row-major `[rows, dim]`.
   * @throws `TavtError` (from `@tavt/core`) `BAD_FILE` for an output that is not float32.
   */
  async run(data: Float32Array, dims: readonly number[]): Promise<{ data: Float32Array; rows: number; dim: number }> {
    const result = await this.session.run({ [this.input]: new this.ort.Tensor("float32", data, dims) });
    const t = result[this.output]!;
    if (!(t.data instanceof Float32Array)) {
      throw new TavtError("BAD_FILE", `${this.path}: output "${this.output}" is ${t.type}, expected float32`, {
        file: this.path,
      });
    }
    const rows = dims[0]!;
    return { data: new Float32Array(t.data), rows, dim: rows > 0 ? t.data.length / rows : 0 };
  }

  async close(): Promise<void> {
    await this.session.release?.();
  }
}
