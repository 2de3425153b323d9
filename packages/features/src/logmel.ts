/**
 * VGGish's log-mel front end (the input of the VGGish audio model), in TypeScript: what `vggish_input.py`
 * `waveform_to_examples` and `mel_features.py` of the VGGish release compute, for mono audio at the front end's
 * sample rate. Periodic Hann windows of 25 ms every 10 ms, the magnitude of a 512-point FFT, 64 triangular mel
 * bands from 125 to 7,500 Hz (HTK mel scale, the DC bin zeroed), log(mel + 0.01), then non-overlapping examples of
 * 0.96 s (96 frames x 64 bands). Computed in float64, returned as float32.
 */

/** The front end's parameters; `VGGISH_LOG_MEL` holds VGGish's (vggish_params.py). */
export interface LogMelParams {
  sampleRate: number;
  windowSeconds: number;
  hopSeconds: number;
  melBands: number;
  minHz: number;
  maxHz: number;
  logOffset: number;
  exampleSeconds: number;
  exampleHopSeconds: number;
}

/** VGGish's log-mel settings: 16 kHz, 25 ms windows every 10 ms, 64 mel bands from 125 to 7,500 Hz. */
export const VGGISH_LOG_MEL: Readonly<LogMelParams> = Object.freeze({
  sampleRate: 16000,
  windowSeconds: 0.025,
  hopSeconds: 0.01,
  melBands: 64,
  minHz: 125,
  maxHz: 7500,
  logOffset: 0.01,
  exampleSeconds: 0.96,
  exampleHopSeconds: 0.96,
});

/** A row-major matrix of float32 values. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** Log-mel examples: `[examples, frames, bands]` row-major (96 x 64 each with VGGish's parameters). */
export interface LogMelExamples {
  data: Float32Array;
  examples: number;
  frames: number;
  bands: number;
}

const hertzToMel = (hz: number) => 1127.0 * Math.log(1.0 + hz / 700.0);

/** numpy.linspace(start, stop, n) as numpy computes it (start + i * step, the last point exactly stop). */
function linspace(start: number, stop: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const step = (stop - start) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  if (n > 1) out[n - 1] = stop;
  return out;
}

/**
 * mel_features.spectrogram_to_mel_matrix: `[spectrogramBins, melBands]` row-major, float64.
 *
 * @param spectrogramBins - The FFT bins (nfft / 2 + 1).
 * @param p - The front end's parameters (`VGGISH_LOG_MEL` by default).
 * @returns The weights, row-major `[spectrogramBins, melBands]`.
 */
export function melMatrix(spectrogramBins: number, p: LogMelParams = VGGISH_LOG_MEL): Float64Array {
  const nyquist = p.sampleRate / 2;
  const binsMel = linspace(0, nyquist, spectrogramBins).map(hertzToMel);
  const edges = linspace(hertzToMel(p.minHz), hertzToMel(p.maxHz), p.melBands + 2);
  const m = new Float64Array(spectrogramBins * p.melBands);
  for (let i = 0; i < p.melBands; i++) {
    const lo = edges[i]!;
    const center = edges[i + 1]!;
    const hi = edges[i + 2]!;
    for (let b = 1; b < spectrogramBins; b++) {
      const lower = (binsMel[b]! - lo) / (center - lo);
      const upper = (hi - binsMel[b]!) / (hi - center);
      m[b * p.melBands + i] = Math.max(0, Math.min(lower, upper));
    }
  }
  return m; // row 0 (DC) stays 0, as VGGish sets it
}

/** In-place iterative radix-2 FFT of (re, im), length a power of two. */
function fft(re: Float64Array, im: Float64Array, cos: Float64Array, sin: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const stride = n / len;
    for (let s = 0; s < n; s += len) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * stride]!;
        const wi = -sin[k * stride]!;
        const a = s + k;
        const b = a + half;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
}

/**
 * mel_features.log_mel_spectrogram: `[frames, melBands]` for a mono waveform at `p.sampleRate`.
 *
 * @param wave - Mono samples at `p.sampleRate`.
 * @param p - The front end's parameters (`VGGISH_LOG_MEL` by default).
 * @returns The log-mel spectrogram `[frames, melBands]`.
 */
export function logMelSpectrogram(wave: ArrayLike<number>, p: LogMelParams = VGGISH_LOG_MEL): Matrix {
  const win = Math.round(p.sampleRate * p.windowSeconds);
  const hop = Math.round(p.sampleRate * p.hopSeconds);
  const nfft = 2 ** Math.ceil(Math.log(win) / Math.log(2));
  const bins = nfft / 2 + 1;
  const frames = wave.length >= win ? 1 + Math.floor((wave.length - win) / hop) : 0;
  const hann = new Float64Array(win);
  for (let i = 0; i < win; i++) hann[i] = 0.5 - 0.5 * Math.cos(((2 * Math.PI) / win) * i);
  const cos = new Float64Array(nfft / 2);
  const sin = new Float64Array(nfft / 2);
  for (let k = 0; k < nfft / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / nfft);
    sin[k] = Math.sin((2 * Math.PI * k) / nfft);
  }
  const mel = melMatrix(bins, p);
  const out = new Float32Array(frames * p.melBands);
  const re = new Float64Array(nfft);
  const im = new Float64Array(nfft);
  const mag = new Float64Array(bins);
  for (let f = 0; f < frames; f++) {
    re.fill(0);
    im.fill(0);
    for (let i = 0; i < win; i++) re[i] = Number(wave[f * hop + i]) * hann[i]!;
    fft(re, im, cos, sin);
    for (let b = 0; b < bins; b++) mag[b] = Math.hypot(re[b]!, im[b]!);
    for (let m = 0; m < p.melBands; m++) {
      let s = 0;
      for (let b = 0; b < bins; b++) s += mag[b]! * mel[b * p.melBands + m]!;
      out[f * p.melBands + m] = Math.log(s + p.logOffset);
    }
  }
  return { data: out, rows: frames, cols: p.melBands };
}

/**
 * vggish_input.waveform_to_examples for mono audio already at `p.sampleRate` (16 kHz): the log-mel spectrogram cut
 * into examples of 0.96 s (96 frames); trailing frames that do not fill an example are dropped, as VGGish does.
 *
 * @param wave - Mono samples at `p.sampleRate`.
 * @param p - The front end's parameters (`VGGISH_LOG_MEL` by default).
 * @returns The examples, row-major `[examples, frames, bands]`, with their sizes.
 */
export function logMelExamples(wave: ArrayLike<number>, p: LogMelParams = VGGISH_LOG_MEL): LogMelExamples {
  const spec = logMelSpectrogram(wave, p);
  const frameRate = 1 / p.hopSeconds;
  const window = Math.round(p.exampleSeconds * frameRate);
  const hop = Math.round(p.exampleHopSeconds * frameRate);
  const examples = spec.rows >= window ? 1 + Math.floor((spec.rows - window) / hop) : 0;
  const data = new Float32Array(examples * window * spec.cols);
  for (let e = 0; e < examples; e++) {
    data.set(spec.data.subarray(e * hop * spec.cols, (e * hop + window) * spec.cols), e * window * spec.cols);
  }
  return { data, examples, frames: window, bands: spec.cols };
}
