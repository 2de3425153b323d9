import { existsSync, statSync } from "node:fs";
import {
  type AuditorySpace,
  buildAuditorySpace,
  buildAuditorySpaceFromPoints,
  type FeatureSequence,
  loadAuditorySpace,
  readNpy,
  saveAuditorySpace,
} from "@tavt/clusters";
import { TavtError, tf } from "@tavt/core";
import { type FeatureStore, makeSyntheticAudioCorpus, openFeatureStore } from "@tavt/datasets";
import type { ExperimentConfig } from "../config/schema";
import type { ExperimentData } from "./data";

/** An auditory space as @tavt/clusters saves and loads it. */
export type AuditorySpaceLike = AuditorySpace;

/**
 * The bank M [K, da] the AVMM reconstructs audio from (a constant input, never a parameter).
 *
 * @param space - The auditory space.
 * @returns M `[K, da]` as a new tensor (the caller disposes it).
 */
export function bankOf(space: AuditorySpace): tf.Tensor2D {
  return tf.tensor2d(space.centers, [space.k, space.dim]);
}

/**
 * Load a saved space (awaits, so a synchronous or an asynchronous @tavt/clusters loader both fit).
 *
 * @param path - A space saved by `saveSpace` or `tavt clusters build`.
 * @returns The space.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for a missing file, `BAD_FILE` for a malformed one.
 */
export async function loadSpace(path: string): Promise<AuditorySpace> {
  return await loadAuditorySpace(path);
}

/**
 * Save an auditory space as safetensors (atomically).
 *
 * @param path - The safetensors file to write.
 * @param space - The auditory space.
 */
export async function saveSpace(path: string, space: AuditorySpace): Promise<void> {
  await saveAuditorySpace(path, space);
}

/** Every sequence of a feature store. */
function sequencesOf(store: FeatureStore): FeatureSequence[] {
  return store.ids().map((id) => {
    const [frames, dim] = store.shape(id);
    return { data: store.read(id), frames, dim };
  });
}

/** The space from the source domains' training audio (`space.source: source-domains`). */
function fromSourceDomains(config: ExperimentConfig, data: ExperimentData, unit: number): AuditorySpace {
  const ds = data.dataset;
  const ids = ds.ids({ domains: ds.sourceDomains, split: "train" }).filter((id) => {
    const v = ds.video(id);
    return ds.audio !== null && !ds.audioAbsentDomains.has(v.domain);
  });
  if (ids.length === 0) {
    throw new TavtError(
      "BAD_INPUT",
      `dataset "${ds.name}": no source-domain video has audio to build the auditory space from (give data.features.audio or space.path)`,
      { field: "space" },
    );
  }
  const sequences = ids.map((id) => {
    const s = ds.sample(id);
    return { data: s.audio!, frames: s.audioShape![0], dim: s.audioShape![1] };
  });
  return buildAuditorySpace(sequences, {
    k: config.space.k,
    unit,
    nInit: config.space.nInit,
    seed: config.seed,
    source: `${ds.name} source-domain train audio`,
  });
}

/** The space from an external corpus file: a 2-D .npy of pooled units, or a feature store cut into units. */
async function fromCorpusFile(config: ExperimentConfig, path: string, unit: number): Promise<AuditorySpace> {
  const o = { k: config.space.k, nInit: config.space.nInit, seed: config.seed, source: path };
  if (!existsSync(path)) {
    throw new TavtError("NOT_FOUND", `space.corpus ${path}: external audio file or directory not found`, {
      file: path,
      field: "space.corpus",
    });
  }
  if (!statSync(path).isDirectory() && path.toLowerCase().endsWith(".npy")) {
    return buildAuditorySpaceFromPoints(readNpy(path), { ...o, unit: 1 });
  }
  const store = await openFeatureStore(path);
  try {
    return buildAuditorySpace(sequencesOf(store), { ...o, unit });
  } finally {
    store.close();
  }
}

/** A saved space (`space.path`), checked to exist so that a wrong path names the config key. */
async function fromSpaceFile(path: string): Promise<AuditorySpace> {
  if (!existsSync(path)) {
    throw new TavtError(
      "NOT_FOUND",
      `space.path ${path}: auditory space file not found (make one with tavt clusters build)`,
      {
        file: path,
        field: "space.path",
      },
    );
  }
  return loadSpace(path);
}

/**
 * The universal auditory space of section 3.2 and appendix D.1: units of T frames (`space.unit`, default the model's clip length),
 * mean-pooled, clustered into K prototypes with k-means++. By default (`space.source: external`) from audio outside
 * the training data, as the paper's Flickr videos: `space.corpus`, or for the synthetic data its external audio
 * corpus; `space.source: source-domains` fits it on the source domains' training audio instead.
 *
 * @param config - The experiment config (`space` and `data` sections).
 * @param data - The experiment's data (for `space.source: source-domains`).
 * @returns The fitted space.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for real data without `space.corpus`, `NOT_FOUND` for a missing
 *   corpus, `BAD_INPUT` for audio that cannot be clustered.
 */
export async function buildSpaceFor(config: ExperimentConfig, data: ExperimentData): Promise<AuditorySpace> {
  const unit = config.space.unit ?? config.model.clipLen ?? 5;
  if (config.space.source === "source-domains") return fromSourceDomains(config, data, unit);
  if (config.space.corpus) return fromCorpusFile(config, config.space.corpus, unit);
  if (config.data.source !== "synthetic") {
    throw new TavtError(
      "BAD_CONFIG",
      `space.source external: data.source "${config.data.source}" has no external audio corpus to fit the auditory space M on; add --set space.corpus=FILE (audio features independent of the dataset, e.g. VGGish units of other videos: a 2-D .npy [N, D] or a feature store), or --set space.path=FILE (a space saved by tavt clusters build), or --set space.source=source-domains (fit M on the source domains' training audio)`,
      { field: "space.corpus" },
    );
  }
  const { seed, ...rest } = config.data.synthetic;
  const corpus = makeSyntheticAudioCorpus({ ...rest, seed: seed ?? 0 });
  const space = buildAuditorySpace(sequencesOf(corpus.store), {
    k: config.space.k,
    unit,
    nInit: config.space.nInit,
    seed: config.seed,
    source: `synthetic external audio corpus (${corpus.store.ids().length} clips)`,
  });
  return space;
}

/**
 * The auditory space a config names: the prebuilt one at `space.path` (a `tavt clusters build` file), or one built
 * as `buildSpaceFor` does. Every pipeline and benchmark gets its space here, so `space.path` works everywhere.
 *
 * @param config - The experiment config.
 * @param data - The experiment's data.
 * @returns The auditory space.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` or `BAD_FILE` for `space.path`, and the errors of `buildSpaceFor`.
 */
export async function spaceFor(config: ExperimentConfig, data: ExperimentData): Promise<AuditorySpaceLike> {
  if (config.space.path) return fromSpaceFile(config.space.path);
  return buildSpaceFor(config, data);
}
