export {
  ALGORITHM1_READINGS,
  type Algorithm1Reading,
  type Episode,
  type EpisodeTaskOptions,
  episodeTasks,
  readingNeedsEvalBatches,
} from "./algorithm1";
export { DEFAULT_META_CONFIG, resolveMetaConfig } from "./config";
export { valueAndGradFlat } from "./gradients";
export { disposeAdapted, type InnerLoopOptions, type InnerLoopResult, innerLoop } from "./inner";
export {
  INNER_OPTIMIZERS,
  type InnerAdamConfig,
  type InnerOptimizer,
  type InnerOptState,
  innerOptInit,
  innerOptStep,
} from "./innerOptimizer";
export {
  type MetaGradient,
  type MetaGradientContext,
  type MetaGradientFn,
  makeMetaLearner,
  sgdAdapt,
} from "./learner";
export { ANIL_DEFAULT_HEAD, createAnil } from "./learners/anil";
export { createJoint, jointMetaGradient } from "./learners/joint";
export { createFomaml, createMaml, mamlMetaGradient } from "./learners/maml";
export { createReptile, reptileMetaGradient } from "./learners/reptile";
export { AVMM_PREFIX, type MetaTestOptions, type MetaTestResult, metaTest } from "./metaTest";
export {
  cloneMetaState,
  type MetaTrainOptions,
  type MetaTrainProgress,
  type MetaTrainResult,
  metaTrain,
} from "./metaTrain";
export {
  BUILTIN_META_LEARNERS,
  type BuiltinMetaLearner,
  getMetaLearner,
  listMetaLearners,
  type MetaLearnerFactory,
  registerMetaLearner,
  unregisterMetaLearner,
} from "./registry";
export {
  OUTER_DECAYS,
  type OuterDecay,
  type OuterSchedule,
  outerLrFactor,
  type ResolvedOuterSchedule,
  resolveOuterSchedule,
} from "./schedule";
export { type SecondOrderShare, secondOrderShare } from "./secondOrder";
export { joinFlat, paramPredicate, partitionTree, selectNames } from "./select";
export { type MetaStepTiming, type TimeMetaStepsOptions, timeMetaSteps } from "./timing";
export type {
  AdaptOptions,
  LossFn,
  MetaLearner,
  MetaLearnerConfig,
  MetaState,
  MetaStepReport,
  MetaStepResult,
  ParamSelector,
  ResolvedMetaConfig,
  Task,
} from "./types";
