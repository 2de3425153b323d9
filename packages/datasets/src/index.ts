/**
 * The Node entry: everything of the browser entry (./index.browser, which needs no file system), and the pieces that
 * read and write files: the annotation loaders, dataset directories, path-based feature stores and writers.
 */

export {
  type DomainCount,
  type LoadMsrvttOptions,
  loadMsrvtt,
  loadMsrvttAnnotations,
  MSRVTT_FILES,
  type MsrvttSplitOptions,
  type MsrvttVideo,
  msrvttDomainCounts,
  msrvttRecords,
  paperDomainRole,
} from "./annotations/msrvtt";
export {
  type LoadMsvdOptions,
  loadMsvd,
  loadMsvdAnnotations,
  MSVD_DOMAIN,
  MSVD_FILES,
  type MsvdVideo,
  msvdRecords,
} from "./annotations/msvd";
export { DATASET_ANNOTATIONS, type DatasetAnnotationsFile, loadDataset, writeDataset } from "./datasetDir";
export { type FeaturePaths, openFeaturePaths } from "./featureOptions";
export * from "./index.browser";
export { Hdf5Store, writeHdf5 } from "./stores/hdf5";
export { NpyDirStore } from "./stores/npyDir";
export { writeNpz } from "./stores/npz";
export {
  detectFeatureFormat,
  type FeatureEntry,
  type OpenFeatureStoreOptions,
  openFeatureStore,
  writeFeatureStore,
} from "./stores/open";
export {
  DEFAULT_MSVD_LIKE,
  MSVD_LIKE_OBJECTS,
  MSVD_LIKE_TEMPLATES,
  type MsvdLikeConfig,
  makeMsvdLike,
  msvdLikeFor,
} from "./synthetic/msvdLike";
export { writeSynthetic } from "./writeSynthetic";
