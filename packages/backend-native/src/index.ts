export { type AddonLoad, addonCandidates, loadAddon, loadAddonFrom, type NativeAddon } from "./addon";
export { ADAM_KERNEL, type AdamKernelAttrs } from "./kernels/adam";
export { nativeMatMul } from "./kernels/matmul";
export { NativeBackend } from "./nativeBackend";
export type { PoolStats } from "./pool";
export {
  NATIVE_BACKEND,
  type NativeStatus,
  nativePoolStats,
  nativeThreads,
  registerNativeBackend,
  releaseNativePool,
  type TfRegistry,
} from "./register";
