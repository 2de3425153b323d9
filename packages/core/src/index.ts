export { writeFileAtomic } from "./atomic";
export {
  activeBackend,
  BACKEND_ORDER,
  type BackendName,
  type BackendReport,
  type BackendSkip,
  type InitBackendOptions,
  initBackend,
} from "./backend";
export { leanGradients } from "./backprop";
export {
  type CheckpointMetadata,
  decodeCheckpoint,
  decodeSafetensors,
  encodeSafetensors,
  type LoadCheckpointOptions,
  loadCheckpoint,
  saveCheckpoint,
} from "./checkpoint";
export { isTavtError, TavtError, type TavtErrorCode } from "./errors";
export { grad, type ValueAndGrad, valueAndGrad } from "./grad";
export { decodeNpy, encodeNpy, type NpyHeader, parseNpyHeader } from "./io/npy";
export {
  type AttentionConfig,
  type AttentionInputs,
  type AttentionOutput,
  type AttentionParams,
  applyAttention,
  attention,
  attentionMask,
  initAttention,
} from "./nn/attention";
export type { ApplyContext } from "./nn/context";
export {
  applyDecoderBlock,
  type DecoderBlockConfig,
  type DecoderBlockInputs,
  type DecoderBlockParams,
  decoderBlock,
  initDecoderBlock,
} from "./nn/decoderBlock";
export { dropout } from "./nn/dropout";
export { applyEmbedding, type EmbeddingConfig, type EmbeddingParams, embedding, initEmbedding } from "./nn/embedding";
export {
  applyEncoderBlock,
  type EncoderBlockConfig,
  type EncoderBlockParams,
  encoderBlock,
  initEncoderBlock,
} from "./nn/encoderBlock";
export {
  applyEncoderStack,
  type EncoderStackConfig,
  type EncoderStackParams,
  encoderStack,
  initEncoderStack,
} from "./nn/encoderStack";
export {
  applyFeedForward,
  type FeedForwardConfig,
  type FeedForwardParams,
  feedForward,
  initFeedForward,
} from "./nn/feedForward";
export { applyLayerNorm, initLayerNorm, type LayerNormConfig, type LayerNormParams, layerNorm } from "./nn/layerNorm";
export { applyLinear, initLinear, type LinearConfig, type LinearParams, linear } from "./nn/linear";
export { logSoftmax } from "./nn/logSoftmax";
export { sinusoidalPositions } from "./nn/positions";
export {
  applySequenceEncoder,
  initSequenceEncoder,
  type SequenceEncoderConfig,
  type SequenceEncoderParams,
  sequenceEncoder,
} from "./nn/sequenceEncoder";
export { type AdamConfig, type AdamState, adamInit, adamStep } from "./optim/adam";
export { clipByGlobalNorm, globalNorm } from "./optim/clip";
export { sgdStep } from "./optim/sgd";
export type { Key } from "./rng";
/** Seeded, splittable random keys (Threefry-2x32, as in JAX): `key`, `split`, `foldIn`, `splitNamed`, `normal`, `uniform`, ... */
export * as rng from "./rng";
export { assertRank, assertShape, FLOAT32_LOWEST, type ShapeSpec } from "./shape";
export { stopGradient } from "./stopGradient";
export type { Scalar, Tensor } from "./tf";
/** The tfjs-core namespace every `@tavt` package computes with (one copy, with core's registrations). */
export { tf } from "./tf";
export {
  cloneTree,
  countParams,
  disposeTree,
  type FlatParams,
  flatten,
  fromLeaves,
  keepTree,
  leaves,
  mapTree,
  mergeTrees,
  type ParamTree,
  selectTree,
  treeNames,
  treeShapes,
  unflatten,
  zipTrees,
} from "./tree";
