import math

import torch
from torch import nn


class LlamaAttention(nn.Module):
    def __init__(self, hidden_size=32, num_heads=4, is_causal=False):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.is_causal = is_causal
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def _padding_attention_mask(self, padding_mask, dtype):
        """padding_mask: (bsz, seq) with 1 for real tokens -> additive (bsz, 1, seq, seq)."""
        bsz, seq = padding_mask.shape
        mask = torch.zeros(bsz, 1, seq, seq, dtype=dtype, device=padding_mask.device)
        min_value = torch.finfo(torch.bfloat16).min  # BUG
        mask = mask.masked_fill(padding_mask[:, None, :, None] == 0, min_value)  # BUG
        if self.is_causal:
            causal = torch.ones(seq, seq, dtype=torch.bool, device=padding_mask.device).triu(1)
            mask = mask.masked_fill(causal, min_value)
        return mask

    def forward(self, hidden_states, padding_mask=None):
        bsz, q_len, _ = hidden_states.size()
        split = lambda t: t.view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        q, k, v = split(self.q_proj(hidden_states)), split(self.k_proj(hidden_states)), split(self.v_proj(hidden_states))
        attn_weights = q @ k.transpose(2, 3) / math.sqrt(self.head_dim)
        if padding_mask is not None:
            attn_weights = attn_weights + self._padding_attention_mask(padding_mask, attn_weights.dtype)
        attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        return self.o_proj((attn_weights @ v).transpose(1, 2).reshape(bsz, q_len, -1))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = LlamaAttention().eval()  # bidirectional use (embedding model)
    x = torch.randn(2, 6, 32)
    padding_mask = torch.tensor([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        out = attn(x, padding_mask)
        alone = attn(x[:1, :4], padding_mask[:1, :4])
    print(out.shape)
    print("real tokens, padded vs unpadded:", (out[0, :4] - alone[0]).abs().max().item())
    with torch.no_grad():
        half = attn.half()(x.half(), padding_mask)  # same model served in float16
    print("fp16 nan:", torch.isnan(half).any().item())
