export { type AddonLoad, addonCandidates, loadAddon, loadAddonFrom, type NativeAddon } from "./addon";
export { ADAM_KERNEL, type AdamKernelAttrs } from "./kernels/adam";
export { nativeMatMul } from "./kernels/matmul";
export { NATIVE_BACKEND, type NativeStatus, nativeThreads, registerNativeBackend, type TfRegistry } from "./register";
