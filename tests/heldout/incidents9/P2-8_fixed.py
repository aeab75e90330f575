import torch
import torch.nn.functional as F


def _prepare_4d_causal_attention_mask_for_sdpa(attention_mask, input_shape, inputs_embeds, past_key_values_length=0):
    """Stand-in for the transformers helper: accepts a 2-D padding mask or an already
    prepared 4-D mask, which must be float (additive) or bool."""
    bsz, q_len = input_shape
    kv_len = q_len + past_key_values_length
    if attention_mask is not None and attention_mask.dim() == 4:
        return attention_mask  # user-supplied 4-D mask is used as is
    min_dtype = torch.finfo(inputs_embeds.dtype).min
    causal = torch.full((q_len, kv_len), min_dtype, dtype=inputs_embeds.dtype).triu(past_key_values_length + 1)
    causal = causal[None, None].expand(bsz, 1, -1, -1).clone()
    if attention_mask is not None:
        causal = causal.masked_fill(attention_mask[:, None, None, :] == 0, min_dtype)
    return causal


def GemmaModel_fast_forward_inference_mask(attention_mask, input_ids, inputs_embeds):
    """Builds the sliding/causal mask for the patched Gemma forward."""
    bsz, q_len = input_ids.shape
    keep = torch.ones(q_len, q_len, dtype=torch.long).tril()
    mask_4d = keep[None, None] * attention_mask[:, None, None, :]
    mask_4d = (1.0 - mask_4d.to(inputs_embeds.dtype)) * torch.finfo(inputs_embeds.dtype).min
    return _prepare_4d_causal_attention_mask_for_sdpa(mask_4d, (bsz, q_len), inputs_embeds)


def gemma_attention(q, k, v, attention_mask):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)


if __name__ == "__main__":
    torch.manual_seed(0)
    input_ids = torch.tensor([[2, 651, 6037, 9, 0, 0], [2, 1841, 603, 573, 3413, 235336]])
    attention_mask = (input_ids != 0).long()  # tokenizer output: int64
    embeds = torch.randn(2, 6, 16)
    mask = GemmaModel_fast_forward_inference_mask(attention_mask, input_ids, embeds)
    print("mask dtype:", mask.dtype)
    q = k = v = torch.randn(2, 2, 6, 8)
    out = gemma_attention(q, k, v, mask)
    print(out.shape)
