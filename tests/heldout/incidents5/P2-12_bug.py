"""Sparse/document attention via flex_attention score_mod closures (functional)."""
import torch
from torch.nn.attention.flex_attention import flex_attention


def make_document_score_mod(doc_ids, causal=True):
    """doc_ids: (S,) document index of every packed token."""
    same_doc = (doc_ids[:, None] == doc_ids[None, :]).float()  # BUG

    def score_mod(score, b, h, q_idx, kv_idx):
        return score + same_doc[q_idx, kv_idx]  # BUG

    return score_mod


def make_sliding_window_score_mod(window):
    def score_mod(score, b, h, q_idx, kv_idx):
        inside = (q_idx - kv_idx >= 0) & (q_idx - kv_idx < window)
        return torch.where(inside, score, -float("inf"))

    return score_mod


def packed_attention(q, k, v, doc_ids, causal=True):
    return flex_attention(q, k, v, score_mod=make_document_score_mod(doc_ids, causal=causal))


def reference_attention(q, k, v, doc_ids, causal=True):
    s = q.shape[-2]
    allowed = doc_ids[:, None] == doc_ids[None, :]
    if causal:
        allowed = allowed & torch.ones(s, s, dtype=torch.bool).tril()
    scores = (q @ k.transpose(-1, -2)) * q.shape[-1] ** -0.5
    scores = scores.masked_fill(~allowed, float("-inf"))
    return scores.softmax(-1) @ v


def pack_documents(lengths):
    return torch.cat([torch.full((n,), i, dtype=torch.long) for i, n in enumerate(lengths)])


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    doc_ids = pack_documents([3, 5, 4])
    q, k, v = (torch.randn(1, 2, doc_ids.numel(), 16) for _ in range(3))
    out = packed_attention(q, k, v, doc_ids)
    ref = reference_attention(q, k, v, doc_ids)
    print("matches reference:", torch.allclose(out, ref, atol=1e-4))
    sw = flex_attention(q, k, v, score_mod=make_sliding_window_score_mod(4))
    print(sw.shape)
