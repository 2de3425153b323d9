"""TAVT in PyTorch as a PyTorch user would write it for speed: the peer of `tavt bench speed` (tools/speed/torch_speed.py).

The golden reference (tools/golden/tavt_model.py) is written to be obviously equal to the paper's equations, not to be
fast. This module computes the same loss (eq. 10 with the (V, A), (V, A+) and (V, A-) passes), on the same parameter
names and values, the way a competent PyTorch user would:

- the sinusoidal position table is built once per (length, width) with tensor ops and cached, not element by element
  in Python on every call;
- the visual stream f'_v does not depend on the audio, and the decoder's first self-attention reads only the caption:
  both are computed once and shared by the three passes;
- the (V, A+) and (V, A-) passes stop at the last decoder block's gates (L_dep needs only alpha_av and alpha_va): no
  last feed-forward, final layer norm or vocabulary logits;
- F.linear, F.layer_norm and F.cross_entropy instead of their compositions; one matrix product for a self-attention's
  q, k and v (as nn.MultiheadAttention's packed in_proj_weight does); masked_fill for masks; row-wise cosines in
  InfoNCE instead of the diagonal of a full similarity matrix; eq. 8's per-word mean with index_add_ over the
  vocabulary instead of a token-by-token equality matrix.

`tools/speed/check_fair.py` checks, in float64, that its loss parts and gradients equal the golden reference's.
Dropout (rate `dropout`, default 0) sits where @tavt/core puts it: attention weights, each residual branch, the
feed-forward hidden layer and the encoders' inputs; each pass draws its own masks, as three calls of a PyTorch module
would. PyTorch 1.13 (Debian's python3-torch) has no fused scaled_dot_product_attention; the attention is written out.
"""
import math

import torch
import torch.nn.functional as F

LOWEST = float(torch.finfo(torch.float32).min)  # masked scores, as @tavt/core (a fully masked row: uniform weights)

_positions = {}


def positions(length, dim, dtype, device=None):
    """The sinusoidal table [length, dim], built in float64, rounded to float32 like @tavt/core's, cached."""
    key = (length, dim, dtype, device)
    pe = _positions.get(key)
    if pe is None:
        p = torch.arange(length, dtype=torch.float64)[:, None]
        i = torch.arange(0, dim, 2, dtype=torch.float64)
        angle = p / torch.pow(torch.tensor(10000.0, dtype=torch.float64), i / dim)
        table = torch.zeros(length, dim, dtype=torch.float64)
        table[:, 0::2] = torch.sin(angle)
        table[:, 1::2] = torch.cos(angle[:, : dim // 2])
        pe = table.to(torch.float32).to(dtype).to(device)
        _positions[key] = pe
    return pe


class Model:
    """The TAVT loss over a flat {dotted.name: tensor} parameter dict (tools/golden's names and layout)."""

    def __init__(self, cfg, dropout=0.0):
        self.cfg = cfg
        self.heads = cfg["heads"]
        self.p = dropout
        self.training = dropout > 0

    # -- layers ---------------------------------------------------------------------------------------------------

    def drop(self, x):
        return F.dropout(x, self.p, self.training) if self.training else x

    def linear(self, P, name, x):
        return F.linear(x, P[f"{name}.weight"], P.get(f"{name}.bias"))

    def ln(self, P, name, x):
        return F.layer_norm(x, (x.shape[-1],), P[f"{name}.weight"], P[f"{name}.bias"], 1e-5)

    def attention(self, P, name, q_in, kv_in, key_mask=None, causal=False, self_attn=False):
        b, tq, d = q_in.shape
        tk = kv_in.shape[1]
        h = self.heads
        dh = d // h
        if self_attn:
            w = torch.cat([P[f"{name}.q.weight"], P[f"{name}.k.weight"], P[f"{name}.v.weight"]])
            bias = torch.cat([P[f"{name}.q.bias"], P[f"{name}.k.bias"], P[f"{name}.v.bias"]])
            q, k, v = F.linear(q_in, w, bias).chunk(3, -1)  # [B, T, d] each
        else:
            q = self.linear(P, f"{name}.q", q_in)
            kv_w = torch.cat([P[f"{name}.k.weight"], P[f"{name}.v.weight"]])
            kv_b = torch.cat([P[f"{name}.k.bias"], P[f"{name}.v.bias"]])
            k, v = F.linear(kv_in, kv_w, kv_b).chunk(2, -1)
        q = q.reshape(b, tq, h, dh).transpose(1, 2)  # [B, H, Tq, dh]
        k = k.reshape(b, tk, h, dh).transpose(1, 2)  # [B, H, Tk, dh]
        v = v.reshape(b, tk, h, dh).transpose(1, 2)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(dh)  # [B, H, Tq, Tk]
        masked = None
        if key_mask is not None:
            masked = (key_mask == 0)[:, None, None, :]
        if causal:
            future = torch.ones(tq, tk, dtype=torch.bool, device=q_in.device).triu(tk - tq + 1)[None, None]
            masked = future if masked is None else masked | future
        if masked is not None:
            scores = scores.masked_fill(masked, LOWEST)
        w = self.drop(torch.softmax(scores, -1))
        out = (w @ v).transpose(1, 2).reshape(b, tq, d)  # [B, Tq, d]
        return self.linear(P, f"{name}.o", out)

    def ffn(self, P, name, x):
        return self.linear(P, f"{name}.fc2", self.drop(F.relu(self.linear(P, f"{name}.fc1", x))))

    def encoder_block(self, P, n, x, mask):
        h = self.ln(P, f"{n}.ln1", x)
        x = x + self.drop(self.attention(P, f"{n}.attn", h, h, mask, self_attn=True))
        return x + self.drop(self.ffn(P, f"{n}.ffn", self.ln(P, f"{n}.ln2", x)))

    def cross_block(self, P, n, x, mem, mem_mask):
        h = self.ln(P, f"{n}.ln1", x)
        x = x + self.drop(self.attention(P, f"{n}.attn", h, mem, mem_mask))
        return x + self.drop(self.ffn(P, f"{n}.ffn", self.ln(P, f"{n}.ln2", x)))

    # -- AVMM (eq. 1-2) -------------------------------------------------------------------------------------------

    def clip_pool(self, frames, mask):
        c = self.cfg
        b, t, d = frames.shape
        need = c["clips"] * c["clipLen"]
        if t < need:
            frames = F.pad(frames, (0, 0, 0, need - t))
            mask = F.pad(mask, (0, need - t))
        m = mask[:, :need].reshape(b, c["clips"], c["clipLen"], 1)
        s = (frames[:, :need].reshape(b, c["clips"], c["clipLen"], d) * m).sum(2)
        count = m.sum(2)
        return s / count.clamp(min=1), (count[..., 0] > 0).to(frames.dtype)

    def avmm(self, P, visual, visual_mask, bank):
        c = self.cfg
        clips, clip_mask = self.clip_pool(visual, visual_mask)
        x = self.linear(P, "avmm.mapper.proj", clips) + positions(c["clips"], c["dim"], clips.dtype)
        for i in range(c["avmmBlocks"]):
            x = self.encoder_block(P, f"avmm.mapper.blocks.{i}", x, clip_mask)
        prefix = self.ln(P, "avmm.mapper.lnOut", x)
        w = torch.softmax(self.linear(P, "avmm.phi", prefix), -1)  # [B, l, K]
        return prefix, clip_mask, w @ bank, w

    # -- encoder (eq. 12-17) ----------------------------------------------------------------------------------------

    def visual_stream(self, P, visual, visual_mask, prefix, prefix_mask):
        c = self.cfg
        v = torch.cat([prefix, self.linear(P, "encoder.visualProj", visual)], 1)  # [B, l+Tv, d]
        v_mask = torch.cat([prefix_mask, visual_mask], 1)
        v = self.drop(v + positions(v.shape[1], c["dim"], v.dtype))
        for i in range(c["encoderBlocks"]):
            v = self.encoder_block(P, f"encoder.selfV.blocks.{i}", v, v_mask)
        return self.ln(P, "encoder.selfV.lnOut", v), v_mask

    def encode(self, P, f_v, v_mask, audio, audio_mask):
        c = self.cfg
        a = self.linear(P, "encoder.audioProj", audio)
        a = self.drop(a + positions(a.shape[1], c["dim"], a.dtype))
        for i in range(c["encoderBlocks"]):
            a = self.encoder_block(P, f"encoder.selfA.blocks.{i}", a, audio_mask)
        f_a = self.ln(P, "encoder.selfA.lnOut", a)

        def cross(stack, x, mem, mem_mask):
            for i in range(c["crossBlocks"]):
                x = self.cross_block(P, f"encoder.{stack}.blocks.{i}", x, mem, mem_mask)
            return self.ln(P, f"encoder.{stack}.lnOut", x)

        return cross("crossAv", f_v, f_a, audio_mask), v_mask, cross("crossVa", f_a, f_v, v_mask), audio_mask

    # -- decoder (eq. 4-5) ------------------------------------------------------------------------------------------

    def decoder_prefix(self, P, tokens, token_mask):
        """Block 0's token embedding and causal self-attention, shared by the three passes."""
        d = self.cfg["dim"]
        x = F.embedding(tokens, P["decoder.embed.weight"]) * math.sqrt(d) + positions(tokens.shape[1], d, P["decoder.embed.weight"].dtype)
        n = "decoder.blocks.0"
        h = self.ln(P, f"{n}.ln1", x)
        return x + self.drop(self.attention(P, f"{n}.selfAttn", h, h, token_mask, causal=True, self_attn=True))

    def decode(self, P, x0, token_mask, x_av, av_mask, x_va, va_mask, logits=True):
        """Logits [B, L, V] (None when logits=False) and the last block's alpha_av, alpha_va [B, L, d]."""
        blocks = self.cfg["decoderBlocks"]
        x = x0
        for i in range(blocks):
            n = f"decoder.blocks.{i}"
            if i > 0:
                h = self.ln(P, f"{n}.ln1", x)
                x = x + self.drop(self.attention(P, f"{n}.selfAttn", h, h, token_mask, causal=True, self_attn=True))
            y = self.ln(P, f"{n}.ln2", x)  # Y of eq. 4
            att_av = self.attention(P, f"{n}.crossAv", y, x_av, av_mask)
            att_va = self.attention(P, f"{n}.crossVa", y, x_va, va_mask)
            a_av = torch.sigmoid(self.linear(P, f"{n}.gateAv", torch.cat([y, att_av], -1)))  # eq. 4
            a_va = torch.sigmoid(self.linear(P, f"{n}.gateVa", torch.cat([y, att_va], -1)))
            if i == blocks - 1 and not logits:
                return None, a_av, a_va
            x = x + self.drop(a_av * att_av + a_va * att_va)  # eq. 5
            x = x + self.drop(self.ffn(P, f"{n}.ffn", self.ln(P, f"{n}.ln3", x)))
        return self.linear(P, "decoder.out", self.ln(P, "decoder.lnOut", x)), a_av, a_va

    # -- DCCL and the loss (eq. 6-10) -------------------------------------------------------------------------------

    @staticmethod
    def info_nce(anchor, pos, neg, mask, tau, eps=1e-8):
        def cos(a, b):
            return (a * b).sum(-1) / torch.sqrt(((a * a).sum(-1) * (b * b).sum(-1)).clamp(min=eps * eps))

        sp, sn = cos(anchor, pos) / tau, cos(anchor, neg) / tau
        logp = sp - torch.logaddexp(sp, sn)
        return -(logp * mask).sum() / mask.sum().clamp(min=1)

    def modality_aware_weights(self, r, tokens, mask):
        """Eq. 8: per token, the mean of r over the same word's real occurrences in the batch (no gradient)."""
        r, ids, m = r.detach().reshape(-1), tokens.reshape(-1), mask.reshape(-1)
        vocab = self.cfg["vocab"]
        total = torch.zeros(vocab, dtype=r.dtype).index_add_(0, ids, r * m)
        count = torch.zeros(vocab, dtype=r.dtype).index_add_(0, ids, m)
        return ((total / count.clamp(min=1))[ids] * m).reshape(tokens.shape)

    def loss(self, P, batch, bank):
        c = self.cfg
        visual, visual_mask = batch["visual"], batch["visualMask"]
        audio, audio_mask = batch["audio"], batch["audioMask"]
        prefix, clip_mask, a_rec, w = self.avmm(P, visual, visual_mask, bank)
        audio_clips, a_clip_mask = self.clip_pool(audio, audio_mask)
        both = a_clip_mask * clip_mask
        rec = (((a_rec - audio_clips) ** 2).sum(-1) * both).sum() / (both.sum().clamp(min=1) * a_rec.shape[-1])

        tokens = batch["tokens"]
        inp, tgt = tokens[:, :-1], tokens[:, 1:]
        in_mask, tgt_mask = (inp != 0).to(visual.dtype), (tgt != 0).to(visual.dtype)
        f_v, v_mask = self.visual_stream(P, visual, visual_mask, prefix, clip_mask)  # shared by the three passes
        x0 = self.decoder_prefix(P, inp, in_mask)  # shared by the three passes

        logits, a_av, a_va = self.decode(P, x0, in_mask, *self.encode(P, f_v, v_mask, audio, audio_mask))
        r = (a_av / (a_va + 1e-6)).mean(-1)  # psi, eq. 7, mean over d [B, L]
        w_ma = self.modality_aware_weights(r, tgt, tgt_mask)
        ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1), reduction="none")
        cap = (ce * (tgt_mask * w_ma).reshape(-1)).sum() / tgt_mask.sum().clamp(min=1)  # eq. 9

        idx = torch.argsort(w.detach(), -1, descending=True)  # rank-inverse counterfactual (@tavt/dccl)
        a_neg = w.gather(-1, idx.flip(-1).gather(-1, torch.argsort(idx, -1))) @ bank
        B, l, da = a_rec.shape
        dis = self.info_nce(audio_clips.reshape(B * l, da), a_rec.reshape(B * l, da), a_neg.reshape(B * l, da),
                            both.reshape(-1), c["tau"])  # eq. 6
        _, p_av, p_va = self.decode(P, x0, in_mask, *self.encode(P, f_v, v_mask, a_rec, clip_mask), logits=False)
        _, n_av, n_va = self.decode(P, x0, in_mask, *self.encode(P, f_v, v_mask, a_neg, clip_mask), logits=False)
        r_pos = (p_av / (p_va + 1e-6)).mean(-1) * tgt_mask
        r_neg = (n_av / (n_va + 1e-6)).mean(-1) * tgt_mask
        real = (tgt_mask.sum(-1) > 0).to(visual.dtype)
        dep = self.info_nce(r * tgt_mask, r_pos, r_neg, real, c["tau"])  # eq. 7
        total = cap + rec + c["lambda"] * dis + c["mu"] * dep  # eq. 10
        return {"cap": cap, "rec": rec, "dis": dis, "dep": dep, "total": total}
