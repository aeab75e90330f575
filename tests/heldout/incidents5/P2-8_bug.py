"""Patched attention-mask preparation for a Gemma-style model (functional helpers)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def _expand_mask(mask, tgt_len):
    bsz, src_len = mask.shape
    return mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len)


def prepare_4d_causal_attention_mask_for_sdpa(attention_mask, input_shape, past_key_values_length=0):
    """Returns None when SDPA can rely on is_causal, otherwise a (B,1,q,kv) mask for SDPA."""
    bsz, q_len = input_shape
    kv_len = q_len + past_key_values_length
    if attention_mask is None or bool(attention_mask.all()):
        return None
    causal = torch.ones(q_len, kv_len, dtype=attention_mask.dtype, device=attention_mask.device)  # BUG
    causal = causal.tril(past_key_values_length)  # BUG
    return _expand_mask(attention_mask, q_len) * causal  # BUG


def gemma_attention(params, hidden, attention_mask, n_heads):
    b, t, d = hidden.shape
    hd = d // n_heads
    split = lambda x: x.view(b, t, n_heads, hd).transpose(1, 2)
    q, k, v = (split(params[name](hidden)) for name in ("q", "k", "v"))
    mask = prepare_4d_causal_attention_mask_for_sdpa(attention_mask, (b, t))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=mask is None)  # BUG
    return params["o"](out.transpose(1, 2).reshape(b, t, d))


def build_params(d):
    return nn.ModuleDict({n: nn.Linear(d, d, bias=False) for n in ("q", "k", "v", "o")})


def left_pad(batch, pad_id=0):
    L = max(len(x) for x in batch)
    ids = torch.tensor([[pad_id] * (L - len(x)) + x for x in batch])
    mask = torch.tensor([[0] * (L - len(x)) + [1] * len(x) for x in batch])
    return ids, mask


if __name__ == "__main__":
    torch.manual_seed(0)
    d = 32
    params = build_params(d)
    emb = nn.Embedding(50, d)
    ids, am = left_pad([[3, 4, 5, 6], [7, 8]])
    with torch.no_grad():
        out = gemma_attention(params, emb(ids), am, n_heads=4)
        ref = gemma_attention(params, emb(ids[1:, 2:]), am[1:, 2:], n_heads=4)
    print("left-pad ok:", torch.allclose(out[1, 2:], ref[0], atol=1e-5))
