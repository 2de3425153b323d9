export {
  ADDON_ABI,
  type AddonLoad,
  addonCandidates,
  addonMismatch,
  loadAddon,
  loadAddonFrom,
  type NativeAddon,
} from "./addon";
export { ADAM_KERNEL, type AdamKernelAttrs } from "./kernels/adam";
export { nativeMatMul } from "./kernels/matmul";
export { collapse } from "./kernels/strides";
export { NativeBackend } from "./nativeBackend";
export type { PoolStats } from "./pool";
export {
  NATIVE_BACKEND,
  type NativeStatus,
  nativePoolStats,
  nativeThreadCount,
  nativeThreads,
  registerNativeBackend,
  releaseNativePool,
  type TfRegistry,
} from "./register";
