export { stopGradient } from "@tavt/core";
export {
  COUNTERFACTUALS,
  type ContrastiveConfig,
  type Counterfactual,
  DEFAULT_TAU,
  type ResolvedContrastiveConfig,
  resolveContrastiveConfig,
} from "./config";
export { type CounterfactualConfig, counterfactualAudio, counterfactualWeights } from "./counterfactual";
export { infoNce } from "./infoNce";
export { lossDep } from "./lossDep";
export { lossDis } from "./lossDis";
export { type ModalityAwareConfig, modalityAwareWeights } from "./modalityAwareWeights";
export { PSI_EPS, psi, tokenScores } from "./psi";
export { cosineSimilarity } from "./similarity";
