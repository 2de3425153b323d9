#!/usr/bin/env python3
"""VGGish's log-mel front end in numpy, ported from mel_features.py and vggish_input.py of the VGGish release
(tensorflow/models, research/audioset/vggish; Apache-2.0), and the fixture @tavt/features' test compares against.

    python3 tools/features/vggish_mel.py packages/features/test/fixtures/logmel.json

The waveform is a formula (sum of tones, a chirp and integer-LCG noise, 2.0 s at 16 kHz) that the TypeScript
test computes the same way, so the fixture holds only the parameters and the expected examples (float32, base64).
"""
import base64
import json
import sys

import numpy as np

# vggish_params.py
SAMPLE_RATE = 16000
STFT_WINDOW_LENGTH_SECONDS = 0.025
STFT_HOP_LENGTH_SECONDS = 0.010
NUM_MEL_BINS = 64
MEL_MIN_HZ = 125
MEL_MAX_HZ = 7500
LOG_OFFSET = 0.01
EXAMPLE_WINDOW_SECONDS = 0.96
EXAMPLE_HOP_SECONDS = 0.96

_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def frame(data, window_length, hop_length):
    num_samples = data.shape[0]
    num_frames = 1 + int(np.floor((num_samples - window_length) / hop_length))
    shape = (num_frames, window_length) + data.shape[1:]
    strides = (data.strides[0] * hop_length,) + data.strides
    return np.lib.stride_tricks.as_strided(data, shape=shape, strides=strides)


def periodic_hann(window_length):
    return 0.5 - (0.5 * np.cos(2 * np.pi / window_length * np.arange(window_length)))


def stft_magnitude(signal, fft_length, hop_length=None, window_length=None):
    frames = frame(signal, window_length, hop_length)
    window = periodic_hann(window_length)
    windowed_frames = frames * window
    return np.abs(np.fft.rfft(windowed_frames, int(fft_length)))


def hertz_to_mel(frequencies_hertz):
    return _MEL_HIGH_FREQUENCY_Q * np.log(1.0 + (frequencies_hertz / _MEL_BREAK_FREQUENCY_HERTZ))


def spectrogram_to_mel_matrix(num_mel_bins, num_spectrogram_bins, audio_sample_rate, lower_edge_hertz, upper_edge_hertz):
    nyquist_hertz = audio_sample_rate / 2.0
    spectrogram_bins_hertz = np.linspace(0.0, nyquist_hertz, num_spectrogram_bins)
    spectrogram_bins_mel = hertz_to_mel(spectrogram_bins_hertz)
    band_edges_mel = np.linspace(hertz_to_mel(lower_edge_hertz), hertz_to_mel(upper_edge_hertz), num_mel_bins + 2)
    mel_weights_matrix = np.empty((num_spectrogram_bins, num_mel_bins))
    for i in range(num_mel_bins):
        lower_edge_mel, center_mel, upper_edge_mel = band_edges_mel[i : i + 3]
        lower_slope = (spectrogram_bins_mel - lower_edge_mel) / (center_mel - lower_edge_mel)
        upper_slope = (upper_edge_mel - spectrogram_bins_mel) / (upper_edge_mel - center_mel)
        mel_weights_matrix[:, i] = np.maximum(0.0, np.minimum(lower_slope, upper_slope))
    mel_weights_matrix[0, :] = 0.0
    return mel_weights_matrix


def log_mel_spectrogram(data, audio_sample_rate, log_offset, window_length_secs, hop_length_secs, **kwargs):
    window_length_samples = int(round(audio_sample_rate * window_length_secs))
    hop_length_samples = int(round(audio_sample_rate * hop_length_secs))
    fft_length = 2 ** int(np.ceil(np.log(window_length_samples) / np.log(2.0)))
    spectrogram = stft_magnitude(data, fft_length=fft_length, hop_length=hop_length_samples, window_length=window_length_samples)
    mel = np.dot(
        spectrogram,
        spectrogram_to_mel_matrix(num_spectrogram_bins=spectrogram.shape[1], audio_sample_rate=audio_sample_rate, **kwargs),
    )
    return np.log(mel + log_offset)


def waveform_to_examples(data):
    """vggish_input.waveform_to_examples for mono audio already at 16 kHz: [examples, 96, 64]."""
    log_mel = log_mel_spectrogram(
        data,
        audio_sample_rate=SAMPLE_RATE,
        log_offset=LOG_OFFSET,
        window_length_secs=STFT_WINDOW_LENGTH_SECONDS,
        hop_length_secs=STFT_HOP_LENGTH_SECONDS,
        num_mel_bins=NUM_MEL_BINS,
        lower_edge_hertz=MEL_MIN_HZ,
        upper_edge_hertz=MEL_MAX_HZ,
    )
    features_sample_rate = 1.0 / STFT_HOP_LENGTH_SECONDS
    window = int(round(EXAMPLE_WINDOW_SECONDS * features_sample_rate))
    hop = int(round(EXAMPLE_HOP_SECONDS * features_sample_rate))
    return frame(log_mel, window_length=window, hop_length=hop)


def test_waveform(n, tones, chirp, noise_amp):
    """The fixture's waveform; the TypeScript test computes the same formula in float64."""
    t = np.arange(n, dtype=np.float64) / SAMPLE_RATE
    x = np.zeros(n)
    for f, a in tones:
        x += a * np.sin(2 * np.pi * f * t)
    f0, f1, amp = chirp
    duration = n / SAMPLE_RATE
    x += amp * np.sin(2 * np.pi * (f0 * t + (f1 - f0) * t * t / (2 * duration)))
    # integer LCG noise (Numerical Recipes constants), identical in any language
    state = 12345
    noise = np.empty(n)
    for i in range(n):
        state = (1664525 * state + 1013904223) % 4294967296
        noise[i] = state / 4294967296 - 0.5
    return x + noise_amp * noise


def main(out):
    params = {
        "sampleRate": SAMPLE_RATE,
        "samples": 32000,
        "tones": [[440.0, 0.3], [1000.0, 0.2], [3150.0, 0.1]],
        "chirp": [200.0, 6000.0, 0.2],
        "noise": 0.05,
    }
    x = test_waveform(params["samples"], params["tones"], params["chirp"], params["noise"])
    ex = waveform_to_examples(x).astype(np.float32)
    fixture = {
        "source": "tools/features/vggish_mel.py (numpy port of VGGish mel_features.py / vggish_input.py)",
        "waveform": params,
        "shape": list(ex.shape),
        "examples": base64.b64encode(np.ascontiguousarray(ex).tobytes()).decode("ascii"),
        "melMatrixShape": [257, 64],
    }
    with open(out, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    print(f"{out}: examples {list(ex.shape)}, min {ex.min():.4f} max {ex.max():.4f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "logmel.json")
