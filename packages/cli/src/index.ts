export { configOf, ensureBackend } from "./commands/common";
export type { ResolveConfigOptions } from "./config/load";
export {
  configToYaml,
  deepMerge,
  formatIssues,
  parseSet,
  readConfigFile,
  resolveConfig,
  validateConfig,
} from "./config/load";
export { PRESET_NAMES, PRESETS, type PresetName } from "./config/presets";
export {
  DATA_SOURCES,
  type DataConfig,
  type ExperimentConfig,
  experimentSchema,
  type MetricsConfig,
  MODEL_KINDS,
  type ModelSection,
  metricsSchema,
} from "./config/schema";
export { EXIT, errorLine, isUserError, usageError } from "./errors";
export { Output, type OutputOptions } from "./output";
export { type AdaptResult, adaptExperiment, supportIds } from "./pipeline/adapt";
export {
  CONFIG_FILE,
  loadModel,
  loadTrainState,
  MODEL_FILE,
  SPACE_FILE,
  STATE_FILE,
  saveModel,
  saveTrainState,
  type TrainStateMeta,
  VOCAB_FILE,
} from "./pipeline/checkpoint";
export { batchOf, domainHasAudio, type ExperimentData, loadExperimentData, openDataset } from "./pipeline/data";
export { explainNonFinite } from "./pipeline/divergence";
export {
  type CaptionScores,
  type CaptionVideosOptions,
  captionVideos,
  type EvaluationResult,
  evalIds,
  evaluateDomains,
  type GeneratedCaption,
  paraphraseMeteor,
  SCORE_COLUMNS,
  scoreCaptions,
  tracesOf,
} from "./pipeline/evaluate";
export { type Experiment, learnerOf, type PrepareOptions, prepareExperiment } from "./pipeline/experiment";
export {
  isLearnerFile,
  LEARNER_EXPORTS,
  learnerFileName,
  loadLearnerFile,
  resolveLearnerName,
} from "./pipeline/learnerModule";
export { captionLossOf, makeCaptioner, modelConfigOf, needsBank } from "./pipeline/model";
export { type AuditorySpaceLike, bankOf, buildSpaceFor, loadSpace, saveSpace, spaceFor } from "./pipeline/space";
export { samplerOf, type TrainRunOptions, type TrainRunResult, tasksOf, trainExperiment } from "./pipeline/train";
export {
  type CurveStep,
  curveStep,
  type LearningCurve,
  type LossValues,
  type ValidationPoint,
  type ValidationSet,
  validationLoss,
  validationSetOf,
} from "./pipeline/validation";
export { buildProgram, type MainIo, main } from "./program";
export { createProgress, type Progress, type ProgressOptions } from "./progress";
export {
  type AlphaTrace,
  alphaTraceSvg,
  type BarChartOptions,
  barChartSvg,
  type CurvePoint,
  learningCurveSvg,
  renderVegaLite,
  wordModalitySvg,
} from "./report/charts";
export { type RunInfo, runInfo, saveRunInfo, TAVT_PACKAGES, versions } from "./report/runInfo";
export { alignedTable, markdownTable, toTable, type WriteTableOptions, writeResultTable } from "./report/tables";
export { type GatedCaption, type WordModality, wordModality } from "./report/wordModality";
