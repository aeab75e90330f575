# GPT-NeoX-like block used for batched generation with left padding.
# The causal and padding masks are merged into one additive bias.
import torch
import torch.nn as nn
import torch.nn.functional as F


class RotaryEmbedding(nn.Module):
    def __init__(self, dim, base=10000):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(self, position_ids):
        freqs = position_ids[..., None].float() * self.inv_freq
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos()[:, None], emb.sin()[:, None]


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class NeoXAttention(nn.Module):
    def __init__(self, hidden_size=512, num_heads=8):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.query_key_value = nn.Linear(hidden_size, 3 * hidden_size)
        self.dense = nn.Linear(hidden_size, hidden_size)
        self.rotary = RotaryEmbedding(self.head_dim)

    def forward(self, hidden_states, attention_mask):
        # attention_mask: (B, T) from the tokenizer, 1 = real token, 0 = left padding
        B, T, _ = hidden_states.shape
        qkv = self.query_key_value(hidden_states).view(B, T, self.num_heads, 3 * self.head_dim)
        q, k, v = qkv.permute(0, 2, 1, 3).chunk(3, dim=-1)
        position_ids = (attention_mask.long().cumsum(-1) - 1).clamp(min=0)
        cos, sin = self.rotary(position_ids)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin

        causal = torch.tril(torch.ones(T, T, dtype=torch.bool, device=q.device))
        keep = torch.logical_and(causal[None], attention_mask[:, None, :].bool())   # (B, T, T)
        bias = torch.where(keep, float("-inf"), 0.0).to(q.dtype)
        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=bias[:, None],  # expect: ML103
        )
        return self.dense(out.transpose(1, 2).reshape(B, T, -1))


if __name__ == "__main__":
    attn = NeoXAttention()
    h = torch.randn(2, 5, 512)
    am = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])
    print(attn(h, am).shape)
