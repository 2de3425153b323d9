export { adjustedRandIndex } from "./ari";
export {
  type AuditorySpace,
  type AuditorySpaceOptions,
  assignUnits,
  type BuiltAuditorySpace,
  buildAuditorySpace,
  buildAuditorySpaceFromFile,
  buildAuditorySpaceFromPoints,
  loadAuditorySpace,
  type StreamedAuditorySpace,
  saveAuditorySpace,
} from "./auditorySpace";
export { defaultLocalTrials } from "./init";
export { type KernelChoice, wasmKernelsAvailable } from "./kernels/kernels";
export { inertiaOf, initCenters, kmeans, meanVariance } from "./kmeans";
export { type PointSet, readNpy } from "./npy";
export { type NpyPointFile, openNpyPoints } from "./npyFile";
export { type AssignResult, assign, predict, squaredDistances } from "./predict";
export {
  kmeansStream,
  memoryPoints,
  type PointSource,
  type StreamKMeansOptions,
  type StreamKMeansResult,
} from "./stream";
export type { KMeansInit, KMeansOptions, KMeansProgress, KMeansResult } from "./types";
export { cutUnits, type FeatureSequence, type Units, unitCount } from "./units";
