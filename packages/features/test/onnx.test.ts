import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeFrames, findFfmpeg, normaliseFrames, OnnxModel, probeVideo } from "../src";
import { IMAGENET_MEAN, IMAGENET_STD } from "../src/extract";
import { allclose, bytes, FIXTURES, floats, haveOrt, onnxFixture, skipFfmpeg } from "./helpers";

const fx = onnxFixture();
const [n, h, w] = fx.frames.shape as [number, number, number, number];

describe.skipIf(!haveOrt)("user ONNX models through onnxruntime-node agree with PyTorch", () => {
  it("the image model on the same normalised frames: both outputs, selected by name", async () => {
    const x = normaliseFrames(bytes(fx.frames), n, h, w, IMAGENET_MEAN, IMAGENET_STD);
    for (const [name, want] of [
      ["pool", fx.pool],
      ["embedding", fx.embedding],
    ] as const) {
      const model = await OnnxModel.open(join(FIXTURES, "tiny-image.onnx"), name);
      const got = await model.run(x, [n, 3, h, w]);
      await model.close();
      expect([got.rows, got.dim]).toEqual(want.shape);
      const c = allclose(got.data, floats(want), 1e-5, 1e-5);
      console.log(`ONNX image model "${name}" vs PyTorch: max |difference| ${c.maxAbs.toExponential(2)}`);
      expect(c.ok).toBe(true);
    }
  });

  it("the audio model on the same log-mel examples", async () => {
    const model = await OnnxModel.open(join(FIXTURES, "tiny-audio.onnx"));
    const [m, frames, bands] = fx.examples.shape as [number, number, number];
    const got = await model.run(floats(fx.examples), [m, 1, frames, bands]);
    await model.close();
    const c = allclose(got.data, floats(fx.audioEmbedding), 1e-5, 1e-5);
    console.log(`ONNX audio model vs PyTorch: max |difference| ${c.maxAbs.toExponential(2)}`);
    expect(c.ok).toBe(true);
  });

  it("an unknown output name and a file that is not ONNX are errors naming the file", async () => {
    await expect(OnnxModel.open(join(FIXTURES, "tiny-image.onnx"), "logits")).rejects.toThrow(
      /tiny-image\.onnx: no output "logits" \(outputs: pool, embedding\)/,
    );
    await expect(OnnxModel.open(join(FIXTURES, "logmel.json"))).rejects.toThrow(
      /logmel\.json: not a loadable ONNX model/,
    );
  });
});

describe.skipIf(skipFfmpeg)("frames decoded by ffmpeg", () => {
  it("are the frames the fixture's PyTorch outputs were computed on (fps 4, shorter side 32, centre crop 32)", async () => {
    const bins = findFfmpeg();
    const file = join(FIXTURES, "clip.mp4");
    const info = await probeVideo(bins, file);
    expect([info.hasVideo, info.hasAudio]).toEqual([true, true]);
    const fr = await decodeFrames(bins, file, info, { fps: 4, resize: 32, crop: 32 });
    expect([fr.frames, fr.height, fr.width]).toEqual([n, h, w]);
    const c = allclose(fr.data, bytes(fx.frames), 0, 0);
    expect(c.maxAbs).toBe(0);
  });
});
