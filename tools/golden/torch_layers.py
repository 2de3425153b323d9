"""The @tavt/core layers in PyTorch (float64), shared by the golden-fixture scripts of the TAVT packages.

Semantics from packages/core/src/nn/*.ts: PyTorch weight layout ([out, in]), pre-LN blocks, masked attention scores
set to the lowest float32 (a fully masked row gets uniform weights, never NaN), sinusoidal positions built in
float32. Written independently of the TypeScript code.
"""
import math

import torch

LOWEST = float(torch.finfo(torch.float32).min)  # @tavt/core FLOAT32_LOWEST
DT = torch.float64


class Params:
    """A flat {dotted.name: tensor} dict. Draws float32 values with torch's generator (so the exported values are
    exact) and computes in float64."""

    def __init__(self, seed):
        self.gen = torch.Generator().manual_seed(seed)
        self.p = {}

    def normal(self, name, shape, std):
        self.p[name] = (torch.randn(*shape, generator=self.gen) * std).to(torch.float32).to(DT).requires_grad_()

    def uniform(self, name, shape, lo, hi):
        self.p[name] = (torch.rand(*shape, generator=self.gen) * (hi - lo) + lo).to(torch.float32).to(DT).requires_grad_()

    def linear(self, name, in_dim, out_dim, bias=True):
        lim = math.sqrt(6 / (in_dim + out_dim))
        self.uniform(f"{name}.weight", (out_dim, in_dim), -lim, lim)
        if bias:
            self.uniform(f"{name}.bias", (out_dim,), -0.5, 0.5)  # non-zero so the golden tests see the bias

    def layer_norm(self, name, dim):
        self.uniform(f"{name}.weight", (dim,), 0.5, 1.5)
        self.uniform(f"{name}.bias", (dim,), -0.5, 0.5)

    def attention(self, name, dim, kv_dim=None):
        kv = kv_dim or dim
        self.linear(f"{name}.q", dim, dim)
        self.linear(f"{name}.k", kv, dim)
        self.linear(f"{name}.v", kv, dim)
        self.linear(f"{name}.o", dim, dim)

    def ffn(self, name, dim, hidden):
        self.linear(f"{name}.fc1", dim, hidden)
        self.linear(f"{name}.fc2", hidden, dim)

    def block(self, name, dim, ffn):
        """A core encoder block, or (same names) one CrossAtt block of @tavt/encoder: ln1, attn, ln2, ffn."""
        self.layer_norm(f"{name}.ln1", dim)
        self.attention(f"{name}.attn", dim)
        self.layer_norm(f"{name}.ln2", dim)
        self.ffn(f"{name}.ffn", dim, ffn)

    def __getitem__(self, name):
        return self.p[name]


def export(t):
    t = t.detach().to(torch.float32)
    return {"shape": list(t.shape), "data": [float(x) for x in t.reshape(-1).tolist()]}


def linear(P, name, x):
    y = x @ P[f"{name}.weight"].t()
    b = f"{name}.bias"
    return y + P[b] if b in P.p else y


def layer_norm(P, name, x, eps=1e-5):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * P[f"{name}.weight"] + P[f"{name}.bias"]


def attention(P, name, q_in, k_in, v_in, heads, key_mask=None, causal=False):
    """Multi-head attention; masked scores become the lowest float32 (a fully masked row: uniform weights)."""
    b, tq, d = q_in.shape
    tk = k_in.shape[1]
    dh = d // heads

    def split(x, t):
        return x.reshape(b, t, heads, dh).permute(0, 2, 1, 3)

    q = split(linear(P, f"{name}.q", q_in), tq)
    k = split(linear(P, f"{name}.k", k_in), tk)
    v = split(linear(P, f"{name}.v", v_in), tk)
    scores = q @ k.transpose(-1, -2) / math.sqrt(dh)
    m = torch.ones(1, 1, tq, tk, dtype=DT)
    if causal:
        m = m * torch.tril(torch.ones(tq, tk, dtype=DT), diagonal=tk - tq)[None, None]
    if key_mask is not None:
        m = m * key_mask.to(DT)[:, None, None, :]
    if causal or key_mask is not None:
        scores = scores * m + (1 - m) * LOWEST
    w = torch.softmax(scores, -1)
    out = (w @ v).permute(0, 2, 1, 3).reshape(b, tq, d)
    return linear(P, f"{name}.o", out)


def ffn(P, name, x):
    return linear(P, f"{name}.fc2", torch.relu(linear(P, f"{name}.fc1", x)))


def positions(length, dim):
    pe = torch.zeros(length, dim, dtype=DT)
    for p in range(length):
        for i in range(0, dim, 2):
            angle = p / 10000 ** (i / dim)
            pe[p, i] = math.sin(angle)
            if i + 1 < dim:
                pe[p, i + 1] = math.cos(angle)
    return pe.to(torch.float32).to(DT)  # @tavt/core builds the table in float32


def encoder_block(P, name, x, heads, mask=None):
    h = layer_norm(P, f"{name}.ln1", x)
    x = x + attention(P, f"{name}.attn", h, h, h, heads, key_mask=mask)
    return x + ffn(P, f"{name}.ffn", layer_norm(P, f"{name}.ln2", x))
