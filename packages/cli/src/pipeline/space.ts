import { type AuditorySpace, buildAuditorySpace, loadAuditorySpace, saveAuditorySpace } from "@tavt/clusters";
import { TavtError, tf } from "@tavt/core";
import type { ExperimentConfig } from "../config/schema";
import type { ExperimentData } from "./data";

export type AuditorySpaceLike = AuditorySpace;

/** The bank M [K, da] the AVMM reconstructs audio from (a constant input, never a parameter). */
export function bankOf(space: AuditorySpace): tf.Tensor2D {
  return tf.tensor2d(space.centers, [space.k, space.dim]);
}

/** Load a saved space (awaits, so a synchronous or an asynchronous @tavt/clusters loader both fit). */
export async function loadSpace(path: string): Promise<AuditorySpace> {
  return await loadAuditorySpace(path);
}

export async function saveSpace(path: string, space: AuditorySpace): Promise<void> {
  await saveAuditorySpace(path, space);
}

/**
 * The universal auditory space of section 3.1 built from the source domains' training audio: units of T frames
 * (`space.unit`, default the model's clip length), mean-pooled, clustered into K prototypes with k-means++.
 */
export async function buildSpaceFor(config: ExperimentConfig, data: ExperimentData): Promise<AuditorySpace> {
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
    unit: config.space.unit ?? config.model.clipLen ?? 5,
    nInit: config.space.nInit,
    seed: config.seed,
    source: `${ds.name} source-domain train audio`,
  });
}
