export {
  applyDecoderBlockPrefix,
  applyGatedDecoderBlock,
  type DecoderBlockPrefix,
  type DecoderMemory,
  type GatedDecoderBlockOutput,
  type GatedDecoderBlockParams,
  initGatedDecoderBlock,
} from "./block";
export {
  BOS_ID,
  type DecoderConfig,
  EOS_ID,
  type Fusion,
  PAD_ID,
  type ResolvedDecoderConfig,
  resolveDecoderConfig,
  type Streams,
  UNK_ID,
} from "./config";
export {
  applyDecoder,
  applyDecoderGates,
  applyDecoderPrefix,
  type BlockGates,
  type DecoderApplyOptions,
  type DecoderInputs,
  type DecoderOutput,
  type DecoderParams,
  decoder,
  initDecoder,
} from "./decoder";
export { applyModalityGate, fuseModalities, initModalityGate } from "./gate";
export { captionCrossEntropy, type ShiftedTokens, shiftTokens } from "./loss";
export { beamSearch, type DecodedCaption, gateTraces, greedySearch, type SearchOptions } from "./search";
