import torch
from torch.nn.attention.flex_attention import flex_attention


def attend(q, k, v, seq_len):
    future = torch.ones(seq_len, seq_len, dtype=torch.bool).triu(1)
    bias = torch.zeros(seq_len, seq_len).masked_fill(future, float("-inf"))

    def score_mod(score, b, h, q_idx, kv_idx):
        return score + bias[q_idx][kv_idx]

    return flex_attention(q, k, v, score_mod=score_mod)


def alibi(q, k, v, slopes):
    def score_mod(score, b, h, q_idx, kv_idx):
        return score + slopes[h] * (kv_idx - q_idx)

    return flex_attention(q, k, v, score_mod=score_mod)


def attend_where(q, k, v, lengths):
    t = q.size(-2)
    padding = torch.arange(t)[None, :] < lengths[:, None]
    causal = torch.ones(t, t, dtype=torch.bool).tril()
    keep = causal[None, None] & padding[:, None, None, :]
    return flex_attention(q, k, v, score_mod=lambda s, b, h, qi, ki: torch.where(keep[b, 0, qi, ki], s, float("-inf")))
