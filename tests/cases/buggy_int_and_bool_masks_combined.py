"""Masks combined across dtypes: a bool causal mask with the tokenizer's int64 attention_mask
(`&` promotes to int64), and an int keep mask `|` a bool one; the result is an integer mask that
SDPA and masked_fill reject.  A parameter merely named `attention_mask` is not taken for an int
mask here (`& causal` says the code holds a bool one); the collate function's mask is, and the
finding is where it is passed in."""
import torch
import torch.nn.functional as F


def sdpa_mask(attention_mask, q_len):
    causal = torch.ones(q_len, q_len, dtype=torch.bool).tril()
    return causal[None, None] & attention_mask[:, None, None, :]


def attend(q, k, v, attention_mask):
    mask = sdpa_mask(attention_mask, q.size(-2))
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


def eager(scores, v, lengths):
    T = scores.size(-1)
    real = (torch.arange(T)[None] < lengths[:, None]).long()
    prefix = torch.zeros(T, dtype=torch.bool)
    prefix[:2] = True
    hide = (1 - real)[:, None, None, :] | ~prefix
    return scores.masked_fill(hide, float("-inf")).softmax(-1) @ v  # expect: ML203


def collate(rows, pad_id=0):
    width = max(len(r) for r in rows)
    input_ids = torch.full((len(rows), width), pad_id)
    attention_mask = torch.zeros(len(rows), width, dtype=torch.long)
    for i, r in enumerate(rows):
        input_ids[i, :len(r)] = torch.tensor(r)
        attention_mask[i, :len(r)] = 1
    return {"input_ids": input_ids, "attention_mask": attention_mask}


def step(q, k, v, rows):
    batch = collate(rows)
    return attend(q, k, v, batch["attention_mask"])  # expect: ML203
