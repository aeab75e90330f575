import torch
import torch.nn.functional as F
from torch import nn


def sdpa_mask(batch_size, cache_position, kv_length, attention_mask=None, allow_torch_fix=True):
    """Boolean (batch, 1, q_len, kv_len) mask, True = attend.

    `allow_torch_fix` is deprecated and has no effect.
    """
    kv_idx = torch.arange(kv_length, device=cache_position.device)
    causal = kv_idx[None, :] <= cache_position[:, None]
    mask = causal[None, None].expand(batch_size, 1, -1, -1)
    if attention_mask is not None:
        mask = mask & attention_mask.bool()[:, None, None, :]
    return mask


def unsloth_sdpa_attention_forward(module, query, key, value, attention_mask, dropout=0.0, scaling=None):
    # query/key/value: (batch, heads, seq, head_dim); attention_mask from sdpa_mask()
    if attention_mask is not None and attention_mask.dtype == torch.bool:
        # a left-padded query row that attends to nothing: let it attend everywhere (its output is discarded)
        attention_mask = attention_mask | ~attention_mask.any(dim=-1, keepdim=True)
    attn_output = F.scaled_dot_product_attention(
        query, key, value, attn_mask=attention_mask, dropout_p=dropout, scale=scaling)
    return attn_output.transpose(1, 2).contiguous()


class Gemma4TextAttention(nn.Module):
    def __init__(self, hidden_size=8, num_heads=2):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        b, t, _ = hidden_states.shape
        split = lambda x: x.view(b, t, self.num_heads, self.head_dim).transpose(1, 2)
        q, k, v = split(self.q_proj(hidden_states)), split(self.k_proj(hidden_states)), split(self.v_proj(hidden_states))
        out = unsloth_sdpa_attention_forward(self, q, k, v, attention_mask, scaling=self.head_dim ** -0.5)
        return self.o_proj(out.reshape(b, t, -1))


def run():
    attn = Gemma4TextAttention().to(torch.float16)
    hidden_states = torch.randn(2, 5, 8, dtype=torch.float16)
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1]])  # tokenizer(padding_side="left")
    mask = sdpa_mask(2, torch.arange(5), 5, attention_mask=attention_mask)
    with torch.no_grad():
        return attn(hidden_states, mask)
