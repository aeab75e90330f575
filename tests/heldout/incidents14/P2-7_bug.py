from typing import Optional

import torch
from torch import nn


def sdpa_mask(batch_size, q_len, kv_len, attention_mask=None, device=None):
    """Boolean 4D mask, True where a query may attend, as produced for the sdpa/eager interface."""
    causal = torch.ones(q_len, kv_len, dtype=torch.bool, device=device).tril(kv_len - q_len)
    mask = causal[None, None].expand(batch_size, 1, q_len, kv_len)
    if attention_mask is not None:
        mask = mask & attention_mask[:, None, None, :].bool()
    return mask


def eager_attention_forward(
    module: nn.Module,
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attention_mask: Optional[torch.Tensor],
    scaling: float,
    dropout: float = 0.0,
):
    attn_weights = torch.matmul(query, key.transpose(2, 3)) * scaling
    if attention_mask is not None:
        causal_mask = attention_mask[:, :, :, : key.shape[-2]]
        attn_weights = attn_weights + causal_mask  # BUG

    attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(query.dtype)
    attn_weights = nn.functional.dropout(attn_weights, p=dropout, training=module.training)
    attn_output = torch.matmul(attn_weights, value)
    attn_output = attn_output.transpose(1, 2).contiguous()
    return attn_output, attn_weights


class Qwen3Attention(nn.Module):
    def __init__(self, hidden_size=16, num_heads=2, attn_implementation="eager"):
        super().__init__()
        self.head_dim = hidden_size // num_heads
        self.scaling = self.head_dim**-0.5
        self.attn_implementation = attn_implementation
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.q_norm = nn.RMSNorm(self.head_dim, eps=1e-6)
        self.k_norm = nn.RMSNorm(self.head_dim, eps=1e-6)

    def forward(self, hidden_states, attention_mask):
        input_shape = hidden_states.shape[:-1]
        hidden_shape = (*input_shape, -1, self.head_dim)
        query_states = self.q_norm(self.q_proj(hidden_states).view(hidden_shape)).transpose(1, 2)
        key_states = self.k_norm(self.k_proj(hidden_states).view(hidden_shape)).transpose(1, 2)
        value_states = self.v_proj(hidden_states).view(hidden_shape).transpose(1, 2)
        if self.attn_implementation == "eager":
            attn_output, _ = eager_attention_forward(
                self, query_states, key_states, value_states, attention_mask, scaling=self.scaling
            )
        else:
            attn_output = nn.functional.scaled_dot_product_attention(
                query_states, key_states, value_states, attn_mask=attention_mask, scale=self.scaling
            ).transpose(1, 2)
        return self.o_proj(attn_output.reshape(*input_shape, -1).contiguous())


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = Qwen3Attention().eval()
    hidden = torch.randn(2, 6, 16)
    attention_mask = torch.tensor([[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]])
    mask = sdpa_mask(2, 6, 6, attention_mask)
    with torch.no_grad():
        eager = attn(hidden, mask)
        attn.attn_implementation = "sdpa"
        sdpa = attn(hidden, mask)
    print(f"max |eager - sdpa| on non-pad positions: {(eager - sdpa)[0].abs().max().item():.4f}")
