"""Masks added to each score inside a flex score_mod (flash-sparse-attention#146, P2-12)."""
import torch
from torch.nn.attention.flex_attention import flex_attention


def attend(q, k, v, seq_len):
    keep = torch.ones(seq_len, seq_len).tril()

    def score_mod(score, b, h, q_idx, kv_idx):
        return score + keep[q_idx][kv_idx]  # expect: ML202

    return flex_attention(q, k, v, score_mod=score_mod)


def attend_lambda(q, k, v, lengths):
    t = q.size(-2)
    padding = (torch.arange(t)[None, :] < lengths[:, None]).float()
    causal = torch.tril(torch.ones(t, t))
    keep = causal[None, None] * padding[:, None, None, :]
    return flex_attention(q, k, v, score_mod=lambda s, b, h, qi, ki: s + keep[b, 0, qi, ki])  # expect: ML202
