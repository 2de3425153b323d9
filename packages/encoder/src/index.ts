export { type EncoderConfig, type ResolvedEncoderConfig, resolveEncoderConfig } from "./config";
export {
  applyCrossBlock,
  type CrossBlockConfig,
  type CrossBlockParams,
  initCrossBlock,
} from "./crossBlock";
export {
  applyEncoder,
  applyVisualStream,
  type EncoderInputs,
  type EncoderOutput,
  type EncoderParams,
  encoder,
  initEncoder,
  toDecoderMemory,
  type VisualStream,
} from "./encoder";
export {
  applyCrossStack,
  applySelfStack,
  type CrossStackParams,
  initCrossStack,
  initSelfStack,
  type SelfStackParams,
} from "./stacks";
