import torch


def encode_pairs(queries, titles, vocab=400, max_len=32):
    """Tokenizer-style output: input_ids plus an int attention_mask (1 = real token)."""
    rows = []
    for q, t in zip(queries, titles):
        ids = [1] + [3 + sum(map(ord, w)) % (vocab - 3) for w in q.split()] + [2]
        ids += [3 + sum(map(ord, w)) % (vocab - 3) for w in t.split()] + [2]
        rows.append(ids[:max_len])
    L = max(map(len, rows))
    input_ids = torch.tensor([r + [0] * (L - len(r)) for r in rows])
    attention_mask = torch.tensor([[1] * len(r) + [0] * (L - len(r)) for r in rows])
    return {"input_ids": input_ids, "attention_mask": attention_mask}


def sdpa_key_mask(attention_mask: torch.Tensor) -> torch.Tensor:
    """(B, L) 1/0 -> (B, 1, 1, L) bool for scaled_dot_product_attention (True = attend)."""
    return attention_mask.bool()[:, None, None, :]
