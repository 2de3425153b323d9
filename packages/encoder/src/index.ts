export { type EncoderConfig, type ResolvedEncoderConfig, resolveEncoderConfig } from "./config";
export {
  applyCrossBlock,
  type CrossBlockConfig,
  type CrossBlockParams,
  initCrossBlock,
} from "./crossBlock";
export {
  applyEncoder,
  type EncoderInputs,
  type EncoderOutput,
  type EncoderParams,
  encoder,
  initEncoder,
  toDecoderMemory,
} from "./encoder";
export {
  applyCrossStack,
  applySelfStack,
  type CrossStackParams,
  initCrossStack,
  initSelfStack,
  type SelfStackParams,
} from "./stacks";
