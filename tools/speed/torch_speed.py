#!/usr/bin/python3
"""PyTorch's speed on the same TAVT model and steps as `tavt bench speed`: the peer of our speed figures.

It runs TAVT (the same parameters and loss, eq. 10 with the (V, A), (V, A+) and (V, A-) passes) in float32 on random
batches of config S's sizes. `--model fair` (the default) is tools/speed/torch_fair.py, TAVT written the way a PyTorch
user writes it for speed, with dropout 0.1 where @tavt/core has it (config S's rate; `--dropout` changes it);
tools/speed/check_fair.py checks in float64 that it computes the golden loss and gradients. `--model golden` is the
golden reference of tools/golden, written for exactness (no dropout), kept for comparison with older figures. It
times, at each thread count:
  - train:  one training step (loss, backward, Adam), samples/s = batch / step time;
  - fomaml: one first-order MAML meta-step over 2 tasks (1 support + 1 query batch each, one SGD inner step at 1e-4,
            outer Adam), samples/s = 4 batches / step time, as `tavt bench speed` counts them;
  - maml2:  the same with second-order gradients through the inner step (create_graph=True).
Medians after warm-up. `peak_rss_mb` is the process's peak resident memory after all of them (second-order MAML is
the largest), as `tavt bench speed` reports its own.

    /usr/bin/python3 tools/speed/torch_speed.py [--model fair|golden] [--threads 1,2] [--batch 32] [--steps 5] [--json]
Needs Debian's python3-torch.
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "golden"))

sys.path.insert(0, HERE)

import tavt_model  # noqa: E402
import torch_fair  # noqa: E402
import torch_layers  # noqa: E402

# Time in float32 (the golden fixtures compute in float64).
torch_layers.DT = torch.float32
tavt_model.DT = torch.float32

# Config S of packages/model/src/config.ts (width 256, 8 heads, 2 + 1 encoder blocks, 1 AVMM block, 2 decoder blocks,
# FFN 1024, 20 frames of 2048 / 128, 4 clips of 5, K = 100, vocabulary 3000, 20 caption rows).
S = {"dim": 256, "heads": 8, "encoderBlocks": 2, "crossBlocks": 1, "avmmBlocks": 1, "decoderBlocks": 2, "ffn": 1024,
     "visualDim": 2048, "audioDim": 128, "frames": 20, "audioFrames": 20, "clips": 4, "clipLen": 5, "clusters": 100,
     "vocab": 3000, "captionLen": 20, "tau": 0.4, "lambda": 1e-4, "mu": 1e-2, "fusion": "gated"}


class View:
    """Params-like access to a {name: tensor} dict (the adapted parameters of MAML's inner step)."""

    def __init__(self, p):
        self.p = p

    def __getitem__(self, name):
        return self.p[name]


def make_params(cfg, seed=0):
    P = torch_layers.Params(seed)
    tavt_model.init_avmm(P, cfg)
    tavt_model.init_av_encoder(P, cfg)
    tavt_model.init_decoder(P, "decoder.", {"vocab": cfg["vocab"], "dim": cfg["dim"], "blocks": cfg["decoderBlocks"],
                                            "ffn": cfg["ffn"], "fusion": cfg["fusion"]})
    for k, v in P.p.items():
        P.p[k] = v.detach().to(torch.float32).requires_grad_()
    return P


def make_batch(cfg, batch, seed):
    g = torch.Generator().manual_seed(seed)
    L = cfg["captionLen"]
    tokens = torch.randint(4, cfg["vocab"], (batch, L), generator=g)
    tokens[:, 0] = 1
    lengths = torch.randint(6, L, (batch,), generator=g)
    for i, n in enumerate(lengths.tolist()):
        tokens[i, n] = 2
        tokens[i, n + 1:] = 0
    return {"visual": torch.randn(batch, cfg["frames"], cfg["visualDim"], generator=g),
            "visualMask": torch.ones(batch, cfg["frames"]),
            "audio": torch.randn(batch, cfg["audioFrames"], cfg["audioDim"], generator=g),
            "audioMask": torch.ones(batch, cfg["audioFrames"]), "tokens": tokens}


def loss_fn(model, cfg, dropout):
    """(params, batch, bank) -> the total loss; params is a {name: tensor} dict."""
    if model == "golden":
        return lambda p, batch, bank: tavt_model.tavt_loss(View(p), cfg, batch, bank, {})["total"]
    fair = torch_fair.Model(cfg, dropout)
    return lambda p, batch, bank: fair.loss(p, batch, bank)["total"]


def time_steps(step, steps, warmup):
    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run(cfg, batch, threads, steps, warmup, meta_steps, loss):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    P = make_params(cfg)
    names = list(P.p.keys())
    bank = torch.randn(cfg["clusters"], cfg["audioDim"])
    batches = [make_batch(cfg, batch, 100 + i) for i in range(4)]
    opt = torch.optim.Adam([P.p[n] for n in names], lr=1e-4)

    def train():
        opt.zero_grad(set_to_none=True)
        loss(P.p, batches[0], bank).backward()
        opt.step()

    tasks = [(batches[0], batches[1]), (batches[2], batches[3])]

    def meta(second):
        opt.zero_grad(set_to_none=True)
        for support, query in tasks:
            theta = [P.p[n] for n in names]
            g = torch.autograd.grad(loss(P.p, support, bank), theta, create_graph=second)
            adapted = {n: (t - 1e-4 * gi) if second else (t - 1e-4 * gi).detach().requires_grad_()
                       for n, t, gi in zip(names, theta, g)}
            q = loss(adapted, query, bank)
            if second:
                q.backward()
            else:
                gq = torch.autograd.grad(q, [adapted[n] for n in names])
                for n, gi in zip(names, gq):
                    P.p[n].grad = gi if P.p[n].grad is None else P.p[n].grad + gi
        opt.step()

    train_s = time_steps(train, steps, warmup)
    fo_s = time_steps(lambda: meta(False), meta_steps, 1)
    so_s = time_steps(lambda: meta(True), meta_steps, 1)
    meta_samples = 4 * batch
    return {"threads": threads, "batch": batch, "train_step_ms": train_s * 1000, "train_samples_per_s": batch / train_s,
            "fomaml_step_ms": fo_s * 1000, "fomaml_samples_per_s": meta_samples / fo_s,
            "maml2_step_ms": so_s * 1000, "maml2_samples_per_s": meta_samples / so_s}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", choices=("fair", "golden"), default="fair",
                    help="fair: TAVT written for speed (default); golden: the exactness reference of tools/golden")
    ap.add_argument("--dropout", type=float, default=None,
                    help="dropout rate of the fair model (default 0.1, config S's); the golden model has none")
    ap.add_argument("--threads", default="1,2", help="thread counts to time (comma-separated)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--meta-steps", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="one JSON line instead of a table")
    a = ap.parse_args()
    if a.model == "golden" and a.dropout:
        ap.error("--dropout: the golden model has no dropout")
    dropout = 0.0 if a.model == "golden" else (0.1 if a.dropout is None else a.dropout)
    loss = loss_fn(a.model, S, dropout)
    rows = [run(S, a.batch, int(t), a.steps, a.warmup, a.meta_steps, loss) for t in a.threads.split(",")]
    params = sum(p.numel() for p in make_params(S).p.values())
    best = {k: max(r[k] for r in rows) for k in ("train_samples_per_s", "fomaml_samples_per_s", "maml2_samples_per_s")}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    out = {"torch": torch.__version__, "model": a.model, "dropout": dropout, "config": "S", "params": params,
           "rows": rows, "best": best, "peak_rss_mb": round(peak)}
    if a.json:
        print(json.dumps(out))
        return
    print(f"PyTorch {torch.__version__}, {a.model} model, config S ({params} parameters), batch {a.batch}, "
          f"dropout {dropout}")
    for r in rows:
        print(f"  {r['threads']} thread(s): train {r['train_samples_per_s']:.2f}, fomaml {r['fomaml_samples_per_s']:.2f}, "
              f"maml2 {r['maml2_samples_per_s']:.2f} samples/s")
    print(f"  peak resident memory {out['peak_rss_mb']} MB")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
