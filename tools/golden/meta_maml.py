#!/usr/bin/python3
"""PyTorch reference for @tavt/meta: meta-gradients of a tiny tanh MLP, computed in float64 with torch.autograd.

Written from the algorithms' definitions (MAML: Finn et al. 2017; first-order MAML; ANIL: Raghu et al. 2020;
Reptile: Nichol et al. 2018; plain joint training), independently of the TypeScript code. The data and weights are
drawn here (seeded, rounded to float32 so the TypeScript side loads them exactly) and written with the results.

    /usr/bin/python3 tools/golden/meta_maml.py      # rewrites tools/fixtures/meta/maml.json
"""
import json
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "fixtures", "meta", "maml.json")
DT = torch.float64

IN, HIDDEN, OUT_DIM, N = 3, 6, 2, 4
ALPHA = 0.1  # inner lr
STEPS = 3  # inner steps; support batches are cycled (step s uses support[s % len])
WEIGHTS = [1.0, 2.0, 0.5]
OUTER_LR = 1e-3

gen = torch.Generator().manual_seed(7)


def f32(t):
    return t.to(torch.float32).to(DT)


def draw(*shape, scale=1.0):
    return f32(torch.randn(*shape, generator=gen) * scale)


params = {
    "l1.weight": draw(HIDDEN, IN, scale=0.8),
    "l1.bias": draw(HIDDEN, scale=0.3),
    "l2.weight": draw(OUT_DIM, HIDDEN, scale=0.8),
    "l2.bias": draw(OUT_DIM, scale=0.3),
}
NAMES = sorted(params)  # "l1.bias", "l1.weight", "l2.bias", "l2.weight"


def batch():
    return {"x": draw(N, IN), "y": draw(N, OUT_DIM)}


tasks = [
    {"support": [batch(), batch()], "query": batch(), "weight": WEIGHTS[0]},
    {"support": [batch()], "query": batch(), "weight": WEIGHTS[1]},
    {"support": [batch(), batch()], "query": batch(), "weight": WEIGHTS[2]},
]


def loss(p, b):
    """Mean squared error of y = l2(tanh(l1(x))) (linear: x W^T + b)."""
    h = torch.tanh(b["x"] @ p["l1.weight"].T + p["l1.bias"])
    y = h @ p["l2.weight"].T + p["l2.bias"]
    return ((y - b["y"]) ** 2).mean()


def inner(p, batches, adapt, create_graph):
    """theta' = theta - alpha grad L(theta), STEPS times, on the names in `adapt` only."""
    cur = dict(p)
    for s in range(STEPS):
        b = batches[s % len(batches)]
        names = [n for n in NAMES if n in adapt]
        g = torch.autograd.grad(loss(cur, b), [cur[n] for n in names], create_graph=create_graph)
        nxt = dict(cur)
        for n, gn in zip(names, g):
            nxt[n] = cur[n] - ALPHA * gn if create_graph else (cur[n] - ALPHA * gn).detach().requires_grad_()
        cur = nxt
    return cur


def leaf_params():
    return {n: params[n].clone().requires_grad_() for n in NAMES}


def maml_grad(adapt, trainable, second_order):
    """grad over `trainable` of sum_t w_t L_q(theta'_t); frozen names (not trainable) are constants throughout."""
    total = {n: torch.zeros_like(params[n]) for n in trainable}
    objective = 0.0
    for t in tasks:
        p = leaf_params()
        if second_order:
            fast = inner(p, t["support"], adapt, True)
            q = loss(fast, t["query"]) * t["weight"]
            g = torch.autograd.grad(q, [p[n] for n in trainable], allow_unused=True)
        else:
            fast = inner(p, t["support"], adapt, False)
            fast = {n: v.detach().requires_grad_() for n, v in fast.items()}
            q = loss(fast, t["query"]) * t["weight"]
            g = torch.autograd.grad(q, [fast[n] for n in trainable])
        objective += float(q)
        for n, gn in zip(trainable, g):
            if gn is not None:
                total[n] += gn
    return total, objective


def reptile_direction():
    """sum_t (w_t / sum w) (theta - theta'_t) / alpha, inner loop over the task's support then query batches."""
    sw = sum(WEIGHTS)
    total = {n: torch.zeros_like(params[n]) for n in NAMES}
    for t in tasks:
        p = leaf_params()
        fast = inner(p, t["support"] + [t["query"]], set(NAMES), False)
        for n in NAMES:
            total[n] += (t["weight"] / sw) * (params[n] - fast[n].detach()) / ALPHA
    return total


def joint_grad():
    p = leaf_params()
    batches = [b for t in tasks for b in t["support"]] + [t["query"] for t in tasks]
    total = sum(loss(p, b) for b in batches)
    g = torch.autograd.grad(total, [p[n] for n in NAMES])
    return dict(zip(NAMES, g)), float(total)


def adam_first_step(grads):
    """torch.optim.Adam's first step (bias-corrected): p - lr * g / (|g| + eps)."""
    out = {}
    for n in NAMES:
        p = params[n].clone().requires_grad_()
        opt = torch.optim.Adam([p], lr=OUTER_LR)
        p.grad = grads[n].clone()
        opt.step()
        out[n] = p.detach()
    return out


def js(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1)]}


def tree(d):
    return {n: js(v) for n, v in d.items()}


def jb(b):
    return {"x": js(b["x"]), "y": js(b["y"])}


ALL = set(NAMES)
HEAD = {"l2.bias", "l2.weight"}
second, second_obj = maml_grad(ALL, NAMES, True)
first, first_obj = maml_grad(ALL, NAMES, False)
anil, _ = maml_grad(HEAD, NAMES, True)
frozen_l1, _ = maml_grad(HEAD, sorted(HEAD), True)  # l1 frozen: no inner or outer update of l1
joint, joint_obj = joint_grad()

fixture = {
    "config": {"innerLr": ALPHA, "innerSteps": STEPS, "outerLr": OUTER_LR},
    "params": tree(params),
    "tasks": [{"support": [jb(b) for b in t["support"]], "query": jb(t["query"]), "weight": t["weight"]} for t in tasks],
    "expected": {
        "maml": {"grads": tree(second), "loss": second_obj, "afterStep": tree(adam_first_step(second))},
        "fomaml": {"grads": tree(first), "loss": first_obj},
        "anil": {"grads": tree(anil)},
        "frozenL1": {"grads": tree(frozen_l1)},
        "reptile": {"grads": tree(reptile_direction())},
        "joint": {"grads": tree(joint), "loss": joint_obj},
    },
}
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump(fixture, f)
print(f"wrote {OUT}: maml objective {second_obj:.6f}, first-order {first_obj:.6f}, joint {joint_obj:.6f}")
