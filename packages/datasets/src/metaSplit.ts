import type { CaptionDataset } from "./dataset";

/** section 3.2 and appendix D.1's partition of a dataset's video ids: D_meta-train (source domains) and D_meta-test (targets). */
export interface MetaSplit {
  /** Per source domain, the ids meta-training draws from (each domain's train part). */
  metaTrain: Record<string, string[]>;
  /** Per target domain, its adaptation (train, the meta-test support set) and evaluation (test, query) ids. */
  metaTest: Record<string, { train: string[]; test: string[] }>;
}

/**
 * Split a dataset by domain into meta-train and meta-test, with each target's per-domain train/test parts.
 *
 * @param dataset - The dataset.
 * @returns Each source domain's train ids, and each target domain's train and test ids.
 */
export function splitByDomain(dataset: CaptionDataset): MetaSplit {
  const metaTrain: MetaSplit["metaTrain"] = {};
  const metaTest: MetaSplit["metaTest"] = {};
  for (const d of dataset.sourceDomains) metaTrain[d] = dataset.ids({ domains: [d], split: "train" });
  for (const d of dataset.targetDomains) {
    metaTest[d] = {
      train: dataset.ids({ domains: [d], split: "train" }),
      test: dataset.ids({ domains: [d], split: "test" }),
    };
  }
  return { metaTrain, metaTest };
}
