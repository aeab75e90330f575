import math

import torch
import torch.nn.functional as F
from torch import nn


def _prepare_4d_causal_attention_mask_for_sdpa(attention_mask, input_shape, inputs_embeds, past_key_values_length):
    """Local stand-in for the transformers.modeling_attn_mask_utils helper."""
    bsz, q_len = input_shape
    kv_len = q_len + past_key_values_length
    dtype = inputs_embeds.dtype
    causal = torch.ones(q_len, kv_len, dtype=torch.bool).tril(past_key_values_length)
    if attention_mask.is_floating_point():
        attention_mask = attention_mask > 0
    keep = attention_mask[:, None, None, :] & causal
    return torch.zeros(keep.shape, dtype=dtype).masked_fill(~keep, torch.finfo(dtype).min)


class GemmaAttention(nn.Module):
    def __init__(self, hidden_size=16, num_heads=2):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.qkv_proj = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        bsz, q_len, _ = hidden_states.shape
        Q, K, V = self.qkv_proj(hidden_states).view(bsz, q_len, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        A = F.scaled_dot_product_attention(Q, K, V, attn_mask=attention_mask, scale=1 / math.sqrt(self.head_dim))
        return self.o_proj(A.transpose(1, 2).reshape(bsz, q_len, -1))


def GemmaModel_fast_forward_inference(model, input_ids, attention_mask):
    hidden_states = model["embed_tokens"](input_ids)
    hidden_states *= torch.tensor(math.sqrt(hidden_states.shape[-1]), dtype=hidden_states.dtype)
    bsz, q_len = input_ids.shape
    if attention_mask is not None:
        attention_mask = _prepare_4d_causal_attention_mask_for_sdpa(
            attention_mask.to(torch.float), (bsz, q_len), hidden_states, 0)  # BUG
    for layer in model["layers"]:
        hidden_states = hidden_states + layer(hidden_states, attention_mask)
    return hidden_states


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.ModuleDict({"embed_tokens": nn.Embedding(20, 16), "layers": nn.ModuleList([GemmaAttention()])})
    input_ids = torch.tensor([[0, 0, 5, 6, 7], [3, 4, 5, 6, 7]])
    attention_mask = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])
    try:
        with torch.no_grad():
            batched = GemmaModel_fast_forward_inference(model, input_ids, attention_mask)
            single = GemmaModel_fast_forward_inference(model, input_ids[:1, 2:], attention_mask[:1, 2:])
        print(f"left-padded row vs unpadded run: {(batched[0, 2:] - single[0]).abs().max().item():.4f}")
    except RuntimeError as e:
        print(f"RuntimeError: {e}")
