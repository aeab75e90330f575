import math

import torch
from torch import nn
from torch.nn import functional as F


class RelativePositionBias(nn.Module):
    def __init__(self, num_heads, num_buckets=32, max_distance=128):
        super().__init__()
        self.num_buckets, self.max_distance = num_buckets, max_distance
        self.relative_attention_bias = nn.Embedding(num_buckets, num_heads)

    def _bucket(self, relative_position):
        nb = self.num_buckets // 2
        ret = (relative_position > 0).long() * nb
        n = relative_position.abs()
        max_exact = nb // 2
        is_small = n < max_exact
        large = max_exact + (
            torch.log(n.float().clamp(min=1) / max_exact) / math.log(self.max_distance / max_exact) * (nb - max_exact)
        ).long()
        large = large.clamp(max=nb - 1)
        return ret + torch.where(is_small, n, large)

    def forward(self, qlen, klen, device=None):
        ctx = torch.arange(qlen, device=device)[:, None]
        mem = torch.arange(klen, device=device)[None, :]
        buckets = self._bucket(mem - ctx)
        return self.relative_attention_bias(buckets).permute(2, 0, 1).unsqueeze(0)


class T5LayerSelfAttention(nn.Module):
    def __init__(self, d_model, n_heads, has_relative_bias):
        super().__init__()
        self.n_heads = n_heads
        self.q = nn.Linear(d_model, d_model, bias=False)
        self.k = nn.Linear(d_model, d_model, bias=False)
        self.v = nn.Linear(d_model, d_model, bias=False)
        self.o = nn.Linear(d_model, d_model, bias=False)
        self.rel = RelativePositionBias(n_heads) if has_relative_bias else None
        self.norm = nn.RMSNorm(d_model)

    def forward(self, hidden, mask, position_bias=None):
        b, n, d = hidden.shape
        x = self.norm(hidden)
        shape = (b, n, self.n_heads, d // self.n_heads)
        q, k, v = (proj(x).view(shape).transpose(1, 2) for proj in (self.q, self.k, self.v))
        if position_bias is None:
            position_bias = self.rel(n, n, hidden.device) + mask
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=position_bias, scale=1.0)  # expect: ML202
        return hidden + self.o(out.transpose(1, 2).reshape(b, n, d)), position_bias


class T5Encoder(nn.Module):
    def __init__(self, vocab_size=800, d_model=64, n_heads=4, n_layers=3, pad_token_id=0):
        super().__init__()
        self.pad_token_id = pad_token_id
        self.embed = nn.Embedding(vocab_size, d_model)
        self.layers = nn.ModuleList(T5LayerSelfAttention(d_model, n_heads, i == 0) for i in range(n_layers))
        self.final_norm = nn.RMSNorm(d_model)

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = input_ids.ne(self.pad_token_id)
        ext = attention_mask[:, None, None, :].to(self.embed.weight.dtype)
        h, bias = self.embed(input_ids), None
        for layer in self.layers:
            h, bias = layer(h, ext, bias)
        return self.final_norm(h)


if __name__ == "__main__":
    enc = T5Encoder()
    ids = torch.tensor([[5, 6, 7, 8, 9, 0, 0], [3, 4, 5, 6, 7, 8, 9]])
    print(enc(ids).shape)
