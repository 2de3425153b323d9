#!/usr/bin/python3
"""PyTorch reference for @tavt/avmm, @tavt/encoder and @tavt/dccl: golden fixtures the TypeScript tests compare against.

Written from the paper's equations (eq. 1-3, 6-8, 12-17) and the documented semantics of @tavt/core's layers
(packages/core/src/nn/*.ts: PyTorch weight layout, pre-LN blocks, masked scores set to the lowest float32),
independently of the TypeScript code: loops where the TypeScript is batched. Weights are drawn here with torch
(seeded), exported by dotted parameter name and loaded into the TypeScript parameter trees by that name; the
reference computes in float64.

    /usr/bin/python3 tools/golden/tavt_modules.py   # rewrites tools/fixtures/{avmm,encoder,dccl}/*.json
"""
import json
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(ROOT, "tools", "fixtures")

# The @tavt/core layers (shared with tavt_model.py); attention here is always key-masked, keys and values the same.
from torch_layers import DT, Params, encoder_block, export, ffn, layer_norm, linear, positions  # noqa: E402
from torch_layers import attention as _attention  # noqa: E402


def rand(gen, shape, lo=-1.0, hi=1.0):
    return (torch.rand(*shape, generator=gen) * (hi - lo) + lo).to(torch.float32).to(DT)


def export_grads(params, loss):
    names = sorted(params.p)
    gs = torch.autograd.grad(loss, [params.p[n] for n in names])
    return {n: export(g) for n, g in zip(names, gs)}


class View:
    """Parameters by name, for the MAML-stepped copy of a `Params`."""

    def __init__(self, p):
        self.p = p

    def __getitem__(self, name):
        return self.p[name]


MAML_ALPHA = 0.1


def export_maml_grads(params, loss_fn):
    """Second order (MAML): the gradient of loss_fn(theta - alpha * grad loss_fn(theta)) with respect to theta."""
    names = sorted(params.p)
    xs = [params.p[n] for n in names]
    gs = torch.autograd.grad(loss_fn(params), xs, create_graph=True)
    stepped = View({n: x - MAML_ALPHA * g for n, x, g in zip(names, xs, gs)})
    outer = torch.autograd.grad(loss_fn(stepped), xs)
    return {n: export(g) for n, g in zip(names, outer)}


def write(area, name, obj):
    path = os.path.join(FIXTURES, area, f"{name}.json")
    with open(path + ".tmp", "w") as f:
        json.dump(obj, f)
    os.replace(path + ".tmp", path)
    print(f"wrote {os.path.relpath(path, ROOT)}")


# ---------------------------------------------------------------------------------------------------------------
# @tavt/core layers (semantics of packages/core/src/nn/*.ts)


def attention(P, name, q_in, kv_in, heads, key_mask):
    return _attention(P, name, q_in, kv_in, kv_in, heads, key_mask=key_mask)


# ---------------------------------------------------------------------------------------------------------------
# @tavt/avmm (eq. 1-2)


def clip_pool(frames, mask, clip_len, clips):
    """Eq. 1 with ragged lengths: clip i = mean of its real frames among i*T .. i*T+T-1; empty clips are 0, masked."""
    b, t, d = frames.shape
    out = torch.zeros(b, clips, d, dtype=DT)
    cmask = torch.zeros(b, clips, dtype=DT)
    for bi in range(b):
        for ci in range(clips):
            rows = [f for f in range(ci * clip_len, (ci + 1) * clip_len) if f < t and mask[bi, f] > 0]
            if rows:
                out[bi, ci] = torch.stack([frames[bi, f] for f in rows]).mean(0)
                cmask[bi, ci] = 1
    return out, cmask


def avmm_case():
    cfg = {"visualDim": 6, "audioDim": 4, "dim": 8, "heads": 2, "clusters": 5, "clips": 3, "clipLength": 2,
           "blocks": 1, "ffn": 16}
    P = Params(601)
    d = cfg["dim"]
    P.linear("mapper.proj", cfg["visualDim"], d)
    for i in range(cfg["blocks"]):
        P.block(f"mapper.blocks.{i}", d, cfg["ffn"])
    P.layer_norm("mapper.lnOut", d)
    P.linear("phi", d, cfg["clusters"])
    g = torch.Generator().manual_seed(602)
    vmask = torch.tensor([[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0, 0]], dtype=DT)  # 7 frames > l*T = 6
    amask = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0]], dtype=DT)
    visual = rand(g, (2, 7, cfg["visualDim"])) * vmask[:, :, None]
    audio = rand(g, (2, 6, cfg["audioDim"])) * amask[:, :, None]
    bank = rand(g, (cfg["clusters"], cfg["audioDim"]), -2, 2)

    clips, cmask = clip_pool(visual, vmask, cfg["clipLength"], cfg["clips"])
    aclips, acmask = clip_pool(audio, amask, cfg["clipLength"], cfg["clips"])
    both = acmask * cmask

    def forward(P):
        x = linear(P, "mapper.proj", clips) + positions(cfg["clips"], d)[None]
        for i in range(cfg["blocks"]):
            x = encoder_block(P, f"mapper.blocks.{i}", x, cfg["heads"], cmask)
        prefix = layer_norm(P, "mapper.lnOut", x)  # eq. 1: p = SA(c)
        weights = torch.softmax(linear(P, "phi", prefix), -1)  # eq. 2
        a_rec = weights @ bank  # eq. 2: sum_k w_k m_k
        loss = (((a_rec - aclips) ** 2).sum(-1) * both).sum() / (both.sum().clamp(min=1) * cfg["audioDim"])
        return prefix, weights, a_rec, loss

    prefix, weights, a_rec, loss = forward(P)
    write("avmm", "avmm", {
        "config": cfg,
        "params": {k: export(v) for k, v in sorted(P.p.items())},
        "inputs": {"visual": export(visual), "visualMask": export(vmask), "audio": export(audio),
                   "audioMask": export(amask), "bank": export(bank)},
        "expected": {"clips": export(clips), "clipMask": export(cmask), "prefix": export(prefix),
                     "weights": export(weights), "aRec": export(a_rec), "audioClips": export(aclips),
                     "audioClipMask": export(both), "lossRec": float(loss), "grads": export_grads(P, loss),
                     "mamlAlpha": MAML_ALPHA, "mamlGrads": export_maml_grads(P, lambda Q: forward(Q)[3])},
    })


# ---------------------------------------------------------------------------------------------------------------
# @tavt/encoder (eq. 12-17)


def encoder_case():
    cfg = {"visualDim": 6, "audioDim": 4, "dim": 8, "heads": 2, "blocks": 2, "crossBlocks": 1, "ffn": 16}
    d, h = cfg["dim"], cfg["heads"]
    P = Params(701)
    P.linear("visualProj", cfg["visualDim"], d)
    P.linear("audioProj", cfg["audioDim"], d)
    for s in ("selfV", "selfA"):
        for i in range(cfg["blocks"]):
            P.block(f"{s}.blocks.{i}", d, cfg["ffn"])
        P.layer_norm(f"{s}.lnOut", d)
    for s in ("crossAv", "crossVa"):
        for i in range(cfg["crossBlocks"]):
            P.block(f"{s}.blocks.{i}", d, cfg["ffn"])
        P.layer_norm(f"{s}.lnOut", d)
    g = torch.Generator().manual_seed(702)
    prefix = rand(g, (2, 3, d))
    pmask = torch.tensor([[1, 1, 1], [1, 1, 0]], dtype=DT)
    vmask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=DT)
    amask = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]], dtype=DT)
    visual = rand(g, (2, 5, cfg["visualDim"]))
    audio = rand(g, (2, 4, cfg["audioDim"]))
    r_av = rand(g, (2, 8, d))
    r_va = rand(g, (2, 4, d))

    def self_stack(P, name, x, mask):
        for i in range(cfg["blocks"]):
            x = encoder_block(P, f"{name}.blocks.{i}", x, h, mask)
        return layer_norm(P, f"{name}.lnOut", x)

    def cross_stack(P, name, x, mem, mem_mask):
        for i in range(cfg["crossBlocks"]):
            n = f"{name}.blocks.{i}"
            x = x + attention(P, f"{n}.attn", layer_norm(P, f"{n}.ln1", x), mem, h, mem_mask)
            x = x + ffn(P, f"{n}.ffn", layer_norm(P, f"{n}.ln2", x))
        return layer_norm(P, f"{name}.lnOut", x)

    vpmask = torch.cat([pmask, vmask], 1)

    def forward(P):
        vp = torch.cat([prefix, linear(P, "visualProj", visual)], 1)  # V' = [p; W_v V]
        f_v = self_stack(P, "selfV", vp + positions(vp.shape[1], d)[None], vpmask)  # eq. 12
        a = linear(P, "audioProj", audio) + positions(audio.shape[1], d)[None]
        f_a = self_stack(P, "selfA", a, amask)  # eq. 13
        x_av = cross_stack(P, "crossAv", f_v, f_a, amask)  # eq. 16
        x_va = cross_stack(P, "crossVa", f_a, f_v, vpmask)  # eq. 17
        return f_v, x_av, x_va, (x_av * r_av).sum() + (x_va * r_va).sum()

    f_v, x_av, x_va, loss = forward(P)
    write("encoder", "encoder", {
        "config": cfg,
        "params": {k: export(v) for k, v in sorted(P.p.items())},
        "inputs": {"prefix": export(prefix), "prefixMask": export(pmask), "visual": export(visual),
                   "visualMask": export(vmask), "audio": export(audio), "audioMask": export(amask),
                   "rAv": export(r_av), "rVa": export(r_va)},
        "expected": {"xAv": export(x_av), "xVa": export(x_va), "avMask": export(vpmask), "vaMask": export(amask),
                     "visualOnly": export(f_v), "loss": float(loss), "grads": export_grads(P, loss),
                     "mamlAlpha": MAML_ALPHA, "mamlGrads": export_maml_grads(P, lambda Q: forward(Q)[3])},
    })


# ---------------------------------------------------------------------------------------------------------------
# @tavt/dccl (section 3.3, eq. 6-8)


def counterfactual(w, mode):
    if mode == "reverse":
        return w.flip(-1)
    if mode == "complement":
        return (1 - w) / (w.shape[-1] - 1)
    order = torch.sort(w, dim=-1, descending=True, stable=True).indices  # rank r -> prototype
    rank = torch.argsort(order, dim=-1)  # prototype -> rank
    perm = order.flip(-1).gather(-1, rank)  # pi(k): the prototype ranked K-1-rank(k)
    return w.gather(-1, perm)


def cos(p, q, eps=1e-8):
    return (p @ q) / torch.sqrt(torch.clamp((p @ p) * (q @ q), min=eps * eps))


def info_nce(anchor, pos, neg, mask, tau, in_batch):
    """-log(e^{s(x, x+)/tau} / sum_i e^{s(x, x_i)/tau}), mean over real anchors; loops over anchors and candidates."""
    n = anchor.shape[0]
    terms = []
    for i in range(n):
        if mask[i] == 0:
            continue
        if in_batch:
            cands = [pos[j] for j in range(n) if j == i or mask[j] > 0] + [neg[j] for j in range(n) if j == i or mask[j] > 0]
        else:
            cands = [pos[i], neg[i]]
        logits = torch.stack([cos(anchor[i], c) for c in cands]) / tau
        terms.append(torch.logsumexp(logits, 0) - cos(anchor[i], pos[i]) / tau)
    return torch.stack(terms).sum() / max(len(terms), 1)


def dccl_case():
    tau = 0.4
    psi_eps = 1e-6
    g = torch.Generator().manual_seed(801)
    B, l, K, da = 2, 3, 5, 4
    z = (rand(g, (B, l, K), -2, 2)).requires_grad_()
    bank = rand(g, (K, da), -2, 2)
    audio = rand(g, (B, l, da))
    cmask = torch.tensor([[1, 1, 1], [1, 0, 1]], dtype=DT)
    out = {"inputs": {"logits": export(z), "bank": export(bank), "audioClips": export(audio), "clipMask": export(cmask)},
           "expected": {"weightsNeg": {}, "aNeg": {}, "lossDis": {}, "gradLogits": {}}}
    e = out["expected"]
    for mode in ("rank-inverse", "reverse", "complement"):
        for in_batch in (False, True):
            w = torch.softmax(z, -1)
            a_pos = w @ bank  # A+ = A_rec
            w_neg = counterfactual(w, mode)
            a_neg = w_neg @ bank
            flat = lambda t: t.reshape(B * l, -1)
            loss = info_nce(flat(audio), flat(a_pos), flat(a_neg), cmask.reshape(-1), tau, in_batch)
            key = f"{mode}{'+inBatch' if in_batch else ''}"
            e["weightsNeg"][mode] = export(w_neg)
            e["aNeg"][mode] = export(a_neg)
            e["lossDis"][key] = float(loss)
            e["gradLogits"][key] = export(torch.autograd.grad(loss, z)[0])

    def dis_of(zz):
        w = torch.softmax(zz, -1)
        flat = lambda t: t.reshape(B * l, -1)
        return info_nce(flat(audio), flat(w @ bank), flat(counterfactual(w, "rank-inverse") @ bank), cmask.reshape(-1),
                        tau, False)

    (gz,) = torch.autograd.grad(dis_of(z), z, create_graph=True)
    e["mamlAlpha"] = MAML_ALPHA
    e["mamlGradLogits"] = export(torch.autograd.grad(dis_of(z - MAML_ALPHA * gz), z)[0])

    # L_dep over psi of three gate pairs (A, A+, A-), gates [B, L, d]
    L, d = 4, 3
    gates = {n: rand(g, (B, L, d), 0.05, 0.95).requires_grad_() for n in
             ("alphaAv", "alphaVa", "alphaAvPos", "alphaVaPos", "alphaAvNeg", "alphaVaNeg")}
    tmask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]], dtype=DT)

    def r_vec(av, va):
        return (av / (va + psi_eps)).mean(-1) * tmask  # psi, mean over d, padded tokens zeroed

    real = (tmask.sum(-1) > 0).to(DT)
    dep = {}
    for in_batch in (False, True):
        loss = info_nce(r_vec(gates["alphaAv"], gates["alphaVa"]), r_vec(gates["alphaAvPos"], gates["alphaVaPos"]),
                        r_vec(gates["alphaAvNeg"], gates["alphaVaNeg"]), real, tau, in_batch)
        names = sorted(gates)
        gs = torch.autograd.grad(loss, [gates[n] for n in names])
        dep["inBatch" if in_batch else "own"] = {"loss": float(loss), "grads": {n: export(x) for n, x in zip(names, gs)}}

    def dep_of(G):
        return info_nce(r_vec(G["alphaAv"], G["alphaVa"]), r_vec(G["alphaAvPos"], G["alphaVaPos"]),
                        r_vec(G["alphaAvNeg"], G["alphaVaNeg"]), real, tau, False)

    names = sorted(gates)
    gs = torch.autograd.grad(dep_of(gates), [gates[n] for n in names], create_graph=True)
    stepped = {n: gates[n] - MAML_ALPHA * gi for n, gi in zip(names, gs)}
    outer = torch.autograd.grad(dep_of(stepped), [gates[n] for n in names])
    dep["mamlGrads"] = {n: export(x) for n, x in zip(names, outer)}

    # W_ma (eq. 8): mean over each word's occurrences of mean_d(alpha_av / alpha_va)
    tokens = torch.tensor([[5, 6, 5, 9], [6, 7, 5, 0]])
    ratio = (gates["alphaAv"] / (gates["alphaVa"] + psi_eps)).mean(-1)
    wma = torch.zeros(B, L, dtype=DT)
    for b in range(B):
        for t in range(L):
            if tmask[b, t] == 0:
                continue
            occ = [ratio[bb, tt] for bb in range(B) for tt in range(L)
                   if tmask[bb, tt] > 0 and tokens[bb, tt] == tokens[b, t]]
            wma[b, t] = torch.stack(occ).mean()
    wma_norm = wma / (wma.sum() / tmask.sum())
    c = rand(g, (B, L))
    gw = torch.autograd.grad((wma * c).sum(), [gates["alphaAv"], gates["alphaVa"]])
    e["lossDep"] = dep
    e["wma"] = export(wma)
    e["wmaNormalized"] = export(wma_norm)
    e["wmaGrads"] = {"alphaAv": export(gw[0]), "alphaVa": export(gw[1])}
    out["inputs"].update({k: export(v) for k, v in gates.items()})
    out["inputs"].update({"tokenMask": export(tmask), "tokens": export(tokens.to(DT)), "wmaCoef": export(c)})
    out["config"] = {"tau": tau, "psiEps": psi_eps}
    write("dccl", "dccl", out)


if __name__ == "__main__":
    torch.set_printoptions(precision=8)
    avmm_case()
    encoder_case()
    dccl_case()
