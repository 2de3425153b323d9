export {
  type AudioOptions,
  audioFeatures,
  type ExtractEvent,
  type ExtractOptions,
  type ExtractSummary,
  extractFeatures,
  type FailedVideo,
  IMAGENET_MEAN,
  IMAGENET_STD,
  listVideos,
  normaliseFrames,
  VIDEO_EXTENSIONS,
  type VisualOptions,
  videoId,
  visualFeatures,
} from "./extract";
export {
  decodeAudio,
  decodeFrames,
  FFMPEG_INSTALL,
  type FfmpegBinaries,
  type FrameOptions,
  type Frames,
  findFfmpeg,
  parsePpmStream,
  probeVideo,
  type VideoInfo,
} from "./ffmpeg";
export {
  type LogMelExamples,
  type LogMelParams,
  logMelExamples,
  logMelSpectrogram,
  type Matrix,
  melMatrix,
  VGGISH_LOG_MEL,
} from "./logmel";
export { loadOnnxRuntime, OnnxModel, ORT_INSTALL } from "./onnx";
export { loadVggishPca, postprocessVggish, type VggishPca } from "./postprocess";
export {
  type ExtractorRecord,
  readExtractorRecord,
  recordOfAudio,
  recordOfVisual,
  recordPath,
  writeExtractorRecord,
} from "./record";
export { type StoreKind, StoreWriter, storeKind } from "./stores";
