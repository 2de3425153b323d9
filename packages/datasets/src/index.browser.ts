/**
 * The browser build's entry (package.json's "browser" condition): everything that needs no file system. Feature
 * files come as bytes (openFeatureBytes: .npz, .npy, HDF5); the annotation loaders, dataset directories, path-based
 * stores and writers are Node's alone.
 */
/** The .npy codec lives in @tavt/core; re-exported here so existing imports keep working. */
export { decodeNpy, encodeNpy, type NpyHeader, parseNpyHeader } from "@tavt/core";
export { type CaptionBatch, type CollateOptions, collate, disposeBatch } from "./collate";
export { joinTargetDataset } from "./crossDataset";
export { CaptionDataset, type CaptionDatasetInit } from "./dataset";
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
export { Hdf5FeatureStore } from "./stores/hdf5Store";
export { MemoryStore } from "./stores/memory";
export { NpzStore } from "./stores/npz";
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
