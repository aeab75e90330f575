import torch
from torch.nn.attention.flex_attention import flex_attention


def rel_bias_causal(table):
    def score_mod(score, b, h, q_idx, kv_idx):
        s = score + table[h, q_idx - kv_idx + 127]
        return torch.where(q_idx >= kv_idx, s, -float("inf"))
    return score_mod


def doc_causal(docs):
    def mod(b, h, q_idx, kv_idx):
        return (docs[b, q_idx] == docs[b, kv_idx]) & (q_idx >= kv_idx)
    return mod


def attend(q, k, v, table):
    return flex_attention(q, k, v, score_mod=rel_bias_causal(table))
