import {
  adamInit,
  adamStep,
  disposeTree,
  initBackend,
  type ParamTree,
  rng,
  tf,
  treeNames,
  valueAndGrad,
} from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import { type Captioner, concatAvTransformer, configs, makeConfig, randomBatch, vanillaTransformer } from "../src";
import { eightSamples } from "./synthetic";

beforeAll(async () => {
  await initBackend();
});

const tiny = makeConfig("tiny");

function train(model: Captioner, steps: number, lr: number) {
  const { batch, captions } = eightSamples(model.config);
  let params: ParamTree = model.init(rng.key(1));
  let state = adamInit(params);
  const loss = model.lossFn({ training: false });
  let last = Number.NaN;
  for (let i = 0; i < steps; i++) {
    const { value, grads } = valueAndGrad((p) => loss(p, batch, rng.key(i)), params);
    last = value.dataSync()[0]!;
    const next = adamStep(params, grads, state, { lr });
    disposeTree(grads);
    value.dispose();
    disposeTree(params);
    disposeTree(state.m);
    disposeTree(state.v);
    params = next.params;
    state = next.state;
  }
  return { params, batch, captions, last };
}

describe("baselines", () => {
  it("vanillaTransformer sees only the visual features; concatAvTransformer sees the audio too", () => {
    const batch = randomBatch(rng.key(2), tiny, { batch: 3 });
    const other = { ...batch, audio: rng.normal(rng.key(13), [3, tiny.audioFrames, tiny.audioDim]) as tf.Tensor3D };
    for (const [model, usesAudio] of [
      [vanillaTransformer(tiny), false],
      [concatAvTransformer(tiny), true],
    ] as const) {
      const p = model.init(rng.key(0));
      expect(treeNames(p).every((n) => n.startsWith("encoder.") || n.startsWith("decoder."))).toBe(true);
      const a = model.lossParts(p, batch, rng.key(0), { training: false });
      const b = model.lossParts(p, other, rng.key(0), { training: false });
      expect(a.total.dataSync()[0]).toBeCloseTo(a.cap.dataSync()[0]!, 6);
      expect(a.rec.dataSync()[0]).toBe(0);
      const differs = Math.abs(a.cap.dataSync()[0]! - b.cap.dataSync()[0]!) > 1e-6;
      expect(differs).toBe(usesAudio);
    }
  });

  it("concatAvTransformer rejects unaligned audio and runs on audio-absent batches", () => {
    const m = concatAvTransformer(tiny);
    const p = m.init(rng.key(0));
    const batch = randomBatch(rng.key(2), tiny, { batch: 2 });
    const bad = {
      ...batch,
      audio: tf.zeros([2, 3, tiny.audioDim]) as tf.Tensor3D,
      audioMask: tf.ones([2, 3]) as tf.Tensor2D,
    };
    expect(() => m.lossParts(p, bad, rng.key(0))).toThrow(/frames/);
    const absent = randomBatch(rng.key(2), tiny, { batch: 2, audioAbsent: true });
    expect(Number.isFinite(m.lossParts(p, absent, rng.key(0)).total.dataSync()[0])).toBe(true);
  });

  it("the vanilla transformer overfits 8 samples and beam search reproduces their captions", () => {
    const model = vanillaTransformer(makeConfig("tiny", { dim: 32, ffn: 64 }));
    const { params, batch, captions, last } = train(model, 150, 3e-3);
    expect(last).toBeLessThan(0.05);
    const out = model.caption(params, batch, { beam: 3 });
    expect(out.map((o) => o.ids)).toEqual(captions);
  });

  it("names S and paper configurations with the issue's sizes", () => {
    expect(configs.S).toMatchObject({ dim: 256, heads: 8, encoderBlocks: 2, decoderBlocks: 2, ffn: 1024 });
    expect(configs.S).toMatchObject({
      visualDim: 2048,
      audioDim: 128,
      frames: 20,
      clips: 4,
      clipLen: 5,
      clusters: 100,
    });
    expect(configs.S).toMatchObject({ vocab: 3000, captionLen: 20, batch: 32 });
    expect(configs.paper).toMatchObject({ dim: 1024, heads: 8, encoderBlocks: 8, decoderBlocks: 8 });
    expect(makeConfig("S", { ablation: { noRec: true } }).ablation).toMatchObject({ noRec: true, noDis: false });
    expect(() => makeConfig("S", { heads: 7 })).toThrow(/heads/);
    expect(() => makeConfig("S", { clips: 5 })).toThrow(/clips/);
  });
});
