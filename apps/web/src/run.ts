import { decodeCheckpoint, decodeSafetensors, disposeTree, type ParamTree, rng, TavtError, type tf } from "@tavt/core";
import { Vocabulary } from "@tavt/datasets";
import { type Captioner, concatAvTransformer, type TavtConfig, tavt, vanillaTransformer } from "@tavt/model";
import { parse as parseYaml } from "yaml";

/** The files of a run directory that `tavt train` (or `tavt adapt`) writes and captioning reads. */
export const RUN_FILES = {
  config: "config.yaml",
  vocab: "vocab.json",
  space: "space.safetensors",
  model: "model.safetensors",
} as const;

/** Reads one file of a run by name: its bytes, or null where the run has no such file. */
export type ReadRunFile = (name: string) => Promise<Uint8Array | null>;

/** What captioning takes from the run's config.yaml (the `eval` and `data` sections, as `tavt caption` does). */
export interface RunSettings {
  kind: Captioner["kind"];
  greedy: boolean;
  beam: number;
  batchSize: number;
  frames: number;
  maxLen: number;
  /** TAVT with an AVMM reconstructs audio from the auditory space (space.safetensors). */
  needsBank: boolean;
}

/** A trained run, loaded: parameters on the active tfjs backend. */
export interface LoadedRun {
  /** The directory (or URL) it came from, as errors name it. */
  dir: string;
  settings: RunSettings;
  modelConfig: TavtConfig;
  captioner: Captioner;
  params: ParamTree;
  vocab: Vocabulary;
  bank: tf.Tensor2D | null;
  metadata: Record<string, string>;
  dispose(): void;
}

const join = (dir: string, name: string) => (dir === "" ? name : `${dir.replace(/\/$/, "")}/${name}`);

type Doc = Record<string, unknown>;
const section = (doc: Doc, key: string): Doc => {
  const v = doc[key];
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Doc) : {};
};

function settingsOf(doc: Doc, file: string): RunSettings {
  const model = section(doc, "model");
  const data = section(doc, "data");
  const ev = section(doc, "eval");
  const num = (sec: Doc, key: string, field: string, fallback: number): number => {
    const v = sec[key] ?? fallback;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
      throw new TavtError("BAD_CONFIG", `${file}: ${field} must be a positive integer, got ${JSON.stringify(v)}`, {
        file,
        field,
      });
    }
    return v;
  };
  const kind = (model.kind ?? "tavt") as string;
  if (kind !== "tavt" && kind !== "vanillaTransformer" && kind !== "concatAvTransformer") {
    throw new TavtError(
      "BAD_CONFIG",
      `${file}: model.kind must be one of tavt, vanillaTransformer, concatAvTransformer, got ${JSON.stringify(kind)}`,
      { file, field: "model.kind" },
    );
  }
  const ablation = section(model, "ablation");
  return {
    kind,
    greedy: ev.greedy === true,
    beam: num(ev, "beam", "eval.beam", 5),
    batchSize: num(ev, "batchSize", "eval.batchSize", 32),
    frames: num(data, "frames", "data.frames", 20),
    maxLen: num(data, "maxLen", "data.maxLen", 16),
    needsBank: kind === "tavt" && ablation.noAvmm !== true && ablation.visualOnly !== true,
  };
}

function readConfig(bytes: Uint8Array, file: string): Doc {
  let doc: unknown;
  try {
    doc = parseYaml(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new TavtError("BAD_CONFIG", `${file}: not valid YAML (${(e as Error).message.split("\n")[0]})`, { file });
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
    throw new TavtError("BAD_CONFIG", `${file}: expected a mapping of config sections`, { file });
  }
  return doc as Doc;
}

function readVocabulary(bytes: Uint8Array, file: string): Vocabulary {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new TavtError("BAD_FILE", `${file}: not valid JSON (${(e as Error).message})`, { file });
  }
  return Vocabulary.fromJSON(json, file);
}

/** The auditory space M (space.safetensors: tensor "centers" [K, D]), with @tavt/clusters' checks. */
function readBank(bytes: Uint8Array, file: string): tf.Tensor2D {
  const { tensors } = decodeSafetensors(bytes, file);
  const centers = tensors.centers;
  for (const [name, t] of Object.entries(tensors)) if (name !== "centers") t.dispose();
  if (!centers || centers.rank !== 2) {
    centers?.dispose();
    throw new TavtError("BAD_FILE", `${file}: expected a tensor "centers" [K, D]; this is not an auditory space`, {
      file,
    });
  }
  return centers as tf.Tensor2D;
}

function modelConfigOf(metadata: Record<string, string>, file: string): TavtConfig {
  const raw = metadata.modelConfig;
  if (!raw) {
    throw new TavtError(
      "CHECKPOINT_CORRUPT",
      `${file}: no modelConfig in the checkpoint's metadata (not a tavt model?)`,
      {
        file,
      },
    );
  }
  try {
    return JSON.parse(raw) as TavtConfig;
  } catch {
    throw new TavtError("CHECKPOINT_CORRUPT", `${file}: the metadata's modelConfig is not JSON`, { file });
  }
}

function captionerOf(kind: Captioner["kind"], config: TavtConfig, bank: tf.Tensor2D | null): Captioner {
  switch (kind) {
    case "tavt":
      return tavt(config, { bank });
    case "vanillaTransformer":
      return vanillaTransformer(config);
    case "concatAvTransformer":
      return concatAvTransformer(config);
  }
}

/**
 * Load a run as `tavt caption` does (config, vocabulary, auditory space, then the model checked against the
 * captioner's parameter shapes), from bytes: a picked folder, dropped files or a URL. Errors name the files as the
 * CLI does.
 */
export async function loadRun(dir: string, read: ReadRunFile): Promise<LoadedRun> {
  const configFile = join(dir, RUN_FILES.config);
  const configBytes = await read(RUN_FILES.config);
  if (!configBytes) {
    throw new TavtError("NOT_FOUND", `${configFile}: not found (is ${dir || "it"} a tavt run directory?)`, {
      file: configFile,
    });
  }
  const settings = settingsOf(readConfig(configBytes, configFile), configFile);
  const vocabFile = join(dir, RUN_FILES.vocab);
  const vocabBytes = await read(RUN_FILES.vocab);
  if (!vocabBytes) throw new TavtError("NOT_FOUND", `${vocabFile}: vocabulary file not found`, { file: vocabFile });
  const vocab = readVocabulary(vocabBytes, vocabFile);
  let bank: tf.Tensor2D | null = null;
  if (settings.needsBank) {
    const spaceFile = join(dir, RUN_FILES.space);
    const spaceBytes = await read(RUN_FILES.space);
    if (!spaceBytes) {
      throw new TavtError("NOT_FOUND", `${spaceFile}: auditory space file not found`, { file: spaceFile });
    }
    bank = readBank(spaceBytes, spaceFile);
  }
  try {
    const modelFile = join(dir, RUN_FILES.model);
    const modelBytes = await read(RUN_FILES.model);
    if (!modelBytes) throw new TavtError("NOT_FOUND", `${modelFile}: model checkpoint not found`, { file: modelFile });
    // The metadata first (for the model's sizes), then the checked load, as the CLI's loadModel does.
    const probe = decodeCheckpoint(modelBytes, modelFile);
    const metadata = probe.metadata;
    disposeTree(probe.params);
    const modelConfig = modelConfigOf(metadata, modelFile);
    if (modelConfig.vocab !== vocab.size) {
      throw new TavtError(
        "CHECKPOINT_MISMATCH",
        `${modelFile}: the model has a vocabulary of ${modelConfig.vocab} words but ${vocabFile} has ${vocab.size}`,
        { file: modelFile },
      );
    }
    const captioner = captionerOf(settings.kind, modelConfig, bank);
    const shapes = captioner.init(rng.key(0));
    let params: ParamTree;
    try {
      params = decodeCheckpoint(modelBytes, modelFile, { expect: shapes }).params;
    } finally {
      disposeTree(shapes);
    }
    const held = bank;
    return {
      dir,
      settings,
      modelConfig,
      captioner,
      params,
      vocab,
      bank,
      metadata,
      dispose() {
        disposeTree(params);
        held?.dispose();
      },
    };
  } catch (e) {
    bank?.dispose();
    throw e;
  }
}
