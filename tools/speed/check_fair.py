#!/usr/bin/python3
"""Checks that tools/speed/torch_fair.py (TAVT written for speed) computes the golden reference's loss and gradients.

In float64, on the same parameters and batches (padded videos, a missing audio clip, captions of several lengths), for
two configurations (the golden tiny one, and a wider one with 2 encoder, 2 cross, 2 AVMM and 2 decoder blocks): each
loss part of eq. 10 and the gradient of the total for every parameter must agree as torch.allclose(rtol=1e-9,
atol=1e-12) does. Prints one JSON line (the largest differences) and exits 1 on a mismatch. Needs Debian's
python3-torch. `--perturb` changes one weight of the fast model by one part in a million: the check must then fail.

    /usr/bin/python3 tools/speed/check_fair.py [--perturb]
"""
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "golden"))
sys.path.insert(0, HERE)

import tavt_model  # noqa: E402
import torch_fair  # noqa: E402
from torch_layers import DT, Params  # noqa: E402

RTOL, ATOL = 1e-9, 1e-12

TINY = {"dim": 8, "heads": 2, "encoderBlocks": 1, "crossBlocks": 1, "avmmBlocks": 1, "decoderBlocks": 1, "ffn": 16,
        "visualDim": 6, "audioDim": 5, "frames": 8, "audioFrames": 8, "clips": 2, "clipLen": 4, "clusters": 4,
        "vocab": 12, "captionLen": 8, "tau": 0.4, "lambda": 1e-4, "mu": 1e-2, "fusion": "gated"}
WIDER = {**TINY, "dim": 16, "heads": 4, "encoderBlocks": 2, "crossBlocks": 2, "avmmBlocks": 2, "decoderBlocks": 2,
         "ffn": 24, "visualDim": 10, "audioDim": 7, "frames": 12, "audioFrames": 12, "clips": 3, "clipLen": 4,
         "clusters": 6, "vocab": 15, "lambda": 0.5, "mu": 0.7}


def case(cfg, seed, perturb=False):
    P = Params(seed)
    tavt_model.init_avmm(P, cfg)
    tavt_model.init_av_encoder(P, cfg)
    tavt_model.init_decoder(P, "decoder.", {"vocab": cfg["vocab"], "dim": cfg["dim"], "blocks": cfg["decoderBlocks"],
                                            "ffn": cfg["ffn"], "fusion": cfg["fusion"]})
    g = torch.Generator().manual_seed(seed + 1)
    B = 3

    def rnd(*shape):
        return torch.randn(*shape, generator=g).to(DT)

    visual_mask = torch.ones(B, cfg["frames"], dtype=DT)
    visual_mask[1, -3:] = 0
    audio_mask = torch.ones(B, cfg["audioFrames"], dtype=DT)
    audio_mask[1, -3:] = 0
    audio_mask[2, -cfg["clipLen"]:] = 0  # a whole audio clip missing
    tokens = torch.tensor([[1, 5, 6, 7, 2, 0, 0, 0], [1, 8, 9, 5, 6, 2, 0, 0], [1, 4, 5, 10, 6, 3, 11, 2]])
    batch = {"visual": rnd(B, cfg["frames"], cfg["visualDim"]), "visualMask": visual_mask,
             "audio": rnd(B, cfg["audioFrames"], cfg["audioDim"]), "audioMask": audio_mask, "tokens": tokens}
    bank = rnd(cfg["clusters"], cfg["audioDim"]) * 3  # a wide bank, so A+ and A- give different gates
    names = list(P.p.keys())
    golden = tavt_model.tavt_loss(P, cfg, batch, bank, {})
    g_golden = torch.autograd.grad(golden["total"], [P.p[n] for n in names])
    fair_params = dict(P.p)
    if perturb:  # --perturb: one weight off by one part in a million, which the check must catch
        name = "decoder.blocks.0.crossVa.k.weight"
        fair_params[name] = P.p[name] * (1 + 1e-6)
    fair = torch_fair.Model(cfg).loss(fair_params, batch, bank)
    g_fair = torch.autograd.grad(fair["total"], [P.p[n] for n in names])
    # the largest |a - b| / (atol + rtol |b|): at most 1 where torch.allclose holds
    worst = {"loss_abs": 0.0, "grad_abs": 0.0, "allclose_ratio": 0.0}
    bad = []
    for k in ("cap", "rec", "dis", "dep", "total"):
        a, b = fair[k].detach(), golden[k].detach()
        worst["loss_abs"] = max(worst["loss_abs"], float((a - b).abs()))
        if not torch.allclose(a, b, rtol=RTOL, atol=ATOL):
            bad.append(f"loss part {k}: {float(a)} against {float(b)}")
    for n, a, b in zip(names, g_fair, g_golden):
        d = (a - b).abs()
        worst["grad_abs"] = max(worst["grad_abs"], float(d.max()))
        worst["allclose_ratio"] = max(worst["allclose_ratio"], float((d / (ATOL + RTOL * b.abs())).max()))
        if not torch.allclose(a, b, rtol=RTOL, atol=ATOL):
            bad.append(f"gradient of {n}: largest difference {float(d.max()):.3e}")
    parts = {k: float(golden[k]) for k in ("cap", "rec", "dis", "dep")}
    return {"params": len(names), "parts": parts, **worst, "mismatches": bad}


def main():
    perturb = "--perturb" in sys.argv[1:]
    results = {"tiny": case(TINY, 21, perturb), "wider": case(WIDER, 31, perturb)}
    ok = all(not r["mismatches"] for r in results.values())
    print(json.dumps({"torch": torch.__version__, "rtol": RTOL, "atol": ATOL, "ok": ok, "cases": results}))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
