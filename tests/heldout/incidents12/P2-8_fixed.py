import math

import torch
import torch.nn.functional as F
from torch import nn


def _prepare_4d_causal_attention_mask_for_sdpa(attention_mask, input_shape):
    bsz, q_len = input_shape
    causal = torch.tril(torch.ones(q_len, q_len, dtype=torch.long))
    expanded = attention_mask[:, None, None, :].bool() & causal[None, None].bool()
    return expanded


class GemmaAttention(nn.Module):
    def __init__(self, hidden_size=64, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.qkv = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        bsz, q_len, _ = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(bsz, q_len, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return self.o_proj(out.transpose(1, 2).reshape(bsz, q_len, -1))


class GemmaModel_fast(nn.Module):
    def __init__(self, vocab_size=64, hidden_size=64, num_layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList([GemmaAttention(hidden_size) for _ in range(num_layers)])
        self.hidden_size = hidden_size

    def forward(self, input_ids, attention_mask):
        hidden_states = self.embed_tokens(input_ids) * math.sqrt(self.hidden_size)
        mask = _prepare_4d_causal_attention_mask_for_sdpa(attention_mask, input_ids.shape)
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, mask)
        return hidden_states


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GemmaModel_fast().eval()
    input_ids = torch.randint(1, 64, (2, 6))
    attention_mask = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    try:
        with torch.no_grad():
            h = model(input_ids, attention_mask)
            h2 = model(input_ids.masked_fill(attention_mask == 0, 9), attention_mask)
        print(f"ok: change at real tokens when left-pad ids change = {(h - h2)[:, 2:].abs().max().item():.4f}")
    except RuntimeError as e:
        print(f"RuntimeError: {e}")
