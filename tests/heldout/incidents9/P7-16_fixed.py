from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


class MultiheadSelfAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, scaling=None, dropout=0.0):
        super().__init__()
        self.embed_dim, self.num_heads = embed_dim, num_heads
        self.head_dim = embed_dim // num_heads
        self.scaling = scaling or self.head_dim ** -0.5
        self.input_projection = nn.Linear(embed_dim, 3 * embed_dim)
        self.output_projection = nn.Linear(embed_dim, embed_dim)
        self.dropout = dropout

    def forward(self, query, key_padding_mask, attn_mask: Optional[torch.Tensor] = None):
        target_length, batch_size, embed_dim = query.size()
        q, k, v = self.input_projection(query).chunk(3, dim=-1)
        q = (q * self.scaling).reshape(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)
        k = k.reshape(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.reshape(-1, batch_size * self.num_heads, self.head_dim).transpose(0, 1)
        attn_weights = torch.bmm(q, k.transpose(1, 2))
        if attn_mask is not None:
            attn_weights += attn_mask.unsqueeze(0)
        attn_weights = attn_weights.view(batch_size, self.num_heads, target_length, -1)
        attn_weights = attn_weights.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        attn_weights = F.softmax(attn_weights.view(batch_size * self.num_heads, target_length, -1), dim=-1)
        attn = torch.bmm(attn_weights, v).transpose(0, 1).reshape(target_length, batch_size, embed_dim)
        return self.output_projection(attn)


class TransformerEncoder(nn.Module):
    def __init__(self, vocab_size=100, embedding_dim=32, num_heads=4, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.token_embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx)
        self.attention = MultiheadSelfAttention(embedding_dim, num_heads)

    def forward(self, tokens: torch.Tensor, attn_mask: Optional[torch.Tensor] = None):
        if attn_mask is not None:
            torch._assert(attn_mask.is_floating_point() or attn_mask.dtype == torch.bool,
                          f"Only float or bool types are supported for attn_mask not {attn_mask.dtype}")
            if attn_mask.dtype == torch.bool:
                dtype = self.token_embedding.weight.dtype
                new_attn_mask = torch.zeros_like(attn_mask, dtype=dtype)
                new_attn_mask.masked_fill_(attn_mask, -1e8 if dtype == torch.float32 else -1e4)
                attn_mask = new_attn_mask
        padding_mask = tokens.eq(self.padding_idx)
        x = self.token_embedding(tokens).transpose(0, 1)  # (T, B, C)
        return self.attention(x, padding_mask, attn_mask=attn_mask).transpose(0, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = TransformerEncoder().eval()
    tokens = torch.tensor([[0, 17, 23, 5, 2], [0, 40, 41, 2, 1]])
    causal = torch.triu(torch.ones(5, 5, dtype=torch.bool), diagonal=1)  # True = not allowed
    with torch.no_grad():
        out = enc(tokens, attn_mask=causal)
        t2 = tokens.clone()
        t2[0, 3] = 60
        out2 = enc(t2, attn_mask=causal)
    print(out.shape)
    print("position 1 reacts to position 3:", (out2 - out)[0, 1].abs().max().item())
