export { concatAvTransformer, singleStreamDecoderConfig, vanillaTransformer } from "./baselines";
export type { CaptionBatch, LossFn, LossParts } from "./batch";
export {
  benchmarkTrainStep,
  type TrainStepBenchmark,
  type TrainStepBenchmarkOptions,
  type TrainStepper,
  trainStepper,
} from "./benchmark";
export type { Captioner, CaptionOptions, LossOptions } from "./captioner";
export {
  type Ablation,
  type ConfigName,
  type ConfigOverrides,
  configs,
  FULL_TAVT,
  makeConfig,
  type TavtConfig,
  validateConfig,
} from "./config";
export {
  avmmConfigOf,
  type CaptionBatchOptions,
  captionBatch,
  decoderConfigOf,
  encoderConfigOf,
  initTavt,
  type TavtLossOptions,
  type TokenGateRatios,
  tavt,
  tavtLoss,
  tavtLossFn,
  tokenGateRatios,
} from "./model";
export {
  type KernelRow,
  type KernelShapeRow,
  type ProfileOptions,
  profileTrainStep,
  type TrainStepProfile,
} from "./profile";
export { disposeBatch, type RandomBatchOptions, randomBank, randomBatch } from "./randomBatch";
export {
  applyFrameEncoder,
  type FrameEncoderConfig,
  type FrameEncoderParams,
  initFrameEncoder,
} from "./visualEncoder";
