export { stopGradient } from "@tavt/core";
export {
  type AvmmInputs,
  type AvmmOptions,
  type AvmmOutput,
  type AvmmParams,
  applyAvmm,
  avmm,
  initAvmm,
} from "./avmm";
export { type ClipPoolConfig, type ClipPoolOutput, clipPool } from "./clipPool";
export { type AvmmConfig, type ResolvedAvmmConfig, resolveAvmmConfig } from "./config";
export { AVMM_PREFIX, avmmParamNames, isAvmmParam } from "./freeze";
export { lossRec } from "./lossRec";
export { applyMapper, initMapper, type MapperParams } from "./mapper";
export { applyReconstructor, initReconstructor, type ReconstructorOutput } from "./reconstructor";
