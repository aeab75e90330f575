import math

import torch
from torch import nn
from torch.nn import functional as F


class RelativePositionBias(nn.Module):
    """T5-style bucketed relative position bias, unidirectional (decoder) variant."""

    def __init__(self, num_heads, num_buckets=32, max_distance=128):
        super().__init__()
        self.num_buckets = num_buckets
        self.max_distance = max_distance
        self.relative_attention_bias = nn.Embedding(num_buckets, num_heads)

    def _bucket(self, relative_position):
        relative_position = -torch.min(relative_position, torch.zeros_like(relative_position))
        max_exact = self.num_buckets // 2
        is_small = relative_position < max_exact
        large = max_exact + (
            torch.log(relative_position.float() / max_exact + 1e-6)
            / math.log(self.max_distance / max_exact) * (self.num_buckets - max_exact)
        ).to(torch.long)
        large = torch.min(large, torch.full_like(large, self.num_buckets - 1))
        return torch.where(is_small, relative_position, large)

    def forward(self, qlen, klen, device=None):
        context = torch.arange(qlen, device=device)[:, None]
        memory = torch.arange(klen, device=device)[None, :]
        buckets = self._bucket(memory - context)
        values = self.relative_attention_bias(buckets)  # (q, k, heads)
        return values.permute(2, 0, 1).unsqueeze(0)      # (1, heads, q, k)


class T5DecoderSelfAttention(nn.Module):
    def __init__(self, d_model, n_heads, has_relative_bias, dropout=0.1):
        super().__init__()
        self.n_heads = n_heads
        self.d_kv = d_model // n_heads
        self.q = nn.Linear(d_model, d_model, bias=False)
        self.k = nn.Linear(d_model, d_model, bias=False)
        self.v = nn.Linear(d_model, d_model, bias=False)
        self.o = nn.Linear(d_model, d_model, bias=False)
        self.dropout = dropout
        self.rel_bias = RelativePositionBias(n_heads) if has_relative_bias else None

    def forward(self, hidden, position_bias=None):
        bsz, qlen, _ = hidden.shape
        shape = lambda t: t.view(bsz, -1, self.n_heads, self.d_kv).transpose(1, 2)
        q, k, v = shape(self.q(hidden)), shape(self.k(hidden)), shape(self.v(hidden))
        if position_bias is None:
            position_bias = self.rel_bias(qlen, qlen, hidden.device)
            causal = torch.tril(torch.ones(qlen, qlen, device=hidden.device))
            position_bias = position_bias + causal[None, None]
        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=position_bias,  # expect: ML202
            dropout_p=self.dropout if self.training else 0.0,
            scale=1.0,
        )
        return self.o(out.transpose(1, 2).reshape(bsz, qlen, -1)), position_bias


class T5LayerNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


class T5DecoderStack(nn.Module):
    def __init__(self, vocab=320, d_model=64, n_heads=4, n_layers=3):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.norms = nn.ModuleList(T5LayerNorm(d_model) for _ in range(n_layers))
        self.layers = nn.ModuleList(
            T5DecoderSelfAttention(d_model, n_heads, has_relative_bias=(i == 0)) for i in range(n_layers))
        self.final_norm = T5LayerNorm(d_model)
        self.lm_head = nn.Linear(d_model, vocab, bias=False)

    def forward(self, input_ids):
        h = self.embed(input_ids)
        bias = None
        for norm, layer in zip(self.norms, self.layers):
            out, bias = layer(norm(h), bias)
            h = h + out
        return self.lm_head(self.final_norm(h))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = T5DecoderStack().eval()
    ids = torch.randint(0, 320, (2, 16))
    logits = model(ids)
    print("next-token logits", tuple(logits[:, -1].shape))
