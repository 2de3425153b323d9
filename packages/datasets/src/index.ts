/** The .npy codec lives in @tavt/core; re-exported here so existing imports keep working. */
export { decodeNpy, encodeNpy, type NpyHeader, parseNpyHeader } from "@tavt/core";
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
export { type CaptionBatch, type CollateOptions, collate, disposeBatch } from "./collate";
export { joinTargetDataset } from "./crossDataset";
export { CaptionDataset, type CaptionDatasetInit } from "./dataset";
export { DATASET_ANNOTATIONS, type DatasetAnnotationsFile, loadDataset, writeDataset } from "./datasetDir";
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
export { type FeaturePaths, openFeaturePaths } from "./featureOptions";
export { type MetaSplit, splitByDomain } from "./metaSplit";
export {
  EpisodicSampler,
  type EpisodicSamplerOptions,
  type MetaBatch,
  type MetaBatchIds,
  miniBatches,
} from "./sampler";
export { DEFAULT_SPLIT, naturalSort, type SplitOptions, splitByDomainRandom } from "./split";
export { type DatasetStats, type DomainStatsRow, datasetStats } from "./stats";
export {
  detectFeatureBytesFormat,
  NpyBytesStore,
  type OpenFeatureBytesOptions,
  openFeatureBytes,
  openHdf5Bytes,
  openNpzBytes,
} from "./stores/bytes";
export { Hdf5FeatureStore, Hdf5Store, writeHdf5 } from "./stores/hdf5";
export { MemoryStore } from "./stores/memory";
export { NpyDirStore } from "./stores/npyDir";
export { NpzStore, writeNpz } from "./stores/npz";
export {
  detectFeatureFormat,
  type FeatureEntry,
  type OpenFeatureStoreOptions,
  openFeatureStore,
  writeFeatureStore,
} from "./stores/open";
export type { CheckedStore, FeatureExpectation, FeatureFormat, FeatureStore } from "./stores/store";
export { UnionStore } from "./stores/union";
export type { ZipArchive, ZipEntry } from "./stores/zipRead";
export {
  DEFAULT_AUDIO_CORPUS,
  makeSyntheticAudioCorpus,
  type SyntheticAudioCorpus,
  type SyntheticAudioCorpusOptions,
} from "./synthetic/audioCorpus";
export {
  CAPTION_TEMPLATES,
  DOMAIN_LEXICON,
  type DomainLexicon,
  SOUND_EVENTS,
  type SoundEvent,
} from "./synthetic/lexicon";
export {
  DEFAULT_MSVD_LIKE,
  MSVD_LIKE_OBJECTS,
  MSVD_LIKE_TEMPLATES,
  type MsvdLikeConfig,
  makeMsvdLike,
  msvdLikeFor,
} from "./synthetic/msvdLike";
export {
  DEFAULT_SYNTHETIC,
  makeSynthetic,
  type SyntheticConfig,
  SyntheticDataset,
  type SyntheticTruth,
  syntheticDomainSizes,
  syntheticEventPrototypes,
} from "./synthetic/synthetic";
export type { DomainRole, Sample, SplitName, VideoRecord } from "./types";
export {
  BOS_ID,
  type BuildVocabularyOptions,
  buildVocabulary,
  captionTokens,
  EOS_ID,
  PAD_ID,
  SPECIAL_TOKENS,
  UNK_ID,
  Vocabulary,
  type VocabularyFile,
} from "./vocabulary";
export { writeSynthetic } from "./writeSynthetic";
