import { type DatasetAnnotationsFile, writeDataset } from "./datasetDir";
import type { FeatureFormat } from "./stores/store";
import { makeSynthetic, type SyntheticConfig } from "./synthetic/synthetic";

/**
 * Write the synthetic benchmark as a dataset directory (`annotations.json` + visual/audio feature stores in
 * `format`, default `.npy` files), so that `loadDataset(outDir)` reads it through the real-file loaders.
 */
export async function writeSynthetic(
  outDir: string,
  config: Partial<SyntheticConfig> = {},
  options: { format?: Exclude<FeatureFormat, "memory"> } = {},
): Promise<DatasetAnnotationsFile> {
  return writeDataset(outDir, makeSynthetic(config), options);
}
