"""Mask creation after the masking-utils refactor: one entry point per attention backend."""
import torch
import torch.nn.functional as F


def _vmap_free_mask(batch_size, q_len, kv_len, padding_mask, kv_offset=0):
    q_idx = torch.arange(q_len)[:, None] + kv_offset
    kv_idx = torch.arange(kv_len)[None, :]
    causal = kv_idx <= q_idx
    return causal[None, None].expand(batch_size, 1, -1, -1) & padding_mask.bool()[:, None, None, :]


def sdpa_mask(batch_size, q_len, kv_len, padding_mask=None, allow_torch_fix=True, kv_offset=0):
    """Bool (B, 1, Q, KV) mask for torch's SDPA, True = attend."""
    if padding_mask is None:
        return None  # pure causal: let SDPA use is_causal
    mask = _vmap_free_mask(batch_size, q_len, kv_len, padding_mask, kv_offset)
    if allow_torch_fix:
        # memory-efficient / flash kernels return NaN for rows without any True entry
        mask = mask | torch.all(~mask, dim=-1, keepdim=True)
    return mask


def create_causal_mask(config, input_embeds, attention_mask, past_key_values_length=0):
    bsz, q_len = input_embeds.shape[:2]
    kv_len = q_len + past_key_values_length
    if config.get("_attn_implementation") == "sdpa":
        return sdpa_mask(bsz, q_len, kv_len, attention_mask, allow_torch_fix=True, kv_offset=past_key_values_length)
    raise NotImplementedError(config.get("_attn_implementation"))


if __name__ == "__main__":
    torch.manual_seed(0)
    config = {"_attn_implementation": "sdpa"}
    embeds = torch.randn(2, 6, 16)
    attention_mask = torch.tensor([[0, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1]])  # left padding
    mask = create_causal_mask(config, embeds, attention_mask)
    print(mask.shape)
    print("query rows with no attendable key:", int((~mask.any(-1)).sum()))
    q = k = v = torch.randn(2, 2, 6, 8)
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    print("nan on this (CPU) backend:", torch.isnan(out).any().item())
