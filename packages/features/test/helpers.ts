import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

/** Whether ffmpeg and ffprobe run here. Under CI=true a missing ffmpeg fails the tests instead of skipping them. */
export const haveFfmpeg = ["ffmpeg", "ffprobe"].every(
  (b) => spawnSync(b, ["-version"], { stdio: "ignore" }).status === 0,
);
export const skipFfmpeg = !haveFfmpeg && process.env.CI !== "true";
if (skipFfmpeg)
  console.warn("skipping the ffmpeg tests of @tavt/features: ffmpeg is not on PATH (apt-get install ffmpeg)");

/** Whether onnxruntime-node (an optional dependency) loads here. */
export const haveOrt = await import("onnxruntime-node").then(
  () => true,
  () => false,
);
if (!haveOrt) console.warn("skipping the ONNX tests of @tavt/features: onnxruntime-node is not installed");

/** Run ffmpeg (for synthesising test videos); throws with its stderr. */
export function ffmpeg(...args: string[]): void {
  const r = spawnSync("ffmpeg", ["-v", "error", "-y", ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(" ")}: ${r.stderr}`);
}

interface Blob {
  shape: number[];
  data?: string;
  rgb?: string;
}

/** tools/features/export_tiny_models.py's fixture: PyTorch's outputs on the decoded frames and log-mel examples. */
export interface OnnxFixture {
  frames: Blob;
  pool: Blob;
  embedding: Blob;
  examples: Blob;
  audioEmbedding: Blob;
}

export function onnxFixture(): OnnxFixture {
  return JSON.parse(readFileSync(join(FIXTURES, "onnx.json"), "utf8")) as OnnxFixture;
}

export function floats(b: Blob): Float32Array {
  const buf = Buffer.from(b.data!, "base64");
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
}

export function bytes(b: Blob): Uint8Array {
  return new Uint8Array(Buffer.from(b.rgb!, "base64"));
}

/** max |a - b| and whether every element is within atol + rtol * |b|. */
export function allclose(a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol: number) {
  let maxAbs = 0;
  let ok = a.length === b.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = Math.abs(a[i]! - b[i]!);
    maxAbs = Math.max(maxAbs, d);
    if (!(d <= atol + rtol * Math.abs(b[i]!))) ok = false;
  }
  return { ok, maxAbs };
}
