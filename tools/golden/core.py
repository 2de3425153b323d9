#!/usr/bin/python3
"""PyTorch reference for @tavt/core's layers and optimisers: golden fixtures the TypeScript tests compare against.

Written from the documented semantics of @tavt/core (PyTorch weight layout: Linear weight [out, in]; attention with
separate q/k/v/o Linear layers; pre-LN encoder and decoder blocks; masked attention scores set to the lowest finite
float32, so a fully masked row gives uniform weights) with torch.nn.functional ops, independently of the TypeScript
code. Where torch has the same layer (F.linear, F.layer_norm, F.embedding, F.multi_head_attention_forward,
torch.optim.Adam, torch.nn.utils.clip_grad_norm_) the script uses it or checks itself against it.

Weights and inputs are drawn here with torch's seeded generator, rounded to float32 (so the TypeScript side loads
them exactly), and the reference computes in float64. Each case's loss is sum(out * R) for a fixed random R; the
fixture holds the output and the gradient of that loss with respect to every input and every weight.

    /usr/bin/python3 tools/golden/core.py      # rewrites tools/fixtures/core/*.json
"""
import json
import math
import os

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(os.path.dirname(HERE), "fixtures", "core")
DT = torch.float64
LOWEST = float(torch.finfo(torch.float32).min)  # @tavt/core FLOAT32_LOWEST
LN_EPS = 1e-5

gen = torch.Generator().manual_seed(20230709)


def f32(t):
    """Round to float32 (exactly representable on the TypeScript side), compute in float64."""
    return t.to(torch.float32).to(DT)


def uniform(shape, lo, hi):
    return f32(torch.rand(*shape, generator=gen) * (hi - lo) + lo).requires_grad_()


def normal(shape, scale=1.0):
    return f32(torch.randn(*shape, generator=gen) * scale).requires_grad_()


def js(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def js_int(t):
    return {"shape": list(t.shape), "data": [int(v) for v in t.reshape(-1).tolist()]}


# ---------------------------------------------------------------------------------------------------------------
# Parameters (dotted names as @tavt/core's trees)


def linear_params(p, name, in_dim, out_dim):
    lim = math.sqrt(6 / (in_dim + out_dim))
    p[f"{name}.weight"] = uniform((out_dim, in_dim), -lim, lim)
    p[f"{name}.bias"] = uniform((out_dim,), -0.5, 0.5)  # non-zero so the test sees the bias


def layer_norm_params(p, name, dim):
    p[f"{name}.weight"] = uniform((dim,), 0.5, 1.5)
    p[f"{name}.bias"] = uniform((dim,), -0.5, 0.5)


def attention_params(p, name, dim, kv_dim):
    linear_params(p, f"{name}.q", dim, dim)
    linear_params(p, f"{name}.k", kv_dim, dim)
    linear_params(p, f"{name}.v", kv_dim, dim)
    linear_params(p, f"{name}.o", dim, dim)


def ffn_params(p, name, dim, hidden):
    linear_params(p, f"{name}.fc1", dim, hidden)
    linear_params(p, f"{name}.fc2", hidden, dim)


# ---------------------------------------------------------------------------------------------------------------
# The reference math


def lin(p, name, x):
    return F.linear(x, p[f"{name}.weight"], p[f"{name}.bias"])


def ln(p, name, x):
    return F.layer_norm(x, (x.shape[-1],), p[f"{name}.weight"], p[f"{name}.bias"], LN_EPS)


def allowed_mask(b, tq, tk, key_mask, causal):
    """[B, 1, Tq, Tk] booleans: True where query i may attend to key j."""
    allowed = torch.ones(b, 1, tq, tk, dtype=torch.bool)
    if causal:
        off = tk - tq
        i = torch.arange(tq).view(tq, 1)
        j = torch.arange(tk).view(1, tk)
        allowed = allowed & (j <= i + off).view(1, 1, tq, tk)
    if key_mask is not None:
        allowed = allowed & (key_mask > 0.5).view(b, 1, 1, tk)
    return allowed


def attention(p, name, query, key, value, heads, key_mask=None, causal=False):
    """softmax(Q K^T / sqrt(d_head)) V per head; masked scores are the lowest float32; heads merged, projected."""
    b, tq, dim = query.shape
    tk = key.shape[1]
    dh = dim // heads
    q = lin(p, f"{name}.q", query).view(b, tq, heads, dh).transpose(1, 2)
    k = lin(p, f"{name}.k", key).view(b, tk, heads, dh).transpose(1, 2)
    v = lin(p, f"{name}.v", value).view(b, tk, heads, dh).transpose(1, 2)
    scores = q @ k.transpose(-1, -2) / math.sqrt(dh)  # [B, H, Tq, Tk]
    if key_mask is not None or causal:
        scores = scores.masked_fill(~allowed_mask(b, tq, tk, key_mask, causal), LOWEST)
    weights = torch.softmax(scores, dim=-1)
    ctx = (weights @ v).transpose(1, 2).reshape(b, tq, dim)
    return lin(p, f"{name}.o", ctx), weights


def check_against_torch_mha(p, name, query, key, value, heads, key_mask, causal, out, weights):
    """Our attention equals torch's own F.multi_head_attention_forward on every row that is not fully masked."""
    b, tq, dim = query.shape
    tk = key.shape[1]
    w = lambda n: p[f"{name}.{n}.weight"]  # noqa: E731
    bias = torch.cat([p[f"{name}.q.bias"], p[f"{name}.k.bias"], p[f"{name}.v.bias"]])
    attn_mask = None
    if causal:
        attn_mask = ~allowed_mask(1, tq, tk, None, True).view(tq, tk)
    kpm = None if key_mask is None else key_mask < 0.5
    t_out, t_w = F.multi_head_attention_forward(
        query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1), dim, heads,
        None, bias, None, None, False, 0.0, w("o"), p[f"{name}.o.bias"],
        training=False, key_padding_mask=kpm, need_weights=True, attn_mask=attn_mask,
        use_separate_proj_weight=True, q_proj_weight=w("q"), k_proj_weight=w("k"), v_proj_weight=w("v"),
        average_attn_weights=False,
    )
    live = allowed_mask(b, tq, tk, key_mask, causal).any(-1).view(b, tq)  # rows with at least one allowed key
    assert live.sum() > 0
    d_out = (t_out.transpose(0, 1) - out)[live].abs().max().item()
    d_w = (t_w - weights).permute(0, 2, 1, 3)[live].abs().max().item()
    assert d_out < 1e-10 and d_w < 1e-10, (name, d_out, d_w)


def feed_forward(p, name, x):
    return lin(p, f"{name}.fc2", torch.relu(lin(p, f"{name}.fc1", x)))


def encoder_block(p, x, heads, mask):
    a, _ = attention(p, "attn", ln(p, "ln1", x), ln(p, "ln1", x), ln(p, "ln1", x), heads, key_mask=mask)
    x1 = x + a
    return x1 + feed_forward(p, "ffn", ln(p, "ln2", x1))


def decoder_block(p, x, memory, heads, mask, memory_mask):
    h1 = ln(p, "ln1", x)
    s, _ = attention(p, "selfAttn", h1, h1, h1, heads, key_mask=mask, causal=True)
    x1 = x + s
    c, _ = attention(p, "crossAttn", ln(p, "ln2", x1), memory, memory, heads, key_mask=memory_mask)
    x2 = x1 + c
    return x2 + feed_forward(p, "ffn", ln(p, "ln3", x2))


# ---------------------------------------------------------------------------------------------------------------
# Cases


def case(config, params, inputs, consts, outputs):
    """outputs: {name: tensor}; the loss is sum_k sum(outputs[k] * R_k) with R drawn here."""
    rs = {k: f32(torch.randn(*v.shape, generator=gen)) for k, v in outputs.items()}
    loss = sum((outputs[k] * rs[k]).sum() for k in outputs)
    diff = {**{f"input.{k}": v for k, v in inputs.items()}, **{f"param.{k}": v for k, v in params.items()}}
    gs = torch.autograd.grad(loss, list(diff.values()), allow_unused=False)
    for v in outputs.values():
        assert torch.isfinite(v).all()
    return {
        "config": config,
        "params": {k: js(v) for k, v in params.items()},
        "inputs": {k: js(v) for k, v in inputs.items()},
        "consts": consts,
        "R": {k: js(v) for k, v in rs.items()},
        "outputs": {k: js(v) for k, v in outputs.items()},
        "loss": float(loss),
        "grads": {k: js(g) for k, g in zip(diff.keys(), gs)},
    }


def linear_case():
    p = {}
    linear_params(p, "lin", 5, 4)
    p = {k[4:]: v for k, v in p.items()}
    x = normal((2, 3, 5))
    return case({"inDim": 5, "outDim": 4}, p, {"x": x}, {}, {"out": F.linear(x, p["weight"], p["bias"])})


def layer_norm_case():
    p = {}
    layer_norm_params(p, "ln", 6)
    p = {k[3:]: v for k, v in p.items()}
    x = normal((2, 3, 6), 2.0) + 0.5
    x = f32(x.detach()).requires_grad_()
    out = F.layer_norm(x, (6,), p["weight"], p["bias"], LN_EPS)
    return case({"dim": 6}, p, {"x": x}, {}, {"out": out})


def embedding_case():
    p = {"weight": normal((7, 4))}
    ids = torch.tensor([[1, 3, 3, 0, 6], [2, 3, 1, 1, 0]])  # repeats: the gradient must add up
    return case({"vocab": 7, "dim": 4}, p, {}, {"ids": js_int(ids)}, {"out": F.embedding(ids, p["weight"])})


def attention_padding_case():
    """Cross attention (kvDim != dim) with a key-padding mask; batch 2 has every key masked (uniform weights)."""
    b, tq, tk, dim, kv, heads = 3, 3, 5, 8, 6, 2
    p = {}
    attention_params(p, "attn", dim, kv)
    p = {k[5:]: v for k, v in p.items()}
    query, key, value = normal((b, tq, dim)), normal((b, tk, kv)), normal((b, tk, kv))
    key_mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [0, 0, 0, 0, 0]], dtype=DT)
    pp = {f"attn.{k}": v for k, v in p.items()}
    out, weights = attention(pp, "attn", query, key, value, heads, key_mask=key_mask)
    check_against_torch_mha(pp, "attn", query, key, value, heads, key_mask, False, out, weights)
    assert torch.allclose(weights[2], torch.full_like(weights[2], 1 / tk))
    return case(
        {"dim": dim, "heads": heads, "kvDim": kv},
        p,
        {"query": query, "key": key, "value": value},
        {"keyMask": js(key_mask)},
        {"out": out, "weights": weights},
    )


def attention_causal_case():
    """Causal self attention plus key padding; in batch 1 key 0 is padding, so query 0 sees no key at all."""
    b, t, dim, heads = 2, 4, 8, 2
    p = {}
    attention_params(p, "attn", dim, dim)
    p = {k[5:]: v for k, v in p.items()}
    x = normal((b, t, dim))
    key_mask = torch.tensor([[1, 1, 1, 0], [0, 1, 1, 1]], dtype=DT)
    pp = {f"attn.{k}": v for k, v in p.items()}
    out, weights = attention(pp, "attn", x, x, x, heads, key_mask=key_mask, causal=True)
    check_against_torch_mha(pp, "attn", x, x, x, heads, key_mask, True, out, weights)
    assert torch.allclose(weights[1, :, 0], torch.full_like(weights[1, :, 0], 1 / t))  # the fully masked row
    return case(
        {"dim": dim, "heads": heads},
        p,
        {"x": x},
        {"keyMask": js(key_mask)},
        {"out": out, "weights": weights},
    )


def feed_forward_case():
    p = {}
    ffn_params(p, "ffn", 6, 10)
    p = {k[4:]: v for k, v in p.items()}
    x = normal((2, 3, 6))
    return case({"dim": 6, "hidden": 10}, p, {"x": x}, {}, {"out": feed_forward({f"ffn.{k}": v for k, v in p.items()}, "ffn", x)})


def encoder_block_case():
    b, t, dim, heads, ffn = 2, 5, 8, 2, 12
    p = {}
    layer_norm_params(p, "ln1", dim)
    attention_params(p, "attn", dim, dim)
    layer_norm_params(p, "ln2", dim)
    ffn_params(p, "ffn", dim, ffn)
    x = normal((b, t, dim))
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=DT)
    out = encoder_block(p, x, heads, mask)
    return case({"dim": dim, "heads": heads, "ffn": ffn}, p, {"x": x}, {"mask": js(mask)}, {"out": out})


def decoder_block_case():
    b, t, s, dim, mem, heads, ffn = 2, 4, 5, 8, 6, 2, 12
    p = {}
    layer_norm_params(p, "ln1", dim)
    attention_params(p, "selfAttn", dim, dim)
    layer_norm_params(p, "ln2", dim)
    attention_params(p, "crossAttn", dim, mem)
    layer_norm_params(p, "ln3", dim)
    ffn_params(p, "ffn", dim, ffn)
    x = normal((b, t, dim))
    memory = normal((b, s, mem))
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]], dtype=DT)
    memory_mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=DT)
    out = decoder_block(p, x, memory, heads, mask, memory_mask)
    return case(
        {"dim": dim, "heads": heads, "ffn": ffn, "memoryDim": mem},
        p,
        {"x": x, "memory": memory},
        {"mask": js(mask), "memoryMask": js(memory_mask)},
        {"out": out},
    )


def adam_case(weight_decay):
    """Three steps of clip_grad_norm_(max_norm) then torch.optim.Adam, on a two-tensor tree with given gradients."""
    lr, max_norm = 0.01, 1.0
    init = {"layer.weight": f32(torch.randn(3, 4, generator=gen)), "layer.bias": f32(torch.randn(4, generator=gen))}
    scales = [3.0, 0.1, 1.5]  # the first and last steps are clipped, the second is not
    grads = [{k: f32(torch.randn(*v.shape, generator=gen) * s) for k, v in init.items()} for s in scales]
    params = {k: torch.nn.Parameter(v.clone()) for k, v in init.items()}
    opt = torch.optim.Adam(params.values(), lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=weight_decay)
    steps = []
    for g in grads:
        for k, prm in params.items():
            prm.grad = g[k].clone()
        norm = torch.nn.utils.clip_grad_norm_(list(params.values()), max_norm)
        clipped = {k: js(prm.grad) for k, prm in params.items()}
        opt.step()
        steps.append({
            "grads": {k: js(v) for k, v in g.items()},
            "norm": float(norm),
            "clipped": clipped,
            "params": {k: js(prm) for k, prm in params.items()},
        })
    assert steps[0]["norm"] > max_norm and steps[1]["norm"] < max_norm
    return {
        "config": {"lr": lr, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weightDecay": weight_decay, "maxNorm": max_norm},
        "init": {k: js(v) for k, v in init.items()},
        "steps": steps,
    }


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    layers = {
        "linear": linear_case(),
        "layerNorm": layer_norm_case(),
        "embedding": embedding_case(),
        "attentionPadding": attention_padding_case(),
        "attentionCausal": attention_causal_case(),
        "feedForward": feed_forward_case(),
        "encoderBlock": encoder_block_case(),
        "decoderBlock": decoder_block_case(),
    }
    optim = {"adam": adam_case(0.0), "adamWeightDecay": adam_case(0.01)}
    meta = {"source": "tools/golden/core.py", "torch": torch.__version__, "dtype": "float64"}
    for name, body in (("layers", layers), ("optim", optim)):
        path = os.path.join(OUT_DIR, f"{name}.json")
        with open(path, "w") as f:
            json.dump({"meta": meta, **body}, f)
            f.write("\n")
        print(f"wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
