import torch
from torch.nn.attention.flex_attention import flex_attention


def make_document_score_mod(document_ids: torch.Tensor):
    """Packed-sequence causal LM: a token may only see earlier tokens of its own document."""

    def score_mod(score, b, h, q_idx, kv_idx):
        same_doc = document_ids[b, q_idx] == document_ids[b, kv_idx]
        keep = same_doc  # BUG
        return score + keep  # BUG

    return score_mod


def packed_attention(q, k, v, document_ids):
    return flex_attention(q, k, v, score_mod=make_document_score_mod(document_ids))


if __name__ == "__main__":
    torch.manual_seed(0)
    B, H, S, D = 1, 2, 8, 16
    # two documents packed into one row: lengths 5 and 3
    document_ids = torch.tensor([[0, 0, 0, 0, 0, 1, 1, 1]])
    q, k, v = (torch.randn(B, H, S, D) for _ in range(3))
    out = packed_attention(q, k, v, document_ids)
    v2 = v.clone()
    v2[:, :, 4] += 10.0  # last token of document 0
    out2 = packed_attention(q, k, v2, document_ids)
    print("positions affected by token 4:", (out2 - out).abs().amax(dim=(0, 1, 3)).gt(1e-5).nonzero().flatten().tolist())
