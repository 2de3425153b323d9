import { type DatasetAnnotationsFile, writeDataset } from "./datasetDir";
import type { FeatureFormat } from "./stores/store";
import { makeSynthetic, type SyntheticConfig } from "./synthetic/synthetic";

/**
 * Write the synthetic benchmark as a dataset directory (`annotations.json` + visual/audio feature stores in
 * `format`, default `.npy` files), so that `loadDataset(outDir)` reads it through the real-file loaders.
 *
 * @param outDir - The directory to write.
 * @param config - Fields to change from `DEFAULT_SYNTHETIC`.
 * @param options - `format`: "npy" (default), "npz" or "hdf5".
 * @returns What was written to `annotations.json`.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for a field out of range.
 */
export async function writeSynthetic(
  outDir: string,
  config: Partial<SyntheticConfig> = {},
  options: { format?: Exclude<FeatureFormat, "memory"> } = {},
): Promise<DatasetAnnotationsFile> {
  return writeDataset(outDir, makeSynthetic(config), options);
}
