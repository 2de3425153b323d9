export { type BleuResult, bleu } from "./bleu";
export { type CiderOptions, type CiderResult, ciderD } from "./cider";
export { type CaptionDiversity, captionDiversity } from "./diversity";
export { isMetricsInputError, MetricsInputError } from "./errors";
export {
  type Candidates,
  type InputFiles,
  type References,
  readCandidates,
  readReferences,
  validateInputs,
} from "./io";
export type { MeteorModule } from "./meteor/aligner";
export {
  METEOR_DEFAULT_PARAMETERS,
  type MeteorOptions,
  type MeteorResult,
  MeteorScorer,
  meteor,
} from "./meteor/meteor";
export { normalizeEnglish as meteorNormalize } from "./meteor/normalizer";
export type { MeteorParameters, MeteorStats } from "./meteor/stats";
export { stemEnglish } from "./meteor/stemmer";
export { lcsLength, type RougeResult, rougeL, rougeLItem } from "./rouge";
export {
  ALL_METRICS,
  type CocoScores,
  type MetricKey,
  type MetricName,
  type ScoreOptions,
  type ScoreResult,
  score,
} from "./score";
export { COCO_PUNCTUATIONS, ptbTokens, tokenize } from "./tokenizer";
