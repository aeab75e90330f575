from typing import Optional

import torch
from torch import nn


def repeat_kv(hidden_states: torch.Tensor, n_rep: int) -> torch.Tensor:
    batch, num_key_value_heads, slen, head_dim = hidden_states.shape
    if n_rep == 1:
        return hidden_states
    hidden_states = hidden_states[:, :, None, :, :].expand(batch, num_key_value_heads, n_rep, slen, head_dim)
    return hidden_states.reshape(batch, num_key_value_heads * n_rep, slen, head_dim)


def eager_attention_forward(
    module: nn.Module,
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attention_mask: Optional[torch.Tensor],
    scaling: float,
    dropout: float = 0.0,
):
    key_states = repeat_kv(key, module.num_key_value_groups)
    value_states = repeat_kv(value, module.num_key_value_groups)

    attn_weights = torch.matmul(query, key_states.transpose(2, 3)) * scaling
    if attention_mask is not None:
        causal_mask = attention_mask[:, :, :, : key_states.shape[-2]]  # BUG
        attn_weights = attn_weights + causal_mask  # BUG

    attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(query.dtype)
    attn_weights = nn.functional.dropout(attn_weights, p=dropout, training=module.training)
    attn_output = torch.matmul(attn_weights, value_states)
    return attn_output.transpose(1, 2).contiguous(), attn_weights


def sdpa_style_causal_mask(batch_size, q_len, kv_len, attention_mask_2d):
    """Boolean 4-D mask in the SDPA convention (True = may attend), as built for the sdpa backend."""
    causal = torch.ones(q_len, kv_len, dtype=torch.bool).tril(kv_len - q_len)
    return causal[None, None] & attention_mask_2d[:, None, None, :].bool()


if __name__ == "__main__":
    torch.manual_seed(0)

    class Qwen3AttentionStub(nn.Module):
        num_key_value_groups = 2

    module = Qwen3AttentionStub().eval()
    b, h, kvh, L, d = 2, 4, 2, 6, 8
    q = torch.randn(b, h, L, d)
    k, v = torch.randn(b, kvh, L, d), torch.randn(b, kvh, L, d)
    mask = sdpa_style_causal_mask(b, L, L, torch.ones(b, L))
    out, weights = eager_attention_forward(module, q, k, v, mask, scaling=d ** -0.5)
    print(out.shape)
    print("weight on future keys:", weights.triu(diagonal=1).sum(-1).max().item())
