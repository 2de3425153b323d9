#!/usr/bin/env python3
"""Tiny ONNX models and the expected outputs @tavt/features' tests compare onnxruntime-node against.

    /usr/bin/python3 tools/features/export_tiny_models.py packages/features/test/fixtures

Needs Debian's python3-torch, python3-numpy and ffmpeg; CI does not run it (the outputs are committed). It writes:
- tiny-image.onnx: [n, 3, H, W] -> outputs "pool" [n, 4] and "embedding" [n, 6] (conv, ReLU, global average pool,
  linear), a stand-in for ResNet-101's 2048-d pooled features;
- tiny-audio.onnx: [n, 1, 96, 64] log-mel examples -> "embedding" [n, 3], a stand-in for VGGish;
- clip.mp4: 2 s of ffmpeg's testsrc (64x48, 10 fps) with a 440 Hz tone;
- onnx.json: the frames of clip.mp4 as @tavt/features decodes them (4 fps, shorter side 32, centre crop 32), their
  ImageNet-normalised NCHW floats through PyTorch's model, the clip's log-mel examples (the numpy VGGish port) through
  PyTorch's audio model.
"""
import base64
import json
import os
import subprocess
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from vggish_mel import waveform_to_examples  # noqa: E402

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


class TinyImage(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, stride=2)
        self.fc = torch.nn.Linear(4, 6)

    def forward(self, x):
        pool = torch.relu(self.conv(x)).mean(dim=(2, 3))
        return pool, self.fc(pool)


class TinyAudio(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 2, 3, stride=4)
        self.fc = torch.nn.Linear(2, 3)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x)).mean(dim=(2, 3)))


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode("ascii")


def decode_frames(video):
    """The frames as @tavt/features' decodeFrames gets them: fps 4, shorter side 32, centre crop 32, rgb24."""
    vf = "fps=4,scale='if(lte(iw,ih),32,-2)':'if(lte(iw,ih),-2,32)':flags=bilinear,crop=32:32"
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", video, "-an", "-vf", vf, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        check=True,
        capture_output=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(-1, 32, 32, 3)


def decode_audio(video):
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", video, "-vn", "-ac", "1", "-ar", "16000", "-f", "f32le", "-"],
        check=True,
        capture_output=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.float32)


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    image, audio = TinyImage().eval(), TinyAudio().eval()
    torch.onnx.export(
        image, torch.zeros(1, 3, 32, 32), os.path.join(out, "tiny-image.onnx"), input_names=["frames"],
        output_names=["pool", "embedding"], dynamic_axes={"frames": {0: "n", 2: "h", 3: "w"}}, opset_version=13,
    )
    torch.onnx.export(
        audio, torch.zeros(1, 1, 96, 64), os.path.join(out, "tiny-audio.onnx"), input_names=["examples"],
        output_names=["embedding"], dynamic_axes={"examples": {0: "n"}}, opset_version=13,
    )
    video = os.path.join(out, "clip.mp4")
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=2",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=2",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", video],
        check=True,
    )
    frames = decode_frames(video)
    x = ((frames.astype(np.float32) / 255 - MEAN) / STD).transpose(0, 3, 1, 2).copy()
    with torch.no_grad():
        pool, emb = image(torch.from_numpy(x))
    examples = waveform_to_examples(decode_audio(video).astype(np.float64)).astype(np.float32)
    with torch.no_grad():
        aemb = audio(torch.from_numpy(examples[:, None, :, :].copy()))
    fixture = {
        "source": "tools/features/export_tiny_models.py (PyTorch %s)" % torch.__version__,
        "frames": {"shape": list(frames.shape), "rgb": b64(frames)},
        "pool": {"shape": list(pool.shape), "data": b64(pool.numpy().astype(np.float32))},
        "embedding": {"shape": list(emb.shape), "data": b64(emb.numpy().astype(np.float32))},
        "examples": {"shape": list(examples.shape), "data": b64(examples)},
        "audioEmbedding": {"shape": list(aemb.shape), "data": b64(aemb.numpy().astype(np.float32))},
    }
    with open(os.path.join(out, "onnx.json"), "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    print(f"frames {frames.shape}, visual {emb.shape}, examples {examples.shape}, audio {aemb.shape}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
