import torch
import torch.nn.functional as F
from torch import nn


class SelfAttention(nn.Module):
    def __init__(self, dim=64, n_heads=4):
        super().__init__()
        self.n_heads = n_heads
        self.use_sdpa = hasattr(F, 'scaled_dot_product_attention')
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, hidden_states, attention_mask=None):
        b, t, c = hidden_states.shape
        q, k, v = self.qkv(hidden_states).split(c, dim=-1)
        q, k, v = (x.view(b, t, self.n_heads, -1).transpose(1, 2) for x in (q, k, v))
        mask = None
        if attention_mask is not None:
            if self.use_sdpa:
                mask = attention_mask[:, None, None, :].bool()
            else:
                mask = attention_mask[:, None, None, :] == 0
        if self.use_sdpa:
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        else:
            scores = (q @ k.transpose(-1, -2)) * q.size(-1) ** -0.5
            if mask is not None:
                scores = scores.masked_fill(mask, float("-inf"))
            out = scores.softmax(-1) @ v
        return self.proj(out.transpose(1, 2).reshape(b, t, c))


class Model(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.emb = nn.Embedding(100, dim)
        self.layers = nn.ModuleList([SelfAttention(dim) for _ in range(2)])

    def forward(self, input_ids, attention_mask=None):
        h = self.emb(input_ids)
        for layer in self.layers:
            h = layer(h, attention_mask)
        return h


if __name__ == "__main__":
    ids = torch.tensor([[5, 6, 7, 0], [1, 2, 3, 4]])
    print(Model()(ids, (ids != 0).long()).shape)
