export {
  MSRVTT_CATEGORY_NAMES,
  MSRVTT_DOMAIN_CATEGORIES,
  msrvttCategoryDomain,
  PAPER_DOMAINS,
  type PaperDomain,
  SOURCE_DOMAINS,
  TABLE1_COUNTS,
  TARGET_DOMAINS,
} from "./domains";
export { Hdf5Store, writeHdf5 } from "./stores/hdf5";
export { MemoryStore } from "./stores/memory";
export { decodeNpy, encodeNpy, type NpyHeader, parseNpyHeader } from "./stores/npy";
export { NpyDirStore } from "./stores/npyDir";
export { NpzStore, writeNpz } from "./stores/npz";
export {
  detectFeatureFormat,
  type FeatureEntry,
  type OpenFeatureStoreOptions,
  openFeatureStore,
  writeFeatureStore,
} from "./stores/open";
export type { FeatureExpectation, FeatureFormat, FeatureStore } from "./stores/store";
export type { DomainRole, Sample, SplitName, VideoRecord } from "./types";
