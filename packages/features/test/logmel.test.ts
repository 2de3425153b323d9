import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { logMelExamples, logMelSpectrogram, melMatrix, VGGISH_LOG_MEL } from "../src/logmel";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

interface Fixture {
  waveform: {
    sampleRate: number;
    samples: number;
    tones: [number, number][];
    chirp: [number, number, number];
    noise: number;
  };
  shape: [number, number, number];
  examples: string;
}

/** The fixture's waveform (tools/features/vggish_mel.py `test_waveform`), computed the same way in float64. */
function waveform(w: Fixture["waveform"]): Float64Array {
  const x = new Float64Array(w.samples);
  const duration = w.samples / w.sampleRate;
  const [f0, f1, amp] = w.chirp;
  let state = 12345n;
  for (let i = 0; i < w.samples; i++) {
    const t = i / w.sampleRate;
    let v = 0;
    for (const [f, a] of w.tones) v += a * Math.sin(2 * Math.PI * f * t);
    v += amp * Math.sin(2 * Math.PI * (f0 * t + ((f1 - f0) * t * t) / (2 * duration)));
    state = (1664525n * state + 1013904223n) % 4294967296n;
    x[i] = v + w.noise * (Number(state) / 4294967296 - 0.5);
  }
  return x;
}

describe("the VGGish log-mel front end agrees with the numpy port of VGGish's mel_features.py", () => {
  const fx = JSON.parse(readFileSync(join(fixtures, "logmel.json"), "utf8")) as Fixture;
  const expected = new Float32Array(Buffer.from(fx.examples, "base64").buffer.slice(0));

  it("examples of 96 x 64 on the same waveform, within 1e-4", () => {
    const got = logMelExamples(waveform(fx.waveform));
    expect([got.examples, got.frames, got.bands]).toEqual(fx.shape);
    let maxAbs = 0;
    for (let i = 0; i < expected.length; i++) maxAbs = Math.max(maxAbs, Math.abs(got.data[i]! - expected[i]!));
    console.log(`log-mel vs numpy VGGish port: ${expected.length} values, max |difference| ${maxAbs.toExponential(2)}`);
    expect(maxAbs).toBeLessThan(1e-4);
  });

  it("VGGish's parameters: 400-sample windows every 160 samples, 257 FFT bins, the DC row of the mel matrix zero", () => {
    const spec = logMelSpectrogram(new Float64Array(16000));
    expect([spec.rows, spec.cols]).toEqual([98, 64]); // 1 + floor((16000 - 400) / 160)
    for (const v of spec.data) expect(v).toBeCloseTo(Math.log(VGGISH_LOG_MEL.logOffset), 6);
    const m = melMatrix(257);
    expect(m.length).toBe(257 * 64);
    expect(m.subarray(0, 64).every((v) => v === 0)).toBe(true);
  });

  it("audio shorter than one example gives no example (as VGGish)", () => {
    expect(logMelExamples(new Float64Array(15000)).examples).toBe(0);
    expect(logMelExamples(new Float64Array(100)).examples).toBe(0);
  });
});
