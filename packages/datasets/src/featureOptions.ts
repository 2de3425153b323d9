import { openFeatureStore } from "./stores/open";
import type { FeatureStore } from "./stores/store";

/** Where a real dataset's features are, and what dims to expect of them. */
export interface FeaturePaths {
  /** Visual features: a directory of `<id>.npy`, an `.npz` or an HDF5 file. */
  visual?: string;
  /** Audio features, same layouts. */
  audio?: string;
  /** Expected visual dim dv (checked on every read; default: whatever the first video has). */
  visualDim?: number;
  /** Expected audio dim da. */
  audioDim?: number;
  /** HDF5 only: the group holding the per-video datasets (default the root). */
  group?: string;
}

/**
 * Open the stores named in `paths` (null where none is given).
 *
 * @param paths - `visual` and `audio` paths, with the dims to expect and the HDF5 group.
 * @returns The opened stores (null where no path is given).
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for a missing path, `BAD_FILE` for an unknown or malformed file.
 */
export async function openFeaturePaths(
  paths: FeaturePaths,
): Promise<{ visual: FeatureStore | null; audio: FeatureStore | null }> {
  const visual = paths.visual
    ? await openFeatureStore(paths.visual, { dim: paths.visualDim, group: paths.group })
    : null;
  const audio = paths.audio ? await openFeatureStore(paths.audio, { dim: paths.audioDim, group: paths.group }) : null;
  return { visual, audio };
}
